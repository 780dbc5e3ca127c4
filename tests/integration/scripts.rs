//! The scripts find the binary through cargo, never at a hard-coded `target/release`, so they
//! work in CI with CARGO_TARGET_DIR set.

use std::process::Command;

use crate::root;

#[test]
fn scripts_never_hard_code_the_target_dir() {
    let mut offenders = Vec::new();
    for entry in std::fs::read_dir(root().join("scripts")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "sh") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for (i, line) in text.lines().enumerate() {
            let code = line.trim_start();
            if !code.starts_with('#') && code.contains("target/release") {
                offenders.push(format!("{}:{}: {line}", path.display(), i + 1));
            }
        }
    }
    assert!(offenders.is_empty(), "{offenders:#?}");
}

#[test]
fn scripts_lib_reads_the_binary_path_from_cargo_messages() {
    if Command::new("bash").arg("--version").output().is_err() {
        eprintln!("skipped: no bash");
        return;
    }
    let messages = concat!(
        r#"{"reason":"compiler-artifact","package_id":"x","target":{"kind":["custom-build"],"name":"build-script-build"},"executable":null,"fresh":true}"#,
        "\n",
        r#"{"reason":"compiler-artifact","package_id":"depeche","target":{"kind":["bin"],"name":"analyze"},"filenames":["/ci/tgt/release/analyze"],"executable":"/ci/tgt/release/analyze","fresh":false}"#,
        "\n",
        r#"{"reason":"build-finished","success":true}"#,
        "\n",
    );
    let mut child = Command::new("bash")
        .arg("-c")
        .arg(". scripts/lib.sh && depeche_executable_from_messages")
        .current_dir(root())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(messages.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "/ci/tgt/release/analyze\n"
    );
}
