//! The document's token layer, computed once by [`parse`](super::parse) and read by every
//! extractor (as spaCy's `Doc` is): word tokens, letters and digits, with inner hyphens kept
//! (`Nouvelle-Calédonie`, `nord-coréen`, `Son-hui`) and elided articles split off
//! (`l'Asie` → `l'`, `Asie`), grouped by segment (title, dateline, headings, body sentences,
//! credit).

use std::ops::Range;

use crate::model::{Document, Segment};

/// The tokens of a document, computed once in `parse`.
#[derive(Debug, Clone, Default)]
pub struct TextLayer {
    /// Every analysable segment in text order, with its word tokens.
    pub segments: Vec<SegTokens>,
}

impl TextLayer {
    /// Tokenises each segment of `doc` (its `layer` is not read).
    pub fn new(doc: &Document) -> TextLayer {
        let segments = doc
            .segments()
            .into_iter()
            .map(|segment| SegTokens {
                tokens: tokenize(&doc.text, segment.range.clone()),
                segment,
            })
            .collect();
        TextLayer { segments }
    }
}

/// A segment of the document with its tokens.
#[derive(Debug, Clone)]
pub struct SegTokens {
    pub segment: Segment,
    pub tokens: Vec<Token>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Byte range in the document text.
    pub range: Range<usize>,
    /// A single letter followed by a period (`W.`), or a dotted initial (`J.-L.`).
    pub initial: bool,
    /// Followed directly by a period (`M.`, `Mme.`).
    pub dot_after: bool,
}

impl Token {
    pub fn text<'a>(&self, doc: &'a str) -> &'a str {
        &doc[self.range.clone()]
    }

    pub fn is_capitalized(&self, doc: &str) -> bool {
        self.text(doc)
            .chars()
            .next()
            .is_some_and(char::is_uppercase)
    }

    /// At least two letters and no lowercase one. One pass that stops at the first lowercase
    /// letter: most words fail on their second character, and the extractors ask this of
    /// every token and its neighbours.
    pub fn is_all_caps(&self, doc: &str) -> bool {
        let mut letters = 0;
        for c in self.text(doc).chars() {
            if c.is_lowercase() {
                return false;
            }
            if c.is_alphabetic() {
                letters += 1;
            }
        }
        letters >= 2
    }

    /// Whether only spaces, an apostrophe or a hyphen separate this token from `prev`, so
    /// that both may belong to one name.
    pub fn joined_to_previous(&self, doc: &str, prev: &Token) -> bool {
        let between = &doc[prev.range.end..self.range.start];
        let between = if prev.dot_after {
            between.strip_prefix('.').unwrap_or(between)
        } else {
            between
        };
        between.chars().count() <= 2
            && between
                .chars()
                .all(|c| c == ' ' || c == '\u{A0}' || c == '-' || c == '\'' || c == '’')
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '\u{0301}'
}

/// Tokens of `doc[range]`.
pub fn tokenize(doc: &str, range: Range<usize>) -> Vec<Token> {
    let s = &doc[range.clone()];
    let mut out = Vec::new();
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if !is_word_char(c) {
            continue;
        }
        let start = i;
        let mut end = i + c.len_utf8();
        while let Some(&(j, d)) = chars.peek() {
            if is_word_char(d) {
                end = j + d.len_utf8();
                chars.next();
            } else if d == '-' {
                // An inner hyphen joins two words: `Son-hui`, `nord-coréen`.
                let after = s[j + 1..].chars().next();
                if after.is_some_and(is_word_char) {
                    chars.next();
                    end = j + 1;
                } else {
                    break;
                }
            } else if d == '\'' || d == '’' {
                // Elision: `l'`, `d'`, `qu'`, `aujourd'hui` stays one token.
                let word = &s[start..j];
                chars.next();
                end = j + d.len_utf8();
                if is_elided(word) {
                    break;
                }
            } else {
                break;
            }
        }
        let text = &s[start..end];
        let dot_after = s[end..].starts_with('.');
        let initial = dot_after && is_initial(text);
        out.push(Token {
            range: range.start + start..range.start + end,
            initial,
            dot_after,
        });
    }
    out
}

/// Short words that elide before a vowel: the apostrophe ends them.
fn is_elided(word: &str) -> bool {
    matches!(
        word.to_lowercase().as_str(),
        "l" | "d"
            | "j"
            | "m"
            | "n"
            | "s"
            | "t"
            | "c"
            | "qu"
            | "jusqu"
            | "lorsqu"
            | "puisqu"
            | "quoiqu"
    )
}

/// `W`, `J-L` (from `J.-L.`): uppercase letters only, each alone.
fn is_initial(text: &str) -> bool {
    text.split('-').all(|p| {
        let mut cs = p.chars();
        matches!((cs.next(), cs.next()), (Some(c), None) if c.is_uppercase())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<&str> {
        tokenize(s, 0..s.len()).iter().map(|t| t.text(s)).collect()
    }

    #[test]
    fn hyphens_and_elisions() {
        assert_eq!(
            words("le nord-est de l'Asie, Choe Son-hui d’État"),
            [
                "le", "nord-est", "de", "l'", "Asie", "Choe", "Son-hui", "d’", "État"
            ]
        );
        assert_eq!(words("aujourd'hui"), ["aujourd'hui"]);
        assert_eq!(words("- Titre -"), ["Titre"]);
    }

    #[test]
    fn initials() {
        let s = "George W. Bush et M. Dupont";
        let t = tokenize(s, 0..s.len());
        assert!(t[1].initial && t[1].dot_after);
        assert!(t[4].dot_after && !t[5].initial && !t[5].dot_after);
    }
}
