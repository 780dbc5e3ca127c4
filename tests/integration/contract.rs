//! Issue 14: every flag honoured or refused, nothing lost in batches, input that is not what
//! it seems reported.

use std::fs;
use std::path::PathBuf;

use predicates::prelude::*;

use crate::{analyze, json_of};

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("depeche-contract-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

const GOOD: &str = "PARIS, 3 mars 2025 (AFP) - Emmanuel Macron a parlé à Berlin.\n";

#[test]
fn output_dir_collisions_are_refused_before_any_work() {
    let dir = scratch("dup");
    fs::create_dir_all(dir.join("dup/a")).unwrap();
    fs::create_dir_all(dir.join("dup/b")).unwrap();
    fs::write(dir.join("dup/a/x.txt"), GOOD).unwrap();
    fs::write(dir.join("dup/b/x.txt"), GOOD).unwrap();
    let out = dir.join("out");
    analyze()
        .current_dir(&dir)
        .args(["-j1", "--output-dir", "out", "dup/a", "dup/b"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("dup/a/x.txt").and(predicate::str::contains("dup/b/x.txt")),
        );
    assert!(!out.exists(), "nothing written");
    // One root keeps today's layout.
    analyze()
        .current_dir(&dir)
        .args(["-j2", "--quiet", "--output-dir", "out", "dup"])
        .assert()
        .success();
    assert!(out.join("a/x.json").is_file() && out.join("b/x.json").is_file());
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn stream_mode_refuses_flags_it_cannot_honour() {
    for flags in [
        &["--format", "text"][..],
        &["--format", "geojson"][..],
        &["--output-dir", "out"][..],
        &["--pretty"][..],
    ] {
        analyze()
            .args(["--input", "jsonl"])
            .args(flags)
            .write_stdin("{\"text\":\"Il pleut.\"}\n")
            .assert()
            .code(2)
            .stderr(predicate::str::contains(flags[0]));
    }
}

#[test]
fn output_dir_with_text_format_writes_txt_files() {
    let dir = scratch("text");
    analyze()
        .args([
            "--quiet",
            "--format",
            "text",
            "--color",
            "never",
            "--output-dir",
        ])
        .arg(&dir)
        .arg("samples/afp-crlf.txt")
        .assert()
        .success();
    let text = fs::read_to_string(dir.join("afp-crlf.txt")).unwrap();
    assert!(
        serde_json::from_str::<serde_json::Value>(&text).is_err(),
        "text, not JSON"
    );
    assert!(!dir.join("afp-crlf.json").exists());
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn stream_failures_are_also_on_stderr() {
    analyze()
        .args(["--input", "jsonl", "--quiet"])
        .write_stdin("{\"id\":\"a\",\"text\":\"Il pleut.\"}\nnot json\n")
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "analyze: error: line 2: invalid JSON",
        ));
}

#[test]
fn folder_without_matching_file_is_reported() {
    let dir = scratch("noglob");
    fs::write(dir.join("a.md"), GOOD).unwrap();
    analyze()
        .arg(&dir)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no file matches --glob"));
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn random_bytes_without_nul_are_a_per_file_error() {
    let dir = scratch("random");
    let mut x: u32 = 12345;
    let bytes: Vec<u8> = (0..4096)
        .map(|_| {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            ((x >> 16) as u8).max(1)
        })
        .collect();
    fs::write(dir.join("noise.txt"), bytes).unwrap();
    analyze()
        .arg(dir.join("noise.txt"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("not text"));
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn piped_stdin_is_read_without_a_path() {
    let v = json_of(analyze().write_stdin(GOOD));
    assert!(!v["places"].as_array().unwrap().is_empty());
}

#[test]
fn single_missing_file_gives_one_line_and_no_summary() {
    let out = analyze().arg("samples/nope.txt").assert().code(1);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("samples/nope.txt"));
}

#[test]
fn explicit_color_always_wins_over_no_color() {
    analyze()
        .env("NO_COLOR", "1")
        .args([
            "--format",
            "text",
            "--color",
            "always",
            "samples/afp-crlf.txt",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("\u{1b}["));
}

#[test]
fn geojson_over_many_inputs_is_one_feature_collection() {
    let out = analyze()
        .args(["--quiet", "--format", "geojson", "samples/"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8_lossy(&out);
    assert_eq!(text.lines().count(), 1, "one document");
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let features = v["features"].as_array().unwrap();
    let files: std::collections::BTreeSet<&str> = features
        .iter()
        .filter_map(|f| f["properties"]["file"].as_str())
        .collect();
    assert!(files.len() > 1, "features of several articles: {files:?}");
}
