//! Every JSON example of docs/output-format.md is checked against real output. Each fenced
//! `json` block is preceded by a comment naming what produces it:
//!
//! - `<!-- example: analyze ARGS -->`: the block is a fragment of the output of `analyze ARGS`
//!   (arrays cut to a few items, long strings cut with `…`), found in the document or in one of
//!   its values;
//! - `<!-- example: analyze ARGS <<< LINE -->`: the same with LINE on standard input;
//! - `<!-- example: input of analyze ARGS -->`: the block is an input, which `analyze ARGS`
//!   must accept.

use serde_json::Value;

use crate::root;

struct Example {
    line: usize,
    command: String,
    block: String,
}

fn examples(doc: &str) -> Vec<Example> {
    let lines: Vec<&str> = doc.lines().collect();
    let mut found = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if *line != "```json" {
            continue;
        }
        let command = i
            .checked_sub(1)
            .and_then(|j| lines[j].strip_prefix("<!-- example: "))
            .and_then(|c| c.strip_suffix(" -->"))
            .unwrap_or_else(|| {
                panic!(
                    "docs line {}: a json block without its example comment",
                    i + 1
                )
            });
        let end = (i + 1..lines.len())
            .find(|&j| lines[j] == "```")
            .expect("closed block");
        found.push(Example {
            line: i + 1,
            command: command.to_string(),
            block: lines[i + 1..end].join("\n"),
        });
    }
    found
}

fn run(args: &str, stdin: Option<&str>) -> (bool, Vec<Value>) {
    let mut c = crate::analyze();
    c.arg("--compact");
    c.args(args.split_whitespace());
    c.write_stdin(stdin.map_or(String::new(), |s| format!("{s}\n")));
    let out = c.output().unwrap();
    let docs = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON output"))
        .collect();
    (out.status.success(), docs)
}

/// Whether `part` (the documented fragment) is found in `real`: objects by key, arrays item by
/// item in any order, strings ending with `…` by prefix, numbers by value.
fn fragment_of(part: &Value, real: &Value) -> bool {
    match (part, real) {
        (Value::Object(p), Value::Object(r)) => p
            .iter()
            .all(|(k, v)| r.get(k).is_some_and(|rv| fragment_of(v, rv))),
        (Value::Array(p), Value::Array(r)) => {
            p.iter().all(|v| r.iter().any(|rv| fragment_of(v, rv)))
        }
        (Value::String(p), Value::String(r)) => match p.strip_suffix('…') {
            Some(prefix) => r.starts_with(prefix.trim_end()),
            None => p == r,
        },
        (Value::Number(p), Value::Number(r)) => p.as_f64() == r.as_f64(),
        _ => part == real,
    }
}

/// `fragment_of` against the value itself or any value nested in it.
fn found_in(part: &Value, real: &Value) -> bool {
    fragment_of(part, real)
        || match real {
            Value::Object(o) => o.values().any(|v| found_in(part, v)),
            Value::Array(a) => a.iter().any(|v| found_in(part, v)),
            _ => false,
        }
}

#[test]
fn docs_json_examples_match_real_output() {
    let doc = std::fs::read_to_string(root().join("docs/output-format.md")).unwrap();
    let examples = examples(&doc);
    assert!(examples.len() >= 6, "{} examples", examples.len());
    for ex in &examples {
        let block: Value = serde_json::from_str(&ex.block)
            .unwrap_or_else(|e| panic!("docs line {}: invalid JSON: {e}", ex.line));
        if let Some(args) = ex.command.strip_prefix("input of analyze ") {
            let (ok, docs) = run(args, Some(&serde_json::to_string(&block).unwrap()));
            assert!(
                ok && docs.len() == 1,
                "docs line {}: input refused",
                ex.line
            );
            continue;
        }
        let command = ex
            .command
            .strip_prefix("analyze ")
            .unwrap_or_else(|| panic!("docs line {}: {:?}", ex.line, ex.command));
        let (args, stdin) = match command.split_once(" <<< ") {
            Some((a, s)) => (a, Some(s)),
            None => (command, None),
        };
        let (_, docs) = run(args, stdin);
        assert!(
            docs.iter().any(|d| found_in(&block, d)),
            "docs line {}: the example does not match `analyze {command}`",
            ex.line
        );
    }
}

#[test]
fn fragment_matching_can_fail() {
    let real: Value = serde_json::json!({"places": [{"name": "Corée du Nord", "lat": 40.0}]});
    assert!(found_in(
        &serde_json::json!({"name": "Corée du Nord"}),
        &real
    ));
    assert!(!found_in(
        &serde_json::json!({"name": "Corée du Nord", "lat": null}),
        &real
    ));
}
