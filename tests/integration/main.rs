//! The integration tests: one binary, one module per concern.

mod build;
mod cli;
mod contract;
mod corpus;
mod data_files;
mod date_rules;
mod dispatches;
mod docs;
mod hostile;
mod properties;
mod regression;
mod samples;
mod schema;
mod scripts;
mod views;
mod windows;

use std::path::PathBuf;

/// The project root, where `samples/` and `data/` are.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The `analyze` binary, run from the project root (so `samples/…` paths work).
pub fn analyze() -> assert_cmd::Command {
    let mut c = assert_cmd::Command::cargo_bin("analyze").unwrap();
    c.current_dir(root());
    c
}

/// The `samples/*.txt` files, in name order.
pub fn sample_paths() -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(root().join("samples"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    paths.sort();
    paths
}

/// Every sentence object of an analysis, across its sections and paragraphs, in order.
pub fn sentences_of(v: &serde_json::Value) -> Vec<&serde_json::Value> {
    v["sections"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["paragraphs"].as_array().unwrap())
        .flat_map(|p| p["sentences"].as_array().unwrap())
        .collect()
}

/// Runs `cmd`, which must succeed, and parses what it printed as one JSON document.
pub fn json_of(cmd: &mut assert_cmd::Command) -> serde_json::Value {
    let assert = cmd.assert().success();
    serde_json::from_slice(&assert.get_output().stdout).expect("stdout is one JSON document")
}

/// The embedded resources, built once for the whole test binary.
pub fn resources() -> &'static depeche::Resources {
    static RES: std::sync::OnceLock<depeche::Resources> = std::sync::OnceLock::new();
    RES.get_or_init(|| depeche::Resources::embedded().expect("embedded data loads"))
}
