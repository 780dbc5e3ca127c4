//! Regression tests named after the issue that asked for the behaviour.

use depeche::{Options, analyze};

use crate::resources;

fn sentences(text: &str) -> Vec<String> {
    let a = analyze(text.as_bytes(), resources(), &Options::default()).unwrap();
    a.sections
        .iter()
        .flat_map(|s| &s.paragraphs)
        .flat_map(|p| &p.sentences)
        .map(|s| s.text.clone())
        .collect()
}

#[test]
fn issue_2_quote_closed_by_attribution_is_one_sentence() {
    let s = sentences("« Je viens. Je pars », a-t-il dit. Il est parti.");
    assert_eq!(s, ["« Je viens. Je pars », a-t-il dit.", "Il est parti."]);
}

#[test]
fn issue_2_headings_never_merge_with_body() {
    let s =
        sentences("Le texte commence ici et il est long.\nUn intertitre court\nLa suite du texte.");
    assert_eq!(s.len(), 2);
}

#[test]
fn issue_2_dateline_is_removed_from_first_sentence() {
    let s = sentences("WASHINGTON, 12 juil 2025 (AFP) – Le président est parti. Il revient.");
    assert_eq!(s[0], "Le président est parti.");
}

#[test]
fn issue_2_credit_is_not_a_sentence() {
    let s = sentences("Il pleut sur Paris.\n\n© 2024 AFP");
    assert_eq!(s, ["Il pleut sur Paris."]);
}
