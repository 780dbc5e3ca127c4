//! The entity lexicons of `data/lexicons/`, loaded once: the big ones (places, given names)
//! as [`SortedTable`]s searched in place, the small hand-written ones as hash maps.

use std::borrow::Cow;
use std::hash::{BuildHasherDefault, Hasher};

use super::gazetteer::SortedTable;
use crate::resources::{DataError, columns, data_lines, rows_capacity};

/// The lexicons' tables hash with a multiply-rotate word hash (rustc's FxHash) instead of
/// SipHash: their keys come from our own data files, and text only looks keys up, so hash
/// flooding is no concern, while SipHash made filling the tables cost millions of
/// instructions at start-up.
pub type HashMap<K, V> = std::collections::HashMap<K, V, BuildHasherDefault<WordHasher>>;
pub type HashSet<K> = std::collections::HashSet<K, BuildHasherDefault<WordHasher>>;

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

/// The names of a table cut at word boundaries (`mer`, `mer du`, `mer du Japon`), so that a
/// match can tell whether a longer name is still possible. The names are kept sorted and the
/// prefixes found by binary search: a set of every prefix cost 3.8 M instructions to build.
pub struct BoundaryPrefixes {
    names: Vec<String>,
}

impl BoundaryPrefixes {
    fn new<'a>(names: impl Iterator<Item = &'a String>) -> BoundaryPrefixes {
        let mut names: Vec<String> = names.cloned().collect();
        names.sort_unstable();
        BoundaryPrefixes { names }
    }

    /// Whether `prefix` is a whole name, or a name's start followed by a space or a hyphen,
    /// or a name's start ending with an apostrophe (`Côte d'`).
    pub fn contains(&self, prefix: &str) -> bool {
        let first = self.names.partition_point(|n| n.as_str() < prefix);
        let mut starting = self.names[first..]
            .iter()
            .take_while(|n| n.starts_with(prefix));
        if prefix.ends_with('\'') {
            return starting.next().is_some();
        }
        // Names that go on with a space or a hyphen sort before those that go on with a
        // letter: the scan stops at the first byte above `-`.
        starting
            .map(|n| n.as_bytes().get(prefix.len()).copied())
            .take_while(|next| next.is_none_or(|b| b <= b'-'))
            .any(|next| matches!(next, None | Some(b' ' | b'-')))
    }
}

/// One row of the gazetteer.
#[derive(Debug, Clone, PartialEq)]
pub struct PlaceEntry {
    pub name: String,
    pub kind: String,
    pub country: Option<String>,
    pub geonames_id: Option<u64>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub population: Option<u64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OrgEntry {
    pub name: String,
    pub acronym: Option<String>,
    pub kind: String,
}

/// How an organisation head noun relates to the name (`data/lexicons/org_patterns.tsv`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeadMode {
    /// The head is part of the name: `ministère russe des Affaires étrangères`.
    Full,
    /// Only the proper noun after the head is the organisation: `l'agence Tass` → Tass.
    Following,
    /// The head ends the name, after capitalised words: `Getty Research Institute`.
    Tail,
    /// Like `Full`, and a demonym alone completes it: `le gouvernement malien`.
    National,
}

/// What a lowercase word next to a capitalised name says about it
/// (`data/lexicons/place_frames.tsv`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlaceFrame {
    /// `la ville de X`: X is a place.
    Settlement,
    /// `rue de Lille`, `îles d'Hyères`: the word and the name are the place.
    Feature,
    /// `église Saint-Pierre`: the word and the name right after it are the place.
    Building,
    /// `traité de Rome`: the name after it is part of an event's name, no place.
    Event,
    /// `Afrique australe`: the adjective after a place is part of its name.
    Adjective,
    /// `face à X`, `accès à X`: the name after `à` is no place on that evidence alone.
    Dative,
    /// `3e arrondissement (de Paris)`: after an ordinal, the word names a district.
    Ordinal,
}

