//! The summary: the lead sentence plus the highest-scoring other body sentences, in text order.
//!
//! A sentence scores by how dense it is in capitalised words (names) and numbers, with a small
//! bonus for coming early: that is where a dispatch puts its facts.

use crate::model::{Document, Sentence};

/// Sentences shorter than this many words are too thin to summarise anything.
const MIN_WORDS: usize = 6;

pub fn summarize(doc: &Document, extra: usize) -> Vec<String> {
    let sentences: Vec<&Sentence> = doc.sentences().collect();
    let Some(lead) = sentences.first() else {
        return Vec::new();
    };
    let total = sentences.len();
    let mut scored: Vec<(usize, f64)> = sentences
        .iter()
        .enumerate()
        .skip(1)
        .filter_map(|(i, s)| score(s, i, total).map(|sc| (i, sc)))
        .collect();
    // Highest score first; ties keep text order, so the output is deterministic.
    scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut chosen: Vec<usize> = scored.into_iter().take(extra).map(|(i, _)| i).collect();
    chosen.sort_unstable();
    std::iter::once(lead.text.clone())
        .chain(chosen.into_iter().map(|i| sentences[i].text.clone()))
        .collect()
}

fn score(s: &Sentence, position: usize, total: usize) -> Option<f64> {
    // One pass, no vector of the words: every sentence of every dispatch is scored.
    let mut words = 0usize;
    let mut informative = 0usize;
    for w in s.text.split_whitespace() {
        let opens_informative = w
            .chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
        if words > 0 && opens_informative {
            informative += 1;
        }
        words += 1;
    }
    if words < MIN_WORDS {
        return None;
    }
    let density = informative as f64 / words as f64;
    let early = 1.0 - position as f64 / total.max(1) as f64;
    Some(density + 0.3 * early)
}
