//! Hostile input and stream robustness (issue 8).

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use assert_cmd::Command;
use serde_json::Value;

use crate::{json_of, root};

fn analyze() -> Command {
    let mut c = crate::analyze();
    c.timeout(Duration::from_secs(60));
    c
}

/// A scratch folder under the system temp dir, named after the process and the test, removed
/// on drop.
struct Scratch(PathBuf);

impl Scratch {
    fn new(test: &str) -> Self {
        let dir =
            std::env::temp_dir().join(format!("depeche-hostile-{}-{test}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    fn path(&self) -> &Path {
        &self.0
    }

    fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let p = self.0.join(name);
        if let Some(parent) = p.parent() {
            fs::create_dir_all(parent).unwrap();
        }
        fs::write(&p, bytes).unwrap();
        p
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

const GOOD: &str = "Le président est arrivé à Paris.\n";

/// `n` JSON Lines articles with ids `n0`, `n1`, ...
fn jsonl(n: usize) -> String {
    let mut s = String::new();
    for i in 0..n {
        let line = serde_json::json!({
            "id": format!("n{i}"),
            "text": format!("Le ministre a annoncé {i} nouvelles mesures à Lyon. Il partira lundi."),
        });
        s.push_str(&line.to_string());
        s.push('\n');
    }
    s
}

fn json_lines(stdout: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Runs `analyze` on one file that must succeed, and parses its JSON.
fn analyse_ok(path: &std::path::Path) -> Value {
    json_of(analyze().arg(path))
}

fn first_sentence(v: &Value) -> &str {
    v["sections"][0]["paragraphs"][0]["sentences"][0]["text"]
        .as_str()
        .unwrap_or_else(|| panic!("no first sentence in {v}"))
}

#[test]
fn stream_10000_lines_keep_count_and_order() {
    let out = analyze()
        .args(["--input", "jsonl", "--quiet", "-j2"])
        .write_stdin(jsonl(10_000))
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 10_000);
    for (i, v) in lines.iter().enumerate() {
        assert_eq!(v["id"], format!("n{i}"), "line {i}");
    }
}

#[test]
fn broken_pipe_exits_quietly() {
    let dir = Scratch::new("broken-pipe");
    let input = dir.write("in.jsonl", jsonl(2_000));
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("analyze"))
        .args(["--input", "jsonl", "-j2"])
        .current_dir(root())
        .stdin(fs::File::open(&input).unwrap())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut buf = [0u8; 10];
    stdout.read_exact(&mut buf).unwrap();
    assert_eq!(&buf[..2], b"{\"");
    drop(stdout);
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let status = child.wait().unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
    assert!(status.success(), "{status:?}, stderr: {stderr}");
}

#[test]
fn nul_bytes_are_rejected_as_binary() {
    let dir = Scratch::new("nul");
    let p = dir.write("nul.txt", b"Le pr\xc3\xa9sident\0 est arriv\xc3\xa9.\n");
    let assert = analyze().arg(&p).assert().code(1);
    let out = assert.get_output();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("{}: binary data", p.display())),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(out.stdout.is_empty());
}

#[test]
fn invalid_utf8_reads_as_windows_1252_with_warning() {
    let dir = Scratch::new("cp1252");
    let p = dir.write("cp1252.txt", b"Le pr\xe9sident est arriv\xe9 \xe0 Paris.\n");
    let v = analyse_ok(&p);
    let kinds: Vec<&str> = v["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|w| w["kind"].as_str())
        .collect();
    assert!(kinds.contains(&"decoded_windows_1252"), "{kinds:?}");
    assert_eq!(first_sentence(&v), "Le président est arrivé à Paris.");
}

#[test]
fn strict_utf8_turns_it_into_an_error() {
    let dir = Scratch::new("strict");
    let p = dir.write("cp1252.txt", b"Le pr\xe9sident est arriv\xe9 \xe0 Paris.\n");
    let assert = analyze().arg("--strict-utf8").arg(&p).assert().code(1);
    let out = assert.get_output();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("analyze: error: {}: invalid UTF-8", p.display())),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn utf16_with_bom_is_decoded() {
    let dir = Scratch::new("utf16");
    let bytes: Vec<u8> = "\u{FEFF}Le président est arrivé à Paris."
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    assert_eq!(&bytes[..2], b"\xFF\xFE");
    let p = dir.write("utf16.txt", bytes);
    let v = analyse_ok(&p);
    assert_eq!(first_sentence(&v), "Le président est arrivé à Paris.");
    assert_eq!(v["stats"]["sentences"], 1);
}

#[test]
fn directory_and_fifo_paths() {
    let dir = Scratch::new("dir-fifo");
    let folder = dir.path().join("folder");
    dir.write("folder/good.txt", GOOD);
    let out = analyze()
        .arg(&folder)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 1);
    assert_eq!(first_sentence(&lines[0]), GOOD.trim_end());

    let fifo = dir.path().join("pipe.txt");
    let status = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(status.success());
    let started = Instant::now();
    let assert = analyze()
        .timeout(Duration::from_secs(10))
        .arg(&fifo)
        .assert()
        .code(1);
    assert!(started.elapsed() < Duration::from_secs(10));
    let out = assert.get_output();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains(&fifo.display().to_string()), "{stderr}");
    assert!(stderr.contains("not a regular file"), "{stderr}");
    assert!(out.stdout.is_empty());
}