pub struct Lexicons {
    pub places: SortedTable,
    /// Hand-written places; they win over the generated gazetteer.
    pub places_extra: HashMap<String, PlaceEntry>,
    /// First words of hand-written places that start in lowercase (`mer`, `nord-est`).
    pub lowercase_place_starts: HashSet<String>,
    pub ambiguous_places: HashSet<String>,
    pub countries: HashMap<String, String>,
    pub demonyms: HashMap<String, String>,
    pub given_names: SortedTable,
    /// Frequent French surnames (INSEE): evidence for a list of lone surnames.
    pub surnames: SortedTable,
    /// Inflected forms of speech verbs: a name right before or after one is a speaker.
    pub cue_forms: SortedTable,
    pub orgs: Vec<OrgEntry>,
    /// Every written form of an organisation (name, acronym, alias) → index in `orgs`.
    pub org_forms: HashMap<String, usize>,
    pub org_heads: HashMap<String, (String, HeadMode)>,
    /// Role phrases (lowercase) → gender `m`, `f` or `u`.
    pub roles: HashMap<String, char>,
    /// Most words in a role phrase.
    pub max_role_words: usize,
    /// First words of the role phrases, lowercase: a cheap test before trying the phrases.
    pub role_first_words: HashSet<String>,
    pub honorifics: HashMap<String, char>,
    pub not_names: HashSet<String>,
    pub name_blockers: HashSet<String>,
    /// Plural nouns for a group's members (`les combattants de …`): the name after them is an
    /// organisation.
    pub member_nouns: HashSet<String>,
    pub family_name_first: HashSet<String>,
    /// All-capital words that are not organisations (`PIB`, `ADN`, `SMS`).
    pub not_org_acronyms: HashSet<String>,
    /// Keys of `places_extra` and `org_forms` cut at word boundaries, so a match can tell
    /// whether a longer name is still possible.
    pub extra_place_prefixes: BoundaryPrefixes,
    pub org_prefixes: BoundaryPrefixes,
    /// Lowercase frame words around place names → what they say and the kind they give.
    pub place_frames: HashMap<String, (PlaceFrame, String)>,
    /// Capitalised heads that name one institution alone (`la Commission`, `le Parlement`).
    pub org_lone_heads: HashSet<String>,
    /// Common nouns after which an all-capital word is a thing's name (`le projet ACTA`).
    pub acronym_label_nouns: HashSet<String>,
}

pub type Loader<'a> = dyn Fn(&str) -> Result<Cow<'static, str>, DataError> + 'a;

