//! The document's token layer, computed once by [`parse`](super::parse) and read by every
//! extractor (as spaCy's `Doc` is). One tokenizer makes it: a word is letters and digits with
//! a hyphen or an apostrophe between two of them kept inside (`Nouvelle-Calédonie`,
//! `nord-coréen`, `aujourd'hui`) and an elided article split off (`l'Asie` → `l'`, `Asie`);
//! any other character but a space is a punctuation token of its own. Each token carries its
//! normalised form (lower case, `’` as `'`), computed here once.
//!
//! Two views of the same tokens: per segment (title, dateline, headings, body sentences,
//! credit), the words with the flags the name extractors read ([`Token`]); and every token,
//! punctuation included, with its normalised form ([`TextToken`]), which the quote passes and
//! the tense reader of the dates read.

use std::ops::Range;

use crate::model::{Document, Segment, Zone};

/// The tokens of a document, computed once in `parse`.
#[derive(Debug, Clone, Default)]
pub struct TextLayer {
    /// Every analysable segment in text order, with its word tokens.
    pub segments: Vec<SegTokens>,
    /// Every token of every segment, words and punctuation, in text order.
    pub tokens: Vec<TextToken>,
    /// The normalised forms of `tokens`, end to end: one buffer, not one string per token.
    lower: String,
}

impl TextLayer {
    /// Tokenises each segment of `doc` (its `layer` is not read).
    pub fn new(doc: &Document) -> TextLayer {
        TextLayer::of_segments(&doc.text, doc.segments())
    }

    /// The layer of a text without a parsed structure (the dates of a standalone text):
    /// `ranges`, sorted and disjoint, as body segments.
    pub fn of_ranges(text: &str, ranges: impl IntoIterator<Item = Range<usize>>) -> TextLayer {
        let segments = ranges.into_iter().map(|range| Segment {
            zone: Zone::Body,
            sentence: None,
            range,
        });
        TextLayer::of_segments(text, segments)
    }

    /// Tokenises `segments` (in text order) of `text`.
    ///
    /// # Panics
    /// On a text over [`MAX_TEXT_LEN`] (2 GiB), which the compact tokens cannot address.
    fn of_segments(text: &str, segments: impl IntoIterator<Item = Segment>) -> TextLayer {
        assert!(
            text.len() <= MAX_TEXT_LEN,
            "a document of {} bytes is over the 2 GiB the token layer addresses",
            text.len()
        );
        let mut layer = TextLayer {
            segments: Vec::new(),
            // About one token per five bytes of French text: a dispatch's tokens then fit at
            // once, instead of growing through a dozen copies; a large text still grows (by
            // doubling) past the bound, and the vector is shrunk to its contents at the end.
            tokens: Vec::with_capacity((text.len() / 5).min(TOKENS_RESERVED_AT_MOST)),
            lower: String::with_capacity(text.len()),
        };
        // Each segment's words are gathered in one reused vector, then copied out at their
        // exact size: one allocation per segment, not a doubling series and a shrink.
        let mut words = Vec::new();
        for segment in segments {
            words.clear();
            layer.tokenize_into(text, segment.range.clone(), &mut words);
            layer.segments.push(SegTokens {
                segment,
                tokens: words.to_vec(),
            });
        }
        layer.shrink_to_fit();
        layer
    }

    /// Gives back what the vectors' doubling growth reserved beyond their contents: the layer
    /// lives as long as the document, through every extractor.
    fn shrink_to_fit(&mut self) {
        self.segments.shrink_to_fit();
        self.tokens.shrink_to_fit();
        self.lower.shrink_to_fit();
    }

    /// The normalised form of `t`: lower case, `’` as `'`; the character itself for
    /// punctuation.
    pub fn low(&self, t: &TextToken) -> &str {
        &self.lower[t.low_range()]
    }

