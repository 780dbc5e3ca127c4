//! `--format html` and `--report`: the page is well-formed HTML5 whose marks are the words at
//! their offsets, neither page loads anything from the network, the report's counts are the
//! sums of the per-article documents, and the flag combinations that make no sense exit 2.

use std::collections::{BTreeMap, HashMap};

use scraper::{ElementRef, Html, Node, Selector};
use serde_json::Value;

use crate::analyze;

const SAMPLES: [&str; 5] = [
    "samples/afp-citation-longue.txt",
    "samples/afp-crlf.txt",
    "samples/afp-lavrov-wonsan.txt",
    "samples/afp-titre-dateline.txt",
    "samples/afp-windows-1252.txt",
];

fn stdout_of(args: &[&str]) -> String {
    let out = analyze().args(args).assert().success().get_output().clone();
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

/// Parses a page, failing on any HTML5 parse error or quirks mode.
fn parse(page: &str) -> Html {
    let doc = Html::parse_document(page);
    assert!(doc.errors.is_empty(), "parse errors: {:?}", doc.errors);
    assert_eq!(format!("{:?}", doc.quirks_mode), "NoQuirks");
    doc
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

/// The text of an element, leaving out the speaker links (`sup.spk`) added after quotes.
fn marked_text(el: ElementRef) -> String {
    let mut out = String::new();
    for child in el.children() {
        match child.value() {
            Node::Text(t) => out.push_str(t),
            Node::Element(e) if e.classes().any(|c| c == "spk") => {}
            Node::Element(_) => out.push_str(&marked_text(ElementRef::wrap(child).unwrap())),
            _ => {}
        }
    }
    out
}

fn assert_self_contained(page: &str) {
    for needle in ["http:", "https:", "<script src", "<link", "@import", "url("] {
        assert!(!page.contains(needle), "the page holds {needle:?}");
    }
}

#[test]
fn every_marked_span_is_the_text_at_its_offsets() {
    for sample in SAMPLES {
        let json: Value =
            serde_json::from_str(&stdout_of(&["--include-text", "--compact", sample])).unwrap();
        let text: Vec<char> = json["text"].as_str().unwrap().chars().collect();
        let page = stdout_of(&["--format", "html", sample]);
        assert_self_contained(&page);
        let doc = parse(&page);
        let marks: Vec<ElementRef> = doc.select(&sel("[data-start]")).collect();
        let expected = ["people", "organizations", "places"]
            .iter()
            .map(|k| {
                json[k]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|e| e["mentions"].as_array().unwrap().len())
                    .sum::<usize>()
            })
            .sum::<usize>()
            + json["dates"].as_array().unwrap().len()
            + json["quotes"].as_array().unwrap().len();
        // Only marks that cannot nest (crossing spans) may be left out.
        assert!(
            marks.len() * 10 >= expected * 9 && marks.len() <= expected,
            "{sample}: {} marks for {expected} items",
            marks.len()
        );
        for m in marks {
            let start: usize = m.attr("data-start").unwrap().parse().unwrap();
            let end: usize = m.attr("data-end").unwrap().parse().unwrap();
            let want: String = text[start..end].iter().collect();
            // The page joins a paragraph's lines with spaces; everything else is verbatim.
            let want = want.replace('\n', " ");
            assert_eq!(marked_text(m), want, "{sample} at {start}..{end}");
        }
    }
}

#[test]
fn seed_page_has_the_structure_the_panel_and_linked_quotes() {
    let page = stdout_of(&["--format", "html", "samples/afp-lavrov-wonsan.txt"]);
    let doc = parse(&page);
    let html = doc.select(&sel("html")).next().unwrap();
    assert_eq!(html.attr("lang"), Some("fr"));
    assert!(doc.select(&sel("head > title")).next().is_some());
    assert!(doc.select(&sel("style")).next().is_some());
    assert!(doc.select(&sel(".legend")).next().is_some());
    // Five headings in the body, 22 sentences in 11 paragraphs.
    assert_eq!(doc.select(&sel("article h2")).count(), 5);
    assert_eq!(doc.select(&sel("article > p")).count(), 11);
    let quotes: Vec<ElementRef> = doc.select(&sel("main .quote")).collect();
    assert_eq!(quotes.len(), 8);
    // Every speaker link points at an entry of the side panel.
    let links: Vec<&str> = doc
        .select(&sel("main sup.spk a"))
        .map(|a| a.attr("href").unwrap())
        .collect();
    assert!(links.len() >= 7, "{links:?}");
    for href in &links {
        let id = href.strip_prefix('#').unwrap();
        let target = doc.select(&sel(&format!("aside [id=\"{id}\"]"))).next();
        assert!(target.is_some(), "no panel entry {id}");
    }
    let lavrov = doc.select(&sel("aside #per-0")).next().unwrap();
    let text: String = lavrov.text().collect();
    assert!(text.contains("Sergueï Lavrov"), "{text}");
    assert!(text.contains("5 citations"), "{text}");
    assert!(
        text.contains("ministre russe des Affaires étrangères"),
        "{text}"
    );
    // Places with their countries, dates with their values.
    let aside: String = doc.select(&sel("aside")).next().unwrap().text().collect();
    assert!(aside.contains("Moscou"), "{aside}");
    assert!(aside.contains("Russie (RU)"), "{aside}");
    assert!(aside.contains("XXXX-06"), "{aside}");
}

#[test]
fn dates_are_resolved_in_the_panel_with_a_reference_date() {
    let page = stdout_of(&[
        "--format",
        "html",
        "--date",
        "2025-07-12",
        "samples/afp-lavrov-wonsan.txt",
    ]);
    assert!(page.contains("2025-06"), "fin juin resolves to June 2025");
}

#[test]
fn output_dir_gets_one_page_per_article_and_an_index() {
    let dir = std::env::temp_dir().join(format!("depeche-html-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let mut args = vec!["--format", "html", "--quiet", "--output-dir"];
    let d = dir.to_str().unwrap();
    args.push(d);
    args.extend(SAMPLES);
    analyze().args(&args).assert().success();
    let index = std::fs::read_to_string(dir.join("index.html")).unwrap();
    assert_self_contained(&index);
    let doc = parse(&index);
    let hrefs: Vec<&str> = doc
        .select(&sel("a[href]"))
        .map(|a| a.attr("href").unwrap())
        .collect();
    assert_eq!(hrefs.len(), SAMPLES.len());
    for href in hrefs {
        let page = std::fs::read_to_string(dir.join(href)).unwrap();
        parse(&page);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Sums the per-article JSON documents the way the report documents it.
fn expected_report(docs: &[Value]) -> Value {
    let mut people: BTreeMap<String, [u64; 3]> = BTreeMap::new();
    let mut speakers: HashMap<&str, u64> = HashMap::new();
    let mut countries: BTreeMap<String, [u64; 2]> = BTreeMap::new();
    let mut orgs: BTreeMap<String, [u64; 2]> = BTreeMap::new();
    let mut months: BTreeMap<String, u64> = BTreeMap::new();
    for d in docs {
        for p in d["people"].as_array().unwrap() {
            let e = people
                .entry(p["name"].as_str().unwrap().to_string())
                .or_default();
            e[0] += 1;
            e[1] += p["count"].as_u64().unwrap();
            e[2] += p["quotes"].as_u64().unwrap();
        }
        for o in d["organizations"].as_array().unwrap() {
            let e = orgs
                .entry(o["name"].as_str().unwrap().to_string())
                .or_default();
            e[0] += 1;
            e[1] += o["count"].as_u64().unwrap();
        }
        for c in d["countries"].as_array().unwrap() {
            let e = countries
                .entry(c["code"].as_str().unwrap().to_string())
                .or_default();
            e[0] += 1;
            e[1] += c["mentions"].as_array().unwrap().len() as u64;
        }
        for q in d["quotes"].as_array().unwrap() {
            let key = match (q["speaker"].as_str(), q["speaker_kind"].as_str()) {
                (None, _) => "unattributed",
                (Some(_), Some("organization")) => "organization",
                (Some(name), _) => {
                    let person = d["people"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .find(|p| p["name"] == name)
                        .unwrap();
                    match person["gender"].as_str() {
                        Some("f") => "f",
                        Some("m") => "m",
                        _ => "unknown",
                    }
                }
            };
            *speakers.entry(key).or_default() += 1;
        }
        if let Some(date) = d["reference_date"].as_str() {
            *months.entry(date[..7].to_string()).or_default() += 1;
        }
    }
    let count = |k: &str| speakers.get(k).copied().unwrap_or(0);
    serde_json::json!({
        "articles": docs.len(),
        "people": people,
        "orgs": orgs,
        "countries": countries,
        "speakers_by_gender": {
            "f": count("f"), "m": count("m"), "unknown": count("unknown"),
            "organization": count("organization"), "unattributed": count("unattributed"),
        },
        "months": months,
    })
}

/// The report's figures in the shape of [`expected_report`].
fn report_figures(report: &Value) -> Value {
    let by = |key: &str, id: &str, fields: &[&str]| -> Value {
        report[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                let v: Vec<Value> = fields.iter().map(|f| e[*f].clone()).collect();
                (e[id].as_str().unwrap().to_string(), Value::from(v))
            })
            .collect::<serde_json::Map<String, Value>>()
            .into()
    };
    let months: serde_json::Map<String, Value> = report["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["articles"].as_u64().unwrap() > 0)
        .map(|m| {
            (
                m["month"].as_str().unwrap().to_string(),
                m["articles"].clone(),
            )
        })
        .collect();
    serde_json::json!({
        "articles": report["articles"],
        "people": by("people", "name", &["articles", "mentions", "quotes"]),
        "orgs": by("organizations", "name", &["articles", "mentions"]),
        "countries": by("countries", "code", &["articles", "mentions"]),
        "speakers_by_gender": report["speakers_by_gender"],
        "months": months,
    })
}

#[test]
fn report_counts_agree_with_the_per_article_json() {
    let lines = stdout_of(&[&["--compact", "--quiet"][..], &SAMPLES[..]].concat());
    let docs: Vec<Value> = lines
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(docs.len(), SAMPLES.len());
    let report: Value = serde_json::from_str(&stdout_of(
        &[&["--report", "--quiet"][..], &SAMPLES[..]].concat(),
    ))
    .unwrap();
    assert_eq!(report_figures(&report), expected_report(&docs));
    // Sorted by quotes, then mentions, then name.
    let people = report["people"].as_array().unwrap();
    for w in people.windows(2) {
        let key = |p: &Value| {
            (
                std::cmp::Reverse(p["quotes"].as_u64().unwrap()),
                std::cmp::Reverse(p["mentions"].as_u64().unwrap()),
                p["name"].as_str().unwrap().to_string(),
            )
        };
        assert!(key(&w[0]) <= key(&w[1]), "{} before {}", w[0], w[1]);
    }
    let distinct = &report["distinct_speakers_by_gender"];
    let quoted = people.iter().filter(|p| p["quotes"].as_u64().unwrap() > 0);
    assert_eq!(
        quoted.count() as u64,
        ["f", "m", "unknown"]
            .iter()
            .map(|k| distinct[*k].as_u64().unwrap())
            .sum::<u64>()
    );
}

#[test]
fn report_is_the_same_over_files_threads_and_a_stream() {
    let files = stdout_of(&[&["--report", "--quiet", "-j1"][..], &SAMPLES[..]].concat());
    let threads = stdout_of(&[&["--report", "--quiet", "-j3"][..], &SAMPLES[..]].concat());
    assert_eq!(files, threads);
    // The same texts as a stream (the Windows-1252 one decoded first), dates from the datelines.
    let mut stream = String::new();
    for s in SAMPLES {
        let v: Value =
            serde_json::from_str(&stdout_of(&["--include-text", "--compact", s])).unwrap();
        let line = serde_json::json!({"id": s, "text": v["text"]});
        stream.push_str(&line.to_string());
        stream.push('\n');
    }
    let out = analyze()
        .args(["--report", "--quiet", "--input", "jsonl"])
        .write_stdin(stream)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(String::from_utf8(out).unwrap(), files);
}

#[test]
fn report_page_is_self_contained_with_svg_charts() {
    let page = stdout_of(
        &[
            &["--report", "--format", "html", "--quiet"][..],
            &SAMPLES[..],
        ]
        .concat(),
    );
    assert_self_contained(&page);
    let doc = parse(&page);
    assert_eq!(
        doc.select(&sel("html")).next().unwrap().attr("lang"),
        Some("fr")
    );
    // Four charts, each drawn for a wide and for a narrow screen.
    assert_eq!(doc.select(&sel(".wide svg")).count(), 4);
    assert_eq!(doc.select(&sel(".narrow svg")).count(), 4);
    assert!(page.contains("Sergueï Lavrov"));
}

#[test]
fn schema_of_the_report() {
    let schema: Value = serde_json::from_str(&stdout_of(&["--schema", "--report"])).unwrap();
    let props = schema["properties"].as_object().unwrap();
    for key in [
        "articles",
        "people",
        "speakers_by_gender",
        "distinct_speakers_by_gender",
        "organizations",
        "countries",
        "timeline",
    ] {
        assert!(props.contains_key(key), "{key}");
    }
}

#[test]
fn senseless_flag_combinations_exit_2() {
    let cases: [&[&str]; 7] = [
        &[
            "--format",
            "html",
            "samples/afp-crlf.txt",
            "samples/afp-lavrov-wonsan.txt",
        ],
        &["--format", "html", "samples/"],
        &["--format", "html", "--input", "jsonl"],
        &["--report", "--format", "text", "samples/afp-crlf.txt"],
        &["--report", "--format", "geojson", "samples/afp-crlf.txt"],
        &[
            "--report",
            "--output-dir",
            "/tmp/never-written",
            "samples/afp-crlf.txt",
        ],
        &["--report", "--format", "text", "--input", "jsonl"],
    ];
    for args in cases {
        analyze()
            .args(args)
            .write_stdin("")
            .assert()
            .code(2)
            .stdout("");
    }
}

#[test]
fn no_progress_bar_when_stderr_is_not_a_terminal() {
    let out = analyze()
        .args(SAMPLES)
        .assert()
        .success()
        .get_output()
        .clone();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "only the summary line: {stderr}");
}
