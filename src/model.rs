//! The document types that flow through the pipeline, and the JSON output contract.
//!
//! Every offset that appears in the serialised output is a Unicode code point offset into the
//! analysed text (decoded, newline-normalised, NFC), end exclusive: what Python and jq slice by.
//! Internally the pipeline works on byte ranges (`Range<usize>`, on char boundaries); they are
//! skipped when serialising. `docs/output-format.md` documents every field.

use std::ops::Range;

use schemars::JsonSchema;
use serde::Serialize;

/// Version of the JSON output contract. Bumped on any incompatible change.
pub const SCHEMA_VERSION: &str = "1";

/// A problem noticed in the input that did not stop the analysis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Warning {
    /// A stable, machine-readable kind: `decoded_windows_1252`, `encoding_damage`, `empty_input`, ...
    pub kind: String,
    /// A human-readable explanation.
    pub message: String,
    /// Code point offset into the analysed text, when the warning is about one place.
    pub start: Option<usize>,
}

impl Warning {
    pub fn new(kind: &str, message: impl Into<String>, start: Option<usize>) -> Warning {
        Warning {
            kind: kind.to_string(),
            message: message.into(),
            start,
        }
    }
}

/// Decoded text, ready for parsing: valid UTF-8, LF newlines, NFC.
#[derive(Debug, Clone)]
pub struct Text {
    pub text: String,
    /// Warnings raised while decoding; their offsets are code point offsets into `text`.
    pub warnings: Vec<Warning>,
    /// The encoding the bytes were read as (`UTF-8`, `UTF-16LE`, `windows-1252`, ...).
    pub encoding: &'static str,
    /// True when decoding changed more than the encoding (BOM, CRLF, NFC).
    pub changed: bool,
}

/// Converts byte offsets of a text into code point offsets, in O(log n) per lookup.
///
/// Keeps only the positions of non-ASCII characters, so an ASCII text costs nothing and a
/// French text costs one entry per accented letter.
#[derive(Debug, Clone, Default)]
pub struct CharMap {
    /// For each non-ASCII char: (byte offset just after it, extra bytes accumulated so far).
    multibyte: Vec<(usize, usize)>,
}

impl CharMap {
    pub fn new(text: &str) -> CharMap {
        let mut multibyte = Vec::new();
        let mut extra = 0;
        // Bytes, not chars: a lead byte tells the length of its char, so nothing is decoded,
        // and ASCII bytes and continuation bytes (below 0xC0) are passed over.
        for (i, &b) in text.as_bytes().iter().enumerate() {
            if b >= 0xC0 {
                let len = utf8_len_from_lead_byte(b);
                extra += len - 1;
                multibyte.push((i + len, extra));
            }
        }
        CharMap { multibyte }
    }

    /// The code point offset of byte offset `byte` (which must be on a char boundary).
    pub fn char_offset(&self, byte: usize) -> usize {
        let idx = self.multibyte.partition_point(|&(after, _)| after <= byte);
        if idx == 0 {
            byte
        } else {
            byte - self.multibyte[idx - 1].1
        }
    }

    /// The byte offset of code point offset `chars` in `text` (the text this map was built
    /// from), or `None` past its end. A binary search, like `char_offset`: callers convert
    /// many offsets per document, so scanning the text from its start each time would be
    /// quadratic.
    pub fn byte_offset(&self, text: &str, chars: usize) -> Option<usize> {
        let idx = self
            .multibyte
            .partition_point(|&(after, extra)| after - extra <= chars);
        let byte = chars + idx.checked_sub(1).map_or(0, |i| self.multibyte[i].1);
        (byte <= text.len()).then_some(byte)
    }

    pub fn span(&self, range: &Range<usize>) -> Span {
        Span {
            start: self.char_offset(range.start),
            end: self.char_offset(range.end),
        }
    }
}

/// The length in bytes of the UTF-8 char that starts with lead byte `b` (0xC0 or above).
fn utf8_len_from_lead_byte(b: u8) -> usize {
    match b {
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        _ => 4,
    }
}

/// A code point span, end exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

/// Where in the dispatch a piece of text stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Zone {
    Title,
    Dateline,
    Heading,
    Body,
    Credit,
}