impl Lexicons {
    pub fn load(load: &Loader) -> Result<Lexicons, DataError> {
        let places_extra = parse_places(
            &load("lexicons/places_extra.tsv")?,
            "lexicons/places_extra.tsv",
        )?;
        let lowercase_place_starts = places_extra
            .keys()
            .filter(|k| k.chars().next().is_some_and(char::is_lowercase))
            .filter_map(|k| k.split(' ').next().map(str::to_string))
            .collect();
        let (orgs, org_forms) = parse_orgs(&load("lexicons/organizations.tsv")?)?;
        let roles = parse_gendered(&load("lexicons/roles.tsv")?, "lexicons/roles.tsv", true)?;
        let max_role_words = roles
            .keys()
            .map(|r| r.split(' ').count())
            .max()
            .unwrap_or(1);
        let role_first_words = roles
            .keys()
            .filter_map(|r| r.split(' ').next())
            .map(str::to_string)
            .collect();
        let extra_place_prefixes = BoundaryPrefixes::new(places_extra.keys());
        let org_prefixes = BoundaryPrefixes::new(org_forms.keys());
        let mut org_heads = parse_heads(&load("lexicons/org_patterns.tsv")?)?;
        let member_nouns = word_set(&load("lexicons/member_nouns.txt")?);
        for noun in &member_nouns {
            org_heads
                .entry(noun.clone())
                .or_insert_with(|| ("other".to_string(), HeadMode::Following));
        }
        Ok(Lexicons {
            places: SortedTable::load("lexicons/places.tsv", load("lexicons/places.tsv")?),
            places_extra,
            lowercase_place_starts,
            ambiguous_places: word_set(&load("lexicons/ambiguous_places.txt")?),
            countries: pairs(&load("lexicons/countries.tsv")?, "lexicons/countries.tsv")?,
            demonyms: pairs(&load("lexicons/demonyms.tsv")?, "lexicons/demonyms.tsv")?,
            given_names: SortedTable::load(
                "lexicons/given_names.tsv",
                load("lexicons/given_names.tsv")?,
            ),
            surnames: SortedTable::load("lexicons/surnames.tsv", load("lexicons/surnames.tsv")?),
            cue_forms: SortedTable::load("lexicons/cue_verbs.tsv", load("lexicons/cue_verbs.tsv")?),
            orgs,
            org_forms,
            org_heads,
            roles,
            max_role_words,
            role_first_words,
            honorifics: parse_gendered(
                &load("lexicons/honorifics.tsv")?,
                "lexicons/honorifics.tsv",
                false,
            )?,
            not_names: word_set(&load("lexicons/not_names.txt")?),
            name_blockers: word_set(&load("lexicons/name_blockers.txt")?),
            member_nouns,
            family_name_first: word_set(&load("lexicons/family_name_first.txt")?),
            not_org_acronyms: word_set(&load("lexicons/not_org_acronyms.txt")?),
            extra_place_prefixes,
            org_prefixes,
            place_frames: parse_place_frames(&load("lexicons/place_frames.tsv")?)?,
            org_lone_heads: word_set(&load("lexicons/org_lone_heads.txt")?),
            acronym_label_nouns: word_set(&load("lexicons/acronym_label_nouns.txt")?),
        })
    }

    /// The place a name denotes: hand-written entries first, then the gazetteer.
    pub fn place(&self, key: &str) -> Option<PlaceEntry> {
        if let Some(p) = self.places_extra.get(key) {
            let mut p = p.clone();
            // A hand-written row wins, but borrows the ids and coordinates the gazetteer has.
            if p.geonames_id.is_none() || p.lat.is_none() {
                let generated = self
                    .places
                    .get(key)
                    .and_then(|l| place_from_columns(&l.split('\t').collect::<Vec<_>>()));
                if let Some(g) = generated.filter(|g| g.country == p.country) {
                    p.geonames_id = p.geonames_id.or(g.geonames_id);
                    p.lat = p.lat.or(g.lat);
                    p.lon = p.lon.or(g.lon);
                    p.population = p.population.or(g.population);
                }
            }
            return Some(p);
        }
        let line = self.places.get(key)?;
        place_from_columns(&line.split('\t').collect::<Vec<_>>())
    }

    /// Whether `key` names a place, without building the entry.
    pub fn is_place(&self, key: &str) -> bool {
        self.places_extra.contains_key(key) || self.places.get(key).is_some()
    }

    pub fn place_prefix(&self, prefix: &str) -> bool {
        self.extra_place_prefixes.contains(prefix) || self.places.has_prefix(prefix)
    }

    fn given_names_has(&self, name: &str) -> bool {
        self.given_names.get(name).is_some()
    }

    /// `m`, `f` or `u` for a given name.
    pub fn given_name(&self, name: &str) -> Option<char> {
        // One search per name (the name extractors ask this of most capitalised words).
        if let Some(line) = self.given_names.get(name) {
            return line.split('\t').nth(1).and_then(|g| g.chars().next());
        }
        // Compound first names (`Jean-Luc`, `Marie-Christine`): every part is a first name;
        // the first part gives the gender.
        if !name.contains('-') {
            return None;
        }
        let mut parts = name.split('-');
        let first = self.given_name(parts.next()?)?;
        parts.all(|p| self.given_names_has(p)).then_some(first)
    }
}

