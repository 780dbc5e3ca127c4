//! The binary: exit codes, errors naming the file, formats, folders, streams.

use predicates::prelude::*;

use crate::{analyze, json_of};

#[test]
fn no_path_is_a_usage_error() {
    analyze()
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no input"));
}

#[test]
fn seed_prints_json() {
    let v = json_of(analyze().arg("samples/afp-lavrov-wonsan.txt"));
    assert_eq!(v["schema_version"], "1");
    assert_eq!(v["stats"]["sentences"], 22);
    assert_eq!(v["file"], "samples/afp-lavrov-wonsan.txt");
}

#[test]
fn missing_file_is_named_and_others_still_analysed() {
    let assert = analyze()
        .args(["samples/nope.txt", "samples/afp-crlf.txt"])
        .assert()
        .code(1);
    let out = assert.get_output();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("analyze: error: samples/nope.txt: No such file or directory"),
        "{stderr}"
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 1);
}

#[test]
fn binary_file_is_rejected_with_one_line() {
    analyze()
        .arg("samples/hostile/renamed-pdf.txt")
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "samples/hostile/renamed-pdf.txt: binary data",
        ));
}

#[test]
fn empty_file_gives_a_valid_document_with_a_warning() {
    let v = json_of(analyze().arg("samples/hostile/empty.txt"));
    assert_eq!(v["warnings"][0]["kind"], "empty_input");
    assert_eq!(v["sections"].as_array().unwrap().len(), 0);
}

#[test]
fn folder_gives_json_lines_in_sorted_order_and_a_summary() {
    let assert = analyze().args(["-j2", "samples/"]).assert().code(1);
    let out = assert.get_output();
    let files: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["file"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    let mut sorted = files.clone();
    sorted.sort();
    assert_eq!(files, sorted);
    assert!(files.iter().any(|f| f.ends_with("hostile/empty.txt")));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("1 failed"), "{stderr}");
}

#[test]
fn thread_count_does_not_change_the_bytes() {
    let one = analyze().args(["-j1", "samples/"]).output().unwrap().stdout;
    let four = analyze().args(["-j4", "samples/"]).output().unwrap().stdout;
    assert!(!one.is_empty());
    assert_eq!(one, four);
}

#[test]
fn stream_mode_keeps_line_count_and_order() {
    let input = "{\"id\":\"a\",\"text\":\"Il pleut.\"}\nnot json\n{\"id\":\"c\",\"text\":\"Il vente.\",\"date\":\"2024-01-02\"}\n";
    let out = analyze()
        .args(["--input", "jsonl", "--quiet"])
        .write_stdin(input)
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["id"], "a");
    assert_eq!(lines[1]["error"]["kind"], "invalid_json");
    assert_eq!(lines[2]["reference_date"], "2024-01-02");
}

#[test]
fn text_format_over_many_files_has_rule_lines() {
    let out = analyze()
        .args([
            "--format",
            "text",
            "--color",
            "never",
            "samples/afp-crlf.txt",
            "samples/afp-windows-1252.txt",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(
        String::from_utf8_lossy(&out)
            .matches(&"─".repeat(80))
            .count(),
        1
    );
}

#[test]
fn output_dir_mirrors_paths() {
    let dir = std::env::temp_dir().join(format!("depeche-out-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    analyze()
        .args(["--quiet", "--output-dir"])
        .arg(&dir)
        .arg("samples/")
        .assert()
        .code(1);
    assert!(dir.join("afp-lavrov-wonsan.json").is_file());
    assert!(dir.join("hostile/empty.json").is_file());
    assert!(!dir.join("hostile/renamed-pdf.json").exists());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn invalid_date_is_a_usage_error() {
    analyze()
        .args(["--date", "12/07/2025", "samples/afp-crlf.txt"])
        .assert()
        .code(2);
}

#[test]
fn schema_and_man_page_are_available() {
    analyze()
        .arg("--schema")
        .assert()
        .success()
        .stdout(predicate::str::contains("\"reference_date\""));
    analyze()
        .arg("--man")
        .assert()
        .success()
        .stdout(predicate::str::contains(".TH analyze"));
    analyze().args(["--completions", "bash"]).assert().success();
}

#[test]
fn help_has_examples_and_exit_codes() {
    analyze()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("Exit status"));
}
