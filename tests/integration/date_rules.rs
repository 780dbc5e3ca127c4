//! The date rules are data loaded through `Resources`: `--data DIR` applies to them, and a
//! broken rule stops the binary (exit 2) before any article, naming `file:line`.

use predicates::prelude::*;

use crate::{analyze, json_of, root};

/// A fresh copy of `data/` under the temp dir (unique per test), returned with its path.
fn data_copy(tag: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("depeche-dates-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for sub in ["parse", "lexicons", "patterns"] {
        let from = root().join("data").join(sub);
        std::fs::create_dir_all(dir.join(sub)).unwrap();
        for entry in std::fs::read_dir(&from).unwrap() {
            let path = entry.unwrap().path();
            std::fs::copy(&path, dir.join(sub).join(path.file_name().unwrap())).unwrap();
        }
    }
    dir
}

/// Replaces the first data line (not a comment) of `file` whose first column is `name` by
/// `edit(line)`, and returns its 1-based line number.
fn edit_line(file: &std::path::Path, name: &str, edit: impl Fn(&str) -> String) -> usize {
    let text = std::fs::read_to_string(file).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let i = lines
        .iter()
        .position(|l| !l.starts_with('#') && l.split('\t').next() == Some(name))
        .unwrap_or_else(|| panic!("no line {name} in {}", file.display()));
    lines[i] = edit(&lines[i]);
    std::fs::write(file, lines.join("\n") + "\n").unwrap();
    i + 1
}

/// Runs the seed with `--data dir`: exit 2, nothing on stdout, `file:line` on stderr.
fn assert_refused(dir: &std::path::Path, file_line: &str) {
    analyze()
        .arg("--data")
        .arg(dir)
        .arg("samples/afp-lavrov-wonsan.txt")
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains(file_line));
    std::fs::remove_dir_all(dir).unwrap();
}

/// Replaces column `col` (0-based) of a TSV line.
fn set_column(line: &str, col: usize, value: &str) -> String {
    let mut cols: Vec<&str> = line.split('\t').collect();
    cols[col] = value;
    cols.join("\t")
}

#[test]
fn broken_date_rule_regex_exits_2_with_file_and_line() {
    let dir = data_copy("regex");
    let line = edit_line(&dir.join("patterns/dates-rules.tsv"), "wd", |l| {
        set_column(l, 4, "(?P<wd>{weekday}")
    });
    assert_refused(&dir, &format!("dates-rules.tsv:{line}:"));
}

#[test]
fn unknown_fragment_exits_2_with_file_and_line() {
    let dir = data_copy("fragment");
    let line = edit_line(&dir.join("patterns/dates-rules.tsv"), "wd", |l| {
        set_column(l, 4, "{no_such_fragment}")
    });
    assert_refused(&dir, &format!("dates-rules.tsv:{line}: unknown fragment"));
}

#[test]
fn renamed_resolver_exits_2_instead_of_dropping_the_rule() {
    let dir = data_copy("resolver");
    let line = edit_line(&dir.join("patterns/dates-rules.tsv"), "wd", |l| {
        set_column(l, 2, "week_day")
    });
    assert_refused(&dir, &format!("dates-rules.tsv:{line}: unknown resolver"));
}

#[test]
fn wrong_column_count_exits_2_with_file_and_line() {
    let dir = data_copy("columns");
    let line = edit_line(&dir.join("patterns/dates-rules.tsv"), "wd", |l| {
        l.split('\t').take(3).collect::<Vec<_>>().join("\t")
    });
    assert_refused(&dir, &format!("dates-rules.tsv:{line}: expected 5 or 6"));
}

#[test]
fn unknown_tense_word_category_exits_2_with_file_and_line() {
    let dir = data_copy("words");
    let line = edit_line(&dir.join("patterns/dates-words.tsv"), "future", |l| {
        set_column(l, 0, "futur")
    });
    assert_refused(&dir, &format!("dates-words.tsv:{line}: unknown category"));
}

/// The rules of `--data` are the ones used: without the weekday rules, the `samedi` of the
/// seed is no longer a date.
#[test]
fn edited_date_rules_are_used() {
    let run = |dir: Option<&std::path::Path>| -> Vec<String> {
        let mut cmd = analyze();
        if let Some(d) = dir {
            cmd.arg("--data").arg(d);
        }
        let v = json_of(cmd.arg("samples/afp-lavrov-wonsan.txt"));
        v["dates"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["text"].as_str().unwrap().to_string())
            .collect()
    };
    let dir = data_copy("edited");
    for rule in ["wd_part", "wd_rel", "wd_this", "wd"] {
        edit_line(&dir.join("patterns/dates-rules.tsv"), rule, |l| {
            format!("# {l}")
        });
    }
    let embedded = run(None);
    let edited = run(Some(&dir));
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(embedded.iter().any(|t| t == "samedi"), "{embedded:?}");
    assert!(!edited.iter().any(|t| t == "samedi"), "{edited:?}");
}
