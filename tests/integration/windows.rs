//! A large file analysed in windows (`src/window/`), here with tiny windows: the JSON keeps
//! the schema, every offset points into the whole file's text, sentence indices run on, and
//! an entity named in several windows comes out once.

use std::path::{Path, PathBuf};

use depeche::window::{self, Windows};
use depeche::{Options, render};
use serde_json::Value;

use crate::{analyze, resources, sample_paths, sentences_of};

/// The UTF-8 samples (one with CRLF newlines), raw, in name order.
fn utf8_samples() -> Vec<(PathBuf, Vec<u8>)> {
    sample_paths()
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .filter(|(_, b)| std::str::from_utf8(b).is_ok())
        .collect()
}

/// A file path in a folder of its own (removed by [`remove`]): the tests run in parallel.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("depeche-windows-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn remove(path: &Path) {
    std::fs::remove_dir_all(path.parent().unwrap()).unwrap();
}

fn windowed_json(path: &Path, windows: Windows, pretty: bool) -> Vec<u8> {
    let options = Options {
        windows,
        ..Options::default()
    };
    let mut out = Vec::new();
    let file = Some(path.display().to_string());
    window::analyze_file(path, resources(), &options, file, pretty, &mut out).unwrap();
    out
}

/// With one window, the windowed writer gives the whole path's bytes: same fields, same
/// order, same values, compact or indented.
#[test]
fn one_window_writes_what_the_whole_path_writes() {
    let one = Windows {
        threshold: 0,
        size: 1 << 30,
    };
    for (path, bytes) in utf8_samples() {
        let mut analysis = depeche::analyze(&bytes, resources(), &Options::default()).unwrap();
        analysis.file = Some(path.display().to_string());
        for pretty in [false, true] {
            let mut whole = Vec::new();
            render::json::write(&analysis, pretty, &mut whole).unwrap();
            let windowed = windowed_json(&path, one, pretty);
            assert_eq!(
                String::from_utf8_lossy(&windowed),
                String::from_utf8_lossy(&whole),
                "{} (pretty: {pretty})",
                path.display()
            );
        }
    }
}