    /// The normalised forms of `first` and the tokens after it up to `last`, end to end, as
    /// one slice of the buffer: an elided word with its host (`l'` + `asie` → `l'asie`).
    pub fn low_through(&self, first: &TextToken, last: &TextToken) -> &str {
        &self.lower[first.low_range().start..last.low_range().end]
    }

    /// An elided word split off its host (`l'`, `qu'`: see [`elision_split`]).
    pub fn is_elided(&self, t: &TextToken) -> bool {
        // Inside a word an apostrophe is kept only before a letter: a word token that ends
        // with one is the elided part of a split.
        t.is_word() && self.low(t).ends_with('\'')
    }

    /// The tokens (words and punctuation) that start in `range`, in text order (segments do
    /// not overlap, so `tokens` is sorted).
    pub fn tokens_in(&self, range: Range<usize>) -> &[TextToken] {
        let from = self.tokens.partition_point(|t| t.start() < range.start);
        let to = self.tokens.partition_point(|t| t.start() < range.end);
        &self.tokens[from..to.max(from)]
    }

    /// Appends the tokens of `doc[range]` to `self.tokens` and returns its words.
    #[cfg(test)]
    fn tokenize(&mut self, doc: &str, range: Range<usize>) -> Vec<Token> {
        let mut words = Vec::new();
        self.tokenize_into(doc, range, &mut words);
        words
    }

    /// Appends the tokens of `doc[range]` to `self.tokens` and its words to `words`.
    fn tokenize_into(&mut self, doc: &str, range: Range<usize>, words: &mut Vec<Token>) {
        let seg = Seg {
            text: &doc[range.clone()],
            base: range.start,
        };
        let mut chars = seg.text.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if c.is_whitespace() {
                continue;
            }
            if !is_word_char(c) {
                self.push_punctuation(seg.base + i, c);
                continue;
            }
            let mut end = i + c.len_utf8();
            while let Some(&(j, d)) = chars.peek() {
                let joins = is_word_char(d) || is_joiner(d) && seg.word_follows(j + d.len_utf8());
                if !joins {
                    break;
                }
                end = j + d.len_utf8();
                chars.next();
            }
            match elision_split(&seg.text[i..end]) {
                Some(k) if i + k < end => {
                    self.push_word(&seg, i..i + k, words);
                    self.push_word(&seg, i + k..end, words);
                }
                _ => self.push_word(&seg, i..end, words),
            }
        }
    }

    fn push_punctuation(&mut self, at: usize, c: char) {
        let low = self.lower.len();
        self.lower.push(c);
        let range = at..at + c.len_utf8();
        self.tokens
            .push(TextToken::new(range, low..self.lower.len(), false, false));
    }

    /// Pushes the word `seg.text[r]` to both views.
    fn push_word(&mut self, seg: &Seg, r: Range<usize>, words: &mut Vec<Token>) {
        let text = &seg.text[r.clone()];
        let low = self.lower.len();
        push_normalised(&mut self.lower, text);
        let range = seg.base + r.start..seg.base + r.end;
        let upper = text.chars().next().is_some_and(char::is_uppercase);
        self.tokens.push(TextToken::new(
            range.clone(),
            low..self.lower.len(),
            true,
            upper,
        ));
        let dot_after = seg.text[r.end..].starts_with('.');
        words.push(Token {
            // The document's length is checked against MAX_TEXT_LEN before tokenising.
            from: range.start as u32,
            to: range.end as u32,
            initial: dot_after && is_initial(text),
            dot_after,
            capitalized: upper,
            all_caps: all_caps(text),
        });
    }
}

/// The segment being tokenised: its text and where it starts in the document.
struct Seg<'a> {
    text: &'a str,
    base: usize,
}

impl Seg<'_> {
    /// Whether a word character starts at byte `at` (a hyphen or an apostrophe before it
    /// then joins the word).
    fn word_follows(&self, at: usize) -> bool {
        self.text[at..].chars().next().is_some_and(is_word_char)
    }
}

