//! A Bloom filter over the keys of a sorted table and their prefixes that end at a word
//! boundary. The name extractors look up every run of tokens in the gazetteer and the given
//! names, and most runs are in neither: the filter answers those with two bit tests instead
//! of a binary search over megabytes of text. It never says no to a key or boundary prefix it
//! holds; its yes (about one in fifty for a string it does not hold) is checked by the search.
//!
//! `build.rs` builds the filters of the embedded tables (this file is compiled there too, so
//! it uses nothing else from the crate); tables given with `--data` are searched without one.

/// One filter: a bit array whose length is a power of two.
#[derive(Debug, Clone, Copy)]
pub struct KeyFilter<'a> {
    bits: &'a [u8],
}

impl<'a> KeyFilter<'a> {
    /// A filter from the bytes `build` wrote; `None` if their length is no power of two.
    pub fn from_bytes(bits: &'a [u8]) -> Option<KeyFilter<'a>> {
        bits.len().is_power_of_two().then_some(KeyFilter { bits })
    }

    /// False when `s` is surely neither a key nor a key's boundary prefix.
    pub fn may_contain(&self, s: &str) -> bool {
        let mask = self.bits.len() as u64 * 8 - 1;
        bit_positions(s, mask)
            .iter()
            .all(|&b| self.bits[(b / 8) as usize] & (1 << (b % 8)) != 0)
    }
}

/// The filter of `keys` (each key and each of its boundary prefixes), about 16 bits per
/// string held.
pub fn build<'k>(keys: impl Iterator<Item = &'k str> + Clone) -> Vec<u8> {
    let held: usize = keys.clone().map(|k| boundary_prefixes(k).count()).sum();
    let bytes = (held * 2).next_power_of_two().max(64);
    let mut bits = vec![0u8; bytes];
    let mask = bytes as u64 * 8 - 1;
    for key in keys {
        for prefix in boundary_prefixes(key) {
            for b in bit_positions(prefix, mask) {
                bits[(b / 8) as usize] |= 1 << (b % 8);
            }
        }
    }
    bits
}

/// `key` and its prefixes that end at a word boundary: before or after a character that is
/// not a letter or digit (`Corée`, `Corée du`, `Côte d'`, `Saint-` and `Saint` for
/// `Saint-Denis`). A run of tokens ends at such a boundary, so a run that is the start of
/// a key is one of these; a longer run can only start a key whose prefix at this point is one
/// of these too.
pub fn boundary_prefixes(key: &str) -> impl Iterator<Item = &str> + '_ {
    let after = key.char_indices().skip(1);
    let inner = key
        .chars()
        .zip(after)
        .filter(|&(a, (_, b))| !a.is_alphanumeric() || !b.is_alphanumeric())
        .map(|(_, (i, _))| &key[..i]);
    inner.chain((!key.is_empty()).then_some(key))
}

/// The two bits of `s` in a filter of `mask + 1` bits: FNV-1a over the bytes, then a
/// finaliser that spreads them over the high half too.
fn bit_positions(s: &str, mask: u64) -> [u64; 2] {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in s.as_bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    [h & mask, (h >> 32) & mask]
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEYS: [&str; 4] = ["Corée du Nord", "Côte d'Ivoire", "Saint-Denis", "Paris"];

    #[test]
    fn holds_every_key_and_boundary_prefix() {
        let bits = build(KEYS.iter().copied());
        let filter = KeyFilter::from_bytes(&bits).unwrap();
        for held in [
            "Corée",
            "Corée ",
            "Corée du",
            "Corée du Nord",
            "Côte d'",
            "Côte d",
            "Saint",
            "Saint-",
            "Saint-Denis",
            "Paris",
        ] {
            assert!(filter.may_contain(held), "{held}");
        }
    }

    #[test]
    fn boundary_prefixes_stop_at_word_edges_only() {
        let got: Vec<&str> = boundary_prefixes("Côte d'Ivoire").collect();
        assert_eq!(got, ["Côte", "Côte ", "Côte d", "Côte d'", "Côte d'Ivoire"]);
        assert!(!got.contains(&"Cô"));
        assert_eq!(boundary_prefixes("").count(), 0);
    }

    #[test]
    fn rejects_most_strings_it_does_not_hold() {
        let keys: Vec<String> = (0..5000).map(|i| format!("Lieu{i}")).collect();
        let bits = build(keys.iter().map(String::as_str));
        let filter = KeyFilter::from_bytes(&bits).unwrap();
        let false_yes = (0..10_000)
            .filter(|i| filter.may_contain(&format!("Autre{i}")))
            .count();
        assert!(false_yes < 500, "{false_yes} of 10000");
        assert!(KeyFilter::from_bytes(&[0u8; 3]).is_none());
    }
}