#[test]
fn symlink_loop_is_reported_and_others_analysed() {
    let dir = Scratch::new("symlink-loop");
    dir.write("good.txt", GOOD);
    std::os::unix::fs::symlink(dir.path(), dir.path().join("loop")).unwrap();
    let assert = analyze().arg(dir.path()).assert().code(1);
    let out = assert.get_output();
    let lines = json_lines(&out.stdout);
    assert_eq!(lines.len(), 1);
    assert!(
        lines[0]["file"].as_str().unwrap().ends_with("good.txt"),
        "{}",
        lines[0]["file"]
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    let errors: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("analyze: error:"))
        .collect();
    assert_eq!(errors.len(), 1, "{stderr}");
    assert!(errors[0].contains("loop"), "{stderr}");
    assert!(stderr.contains("1 failed"), "{stderr}");
}

#[test]
fn missing_file_among_many() {
    let dir = Scratch::new("missing");
    let a = dir.write("a.txt", GOOD);
    let missing = dir.path().join("missing.txt");
    let c = dir.write("c.txt", "Il pleut sur Lyon.\n");
    let assert = analyze().arg(&a).arg(&missing).arg(&c).assert().code(1);
    let out = assert.get_output();
    let lines = json_lines(&out.stdout);
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["file"], a.display().to_string());
    assert_eq!(lines[1]["file"], c.display().to_string());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "analyze: error: {}: No such file or directory",
            missing.display()
        )),
        "{stderr}"
    );
    assert!(stderr.contains("3 files, 2 analysed, 1 failed"), "{stderr}");
}

#[test]
fn pathological_inputs_finish_fast() {
    let dir = Scratch::new("pathological");
    let cases: [(&str, String); 4] = [
        ("open-guillemets.txt", "«".repeat(100_000)),
        (
            "one-long-line.txt",
            "le président ".repeat(10_000_000 / "le président ".len()),
        ),
        ("abbreviations.txt", "M. ".repeat(200_000)),
        ("punctuation.txt", ".!?…".repeat(100_000)),
    ];
    for (name, text) in &cases {
        let p = dir.write(name, text);
        let started = Instant::now();
        let v = json_of(analyze().arg("--quiet").arg(&p));
        let elapsed = started.elapsed();
        assert!(elapsed < Duration::from_secs(20), "{name}: {elapsed:?}");
        assert_eq!(v["file"], p.display().to_string(), "{name}");
    }
}

#[test]
fn output_dir_never_overwrites_input() {
    let dir = Scratch::new("output-dir");
    let x = dir.path().join("x");
    let input = dir.write("x/a.txt", GOOD);
    let assert = analyze()
        .arg("--output-dir")
        .arg(&x)
        .arg(&x)
        .assert()
        .success();
    assert!(assert.get_output().stdout.is_empty());
    let written = x.join("a.json");
    let v: Value = serde_json::from_slice(&fs::read(&written).unwrap()).unwrap();
    assert_eq!(v["file"], input.display().to_string());
    assert_eq!(fs::read_to_string(&input).unwrap(), GOOD);

    let before = fs::read(&written).unwrap();
    let assert = analyze()
        .arg("--output-dir")
        .arg(&x)
        .arg("--skip-existing")
        .arg(&x)
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr);
    assert!(
        stderr.contains("analyze: 1 files, 0 analysed, 0 failed, 1 skipped"),
        "{stderr}"
    );
    assert_eq!(fs::read(&written).unwrap(), before);
    assert_eq!(fs::read_to_string(&input).unwrap(), GOOD);

    let mut names: Vec<String> = fs::read_dir(&x)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(!names.iter().any(|n| n.contains(".tmp")), "{names:?}");
    assert_eq!(names, ["a.json", "a.txt"]);
}

#[test]
fn determinism_j1_j4_stream() {
    let input = jsonl(300);
    let run = |jobs: &str| {
        analyze()
            .args(["--input", "jsonl", "--quiet", jobs])
            .write_stdin(input.clone())
            .assert()
            .success()
            .get_output()
            .stdout
            .clone()
    };
    let one = run("-j1");
    let four = run("-j4");
    assert_eq!(json_lines(&one).len(), 300);
    assert_eq!(one, four);
}

/// One 190 KB paragraph without a sentence break holding 9,000 weekdays: the tense of each is
/// read from words tokenised once per sentence, not again for every weekday (which took about
/// 30 s of CPU here before). The bound is loose: linear time is well under one second.
#[test]
fn weekdays_in_one_endless_sentence_take_linear_time() {
    let mut text = String::from("PARIS, 3 mai 2012 (AFP) - ");
    for _ in 0..3000 {
        text.push_str("la réunion de lundi, annoncée mardi et prévue jeudi vers 14h, ");
    }
    let dir = Scratch::new("endless-sentence");
    let path = dir.path().join("endless.txt");
    fs::write(&path, &text).unwrap();
    let started = Instant::now();
    let out = json_of(
        analyze()
            .timeout(Duration::from_secs(20))
            .arg("-q")
            .arg(&path),
    );
    assert!(started.elapsed() < Duration::from_secs(10));
    let dates = out["dates"].as_array().map_or(0, Vec::len);
    assert!(dates >= 9000, "{dates} dates");
}
