//! `stats`: paragraphs, body sentences and their words. The words are the UAX #29 words of
//! the body sentences (what `unicode_words` counts), counted on the document's token layer
//! instead of segmenting the text again: the layer's words, with the differences between the
//! two cuts made up for (UAX #29 splits at a hyphen inside a word and around `²`, and joins
//! `l'` to its host, `3,5`, `2.000`, `U.S` and `a_b`).
//!
//! The count equals `unicode_words` on the reference articles and on the random strings of
//! the tests. Not followed to the letter: ideographs (one word each for UAX #29), and a soft
//! hyphen or a combining mark that the NFC input left uncomposed next to punctuation.

use std::ops::Range;

use crate::model::{Document, Stats, Zone};
use crate::parse::tokens::{TextLayer, TextToken};

pub fn stats(doc: &Document) -> Stats {
    let mut sentences = 0;
    let mut words = 0;
    for seg in &doc.layer.segments {
        if seg.segment.zone == Zone::Body {
            sentences += 1;
            words += uax29_words(&doc.text, &doc.layer, seg.segment.range.clone());
        }
    }
    Stats {
        paragraphs: doc.sections.iter().map(|s| s.paragraphs.len()).sum(),
        sentences,
        words,
    }
}

/// The number of UAX #29 words of `text[range]` (a segment of `layer`), from its tokens.
fn uax29_words(text: &str, layer: &TextLayer, range: Range<usize>) -> usize {
    let tokens = layer.tokens_in(range);
    let mut words = 0;
    for (i, t) in tokens.iter().enumerate() {
        if !t.is_word() {
            continue;
        }
        words += 1 + inner_breaks(&text[t.range()]);
        if joined_to_previous(text, layer, &tokens[..i], t) {
            words -= 1;
        }
    }
    words
}

/// UAX #29 breaks inside one word of the layer: at each hyphen, at an apostrophe between a
/// letter and a digit (`aujourd'hui` and `rock'n'roll` stay whole), and around a number that
/// is no digit (`km²` is `km` and `²`).
fn inner_breaks(word: &str) -> usize {
    // Most words are ASCII letters and digits: no hyphen, apostrophe or other number.
    if word.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return 0;
    }
    let mut breaks = 0;
    let mut prev = None;
    let mut chars = word.chars().peekable();
    while let Some(c) = chars.next() {
        let next = chars.peek().copied();
        match c {
            '-' => breaks += 1,
            // The apostrophe that ends an elided word is no break inside it (see
            // `joined_to_previous`).
            '\'' | '’' if next.is_some() && !same_class(prev, next, |_| true) => breaks += 1,
            // A hyphen or an apostrophe next to it already counted that break.
            c if is_other_number(c) => {
                let alnum = |c: char| c.is_alphanumeric();
                breaks += usize::from(prev.is_some_and(|p| alnum(p) && !is_other_number(p)));
                breaks += usize::from(next.is_some_and(alnum));
            }
            _ => {}
        }
        prev = Some(c);
    }
    breaks
}

/// A number character that is no digit (`²`, `½`): a word of its own for UAX #29.
fn is_other_number(c: char) -> bool {
    c.is_numeric() && !c.is_ascii_digit()
}

/// Whether UAX #29 makes `word` and the word before it one: an elided word on a letter
/// (`l'Asie`), or two words around one mid-word character (`U.S`, `3,5`, `2.000`, `a:b`),
/// a run of connectors (`a__b`) or an invisible character (a soft hyphen, a combining mark
/// the layer does not keep inside words), with no space between.
fn joined_to_previous(
    text: &str,
    layer: &TextLayer,
    before: &[TextToken],
    word: &TextToken,
) -> bool {
    let first_char = |t: &TextToken| text[t.range()].chars().next();
    let next = first_char(word);
    let adjacent = |a: &TextToken, b: &TextToken| a.end() == b.start();
    let Some(prev) = before.last().filter(|p| adjacent(p, word)) else {
        return false;
    };
    if prev.is_word() {
        // Only an elision splits two adjacent words.
        return layer.is_elided(prev) && next.is_some_and(is_letter);
    }
    let Some(mid) = first_char(prev) else {
        return false;
    };
    let mut k = before.len() - 1;
    if is_connector(mid) {
        while k > 0 && !before[k - 1].is_word() && adjacent(&before[k - 1], &before[k]) {
            if !first_char(&before[k - 1]).is_some_and(is_connector) {
                break;
            }
            k -= 1;
        }
    }
    let Some(left) = k
        .checked_sub(1)
        .map(|j| &before[j])
        .filter(|w| w.is_word() && adjacent(w, &before[k]))
    else {
        return false;
    };
    // A combining mark is part of the letter it follows.
    let last = text[left.range()].chars().rev().find(|&c| !is_invisible(c));
    if last.is_some_and(is_other_number) || next.is_some_and(is_other_number) {
        return false;
    }
    match mid {
        // MidLetter
        ':' | '·' | '\u{387}' | '\u{55F}' | '\u{5F4}' | '\u{2027}' | '\u{FE13}' | '\u{FE55}'
        | '\u{FF1A}' => same_class(last, next, |letter| letter),
        // MidNumLet
        '.' | '\u{2018}' | '\u{2019}' | '\u{2024}' | '\u{FE52}' | '\u{FF07}' | '\u{FF0E}' => {
            same_class(last, next, |_| true)
        }
        // MidNum
        ',' | ';' | '\u{37E}' | '\u{589}' | '\u{60C}' | '\u{60D}' | '\u{66C}' | '\u{7F8}'
        | '\u{2044}' | '\u{FE10}' | '\u{FE14}' | '\u{FE50}' | '\u{FE54}' | '\u{FF0C}'
        | '\u{FF1B}' => same_class(last, next, |letter| !letter),
        c if is_connector(c) => true,
        // Letters and digits join whatever their order (`1er`, `a1`).
        c if is_invisible(c) => true,
        _ => false,
    }
}

