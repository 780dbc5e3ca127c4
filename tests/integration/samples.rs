//! The samples, analysed through the library. Structure snapshots (reviewed by hand) and the
//! facts the issue states about the seed.

use depeche::{Options, analyze};
use serde_json::json;

use crate::{resources, root};

fn analyse(name: &str) -> depeche::Analysis {
    let bytes = std::fs::read(root().join("samples").join(name)).unwrap();
    analyze(&bytes, resources(), &Options::default()).unwrap()
}

/// The structure only: stable while the extractors change.
fn structure(a: &depeche::Analysis) -> serde_json::Value {
    json!({
        "title": a.title,
        "dateline": a.dateline,
        "sections": a.sections.iter().map(|s| json!({
            "heading": s.heading,
            "paragraphs": s.paragraphs.iter().map(|p| p.sentences.iter().map(|x| &x.text).collect::<Vec<_>>()).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "credit": a.credit,
        "stats": a.stats,
        "warnings": a.warnings.iter().map(|w| &w.kind).collect::<Vec<_>>(),
    })
}

#[test]
fn sample_structures() {
    insta::glob!("../../samples", "*.txt", |path| {
        let bytes = std::fs::read(path).unwrap();
        let a = analyze(&bytes, resources(), &Options::default()).unwrap();
        insta::assert_json_snapshot!(structure(&a));
    });
}

#[test]
fn seed_structure_matches_the_issue() {
    let a = analyse("afp-lavrov-wonsan.txt");
    assert!(a.title.is_none());
    assert!(a.dateline.is_none());
    let headings: Vec<_> = a
        .sections
        .iter()
        .filter_map(|s| s.heading.as_deref())
        .collect();
    assert_eq!(headings.len(), 5);
    assert_eq!(headings[1], "Lutte contre les « aspirations hégémonistes »");
    assert_eq!(a.sections[0].paragraphs.len(), 2);
    assert_eq!(a.stats.paragraphs, 11);
    assert_eq!(a.stats.sentences, 22);
    let credit = a.credit.as_ref().unwrap();
    assert_eq!(credit.agency.as_deref(), Some("AFP"));
    assert!(credit.ai_assisted);
    let damage: Vec<_> = a
        .warnings
        .iter()
        .filter(|w| w.kind == "encoding_damage")
        .collect();
    assert_eq!(damage.len(), 1);
    assert!(damage[0].message.contains("elle-męme"));
}

#[test]
fn multi_paragraph_quote_and_dashed_heading() {
    let a = analyse("afp-titre-dateline.txt");
    assert_eq!(
        a.title.as_deref(),
        Some("Sahel: le Mali et le Niger annoncent une force conjointe")
    );
    let d = a.dateline.as_ref().unwrap();
    assert_eq!(
        (d.place.as_deref(), d.date.as_deref()),
        (Some("BAMAKO"), Some("2024-03-14"))
    );
    assert_eq!(
        a.sections[1].heading.as_deref(),
        Some("Une région sous pression")
    );
    assert_eq!(a.reference_date.as_deref(), Some("2024-03-14"));
}

#[test]
fn windows_1252_sample_is_decoded_with_a_warning() {
    let a = analyse("afp-windows-1252.txt");
    assert!(a.warnings.iter().any(|w| w.kind == "decoded_windows_1252"));
    let first = &a.sections[0].paragraphs[0].sentences[0].text;
    assert!(
        first.contains("Premier ministre français a déclaré"),
        "{first}"
    );
}