fn word_set(contents: &str) -> HashSet<String> {
    let mut set = HashSet::with_capacity_and_hasher(rows_capacity(contents), Default::default());
    set.extend(data_lines(contents).map(|(_, l)| l.trim().to_string()));
    set
}

fn pairs(contents: &str, file: &str) -> Result<HashMap<String, String>, DataError> {
    let mut map = HashMap::with_capacity_and_hasher(rows_capacity(contents), Default::default());
    for (line, text) in data_lines(contents) {
        let cols = columns(file, line, text, 2)?;
        map.insert(cols[0].to_string(), cols[1].to_string());
    }
    Ok(map)
}

fn opt(s: &str) -> Option<&str> {
    (!s.is_empty()).then_some(s)
}

fn place_from_columns(cols: &[&str]) -> Option<PlaceEntry> {
    if cols.len() < 7 {
        return None;
    }
    Some(PlaceEntry {
        name: cols[0].to_string(),
        kind: cols[1].to_string(),
        country: opt(cols[2]).map(str::to_string),
        geonames_id: opt(cols[3]).and_then(|v| v.parse().ok()),
        lat: opt(cols[4]).and_then(|v| v.parse().ok()),
        lon: opt(cols[5]).and_then(|v| v.parse().ok()),
        population: opt(cols[6]).and_then(|v| v.parse().ok()),
    })
}

fn parse_places(contents: &str, file: &str) -> Result<HashMap<String, PlaceEntry>, DataError> {
    let mut map = HashMap::with_capacity_and_hasher(rows_capacity(contents), Default::default());
    for (line, text) in data_lines(contents) {
        let cols = columns(file, line, text, 7)?;
        let entry = place_from_columns(&cols).ok_or_else(|| DataError::Parse {
            file: file.to_string(),
            line,
            message: "bad place row".to_string(),
        })?;
        map.insert(entry.name.clone(), entry);
    }
    Ok(map)
}

fn parse_place_frames(contents: &str) -> Result<HashMap<String, (PlaceFrame, String)>, DataError> {
    let file = "lexicons/place_frames.tsv";
    let mut map = HashMap::with_capacity_and_hasher(rows_capacity(contents), Default::default());
    for (line, text) in data_lines(contents) {
        let cols = columns(file, line, text, 3)?;
        let frame = match cols[1] {
            "settlement" => PlaceFrame::Settlement,
            "feature" => PlaceFrame::Feature,
            "building" => PlaceFrame::Building,
            "event" => PlaceFrame::Event,
            "adjective" => PlaceFrame::Adjective,
            "dative" => PlaceFrame::Dative,
            "ordinal" => PlaceFrame::Ordinal,
            other => {
                return Err(DataError::Parse {
                    file: file.to_string(),
                    line,
                    message: format!("unknown place frame {other:?}"),
                });
            }
        };
        map.insert(cols[0].to_string(), (frame, cols[2].to_string()));
    }
    Ok(map)
}

type OrgIndex = (Vec<OrgEntry>, HashMap<String, usize>);

fn parse_orgs(contents: &str) -> Result<OrgIndex, DataError> {
    const FILE: &str = "lexicons/organizations.tsv";
    let mut orgs = Vec::new();
    // A name, an acronym and an alias or two per row.
    let mut forms =
        HashMap::with_capacity_and_hasher(2 * rows_capacity(contents), Default::default());
    for (line, text) in data_lines(contents) {
        let cols = columns(FILE, line, text, 3)?;
        let idx = orgs.len();
        orgs.push(OrgEntry {
            name: cols[0].to_string(),
            acronym: opt(cols[1]).map(str::to_string),
            kind: cols[2].to_string(),
        });
        let aliases = cols.get(3).copied().unwrap_or("");
        for form in std::iter::once(cols[0])
            .chain(opt(cols[1]))
            .chain(aliases.split('|').filter(|a| !a.is_empty()))
        {
            forms.entry(form.to_string()).or_insert(idx);
        }
    }
    Ok((orgs, forms))
}