/// ExtendNumLet: `_` and its kin join any letters and digits around them.
fn is_connector(c: char) -> bool {
    matches!(
        c,
        '_' | '\u{203F}'
            | '\u{2040}'
            | '\u{2054}'
            | '\u{FE33}'
            | '\u{FE34}'
            | '\u{FE4D}'
            | '\u{FE4E}'
            | '\u{FE4F}'
            | '\u{FF3F}'
    )
}

/// Format and Extend characters (a soft hyphen, a combining mark, a zero-width joiner),
/// which UAX #29 skips: the words around one are one word.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{AD}' | '\u{200C}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}')
        || unicode_normalization::char::is_combining_mark(c)
}

/// Both `a` and `b` are letters, or both digits, and `allowed(both are letters)`.
fn same_class(a: Option<char>, b: Option<char>, allowed: impl Fn(bool) -> bool) -> bool {
    match (a, b) {
        (Some(a), Some(b)) if is_letter(a) && is_letter(b) => allowed(true),
        (Some(a), Some(b)) if a.is_ascii_digit() && b.is_ascii_digit() => allowed(false),
        _ => false,
    }
}

fn is_letter(c: char) -> bool {
    c.is_alphabetic()
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_segmentation::UnicodeSegmentation;

    #[test]
    fn counts_the_words_unicode_words_counts() {
        for s in [
            "L’ONU a-t-elle dit « non » à l'Asie ?",
            "Le nord-est de la Nouvelle-Calédonie, aujourd'hui, rock'n'roll.",
            "Il a payé 3,5 millions, soit 2.000 euros, à 14h30 ou 14:30 ; U.S.A. et a:b, a_b.",
            "J.-L. Mélenchon (LFI) et George W. Bush, l' Est, qu'il, jusqu’à 1'2 l'2.",
            "— 45 % des 18-25 ans … «Oui», a-t-il dit ; c'est l’« affaire ».",
            "10 km² et 1/2, ½ litre, a__b, ex\u{AD}emple, 1er, 1'²",
        ] {
            let layer = TextLayer::of_ranges(s, std::iter::once(0..s.len()));
            assert_eq!(
                uax29_words(s, &layer, 0..s.len()),
                s.unicode_words().count(),
                "{s:?}"
            );
        }
    }

    /// Random strings of letters, digits, elisions, mid-word punctuation, connectors and
    /// other numbers (no soft hyphen or decomposed accent: the input is NFC and those mixed
    /// with punctuation are not followed to the letter of UAX #29).
    #[test]
    fn same_count_as_unicode_words_on_random_strings() {
        let pool = [
            "a", "É", "1", "23", " ", "'", "’", "-", ".", ",", ";", ":", "_", "«", "»", "l'",
            "qu’", "²", "%", "(", "—", "\u{a0}", "·", "x", "h", "½",
        ];
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..20_000 {
            let s: String = (0..next() % 7 + 1)
                .map(|_| pool[(next() % pool.len() as u64) as usize])
                .collect();
            let layer = TextLayer::of_ranges(&s, std::iter::once(0..s.len()));
            assert_eq!(
                uax29_words(&s, &layer, 0..s.len()),
                s.unicode_words().count(),
                "{s:?}"
            );
        }
    }
}
