//! Large lexicons searched in place: a sorted, line-oriented TSV is binary-searched directly
//! in the embedded text, so a 40,000-name gazetteer costs nothing at start-up (no automaton,
//! no hash table to build) and a lookup costs about 16 string comparisons.
//!
//! Names are matched over tokens, leftmost-longest: from each token, the longest run of
//! tokens whose text is a key wins (see [`longest_match`]).

use std::borrow::Cow;
use std::sync::OnceLock;

use super::tokens::Token;

/// A TSV whose data lines are sorted by their first column, in byte order.
pub struct SortedTable {
    text: Cow<'static, str>,
    /// Byte offset of the first data line (after the leading `#` comments).
    data_start: usize,
    /// Start offset of every data line, built on first lookup (a memchr pass, well under a
    /// millisecond) so that the process pays nothing until it needs the table.
    lines: OnceLock<Vec<u32>>,
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
            lines: OnceLock::new(),
        }
    }

    fn lines(&self) -> &[u32] {
        self.lines.get_or_init(|| {
            let bytes = &self.text.as_bytes()[self.data_start..];
            let mut out = Vec::with_capacity(bytes.len() / 24);
            let mut pos = 0;
            while pos < bytes.len() {
                out.push((self.data_start + pos) as u32);
                pos = match memchr::memchr(b'\n', &bytes[pos..]) {
                    Some(i) => pos + i + 1,
                    None => bytes.len(),
                };
            }
            out
        })
    }

    /// The line starting at byte offset `start`, without its newline.
    fn line(&self, start: u32) -> &str {
        let rest = &self.text[start as usize..];
        match memchr::memchr(b'\n', rest.as_bytes()) {
            Some(i) => &rest[..i],
            None => rest,
        }
    }

    fn key(line: &str) -> &str {
        match memchr::memchr(b'\t', line.as_bytes()) {
            Some(i) => &line[..i],
            None => line,
        }
    }

    /// Index of the first line whose key is not less than `key`.
    fn lower_bound(&self, key: &str) -> usize {
        self.lines()
            .partition_point(|&start| Self::key(self.line(start)) < key)
    }

    /// The whole line (all columns) for `key`.
    pub fn get(&self, key: &str) -> Option<&str> {
        let start = *self.lines().get(self.lower_bound(key))?;
        let line = self.line(start);
        (Self::key(line) == key).then_some(line)
    }

    /// Whether some key starts with `prefix` (so a longer match is still possible).
    pub fn has_prefix(&self, prefix: &str) -> bool {
        self.lines()
            .get(self.lower_bound(prefix))
            .is_some_and(|&start| Self::key(self.line(start)).starts_with(prefix))
    }

    #[cfg(test)]
    fn keys(&self) -> impl Iterator<Item = &str> {
        self.lines().iter().map(|&s| Self::key(self.line(s)))
    }
}

/// The text of tokens `i..=j` of `text` as a lookup key: spaces normalised, typographic
/// apostrophes made ASCII, as the data files write them.
pub fn key_of(text: &str, tokens: &[Token], i: usize, j: usize) -> String {
    normalize(&text[tokens[i].range.start..tokens[j].range.end])
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
            prev = k;
        }
    }

    #[test]
    fn normalize_apostrophes_and_spaces() {
        assert_eq!(normalize("Côte d’Ivoire"), "Côte d'Ivoire");
        assert_eq!(normalize("mer\u{A0}du  Japon"), "mer du Japon");
    }
}