fn parse_heads(contents: &str) -> Result<HashMap<String, (String, HeadMode)>, DataError> {
    const FILE: &str = "lexicons/org_patterns.tsv";
    let mut map = HashMap::with_capacity_and_hasher(rows_capacity(contents), Default::default());
    for (line, text) in data_lines(contents) {
        let cols = columns(FILE, line, text, 3)?;
        let mode = match cols[2] {
            "full" => HeadMode::Full,
            "following" => HeadMode::Following,
            "tail" => HeadMode::Tail,
            "national" => HeadMode::National,
            other => {
                return Err(DataError::Parse {
                    file: FILE.to_string(),
                    line,
                    message: format!(
                        "mode must be full, following, tail or national, found {other:?}"
                    ),
                });
            }
        };
        map.insert(cols[0].to_string(), (cols[1].to_string(), mode));
    }
    Ok(map)
}

fn parse_gendered(
    contents: &str,
    file: &str,
    lowercase: bool,
) -> Result<HashMap<String, char>, DataError> {
    let mut map = HashMap::with_capacity_and_hasher(rows_capacity(contents), Default::default());
    for (line, text) in data_lines(contents) {
        let cols = columns(file, line, text, 2)?;
        let gender = match cols[1] {
            "m" => 'm',
            "f" => 'f',
            "u" => 'u',
            other => {
                return Err(DataError::Parse {
                    file: file.to_string(),
                    line,
                    message: format!("gender must be m, f or u, found {other:?}"),
                });
            }
        };
        let key = if lowercase {
            cols[0].to_lowercase()
        } else {
            cols[0].to_string()
        };
        map.insert(key, gender);
    }
    Ok(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The set the prefixes were kept in before: every prefix ending where a word ends.
    fn every_boundary_prefix(names: &[&String]) -> std::collections::HashSet<String> {
        let mut out = std::collections::HashSet::new();
        for name in names {
            for (i, c) in name.char_indices() {
                if c == ' ' || c == '-' {
                    out.insert(name[..i].to_string());
                } else if c == '\'' {
                    out.insert(name[..i + 1].to_string());
                }
            }
            out.insert(name.to_string());
        }
        out
    }

    #[test]
    fn boundary_prefixes_are_those_of_the_full_set() {
        let res = crate::Resources::embedded().unwrap();
        let lex = &res.names;
        let extra = [
            "mer",
            "mer du",
            "mer du Japon",
            "Côte d'",
            "Côte d'Ivoire",
            "Côte d",
            "nord-est",
            "nord-",
            "-x",
            "x'",
            "x' y",
            "Saint",
            "Saint-",
            "",
        ]
        .map(String::from);
        let tables: [(Vec<&String>, &BoundaryPrefixes); 2] = [
            (
                lex.places_extra.keys().chain(&extra).collect(),
                &BoundaryPrefixes::new(lex.places_extra.keys().chain(&extra)),
            ),
            (lex.org_forms.keys().collect(), &lex.org_prefixes),
        ];
        for (names, prefixes) in tables {
            let expected = every_boundary_prefix(&names);
            let mut probes: Vec<String> = Vec::new();
            for name in &names {
                probes.extend(name.char_indices().map(|(i, _)| name[..i].to_string()));
                probes.extend([format!("{name} "), format!("{name}-"), format!("{name}x")]);
                probes.push(name.to_string());
            }
            for p in &probes {
                assert_eq!(prefixes.contains(p), expected.contains(p), "{p:?}");
            }
        }
    }

    #[test]
    fn word_hasher_spreads_short_keys() {
        let set: HashSet<String> = (0..5000).map(|i| format!("w{i}")).collect();
        assert_eq!(set.len(), 5000);
        assert!(set.contains("w4999") && !set.contains("w5000"));
    }
}