/// The samples three times over, CRLF sample included, in windows of about 2 KB.
#[test]
fn small_windows_keep_offsets_indices_and_entities_whole() {
    let mut raw = Vec::new();
    let samples = utf8_samples();
    for _ in 0..3 {
        for (_, bytes) in &samples {
            if !raw.is_empty() {
                raw.extend_from_slice(b"\n\n");
            }
            raw.extend_from_slice(bytes);
        }
    }
    let path = scratch("three-rounds.txt");
    std::fs::write(&path, &raw).unwrap();
    let tiny = Windows {
        threshold: 0,
        size: 2048,
    };
    let out = windowed_json(&path, tiny, false);
    let v: Value = serde_json::from_slice(&out).expect("one JSON document");
    assert_eq!(out.last(), Some(&b'\n'));

    let schema = serde_json::to_value(render::json::schema()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator.iter_errors(&v).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");

    // The analysed text of the whole file (CRLF made LF), as the offsets index it.
    let text = depeche::input::decode(&raw, &Default::default())
        .unwrap()
        .text;
    let chars: Vec<char> = text.chars().collect();
    let slice = |start: &Value, end: &Value| -> String {
        let (s, e) = (start.as_u64().unwrap(), end.as_u64().unwrap());
        chars[s as usize..e as usize].iter().collect()
    };
    let check = |what: &str, item: &Value| {
        assert_eq!(
            slice(&item["start"], &item["end"]),
            item["text"].as_str().unwrap(),
            "{what}: {item}"
        );
    };

    let sentences = sentences_of(&v);
    assert!(sentences.len() > 100, "{}", sentences.len());
    for (i, s) in sentences.iter().enumerate() {
        assert_eq!(s["index"], i, "sentence indices run on across windows");
        check("sentence", s);
    }
    assert_eq!(v["stats"]["sentences"], sentences.len());
    let paragraphs: usize = v["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["paragraphs"].as_array().unwrap().len())
        .sum();
    assert_eq!(v["stats"]["paragraphs"], paragraphs);

    for kind in ["people", "organizations", "places", "countries"] {
        for entity in v[kind].as_array().unwrap() {
            let mentions = entity["mentions"].as_array().unwrap();
            for m in mentions.iter().chain(
                entity["references"]
                    .as_array()
                    .map(Vec::as_slice)
                    .unwrap_or_default(),
            ) {
                check(kind, m);
            }
            if kind != "countries" {
                assert_eq!(entity["count"], mentions.len(), "{entity}");
            }
        }
    }
    for d in v["dates"].as_array().unwrap() {
        check("date", d);
    }
    let quotes = v["quotes"].as_array().unwrap();
    assert!(!quotes.is_empty());
    for q in quotes {
        if let Some(m) = q.get("speaker_mention").filter(|m| !m.is_null()) {
            check("speaker", m);
        }
    }

    // Named in all three rounds, each far beyond a 2 KB window from the others: one person,
    // with the mentions of every round.
    let third = chars.len() / 3;
    let guterres: Vec<&Value> = v["people"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["name"] == "António Guterres")
        .collect();
    assert_eq!(guterres.len(), 1, "{:#?}", v["people"]);
    let starts: Vec<u64> = guterres[0]["mentions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["start"].as_u64().unwrap())
        .collect();
    assert!(starts.iter().any(|&s| (s as usize) < third), "{starts:?}");
    assert!(
        starts.iter().any(|&s| (s as usize) > 2 * third),
        "{starts:?}"
    );
    // A quote's speaker is the merged person's name.
    let names: Vec<&str> = v["people"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    for q in quotes {
        if q["speaker_kind"] == "person" {
            assert!(names.contains(&q["speaker"].as_str().unwrap()), "{q}");
        }
    }
    // The first window gives the title and dateline; the last the credit.
    assert!(v["title"].is_string());
    assert!(v["dateline"].is_object());
    assert!(v["reference_date"].is_string());
    remove(&path);
}

/// Binary data is refused before anything is written.
#[test]
fn binary_data_is_refused_before_any_output() {
    let path = scratch("binary.txt");
    let mut bytes = b"Un texte.\n\n".repeat(400);
    bytes.extend_from_slice(b"\0\0\0");
    std::fs::write(&path, &bytes).unwrap();
    let options = Options {
        windows: Windows {
            threshold: 0,
            size: 256,
        },
        ..Options::default()
    };
    let mut out = Vec::new();
    let err = window::analyze_file(&path, resources(), &options, None, false, &mut out)
        .expect_err("binary data");
    assert!(err.to_string().contains("NUL byte at offset 4400"), "{err}");
    assert!(out.is_empty());
    remove(&path);
}

/// Over the threshold (1 MiB), the command line takes the windowed path.
/// The UTF-8 samples repeated, blank lines between them, to just over the windows' threshold.
fn large_text() -> Vec<u8> {
    let mut raw = Vec::new();
    let samples = utf8_samples();
    while raw.len() <= window::WINDOW_THRESHOLD as usize {
        for (_, bytes) in &samples {
            raw.extend_from_slice(bytes);
            raw.extend_from_slice(b"\n\n");
        }
    }
    raw
}

#[test]
fn the_command_line_analyses_a_large_file_in_windows() {
    let raw = large_text();
    let path = scratch("large.txt");
    std::fs::write(&path, &raw).unwrap();
    let out = analyze().arg(&path).assert().success();
    let printed = out.get_output().stdout.clone();
    assert_eq!(printed, windowed_json(&path, Windows::default(), false));
    let v: Value = serde_json::from_slice(&printed).unwrap();
    assert!(v["stats"]["sentences"].as_u64().unwrap() > 1000);
    // Under --output-dir the streamed JSON goes to a temporary file, then renamed.
    let dir = path.with_file_name("out");
    analyze()
        .arg("--output-dir")
        .arg(&dir)
        .arg(&path)
        .assert()
        .success();
    assert_eq!(std::fs::read(dir.join("large.json")).unwrap(), printed);
    let left: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
    assert_eq!(left.len(), 1, "no temporary file is left");
    remove(&path);
}

/// Large standard input is copied to a temporary file as it is read and analysed in windows:
/// the same JSON as for the file, but for `file`, which is null for standard input.
#[test]
fn large_standard_input_is_spooled_and_analysed_in_windows() {
    let raw = large_text();
    let path = scratch("large-stdin.txt");
    std::fs::write(&path, &raw).unwrap();
    let mut from_file: Value =
        serde_json::from_slice(&windowed_json(&path, Windows::default(), false)).unwrap();
    let from_stdin = crate::json_of(analyze().write_stdin(raw));
    assert_eq!(from_stdin["file"], Value::Null);
    from_file["file"] = Value::Null;
    assert_eq!(from_stdin, from_file);
    remove(&path);
}

#[test]
fn read_stdin_keeps_small_input_whole_and_spools_the_rest() {
    let windows = Windows {
        threshold: 10,
        size: 1 << 20,
    };
    let whole = window::read_stdin(&b"0123456789"[..], &windows).unwrap();
    assert!(matches!(whole, window::StdinText::Whole(ref b) if b == b"0123456789"));
    let text = "PARIS (AFP) - Emmanuel Macron est à Lyon.\n\nIl y parle.\n";
    let window::StdinText::Spooled(mut spooled) =
        window::read_stdin(text.as_bytes(), &windows).unwrap()
    else {
        panic!("eleven bytes and more are spooled");
    };
    let options = Options {
        windows,
        ..Options::default()
    };
    let mut out = Vec::new();
    let read =
        window::analyze_spooled(&mut spooled, resources(), &options, false, &mut out).unwrap();
    assert_eq!(read, text.len() as u64);
    let v: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["file"], Value::Null);
    let places: Vec<&str> = v["places"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(places, ["Paris", "Lyon"], "{v}");
}

/// `M. Lavrov` alone in a later window joins `Sergueï Lavrov` of the first, and the quote he
/// speaks is his under the full name.
#[test]
fn a_surname_in_a_later_window_joins_the_full_name_of_an_earlier_one() {
    let text = "Moscou répond à Washington\n\n\
        MOSCOU, 3 mars 2024 (AFP) - Le ministre russe des Affaires étrangères Sergueï Lavrov a \
        rencontré mardi son homologue à Moscou.\n\n\
        La rencontre a duré deux heures, selon un communiqué publié dans la soirée.\n\n\
        Les discussions ont porté sur la sécurité régionale et sur les échanges commerciaux.\n\n\
        « Nous avons avancé », a déclaré M. Lavrov à la presse après la réunion.\n";
    let path = scratch("lavrov.txt");
    std::fs::write(&path, text).unwrap();
    let tiny = Windows {
        threshold: 0,
        size: 100,
    };
    let v: Value = serde_json::from_slice(&windowed_json(&path, tiny, false)).unwrap();
    let people: Vec<(&str, u64)> = v["people"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["name"].as_str().unwrap(), p["count"].as_u64().unwrap()))
        .collect();
    assert_eq!(people, vec![("Sergueï Lavrov", 2)], "{:#}", v["people"]);
    assert_eq!(
        v["quotes"][0]["speaker"], "Sergueï Lavrov",
        "{:#}",
        v["quotes"]
    );
    assert_eq!(v["people"][0]["quotes"], 1);
    // The first window holds the title and the paragraph after it, whatever the size.
    assert_eq!(v["title"], "Moscou répond à Washington");
    assert_eq!(v["reference_date"], "2024-03-03");
    remove(&path);
}

/// Text with what moves window cuts and offsets: blank lines, CRLF and lone CR, U+FEFF,
/// accents, quotes, names and a dateline.
fn windowed_text() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    proptest::collection::vec(
        prop_oneof![
            Just("\n\n".to_string()),
            Just("\r\n\r\n".to_string()),
            Just("\r".to_string()),
            Just("\n \t\n".to_string()),
            Just("\u{FEFF}".to_string()),
            Just("é".to_string()),
            Just("e\u{301}".to_string()),
            Just("M. Sergueï Lavrov a dit. ".to_string()),
            Just("« Nous avançons », a-t-il déclaré. ".to_string()),
            Just("M. Lavrov ".to_string()),
            Just("PARIS, 3 mars 2024 (AFP) - ".to_string()),
            Just("- Intertitre -".to_string()),
            Just("mardi prochain ".to_string()),
            "[a-zA-Zéèàç .]{1,20}",
        ],
        0..40,
    )
    .prop_map(|parts| parts.concat())
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

    /// Whatever the text and the window size, nothing panics and every span slices the
    /// whole file's analysed text.
    #[test]
    fn windowed_spans_slice_the_whole_text(
        text in windowed_text(),
        size in 1usize..120,
        encoding in 0..3,
    ) {
        // UTF-8, UTF-8 with a BOM, UTF-16LE with its BOM.
        let bytes: Vec<u8> = match encoding {
            0 => text.as_bytes().to_vec(),
            1 => [&b"\xEF\xBB\xBF"[..], text.as_bytes()].concat(),
            _ => [0xFF, 0xFE]
                .into_iter()
                .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
                .collect(),
        };
        let path = scratch(&format!("prop-{size}-{encoding}-{}.txt", text.len()));
        std::fs::write(&path, &bytes).unwrap();
        let windows = Windows { threshold: 0, size };
        let options = Options { windows, ..Options::default() };
        let mut out = Vec::new();
        let result = window::analyze_file(&path, resources(), &options, None, false, &mut out);
        remove(&path);
        let Ok(_) = result else {
            // Refused as a whole (not text): the whole path refuses it too.
            proptest::prop_assert!(depeche::analyze(&bytes, resources(), &Options::default()).is_err());
            return Ok(());
        };
        let v: Value = serde_json::from_slice(&out).unwrap();
        let analysed: Vec<char> = depeche::input::decode(&bytes, &Default::default())
            .unwrap()
            .text
            .chars()
            .collect();
        let mut items = sentences_of(&v);
        for kind in ["people", "organizations", "places", "countries"] {
            for e in v[kind].as_array().unwrap() {
                items.extend(e["mentions"].as_array().unwrap());
            }
        }
        items.extend(v["dates"].as_array().unwrap());
        for item in items {
            let (s, e) = (item["start"].as_u64().unwrap() as usize, item["end"].as_u64().unwrap() as usize);
            proptest::prop_assert!(s <= e && e <= analysed.len(), "{item} beyond {}", analysed.len());
            let slice: String = analysed[s..e].iter().collect();
            proptest::prop_assert_eq!(&slice, item["text"].as_str().unwrap());
        }
    }
}