/// The one normaliser of word forms: lower case, the typographic apostrophe `’` as `'`
/// (appended to `out`).
pub fn push_normalised(out: &mut String, word: &str) {
    // Most words are ASCII: one copy and an in-place lowering, not a char-by-char iterator.
    if word.is_ascii() {
        let from = out.len();
        out.push_str(word);
        out[from..].make_ascii_lowercase();
        return;
    }
    for c in word.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else if c == '’' {
            out.push('\'');
        } else if let Some(lower) = latin1_lowercase(c) {
            out.push(lower);
        } else {
            out.extend(c.to_lowercase());
        }
    }
}

/// The lower case of a Latin-1 letter (`é`, `À`), without the Unicode tables: French words
/// are full of them. `À`–`Þ` (but `×`) lower by 0x20; `ß`–`ÿ` are their own lower case.
fn latin1_lowercase(c: char) -> Option<char> {
    match c {
        '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{DE}' => char::from_u32(c as u32 + 0x20),
        '\u{D7}'..='\u{FF}' => Some(c),
        _ => None,
    }
}

/// [`push_normalised`] into a new string.
pub fn normalised(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    push_normalised(&mut out, word);
    out
}

/// A token of the layer: a word or one punctuation character.
///
/// Sixteen bytes, as one is kept for nearly every word and mark of the text (a large file has
/// millions): byte offsets as `u32`, the two flags in the top bits of the text offsets, which
/// is why a document may not exceed [`MAX_TEXT_LEN`].
#[derive(Debug, Clone, Copy)]
pub struct TextToken {
    /// Start of the text in the document, with [`WORD`] in the top bit.
    start: u32,
    /// End of the text in the document, with [`UPPER`] in the top bit.
    end: u32,
    /// Where the normalised form lies in the layer's buffer ([`TextLayer::low`]).
    low_start: u32,
    low_end: u32,
}

/// The largest document the layer addresses (2 GiB): its offsets, and the flags above them,
/// fit a `u32`, and so does its normalised buffer (lowering grows a text by at most half).
pub const MAX_TEXT_LEN: usize = (u32::MAX >> 1) as usize;

/// The most tokens reserved before tokenising (1 MiB of them): what a long text needs beyond
/// is grown as it comes.
const TOKENS_RESERVED_AT_MOST: usize = 1 << 16;

/// Top bit of [`TextToken::start`]: a word, not punctuation.
const WORD: u32 = 1 << 31;
/// Top bit of [`TextToken::end`]: opens with an upper-case letter.
const UPPER: u32 = 1 << 31;

impl TextToken {
    fn new(range: Range<usize>, low: Range<usize>, word: bool, upper: bool) -> TextToken {
        // The document's length is checked against MAX_TEXT_LEN before tokenising, so every
        // offset fits below the flag bits.
        TextToken {
            start: range.start as u32 | if word { WORD } else { 0 },
            end: range.end as u32 | if upper { UPPER } else { 0 },
            low_start: low.start as u32,
            low_end: low.end as u32,
        }
    }

    /// Byte offset in the document text where the token starts.
    pub fn start(&self) -> usize {
        (self.start & !WORD) as usize
    }

    /// Byte offset in the document text just after the token.
    pub fn end(&self) -> usize {
        (self.end & !UPPER) as usize
    }

    /// Byte range in the document text.
    pub fn range(&self) -> Range<usize> {
        self.start()..self.end()
    }

    /// A word, not punctuation.
    pub fn is_word(&self) -> bool {
        self.start & WORD != 0
    }

    /// Opens with an upper-case letter.
    pub fn is_upper(&self) -> bool {
        self.end & UPPER != 0
    }

    fn low_range(&self) -> Range<usize> {
        self.low_start as usize..self.low_end as usize
    }
}

/// A segment of the document with its word tokens.
#[derive(Debug, Clone)]
pub struct SegTokens {
    pub segment: Segment,
    pub tokens: Vec<Token>,
}

