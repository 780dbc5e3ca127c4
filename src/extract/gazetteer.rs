//! Large lexicons searched in place: a sorted, line-oriented TSV is binary-searched directly
//! in the embedded text, so a 40,000-name gazetteer costs nothing at start-up (no automaton,
//! no hash table to build) and a lookup costs about 16 string comparisons.
//!
//! Names are matched over tokens, leftmost-longest: from each token, the longest run of
//! tokens whose text is a key wins (see [`longest_match`]).

use std::borrow::Cow;

use super::key_filter::KeyFilter;
use super::tokens::Token;

/// A TSV whose data lines are sorted by their first column, in byte order.
///
/// No line index is kept: the binary search halves a byte range of the text and seeks the
/// start of the line around the midpoint, so building a table costs nothing and a lookup a
/// few dozen short scans (an index of the 40,000 gazetteer lines cost 8.6 M instructions on
/// first use, a third of a short dispatch's whole run).
///
/// The embedded tables also carry a [`KeyFilter`] built at build time: most runs of tokens
/// looked up are no key and no key's start, and the filter turns those away before the search.
pub struct SortedTable {
    text: Cow<'static, str>,
    /// Byte offset of the first data line (after the leading `#` comments).
    data_start: usize,
    filter: Option<KeyFilter<'static>>,
}

impl SortedTable {
    pub fn new(text: Cow<'static, str>) -> SortedTable {
        let mut data_start = 0;
        while text[data_start..].starts_with('#') {
            data_start = match text[data_start..].find('\n') {
                Some(i) => data_start + i + 1,
                None => text.len(),
            };
        }
        SortedTable {
            text,
            data_start,
            filter: None,
        }
    }

    /// The table of data file `name` (`lexicons/places.tsv`), with the filter `build.rs` made
    /// for it when `text` is the embedded copy of that file (not an edited one from `--data`).
    pub fn load(name: &str, text: Cow<'static, str>) -> SortedTable {
        let embedded = crate::resources::EMBEDDED
            .iter()
            .any(|(n, t)| *n == name && std::ptr::eq(*t, text.as_ref()));
        let filter = embedded.then(|| embedded_filter(name)).flatten();
        SortedTable {
            filter,
            ..SortedTable::new(text)
        }
    }

    /// The line starting at byte offset `start`, without its newline.
    fn line(&self, start: usize) -> &str {
        let rest = &self.text[start..];
        match memchr::memchr(b'\n', rest.as_bytes()) {
            Some(i) => &rest[..i],
            None => rest,
        }
    }

    /// The start of the line holding byte `pos`, no earlier than `floor` (a line start).
    fn line_start(&self, floor: usize, pos: usize) -> usize {
        match memchr::memrchr(b'\n', &self.text.as_bytes()[floor..pos]) {
            Some(i) => floor + i + 1,
            None => floor,
        }
    }

    fn key(line: &str) -> &str {
        match memchr::memchr(b'\t', line.as_bytes()) {
            Some(i) => &line[..i],
            None => line,
        }
    }

    /// Start offset of the first line whose key is not less than `key` (the text's length
    /// when there is none).
    fn lower_bound(&self, key: &str) -> usize {
        // Lines starting before `lo` have smaller keys; lines from `hi` on do not.
        let (mut lo, mut hi) = (self.data_start, self.text.len());
        while lo < hi {
            let start = self.line_start(lo, lo + (hi - lo) / 2);
            let line = self.line(start);
            if Self::key(line) < key {
                lo = start + line.len() + 1;
            } else {
                hi = start;
            }
        }
        hi.min(self.text.len())
    }

    /// The line starting at `start`, unless `start` is the end of the text.
    fn line_at(&self, start: usize) -> Option<&str> {
        (start < self.text.len()).then(|| self.line(start))
    }

    /// Whether `s` may be a key or a key's start at a word boundary (always, without filter).
    fn may_hold(&self, s: &str) -> bool {
        self.filter.is_none_or(|f| f.may_contain(s))
    }

    /// The whole line (all columns) for `key`.
    pub fn get(&self, key: &str) -> Option<&str> {
        if !self.may_hold(key) {
            return None;
        }
        let line = self.line_at(self.lower_bound(key))?;
        (Self::key(line) == key).then_some(line)
    }

    /// Whether some key starts with `prefix` (so a longer match is still possible).
    /// `prefix` is a run of tokens, so it ends at a word boundary (see
    /// [`super::key_filter::boundary_prefixes`]).
    pub fn has_prefix(&self, prefix: &str) -> bool {
        if !self.may_hold(prefix) {
            return false;
        }
        self.line_at(self.lower_bound(prefix))
            .is_some_and(|line| Self::key(line).starts_with(prefix))
    }

    #[cfg(test)]
    fn keys(&self) -> impl Iterator<Item = &str> {
        self.text[self.data_start..].lines().map(Self::key)
    }
}

/// The filter `build.rs` wrote for the embedded table `name`, if it made one.
fn embedded_filter(name: &str) -> Option<KeyFilter<'static>> {
    macro_rules! filter_of {
        ($table:literal) => {
            include_bytes!(concat!(env!("OUT_DIR"), "/", $table, ".filter")).as_slice()
        };
    }
    let bits: &'static [u8] = match name {
        "lexicons/places.tsv" => filter_of!("places"),
        "lexicons/given_names.tsv" => filter_of!("given_names"),
        "lexicons/surnames.tsv" => filter_of!("surnames"),
        "lexicons/cue_verbs.tsv" => filter_of!("cue_verbs"),
        _ => return None,
    };
    KeyFilter::from_bytes(bits)
}

