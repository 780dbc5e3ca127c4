//! The lexicons' string hash (rustc's FxHash, eight bytes at a time), and the open-addressing
//! string sets `build.rs` writes as Rust source for the embedded word lists (this file is
//! compiled there too, so it uses nothing else from the crate).

use std::hash::Hasher;

/// FxHash, eight bytes at a time.
#[derive(Default, Clone, Copy)]
pub struct WordHasher(u64);

impl WordHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            self.add(u64::from_le_bytes(chunk.try_into().expect("eight bytes")));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut last = [0u8; 8];
            last[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(last));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        // The multiply leaves the high bits best mixed; the table indexes by the low ones.
        self.0.rotate_left(26)
    }
}

/// The slot of `key` in a table of `len` slots (a power of two).
pub fn home_slot(key: &str, len: usize) -> usize {
    let mut h = WordHasher::default();
    h.write(key.as_bytes());
    (h.finish() as usize) & (len - 1)
}

/// An open-addressing string set: the keys in one text, each slot the byte range of one
/// key in it (`EMPTY` for none). Written by `build.rs` as Rust source: numbers and one string,
/// no pointer per key, so the loader has nothing to relocate and the pages are only read.
#[derive(Clone, Copy)]
pub struct SlotTable<'a> {
    pub keys: &'a str,
    pub slots: &'a [[u32; 2]],
}

/// The slot of no key.
pub const EMPTY: [u32; 2] = [u32::MAX, 0];

impl<'a> SlotTable<'a> {
    fn key(&self, slot: [u32; 2]) -> Option<&'a str> {
        (slot != EMPTY)
            .then(|| self.keys.get(slot[0] as usize..slot[1] as usize))
            .flatten()
    }

    /// Whether the set holds `key`.
    pub fn contains(&self, key: &str) -> bool {
        self.find(key).is_some()
    }

    /// The slot holding `key`.
    pub fn find(&self, key: &str) -> Option<usize> {
        if self.slots.is_empty() {
            return None;
        }
        let mask = self.slots.len() - 1;
        let mut i = home_slot(key, self.slots.len());
        let bytes = self.keys.as_bytes();
        // At most half the slots are taken, so an empty one ends every probe. Most probes
        // meet a key of another length: the lengths are compared before the bytes.
        for _ in 0..self.slots.len() {
            let slot = self.slots[i];
            if slot == EMPTY {
                return None;
            }
            let [start, end] = slot;
            if end.wrapping_sub(start) as usize == key.len()
                && bytes.get(start as usize..end as usize) == Some(key.as_bytes())
            {
                return Some(i);
            }
            i = (i + 1) & mask;
        }
        None
    }

    /// The keys with their slots, in slot order.
    pub fn entries(&self) -> impl Iterator<Item = (usize, &'a str)> + '_ {
        self.slots
            .iter()
            .enumerate()
            .filter_map(|(i, &s)| Some((i, self.key(s)?)))
    }

    /// The keys, in slot order.
    pub fn iter(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.slots.iter().filter_map(|&s| self.key(s))
    }
}

/// The table of `keys` (duplicates kept once) as the text of its keys and its slots: twice as
/// many slots as keys, rounded up to a power of two, each key at its home slot or the next
/// free one.
pub fn slot_table<'k>(keys: impl Iterator<Item = &'k str>) -> (String, Vec<[u32; 2]>) {
    let keys: Vec<&str> = keys.collect();
    let len = (2 * keys.len()).next_power_of_two().max(8);
    let mut text = String::new();
    let mut slots = vec![EMPTY; len];
    for key in keys {
        if (SlotTable {
            keys: &text,
            slots: &slots,
        })
        .contains(key)
        {
            continue;
        }
        let mut i = home_slot(key, len);
        while slots[i] != EMPTY {
            i = (i + 1) & (len - 1);
        }
        slots[i] = [text.len() as u32, (text.len() + key.len()) as u32];
        text.push_str(key);
    }
    (text, slots)
}

/// A table of `keys` as the Rust expression of a `SlotTable`.
pub fn slot_table_source<'k>(keys: impl Iterator<Item = &'k str>) -> String {
    let (text, slots) = slot_table(keys);
    table_source(&text, &slots)
}

/// A map as the Rust expression of a `(SlotTable, &[V])`, the values in slot order:
/// `entries` are keys with the Rust expressions of their values, the first of a key kept;
/// `filler` is the value of the empty slots.
pub fn slot_map_source(entries: &[(&str, String)], filler: &str) -> String {
    let (text, slots) = slot_table(entries.iter().map(|(k, _)| *k));
    let table = SlotTable {
        keys: &text,
        slots: &slots,
    };
    let mut values = vec![filler.to_string(); slots.len()];
    // The first entry of a key is the one in the table: fill the slots from the last.
    for (key, value) in entries.iter().rev() {
        if let Some(i) = table.find(key) {
            values[i] = value.clone();
        }
    }
    format!("({}, &[{}])", table_source(&text, &slots), values.join(","))
}

fn table_source(text: &str, slots: &[[u32; 2]]) -> String {
    let mut out = format!("SlotTable {{ keys: {text:?}, slots: &[");
    for [start, end] in slots {
        out.push_str(&format!("[{start},{end}],"));
    }
    out.push_str("] }");
    out
}

/// `name` cut where a word ends (`mer`, `mer du`, `mer du Japon`; `Côte d'` for `Côte
/// d'Ivoire`; `nord` for `nord-est`), then `name` itself: the boundary prefixes a match
/// extends through.
pub fn boundary_prefixes(name: &str) -> impl Iterator<Item = &str> {
    name.char_indices()
        .filter_map(|(i, c)| match c {
            ' ' | '-' => Some(&name[..i]),
            '\'' => Some(&name[..i + 1]),
            _ => None,
        })
        .chain(std::iter::once(name))
}

/// The written forms of an organisation in a line of `organizations.tsv` (name, acronym,
/// aliases separated by `|`), as the lexicon indexes them.
pub fn org_forms(line: &str) -> impl Iterator<Item = &str> {
    let mut cols = line.split('\t');
    let name = cols.next();
    let acronym = cols.next().filter(|a| !a.is_empty());
    let aliases = cols.nth(1).unwrap_or("");
    name.into_iter()
        .chain(acronym)
        .chain(aliases.split('|').filter(|a| !a.is_empty()))
}