/// A word token, as the name extractors read it: twelve bytes, offsets as `u32` (the layer's
/// bound, [`MAX_TEXT_LEN`]), as one is kept for every word of the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    from: u32,
    to: u32,
    /// A single letter followed by a period (`W.`), or a dotted initial (`J.-L.`).
    pub initial: bool,
    /// Followed directly by a period (`M.`, `Mme.`).
    pub dot_after: bool,
    /// Opens with an upper-case letter ([`Token::is_capitalized`]).
    capitalized: bool,
    /// At least two letters and no lower-case one ([`Token::is_all_caps`]).
    all_caps: bool,
}

impl Token {
    /// Byte range in the document text.
    pub fn range(&self) -> Range<usize> {
        self.from as usize..self.to as usize
    }

    pub fn text<'a>(&self, doc: &'a str) -> &'a str {
        &doc[self.range()]
    }

    /// Opens with an upper-case letter. Read from the flag the tokenizer set (`doc` is the
    /// text the token came from, kept in the signature for the callers' symmetry).
    pub fn is_capitalized(&self, _doc: &str) -> bool {
        self.capitalized
    }

    /// At least two letters and no lowercase one (`ONU`, `SUD-PTT`): set once by the
    /// tokenizer, as the extractors ask it of every token and its neighbours (the acronym
    /// pass alone about five times per token).
    pub fn is_all_caps(&self, _doc: &str) -> bool {
        self.all_caps
    }

    /// Whether only spaces, an apostrophe or a hyphen separate this token from `prev`, so
    /// that both may belong to one name.
    pub fn joined_to_previous(&self, doc: &str, prev: &Token) -> bool {
        let between = &doc[prev.range().end..self.range().start];
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

/// A hyphen or an apostrophe, kept inside a word when a word character follows.
fn is_joiner(c: char) -> bool {
    matches!(c, '-' | '\'' | '’')
}

/// Short words that elide before a vowel (`l'`, `qu'`, `presqu'`): the one elision list.
const ELIDED: &[&str] = &[
    "l", "d", "j", "m", "n", "s", "t", "c", "qu", "lorsqu", "puisqu", "jusqu", "quoiqu", "presqu",
];

/// The byte length of the elided word that opens `word` (`l'`, `Qu’`), apostrophe included,
/// if any; the case of the letters does not matter.
pub fn elision_split(word: &str) -> Option<usize> {
    let apos = apostrophe_at(word)?;
    let prefix = &word[..apos];
    ELIDED
        .iter()
        .any(|e| e.eq_ignore_ascii_case(prefix))
        .then(|| apos + word[apos..].chars().next().map_or(1, char::len_utf8))
}

/// The byte offset of the first apostrophe (`'` or `’`) of `word`. A byte scan: every word
/// of the text is looked at, and a search for either of two chars decodes each one.
fn apostrophe_at(word: &str) -> Option<usize> {
    const TYPOGRAPHIC: &[u8] = "’".as_bytes();
    let bytes = word.as_bytes();
    bytes
        .iter()
        .enumerate()
        .find(|&(i, &b)| b == b'\'' || (b == TYPOGRAPHIC[0] && bytes[i..].starts_with(TYPOGRAPHIC)))
        .map(|(i, _)| i)
}

/// At least two letters and no lowercase one. One pass that stops at the first lowercase
/// letter: most words fail on their second character.
fn all_caps(word: &str) -> bool {
    let mut letters = 0;
    for c in word.chars() {
        if c.is_lowercase() {
            return false;
        }
        if c.is_alphabetic() {
            letters += 1;
        }
    }
    letters >= 2
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

    fn tokenize(s: &str, range: Range<usize>) -> Vec<Token> {
        TextLayer::default().tokenize(s, range)
    }

    fn words(s: &str) -> Vec<&str> {
        tokenize(s, 0..s.len()).iter().map(|t| t.text(s)).collect()
    }

    #[test]
    fn punctuation_and_normalised_forms() {
        let s = "« L’ONU a-t-elle dit ? »";
        let mut layer = TextLayer::default();
        layer.tokenize(s, 0..s.len());
        let lows: Vec<&str> = layer.tokens.iter().map(|t| layer.low(t)).collect();
        assert_eq!(lows, ["«", "l'", "onu", "a-t-elle", "dit", "?", "»"]);
        let (onu, open) = (&layer.tokens[2], &layer.tokens[0]);
        assert!(onu.is_upper() && onu.is_word() && !open.is_word() && !open.is_upper());
        assert_eq!(
            (onu.start(), onu.end()),
            (s.find("ONU").unwrap(), s.find(" a-").unwrap())
        );
    }

    #[test]
    fn a_token_is_sixteen_bytes() {
        // One is kept for nearly every word and mark of the text: see issue 11.
        assert_eq!(std::mem::size_of::<TextToken>(), 16);
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
    fn one_elision_list() {
        assert_eq!(
            words("la presqu'île, jusqu’à l' Est"),
            ["la", "presqu'", "île", "jusqu’", "à", "l", "Est"]
        );
        assert_eq!(elision_split("Qu’il"), Some("Qu’".len()));
        assert_eq!(elision_split("o'brien"), None);
    }

    #[test]
    fn the_word_view_is_the_words_of_the_full_view() {
        let s = "« C’est fini », a déclaré J.-L. Mélenchon (LFI).";
        let mut layer = TextLayer::default();
        let words = layer.tokenize(s, 0..s.len());
        let full: Vec<_> = layer
            .tokens
            .iter()
            .filter(|t| t.is_word())
            .map(TextToken::range)
            .collect();
        assert_eq!(full, words.iter().map(|t| t.range()).collect::<Vec<_>>());
    }

    #[test]
    fn apostrophes_found_as_str_find_finds_them() {
        for w in [
            "",
            "l'Asie",
            "L’ONU",
            "aujourd'hui",
            "a–b’c",
            "abc",
            "’",
            "x'’",
        ] {
            assert_eq!(apostrophe_at(w), w.find(['\'', '’']), "{w:?}");
        }
    }

    /// The flags the tokenizer sets say what the text says.
    #[test]
    fn capital_flags() {
        let s = "L'ONU et SUD-PTT, Paris, é À M. X2 ÉTÉ";
        let toks = tokenize(s, 0..s.len());
        let flags: Vec<(&str, bool, bool)> = toks
            .iter()
            .map(|t| (t.text(s), t.is_capitalized(s), t.is_all_caps(s)))
            .collect();
        assert_eq!(
            flags,
            [
                ("L'", true, false),
                ("ONU", true, true),
                ("et", false, false),
                ("SUD-PTT", true, true),
                ("Paris", true, false),
                ("é", false, false),
                ("À", true, false),
                ("M", true, false),
                ("X2", true, false),
                ("ÉTÉ", true, true),
            ]
        );
    }

    /// The Latin-1 shortcut lowers as the Unicode tables do.
    #[test]
    fn latin1_lowercase_is_unicode_lowercase() {
        for c in ('\u{80}'..='\u{17F}').filter(|c| !c.is_ascii()) {
            if let Some(lower) = latin1_lowercase(c) {
                assert_eq!(
                    c.to_lowercase().collect::<String>(),
                    lower.to_string(),
                    "{c:?}"
                );
            }
        }
        assert_eq!(latin1_lowercase('É'), Some('é'));
        assert_eq!(latin1_lowercase('Œ'), None);
    }

    #[test]
    fn initials() {
        let s = "George W. Bush et M. Dupont";
        let t = tokenize(s, 0..s.len());
        assert!(t[1].initial && t[1].dot_after);
        assert!(t[4].dot_after && !t[5].initial && !t[5].dot_after);
    }
}
