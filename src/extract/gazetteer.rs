//! Large lexicons searched in place: a sorted, line-oriented TSV is binary-searched directly
//! in the embedded text, so a 40,000-name gazetteer costs nothing at start-up (no automaton,
//! no hash table to build) and a lookup costs about 16 string comparisons.
//!
//! Names are matched over tokens, leftmost-longest: from each token, the longest run of
//! tokens whose text is a key wins (see [`longest_match`]).

use std::borrow::Cow;

use super::tokens::Token;

/// A TSV whose data lines are sorted by their first column, in byte order.
pub struct SortedTable {
    text: Cow<'static, str>,
    /// Byte offset of the first data line (after the leading `#` comments).
    data_start: usize,
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
        SortedTable { text, data_start }
    }

    /// The line at byte offset `pos` (which must be a line start), and the next line's start.
    fn line_at(&self, pos: usize) -> (&str, usize) {
        let rest = &self.text[pos..];
        match rest.find('\n') {
            Some(i) => (&rest[..i], pos + i + 1),
            None => (rest, self.text.len()),
        }
    }

    fn line_start(&self, pos: usize) -> usize {
        match self.text[self.data_start..pos].rfind('\n') {
            Some(i) => self.data_start + i + 1,
            None => self.data_start,
        }
    }

    fn key(line: &str) -> &str {
        line.split('\t').next().unwrap_or(line)
    }

    /// The first line whose key is not less than `key`: its start offset.
    fn lower_bound(&self, key: &str) -> usize {
        // `lo` and `hi` are line starts; the answer is in `lo..=hi`.
        let (mut lo, mut hi) = (self.data_start, self.text.len());
        while lo < hi {
            let mut probe = lo + (hi - lo) / 2;
            while !self.text.is_char_boundary(probe) {
                probe -= 1;
            }
            let mid = self.line_start(probe).max(lo);
            let (line, next) = self.line_at(mid);
            if Self::key(line) < key {
                lo = next;
            } else {
                hi = mid;
            }
        }
        lo
    }

    /// The whole line (all columns) for `key`.
    pub fn get(&self, key: &str) -> Option<&str> {
        let pos = self.lower_bound(key);
        if pos >= self.text.len() {
            return None;
        }
        let (line, _) = self.line_at(pos);
        (Self::key(line) == key).then_some(line)
    }

    /// Whether some key starts with `prefix` (so a longer match is still possible).
    pub fn has_prefix(&self, prefix: &str) -> bool {
        let pos = self.lower_bound(prefix);
        pos < self.text.len() && Self::key(self.line_at(pos).0).starts_with(prefix)
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
        for line in t.text[t.data_start..].lines() {
            let k = SortedTable::key(line);
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