/// The text of tokens `i..=j` of `text` as a lookup key: spaces normalised, typographic
/// apostrophes made ASCII, as the data files write them.
pub fn key_of(text: &str, tokens: &[Token], i: usize, j: usize) -> String {
    normalize(&text[tokens[i].range().start..tokens[j].range().end])
}

pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() || c == '\u{A0}' || c == '\u{202F}' {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        out.push(if c == '’' { '\'' } else { c });
    }
    out
}

/// The longest run of tokens from `i` (at most `max` tokens) whose key `found` accepts, while
/// `extendable` says a longer key may exist. Returns the last token index and the result.
pub fn longest_match<T>(
    text: &str,
    tokens: &[Token],
    i: usize,
    max: usize,
    mut found: impl FnMut(&str) -> Option<T>,
    mut extendable: impl FnMut(&str) -> bool,
) -> Option<(usize, T)> {
    let mut best = None;
    let end = tokens.len().min(i + max);
    for j in i..end {
        if j > i && !tokens[j].joined_to_previous(text, &tokens[j - 1]) {
            break;
        }
        let key = key_of(text, tokens, i, j);
        if let Some(v) = found(&key) {
            best = Some((j, v));
        }
        if !extendable(&key) {
            break;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> SortedTable {
        SortedTable::new(Cow::Borrowed(
            "# comment\n# more\nAbidjan\tcity\nCorée du Nord\tcountry\nCorée du Sud\tcountry\nMoscou\tcity\nÉgypte\tcountry\n",
        ))
    }

    #[test]
    fn finds_every_key_and_nothing_else() {
        let t = table();
        for k in [
            "Abidjan",
            "Corée du Nord",
            "Corée du Sud",
            "Moscou",
            "Égypte",
        ] {
            assert!(t.get(k).is_some_and(|l| l.starts_with(k)), "{k}");
        }
        for k in ["", "A", "Corée", "Corée du", "Zzz", "# comment", "Moscou2"] {
            assert!(t.get(k).is_none(), "{k}");
        }
    }

    #[test]
    fn every_key_and_gap_of_a_table_without_final_newline() {
        let keys = ["B", "Ba", "Bac", "C", "Côte d'Ivoire", "D", "É"];
        let text = keys.map(|k| format!("{k}\tx")).join("\n");
        let t = SortedTable::new(Cow::Owned(format!("# head\n{text}")));
        for k in keys {
            assert_eq!(t.get(k), Some(format!("{k}\tx").as_str()), "{k}");
        }
        for k in ["", "A", "Bab", "Bb", "Côte", "Da", "Z", "ÉÉ", "\u{10FFFF}"] {
            assert!(t.get(k).is_none(), "{k}");
        }
        assert!(t.has_prefix("Cô") && t.has_prefix("") && !t.has_prefix("Ca"));
        let one = SortedTable::new(Cow::Borrowed("Seul\t1"));
        assert_eq!(one.get("Seul"), Some("Seul\t1"));
        assert!(one.get("A").is_none() && one.get("Z").is_none());
        let empty = SortedTable::new(Cow::Borrowed("# only a comment\n"));
        assert!(empty.get("").is_none() && !empty.has_prefix(""));
    }

    #[test]
    fn prefixes() {
        let t = table();
        assert!(t.has_prefix("Corée du "));
        assert!(!t.has_prefix("Corée de "));
        assert!(t.has_prefix("Égy"));
    }

    #[test]
    fn embedded_places_are_sorted_for_binary_search() {
        let t = SortedTable::new(Cow::Borrowed(include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/data/lexicons/places.tsv"
        ))));
        assert!(t.get("Corée du Nord").is_some());
        assert!(t.get("Pyongyang").is_some());
        let mut prev = "";
        for k in t.keys() {
            assert!(prev < k, "{prev:?} before {k:?}");
            assert!(t.get(k).is_some_and(|l| l.starts_with(k)), "{k}");
            prev = k;
        }
    }

    /// The embedded tables get their build-time filter, which turns away none of their keys;
    /// an edited copy (`--data`) is searched without one.
    #[test]
    fn embedded_tables_carry_a_filter_holding_every_key() {
        for name in [
            "lexicons/places.tsv",
            "lexicons/given_names.tsv",
            "lexicons/surnames.tsv",
            "lexicons/cue_verbs.tsv",
        ] {
            let (_, text) = crate::resources::EMBEDDED
                .iter()
                .find(|(n, _)| *n == name)
                .unwrap();
            let table = SortedTable::load(name, Cow::Borrowed(text));
            assert!(table.filter.is_some(), "{name}");
            for key in table.keys() {
                assert!(table.get(key).is_some(), "{name}: {key}");
                assert!(table.has_prefix(key), "{name}: {key}");
            }
            let copy = SortedTable::load(name, Cow::Owned(text.to_string()));
            assert!(copy.filter.is_none(), "{name}");
        }
    }

    #[test]
    fn normalize_apostrophes_and_spaces() {
        assert_eq!(normalize("Côte d’Ivoire"), "Côte d'Ivoire");
        assert_eq!(normalize("mer\u{A0}du  Japon"), "mer du Japon");
    }
}