/// One body sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Sentence {
    /// 0-based index over all body sentences of the dispatch.
    pub index: usize,
    pub text: String,
    pub start: usize,
    pub end: usize,
    #[serde(skip)]
    #[schemars(skip)]
    pub range: Range<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Paragraph {
    pub sentences: Vec<Sentence>,
    #[serde(skip)]
    #[schemars(skip)]
    pub range: Range<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Section {
    /// The heading (intertitle) that opens the section; null for the first section.
    pub heading: Option<String>,
    pub heading_span: Option<Span>,
    pub paragraphs: Vec<Paragraph>,
    #[serde(skip)]
    #[schemars(skip)]
    pub heading_range: Option<Range<usize>>,
}

/// `PARIS, 3 mars 2024 (AFP) -`: where and when the dispatch was filed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Dateline {
    pub place: Option<String>,
    /// The dateline's date, `YYYY-MM-DD`, when it gives day, month and year.
    pub date: Option<String>,
    pub agency: Option<String>,
    pub text: String,
    pub start: usize,
    pub end: usize,
    #[serde(skip)]
    #[schemars(skip)]
    pub range: Range<usize>,
}

/// The closing credit: `(AFP)`, `bur-pz/hj`, `© 2024 AFP`, editorial notes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Credit {
    pub text: String,
    pub agency: Option<String>,
    pub notes: Vec<String>,
    /// True when a note says the article was written or edited with artificial intelligence.
    pub ai_assisted: bool,
    pub start: usize,
    pub end: usize,
    #[serde(skip)]
    #[schemars(skip)]
    pub range: Range<usize>,
}

/// The structure of a dispatch: what `parse::parse` finds.
#[derive(Debug, Clone)]
pub struct Document {
    pub text: String,
    pub chars: CharMap,
    pub title: Option<(String, Range<usize>)>,
    pub dateline: Option<Dateline>,
    pub sections: Vec<Section>,
    pub credit: Option<Credit>,
    pub warnings: Vec<Warning>,
    /// The tokens of every segment, computed once by `parse` for all the extractors.
    pub layer: crate::parse::tokens::TextLayer,
}

/// A text segment an extractor looks at, with where it stands.
#[derive(Debug, Clone)]
pub struct Segment {
    pub zone: Zone,
    /// Body sentence index, for `Zone::Body`.
    pub sentence: Option<usize>,
    pub range: Range<usize>,
}

impl Document {
    /// All analysable segments in text order: title, dateline, headings, body sentences, credit.
    pub fn segments(&self) -> Vec<Segment> {
        let mut out = Vec::new();
        if let Some((_, r)) = &self.title {
            out.push(Segment {
                zone: Zone::Title,
                sentence: None,
                range: r.clone(),
            });
        }
        if let Some(d) = &self.dateline {
            out.push(Segment {
                zone: Zone::Dateline,
                sentence: None,
                range: d.range.clone(),
            });
        }
        for section in &self.sections {
            if let Some(r) = &section.heading_range {
                out.push(Segment {
                    zone: Zone::Heading,
                    sentence: None,
                    range: r.clone(),
                });
            }
            for p in &section.paragraphs {
                for s in &p.sentences {
                    out.push(Segment {
                        zone: Zone::Body,
                        sentence: Some(s.index),
                        range: s.range.clone(),
                    });
                }
            }
        }
        if let Some(c) = &self.credit {
            out.push(Segment {
                zone: Zone::Credit,
                sentence: None,
                range: c.range.clone(),
            });
        }
        out.sort_by_key(|s| s.range.start);
        out
    }

    pub fn sentences(&self) -> impl Iterator<Item = &Sentence> {
        self.sections
            .iter()
            .flat_map(|s| s.paragraphs.iter())
            .flat_map(|p| p.sentences.iter())
    }

    /// The segment that contains byte offset `byte`, if any.
    pub fn locate(&self, segments: &[Segment], byte: usize) -> Option<(Zone, Option<usize>)> {
        let idx = segments.partition_point(|s| s.range.start <= byte);
        if idx == 0 {
            return None;
        }
        let seg = &segments[idx - 1];
        (byte < seg.range.end.max(seg.range.start + 1)).then_some((seg.zone, seg.sentence))
    }
}

/// One occurrence of an entity in the text.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Mention {
    pub text: String,
    pub start: usize,
    pub end: usize,
    /// Body sentence index; null when the mention is in the title, a heading, the dateline or
    /// the credit (then `zone` says which).
    pub sentence: Option<usize>,
    pub zone: Zone,
    /// For places: the place name stands for its government (`Moscou a affirmé`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub as_actor: bool,
    #[serde(skip)]
    #[schemars(skip)]
    pub range: Range<usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Person {
    /// Canonical name: the fullest form in the text.
    pub name: String,
    /// Titles and appositions, without determiner.
    pub roles: Vec<String>,
    /// `m`, `f` or null.
    pub gender: Option<String>,
    pub mentions: Vec<Mention>,
    pub count: usize,
    /// Quotes attributed to this person.
    pub quotes: usize,
    /// References by role or pronoun (`le ministre russe`, `il`): not counted as mentions.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<Mention>,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Organization {
    pub name: String,
    pub acronym: Option<String>,
    /// `intergov`, `government`, `agency`, `media`, `party`, `company`, ... or null.
    pub kind: Option<String>,
    pub mentions: Vec<Mention>,
    pub count: usize,
    pub quotes: usize,
    /// References by a common noun or pronoun that a quote's frame resolved to this
    /// organisation (`l'ONG`, `le groupe`): not counted as mentions.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<Mention>,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Place {
    /// Canonical French name.
    pub name: String,
    /// `country`, `city`, `region`, `sea`, `continent`, `area` or `other`.
    pub kind: String,
    /// ISO 3166-1 alpha-2 code of the country the place is in (or is), null when none.
    pub country: Option<String>,
    pub geonames_id: Option<u64>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub mentions: Vec<Mention>,
    pub count: usize,
}

