//! `cargo test --release` after `cargo run --release` rebuilds no crate of the binary: the
//! dev-dependencies add no feature to a crate the binary uses (feature unification).

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

use crate::root;

/// Every package of the dependency tree over `edges`, with its enabled features.
fn features(edges: &str) -> Option<BTreeMap<String, BTreeSet<String>>> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let out = Command::new(cargo)
        .args([
            "tree",
            "--offline",
            "--prefix",
            "none",
            "-f",
            "{p} [{f}]",
            "-e",
            edges,
        ])
        .current_dir(root())
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let mut found: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let (Some(open), Some(close)) = (line.find(" ["), line.rfind(']')) else {
            continue;
        };
        let mut words = line[..open].split_whitespace();
        let package = format!("{} {}", words.next()?, words.next()?);
        let set = found.entry(package).or_default();
        set.extend(
            line[open + 2..close]
                .split(',')
                .filter(|f| !f.is_empty())
                .map(str::to_string),
        );
    }
    Some(found)
}

#[test]
fn dev_dependencies_add_no_feature_to_the_binarys_crates() {
    let (Some(normal), Some(with_dev)) = (features("normal,build"), features("normal,build,dev"))
    else {
        eprintln!("skipped: cargo tree --offline is not available");
        return;
    };
    let added: Vec<String> = normal
        .iter()
        .filter_map(|(package, set)| {
            let extra: Vec<&String> = with_dev.get(package)?.difference(set).collect();
            (!extra.is_empty()).then(|| format!("{package}: {extra:?}"))
        })
        .collect();
    assert!(
        added.is_empty(),
        "enable these in [dependencies] too (Cargo.toml): {added:#?}"
    );
}
