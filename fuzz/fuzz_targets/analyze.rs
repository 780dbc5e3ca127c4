//! Fuzz target: arbitrary bytes through the whole pipeline (decode → parse → extract).
//!
//! `analyze` must never panic; it may refuse the input (binary data) with an `Err`. When it
//! succeeds, every offset it reports must lie within the analysed text, and each body
//! sentence's `start..end` (code points) must slice back to its `text`.

#![no_main]

use std::sync::OnceLock;

use depeche::{Options, Resources};
use libfuzzer_sys::fuzz_target;

static RESOURCES: OnceLock<Resources> = OnceLock::new();

fn resources() -> &'static Resources {
    RESOURCES.get_or_init(|| Resources::embedded().expect("embedded resources load"))
}

fuzz_target!(|data: &[u8]| {
    let res = resources();
    let Ok(a) = depeche::analyze(data, res, &Options::default()) else {
        // Refused (binary data): decoding must agree.
        assert!(depeche::input::decode(data, &Default::default()).is_err());
        return;
    };
    // The analysed text the offsets refer to (what --include-text would print).
    let decoded = depeche::input::decode(data, &Default::default()).expect("analyze decoded it");
    let text = decoded.text.as_str();
    let chars: Vec<char> = text.chars().collect();
    let n = chars.len();
    let slice = |s: usize, e: usize| -> String { chars[s..e].iter().collect() };

    let mut last_end = 0;
    let mut expected_index = 0;
    for section in &a.sections {
        if let Some(h) = &section.heading_span {
            assert!(h.start <= h.end && h.end <= n, "heading span {h:?} outside text of {n} chars");
        }
        for p in &section.paragraphs {
            for s in &p.sentences {
                assert!(
                    s.start <= s.end && s.end <= n,
                    "sentence {} span {}..{} outside text of {n} chars",
                    s.index, s.start, s.end
                );
                assert_eq!(slice(s.start, s.end), s.text, "sentence {} text != its span", s.index);
                assert!(s.start >= last_end, "sentence {} overlaps the previous one", s.index);
                assert_eq!(s.index, expected_index, "sentence indices not consecutive");
                last_end = s.end;
                expected_index += 1;
            }
        }
    }
    assert_eq!(a.stats.sentences, expected_index);

    let within = |what: &str, s: usize, e: usize| {
        assert!(s <= e && e <= n, "{what} span {s}..{e} outside text of {n} chars");
    };
    if let Some(t) = &a.title_span {
        within("title", t.start, t.end);
    }
    if let Some(d) = &a.dateline {
        within("dateline", d.start, d.end);
    }
    if let Some(c) = &a.credit {
        within("credit", c.start, c.end);
    }
    for p in &a.people {
        for m in p.mentions.iter().chain(&p.references) {
            within("person mention", m.start, m.end);
        }
    }
    for o in &a.organizations {
        for m in &o.mentions {
            within("organization mention", m.start, m.end);
        }
    }
    for pl in &a.places {
        for m in &pl.mentions {
            within("place mention", m.start, m.end);
        }
    }
    for d in &a.dates {
        within("date", d.start, d.end);
    }
    for q in &a.quotes {
        within("quote", q.start, q.end);
    }
    for w in &a.warnings {
        if let Some(s) = w.start {
            assert!(s <= n, "warning {} offset {s} outside text of {n} chars", w.kind);
        }
    }
});