/// A country the dispatch is about, through its places and its demonyms.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Country {
    pub code: String,
    pub name: String,
    /// Mentions of places in this country (the country itself included).
    pub places: usize,
    /// Mentions of demonyms and adjectives (`russe`, `nord-coréens`).
    pub demonyms: usize,
    pub mentions: Vec<Mention>,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct DateMention {
    pub text: String,
    pub start: usize,
    pub end: usize,
    pub sentence: Option<usize>,
    pub zone: Zone,
    /// `DATE`, `TIME`, `DURATION` or `SET`.
    #[serde(rename = "type")]
    pub kind: String,
    /// TIMEX3 value as written, underspecified where the text is (`XXXX-WXX-6`).
    pub value: String,
    /// Absolute value against the reference date, null without one.
    pub resolved: Option<String>,
    /// TimeML mod (`START`, `MID`, `END`, `APPROX`, ...), or null.
    #[serde(rename = "mod")]
    pub modifier: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct SpeakerMention {
    pub text: String,
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Quote {
    /// The words inside the quotation marks.
    pub text: String,
    pub start: usize,
    pub end: usize,
    /// `full` (a whole statement) or `partial` (words woven into the sentence).
    pub kind: String,
    pub zone: Zone,
    pub speaker: Option<String>,
    /// `person`, `organization`, `unnamed` (a source the text does not name: `un témoin`) or
    /// null (no frame found).
    pub speaker_kind: Option<String>,
    pub speaker_mention: Option<SpeakerMention>,
    /// How the frame named the speaker: `subject`, `inverted`, `apposition`, `selon`,
    /// `colon` or `continuation`; null without a speaker.
    pub via: Option<String>,
    /// How the designation became an entity: `name`, `pronoun`, `role` or `anaphor`.
    pub resolution: Option<String>,
    pub cue: Option<String>,
    /// The cue's span, in code points.
    pub cue_span: Option<Span>,
    /// The medium that carried the words (`selon l'agence Tass`), not the speaker.
    pub channel: Option<String>,
    pub sentence: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Stats {
    pub paragraphs: usize,
    pub sentences: usize,
    /// UAX #29 words of the body.
    pub words: usize,
}

/// Everything `analyze` prints for one dispatch.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Analysis {
    pub schema_version: &'static str,
    pub file: Option<String>,
    pub id: Option<String>,
    /// The publication date used to resolve relative dates: `--date`, else the dateline's.
    pub reference_date: Option<String>,
    pub title: Option<String>,
    pub title_span: Option<Span>,
    pub dateline: Option<Dateline>,
    pub sections: Vec<Section>,
    pub credit: Option<Credit>,
    pub people: Vec<Person>,
    pub organizations: Vec<Organization>,
    pub places: Vec<Place>,
    pub countries: Vec<Country>,
    pub dates: Vec<DateMention>,
    pub quotes: Vec<Quote>,
    pub summary: Vec<String>,
    pub stats: Stats,
    pub warnings: Vec<Warning>,
    /// The analysed text, with `--include-text`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Fields of a JSON Lines input line passed through with `--keep-meta`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meta: Option<serde_json::Map<String, serde_json::Value>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_map_counts_code_points() {
        let text = "é a ç ü x";
        let map = CharMap::new(text);
        for (ci, (bi, _)) in text.char_indices().enumerate() {
            assert_eq!(map.char_offset(bi), ci);
        }
        assert_eq!(map.char_offset(text.len()), text.chars().count());
    }

    #[test]
    fn char_map_finds_the_byte_of_every_code_point() {
        for text in ["é a ç ü x", "ascii only", "ééé", "a€b𝄞c", ""] {
            let map = CharMap::new(text);
            let bytes: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
            for (ci, &bi) in bytes.iter().enumerate() {
                assert_eq!(map.byte_offset(text, ci), Some(bi), "{text:?} char {ci}");
            }
            let n = text.chars().count();
            assert_eq!(map.byte_offset(text, n), Some(text.len()));
            assert_eq!(map.byte_offset(text, n + 1), None);
        }
    }
}
