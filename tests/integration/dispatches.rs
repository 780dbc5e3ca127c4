//! Speaker attribution on hand-written AFP-style dispatches (tests/corpus/dispatches/), a check
//! of generalisation: the dispatches and their expected speakers were written without looking at
//! the evaluation texts, with the reporting frames real wire copy uses.

use std::collections::BTreeMap;

/// The share of quotes whose speaker must come out right; raise it when attribution improves.
const MIN_ACCURACY: f64 = 0.93;

/// One row of speakers.tsv: the quote that starts with `start` in `file` is by one of `speakers`
/// (`-` for an unnamed source, output as a null speaker).
struct Expected {
    line: usize,
    file: String,
    start: String,
    speakers: Vec<String>,
}

fn expected_rows(table: &str) -> Vec<Expected> {
    table
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.starts_with('#') && !l.trim().is_empty())
        .map(|(n, l)| {
            let cols: Vec<&str> = l.split('\t').collect();
            assert_eq!(cols.len(), 3, "speakers.tsv:{}: three columns", n + 1);
            Expected {
                line: n + 1,
                file: cols[0].to_string(),
                start: cols[1].to_string(),
                speakers: cols[2].split('|').map(str::to_string).collect(),
            }
        })
        .collect()
}

#[test]
fn dispatch_speakers() {
    let dir = crate::root().join("tests/corpus/dispatches");
    let table = std::fs::read_to_string(dir.join("speakers.tsv")).unwrap();
    let rows = expected_rows(&table);
    let mut analyses = BTreeMap::new();
    let (mut right, mut wrong) = (0usize, 0usize);
    for row in &rows {
        let analysis = analyses.entry(row.file.clone()).or_insert_with(|| {
            let bytes = std::fs::read(dir.join(&row.file)).unwrap();
            depeche::analyze(&bytes, crate::resources(), &depeche::Options::default()).unwrap()
        });
        let quote = analysis
            .quotes
            .iter()
            .find(|q| q.text.starts_with(&row.start))
            .unwrap_or_else(|| {
                panic!(
                    "speakers.tsv:{}: no quote starts with {:?}",
                    row.line, row.start
                )
            });
        let got = quote.speaker.clone().unwrap_or_else(|| "-".to_string());
        if row.speakers.contains(&got) {
            right += 1;
        } else {
            wrong += 1;
            eprintln!(
                "speakers.tsv:{}: {} « {} »: expected {}, got {got} (via {:?})",
                row.line,
                row.file,
                row.start,
                row.speakers.join(" or "),
                quote.via
            );
        }
    }
    // Every quote found in the dispatches has a row, so a new spurious quote shows up too.
    let found: usize = analyses.values().map(|a| a.quotes.len()).sum();
    assert_eq!(found, rows.len(), "quotes found vs rows in speakers.tsv");
    let accuracy = right as f64 / rows.len() as f64;
    println!(
        "dispatches: {right} of {} speakers right ({accuracy:.3})",
        rows.len()
    );
    assert!(
        accuracy >= MIN_ACCURACY,
        "dispatch speaker accuracy {accuracy:.3} < {MIN_ACCURACY} ({wrong} wrong)"
    );
}

/// Every example of data/patterns/quote-frames.tsv gets its speaker through the row's frame
/// (its `via` and, when the row fixes one, its `resolution`); no must-not example gets the
/// speaker it names.
#[test]
fn quote_frames_table() {
    let res = crate::resources();
    let last_quote = |text: &str| {
        let a = depeche::analyze(text.as_bytes(), res, &depeche::Options::default()).unwrap();
        a.quotes.last().cloned()
    };
    let mut failures = Vec::new();
    for row in &res.quote_frames.rows {
        let at = format!("quote-frames.tsv:{} ({})", row.line, row.frame.name());
        for ex in &row.examples {
            let Some(q) = last_quote(&ex.text) else {
                failures.push(format!("{at}: no quote in {:?}", ex.text));
                continue;
            };
            let via_ok = ex.speaker.is_none() && q.speaker.is_none()
                || q.via.as_deref() == Some(row.frame.via());
            // A null speaker has no resolution: an unnamed source is named by no entity.
            let resolution_ok = ex.speaker.is_none()
                || row.frame.resolution().is_none()
                || q.resolution.as_deref() == row.frame.resolution();
            if q.speaker != ex.speaker || !via_ok || !resolution_ok {
                failures.push(format!(
                    "{at}: {:?}: expected {:?} via {} ({:?}), got {:?} via {:?} ({:?})",
                    ex.text,
                    ex.speaker,
                    row.frame.via(),
                    row.frame.resolution(),
                    q.speaker,
                    q.via,
                    q.resolution
                ));
            }
        }
        for ex in &row.must_not {
            let got = last_quote(&ex.text).and_then(|q| q.speaker);
            if got == ex.speaker {
                failures.push(format!(
                    "{at}: {:?} must not go to {:?}",
                    ex.text, ex.speaker
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
