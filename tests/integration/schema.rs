//! `analyze --schema` describes what is really written: the samples and a few hundred generated
//! dispatches validate against it with a real JSON Schema validator.

use serde_json::Value;

use crate::{analyze, json_of, resources, sample_paths};

fn printed_schema() -> Value {
    json_of(analyze().arg("--schema"))
}

/// Variants of the samples: body paragraphs rotated, one sometimes dropped, the first
/// (title, dateline, lead) and last (credit) kept. Deterministic.
fn generated_corpus(n: usize) -> Vec<String> {
    let texts: Vec<String> = sample_paths()
        .iter()
        .map(|p| String::from_utf8_lossy(&std::fs::read(p).unwrap()).replace("\r\n", "\n"))
        .collect();
    (0..n)
        .map(|i| {
            let paragraphs: Vec<&str> = texts[i % texts.len()].split("\n\n").collect();
            if paragraphs.len() < 4 {
                return paragraphs.join("\n\n");
            }
            let last = paragraphs.len() - 1;
            let mut body: Vec<&str> = paragraphs[1..last].to_vec();
            let len = body.len();
            body.rotate_left(i % len);
            if i % 3 == 0 {
                body.remove((i / 3) % len);
            }
            let mut out = vec![paragraphs[0]];
            out.extend(body);
            out.push(paragraphs[last]);
            out.join("\n\n")
        })
        .collect()
}

fn assert_valid(validator: &jsonschema::Validator, what: &str, instance: &Value) {
    let errors: Vec<String> = validator
        .iter_errors(instance)
        .take(5)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{what} fails the schema: {errors:#?}");
}

#[test]
fn schema_validates_real_output_of_samples_and_a_generated_corpus() {
    let schema = printed_schema();
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");

    // The binary's own output for every sample, with the optional `text` field too.
    for path in sample_paths() {
        for extra in [&[][..], &["--include-text"][..]] {
            let v = json_of(analyze().args(extra).arg(&path));
            assert_valid(&validator, &path.display().to_string(), &v);
        }
    }

    // Stream mode with `meta` passed through.
    let line = serde_json::json!({"id": "a1", "text": "PARIS, 3 mars 2025 (AFP) - Emmanuel Macron a parlé.", "source": "x"});
    let v = json_of(
        analyze()
            .args(["--input", "jsonl", "--keep-meta"])
            .write_stdin(format!("{line}\n")),
    );
    assert!(v["meta"].is_object(), "{v}");
    assert_valid(&validator, "stream line with meta", &v);

    // A few hundred generated dispatches, through the library (no process per text).
    let options = depeche::Options::default();
    let mut as_actor_seen = (false, false);
    for (i, text) in generated_corpus(300).iter().enumerate() {
        let analysis = depeche::analyze(text.as_bytes(), resources(), &options).unwrap();
        let v = serde_json::to_value(&analysis).unwrap();
        let mentions: Vec<&Value> = v["places"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|p| p["mentions"].as_array().into_iter().flatten())
            .collect();
        as_actor_seen.0 |= mentions.iter().any(|m| m.get("as_actor").is_some());
        as_actor_seen.1 |= mentions.iter().any(|m| m.get("as_actor").is_none());
        assert_valid(&validator, &format!("generated text {i}"), &v);
    }
    // The corpus exercises both sides of the optional `as_actor` field.
    assert_eq!(as_actor_seen, (true, true));
}
