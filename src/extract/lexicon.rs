//! The entity lexicons of `data/lexicons/`, loaded once: the big ones (places, given names)
//! as [`SortedTable`]s searched in place, the small hand-written ones as hash maps.

use std::borrow::Cow;
use std::hash::BuildHasherDefault;

use super::gazetteer::SortedTable;
use crate::resources::{DataError, columns, data_lines, rows_capacity};

/// The lexicons' tables hash with a multiply-rotate word hash (rustc's FxHash) instead of
/// SipHash: their keys come from our own data files, and text only looks keys up, so hash
/// flooding is no concern, while SipHash made filling the tables cost millions of
/// instructions at start-up.
pub type HashMap<K, V> = std::collections::HashMap<K, V, BuildHasherDefault<WordHasher>>;
pub type HashSet<K> = std::collections::HashSet<K, BuildHasherDefault<WordHasher>>;

use crate::resources::word_hash;
pub use crate::resources::word_hash::WordHasher;

/// The static sets `build.rs` wrote for the embedded word lists (see [`StrSet`]).
mod embedded_sets {
    use crate::resources::word_hash::SlotTable;
    include!(concat!(env!("OUT_DIR"), "/word_sets.rs"));
}

/// A key of the lexicons' tables: borrowed from the data text when the file writes it as is
/// (almost every key), owned only when the loader changes it (a role lower-cased). The texts
/// are `'static` (embedded, or read once with `--data` and kept for the process), so filling
/// a table copies and allocates no key: owned `String` keys cost thousands of allocations
/// and about a third of the start-up.
pub type Key = Cow<'static, str>;

/// A string-keyed table looked up by `&str` (a `&String` works too); for some embedded
/// tables, the static table `build.rs` wrote (nothing hashed at start-up). Keys inserted
/// into a static table are kept beside it, and win.
pub struct StrMap<V: 'static> {
    built: HashMap<Key, V>,
    /// Open-addressing slots (see `resources::word_hash`) and the value of each slot.
    embedded: Option<&'static (word_hash::SlotTable<'static>, &'static [V])>,
}

impl<V: 'static> StrMap<V> {
    pub fn with_capacity(n: usize) -> StrMap<V> {
        StrMap {
            built: HashMap::with_capacity_and_hasher(n, Default::default()),
            embedded: None,
        }
    }

    fn embedded(table: &'static (word_hash::SlotTable<'static>, &'static [V])) -> Self {
        StrMap {
            built: HashMap::default(),
            embedded: Some(table),
        }
    }

    pub fn get(&self, key: &str) -> Option<&V> {
        self.built.get(key).or_else(|| {
            let (slots, values) = self.embedded?;
            values.get(slots.find(key)?)
        })
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.iter().map(|(k, _)| k)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &V)> {
        let built = self.built.iter().map(|(k, v)| (k.as_ref(), v));
        let embedded = self.embedded.into_iter().flat_map(|(slots, values)| {
            slots
                .entries()
                .filter(|(_, k)| !self.built.contains_key(*k))
                .filter_map(|(i, k)| Some((k, values.get(i)?)))
        });
        built.chain(embedded)
    }

    pub fn len(&self) -> usize {
        self.iter().count()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The keys, borrowed from the text or the static table where they are.
    fn key_list(&self) -> Vec<Key> {
        let embedded = self
            .embedded
            .into_iter()
            .flat_map(|(slots, _)| slots.iter());
        self.built
            .keys()
            .cloned()
            .chain(embedded.map(Cow::Borrowed))
            .collect()
    }

    pub fn insert(&mut self, key: impl Into<Key>, value: V) -> Option<V> {
        self.built.insert(key.into(), value)
    }

    /// Inserts unless `key` is already there (the first row wins).
    pub fn insert_new(&mut self, key: impl Into<Key>, value: V) {
        let key = key.into();
        if !self.contains_key(&key) {
            self.built.insert(key, value);
        }
    }
}

/// A set of strings looked up by `&str`, keys as in [`StrMap`]; for an embedded word list,
/// the static table `build.rs` wrote (nothing hashed at start-up).
pub struct StrSet(SetTable);

enum SetTable {
    Built(HashSet<Key>),
    /// Open-addressing slots (see `resources::word_hash`).
    Embedded(word_hash::SlotTable<'static>),
}

impl StrSet {
    pub fn with_capacity(n: usize) -> StrSet {
        StrSet(SetTable::Built(HashSet::with_capacity_and_hasher(
            n,
            Default::default(),
        )))
    }

    fn embedded(slots: word_hash::SlotTable<'static>) -> StrSet {
        StrSet(SetTable::Embedded(slots))
    }

    pub fn insert(&mut self, key: impl Into<Key>) -> bool {
        if let SetTable::Embedded(slots) = self.0 {
            self.0 = SetTable::Built(slots.iter().map(Cow::Borrowed).collect());
        }
        match &mut self.0 {
            SetTable::Built(set) => set.insert(key.into()),
            SetTable::Embedded(_) => false,
        }
    }

    pub fn contains(&self, key: &str) -> bool {
        match &self.0 {
            SetTable::Built(set) => set.contains(key),
            SetTable::Embedded(slots) => slots.contains(key),
        }
    }

    pub fn iter(&self) -> Box<dyn Iterator<Item = &str> + '_> {
        match &self.0 {
            SetTable::Built(set) => Box::new(set.iter().map(|k| k.as_ref())),
            SetTable::Embedded(slots) => Box::new(slots.iter()),
        }
    }

    pub fn len(&self) -> usize {
        self.iter().count()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl<K: Into<Key>> FromIterator<K> for StrSet {
    fn from_iter<I: IntoIterator<Item = K>>(iter: I) -> StrSet {
        let iter = iter.into_iter();
        let mut set = StrSet::with_capacity(iter.size_hint().0);
        for k in iter {
            set.insert(k);
        }
        set
    }
}

/// The names of a table cut at word boundaries (`mer`, `mer du`, `mer du Japon`), so that a
/// match can tell whether a longer name is still possible: a set of every such prefix, each
/// a slice of its name (with owned `String`s this set cost 3.8 M instructions to build, and
/// the sorted names searched instead 1.6 M).
pub struct BoundaryPrefixes {
    prefixes: StrSet,
}

impl BoundaryPrefixes {
    fn new<'a>(names: impl Iterator<Item = &'a Key> + Clone) -> BoundaryPrefixes {
        // About two prefixes a name, each a slice of its name (no copy for a borrowed one).
        let mut prefixes = StrSet::with_capacity(2 * names.clone().count());
        for name in names {
            for prefix in word_hash::boundary_prefixes(name) {
                prefixes.insert(slice_of(name, prefix.len()));
            }
        }
        BoundaryPrefixes { prefixes }
    }

    /// The prefixes `build.rs` computed for an embedded file.
    fn embedded(slots: word_hash::SlotTable<'static>) -> BoundaryPrefixes {
        BoundaryPrefixes {
            prefixes: StrSet::embedded(slots),
        }
    }

    /// Whether `prefix` is a whole name, or a name's start followed by a space or a hyphen,
    /// or a name's start ending with an apostrophe (`Côte d'`).
    pub fn contains(&self, prefix: &str) -> bool {
        self.prefixes.contains(prefix)
    }
}

/// The first words of the names that start in lowercase (`mer` for `mer du Japon`).
fn lowercase_starts(names: &[Key]) -> StrSet {
    names
        .iter()
        .filter(|k| k.chars().next().is_some_and(char::is_lowercase))
        .filter_map(|k| k.split(' ').next().map(|w| slice_of(k, w.len())))
        .collect()
}

/// The first `end` bytes of `key`, borrowed like it.
fn slice_of(key: &Key, end: usize) -> Key {
    match key {
        Cow::Borrowed(s) => Cow::Borrowed(&s[..end]),
        Cow::Owned(s) => Cow::Owned(s[..end].to_string()),
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
    /// Hand-written places (name → their line, split by [`Lexicons::place`]); they win over
    /// the generated gazetteer.
    pub places_extra: StrMap<[u32; 2]>,
    /// The text of `places_extra.tsv`, which `places_extra` gives byte ranges of (its lines).
    places_extra_text: &'static str,
    /// First words of hand-written places that start in lowercase (`mer`, `nord-est`).
    pub lowercase_place_starts: StrSet,
    pub ambiguous_places: StrSet,
    pub countries: StrMap<String>,
    pub demonyms: StrMap<String>,
    pub given_names: SortedTable,
    /// Frequent French surnames (INSEE): evidence for a list of lone surnames.
    pub surnames: SortedTable,
    /// Inflected forms of speech verbs: a name right before or after one is a speaker.
    pub cue_forms: SortedTable,
    pub orgs: Vec<OrgEntry>,
    /// Every written form of an organisation (name, acronym, alias) → index in `orgs`.
    pub org_forms: StrMap<usize>,
    pub org_heads: StrMap<(String, HeadMode)>,
    /// Role phrases (lowercase) → gender `m`, `f` or `u`.
    pub roles: StrMap<char>,
    /// Most words in a role phrase.
    pub max_role_words: usize,
    /// First words of the role phrases, lowercase: a cheap test before trying the phrases.
    pub role_first_words: StrSet,
    pub honorifics: StrMap<char>,
    pub not_names: StrSet,
    pub name_blockers: StrSet,
    /// Plural nouns for a group's members (`les combattants de …`): the name after them is an
    /// organisation.
    pub member_nouns: StrSet,
    pub family_name_first: StrSet,
    /// All-capital words that are not organisations (`PIB`, `ADN`, `SMS`).
    pub not_org_acronyms: StrSet,
    /// Keys of `places_extra` and `org_forms` cut at word boundaries, so a match can tell
    /// whether a longer name is still possible.
    pub extra_place_prefixes: BoundaryPrefixes,
    pub org_prefixes: BoundaryPrefixes,
    /// Lowercase frame words around place names → what they say and the kind they give.
    pub place_frames: StrMap<(PlaceFrame, String)>,
    /// Capitalised heads that name one institution alone (`la Commission`, `le Parlement`).
    pub org_lone_heads: StrSet,
    /// Common nouns after which an all-capital word is a thing's name (`le projet ACTA`).
    pub acronym_label_nouns: StrSet,
}

/// Gives the text of a data file by its path under `data/`: the embedded copy, or one read
/// with `--data` and kept for the life of the process (see `resources::Resources`), so the
/// tables can borrow their keys from it.
pub type Loader<'a> = dyn Fn(&str) -> Result<&'static str, DataError> + 'a;

impl Lexicons {
    pub fn load(load: &Loader) -> Result<Lexicons, DataError> {
        let places_extra_text = load("lexicons/places_extra.tsv")?;
        let places_embedded = is_embedded("lexicons/places_extra.tsv", load)?;
        let places_extra = match places_embedded {
            true => StrMap::embedded(&embedded_sets::PLACES_EXTRA),
            false => parse_places(places_extra_text, "lexicons/places_extra.tsv")?,
        };
        let lowercase_place_starts = match places_embedded {
            true => StrSet::embedded(embedded_sets::LOWERCASE_PLACE_STARTS),
            false => lowercase_starts(&places_extra.key_list()),
        };
        let orgs_embedded = is_embedded("lexicons/organizations.tsv", load)?;
        let (orgs, org_forms) = parse_orgs(load("lexicons/organizations.tsv")?, orgs_embedded)?;
        let roles = match is_embedded("lexicons/roles.tsv", load)? {
            true => StrMap::embedded(&embedded_sets::ROLES),
            false => parse_gendered(load("lexicons/roles.tsv")?, "lexicons/roles.tsv", true)?,
        };
        let max_role_words = roles
            .keys()
            .map(|r| r.split(' ').count())
            .max()
            .unwrap_or(1);
        let role_first_words = roles
            .key_list()
            .iter()
            .filter_map(|r| r.split(' ').next().map(|w| slice_of(r, w.len())))
            .collect();
        let extra_place_prefixes = match places_embedded {
            true => BoundaryPrefixes::embedded(embedded_sets::PLACE_PREFIXES),
            false => BoundaryPrefixes::new(places_extra.key_list().iter()),
        };
        let org_prefixes = match orgs_embedded {
            true => BoundaryPrefixes::embedded(embedded_sets::ORG_PREFIXES),
            false => BoundaryPrefixes::new(org_forms.key_list().iter()),
        };
        let mut org_heads = parse_heads(load("lexicons/org_patterns.tsv")?)?;
        let member_nouns = word_set("lexicons/member_nouns.txt", load)?;
        for noun in member_nouns.iter() {
            if !org_heads.contains_key(noun) {
                org_heads.insert(noun.to_string(), ("other".to_string(), HeadMode::Following));
            }
        }
        Ok(Lexicons {
            places: SortedTable::load(
                "lexicons/places.tsv",
                Cow::Borrowed(load("lexicons/places.tsv")?),
            ),
            places_extra,
            places_extra_text,
            lowercase_place_starts,
            ambiguous_places: word_set("lexicons/ambiguous_places.txt", load)?,
            countries: pairs(load("lexicons/countries.tsv")?, "lexicons/countries.tsv")?,
            demonyms: pairs(load("lexicons/demonyms.tsv")?, "lexicons/demonyms.tsv")?,
            given_names: SortedTable::load(
                "lexicons/given_names.tsv",
                Cow::Borrowed(load("lexicons/given_names.tsv")?),
            ),
            surnames: SortedTable::load(
                "lexicons/surnames.tsv",
                Cow::Borrowed(load("lexicons/surnames.tsv")?),
            ),
            cue_forms: SortedTable::load(
                "lexicons/cue_verbs.tsv",
                Cow::Borrowed(load("lexicons/cue_verbs.tsv")?),
            ),
            orgs,
            org_forms,
            org_heads,
            roles,
            max_role_words,
            role_first_words,
            honorifics: match is_embedded("lexicons/honorifics.tsv", load)? {
                true => StrMap::embedded(&embedded_sets::HONORIFICS),
                false => parse_gendered(
                    load("lexicons/honorifics.tsv")?,
                    "lexicons/honorifics.tsv",
                    false,
                )?,
            },
            not_names: word_set("lexicons/not_names.txt", load)?,
            name_blockers: word_set("lexicons/name_blockers.txt", load)?,
            member_nouns,
            family_name_first: word_set("lexicons/family_name_first.txt", load)?,
            not_org_acronyms: word_set("lexicons/not_org_acronyms.txt", load)?,
            extra_place_prefixes,
            org_prefixes,
            place_frames: parse_place_frames(load("lexicons/place_frames.tsv")?)?,
            org_lone_heads: word_set("lexicons/org_lone_heads.txt", load)?,
            acronym_label_nouns: word_set("lexicons/acronym_label_nouns.txt", load)?,
        })
    }

    /// The place a name denotes: hand-written entries first, then the gazetteer.
    pub fn place(&self, key: &str) -> Option<PlaceEntry> {
        if let Some(&[start, end]) = self.places_extra.get(key) {
            let line = self.places_extra_text.get(start as usize..end as usize)?;
            let mut p = place_from_line(line)?;
            // A hand-written row wins, but borrows the ids and coordinates the gazetteer has.
            if p.geonames_id.is_none() || p.lat.is_none() {
                let generated = self.places.get(key).and_then(place_from_line);
                if let Some(g) = generated.filter(|g| g.country == p.country) {
                    p.geonames_id = p.geonames_id.or(g.geonames_id);
                    p.lat = p.lat.or(g.lat);
                    p.lon = p.lon.or(g.lon);
                    p.population = p.population.or(g.population);
                }
            }
            return Some(p);
        }
        place_from_line(self.places.get(key)?)
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

/// Whether the loader gives the embedded copy of data file `name` (by address: `EMBEDDED` is
/// a `static`), for which `build.rs` made the tables.
fn is_embedded(name: &str, load: &Loader) -> Result<bool, DataError> {
    let text = load(name)?;
    Ok(crate::resources::EMBEDDED
        .iter()
        .any(|(n, t)| *n == name && std::ptr::eq(*t, text)))
}

/// A word list, one word a line: the static set `build.rs` made for the embedded file, else
/// built from the text.
fn word_set(name: &str, load: &Loader) -> Result<StrSet, DataError> {
    if is_embedded(name, load)?
        && let Some((_, slots)) = embedded_sets::WORD_SETS.iter().find(|(n, _)| *n == name)
    {
        return Ok(StrSet::embedded(*slots));
    }
    Ok(built_word_set(load(name)?))
}

fn built_word_set(contents: &'static str) -> StrSet {
    let mut set = StrSet::with_capacity(rows_capacity(contents));
    for (_, line) in data_lines(contents) {
        set.insert(line.trim());
    }
    set
}

fn pairs<V: From<&'static str>>(
    contents: &'static str,
    file: &str,
) -> Result<StrMap<V>, DataError> {
    let mut map = StrMap::with_capacity(rows_capacity(contents));
    for (line, text) in data_lines(contents) {
        let cols = columns(file, line, text, 2)?;
        map.insert(cols[0], V::from(cols[1]));
    }
    Ok(map)
}

fn opt(s: &str) -> Option<&str> {
    (!s.is_empty()).then_some(s)
}

/// A place from its TSV line (name, kind, country, geonames id, lat, lon, population).
fn place_from_line(line: &str) -> Option<PlaceEntry> {
    let mut cols = line.split('\t');
    let mut next = || cols.next();
    let (name, kind, country) = (next()?, next()?, next()?);
    let (id, lat, lon, population) = (next()?, next()?, next()?, next()?);
    Some(PlaceEntry {
        name: name.to_string(),
        kind: kind.to_string(),
        country: opt(country).map(str::to_string),
        geonames_id: opt(id).and_then(|v| v.parse().ok()),
        lat: opt(lat).and_then(|v| v.parse().ok()),
        lon: opt(lon).and_then(|v| v.parse().ok()),
        population: opt(population).and_then(|v| v.parse().ok()),
    })
}

/// The hand-written places: name → line, checked for their seven columns; the entry is
/// made on lookup ([`Lexicons::place`]), as for the gazetteer.
fn parse_places(contents: &'static str, file: &str) -> Result<StrMap<[u32; 2]>, DataError> {
    let mut map = StrMap::with_capacity(rows_capacity(contents));
    for (line, text) in data_lines(contents) {
        let cols = columns(file, line, text, 7)?;
        map.insert(cols[0], line_range(contents, text));
    }
    Ok(map)
}

/// The byte range of `line`, a slice of `text`, in `text`.
fn line_range(text: &str, line: &str) -> [u32; 2] {
    let start = (line.as_ptr() as usize).saturating_sub(text.as_ptr() as usize);
    [start as u32, (start + line.len()) as u32]
}

fn parse_place_frames(contents: &'static str) -> Result<StrMap<(PlaceFrame, String)>, DataError> {
    let file = "lexicons/place_frames.tsv";
    let mut map = StrMap::with_capacity(rows_capacity(contents));
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
        map.insert(cols[0], (frame, cols[2].to_string()));
    }
    Ok(map)
}

type OrgIndex = (Vec<OrgEntry>, StrMap<usize>);

/// The organisations and the index of their forms; for the embedded file, the index is the
/// static table `build.rs` wrote (`embedded`).
fn parse_orgs(contents: &'static str, embedded: bool) -> Result<OrgIndex, DataError> {
    const FILE: &str = "lexicons/organizations.tsv";
    let rows = rows_capacity(contents);
    let mut orgs = Vec::with_capacity(rows);
    // A name, an acronym and an alias or two per row.
    let mut forms = match embedded {
        true => StrMap::embedded(&embedded_sets::ORG_FORMS),
        false => StrMap::with_capacity(2 * rows),
    };
    for (line, text) in data_lines(contents) {
        let cols = columns(FILE, line, text, 3)?;
        let idx = orgs.len();
        orgs.push(OrgEntry {
            name: cols[0].to_string(),
            acronym: opt(cols[1]).map(str::to_string),
            kind: cols[2].to_string(),
        });
        if embedded {
            continue;
        }
        for form in word_hash::org_forms(text) {
            forms.insert_new(form, idx);
        }
    }
    Ok((orgs, forms))
}

fn parse_heads(contents: &'static str) -> Result<StrMap<(String, HeadMode)>, DataError> {
    const FILE: &str = "lexicons/org_patterns.tsv";
    let mut map = StrMap::with_capacity(rows_capacity(contents));
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
        map.insert(cols[0], (cols[1].to_string(), mode));
    }
    Ok(map)
}

fn parse_gendered(
    contents: &'static str,
    file: &str,
    lowercase: bool,
) -> Result<StrMap<char>, DataError> {
    let mut map = StrMap::with_capacity(rows_capacity(contents));
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
            // Borrowed when it is lower-case already (most role phrases are).
            crate::extract::lowercase(cols[0])
        } else {
            Cow::Borrowed(cols[0])
        };
        map.insert(key, gender);
    }
    Ok(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The set the prefixes were kept in before: every prefix ending where a word ends.
    fn every_boundary_prefix(names: &[&str]) -> std::collections::HashSet<String> {
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
        let extra: Vec<Key> = [
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
        .into_iter()
        .map(Cow::Borrowed)
        // An owned key (a lower-cased one) has owned prefixes.
        .chain([Cow::Owned("chef de l'état".to_string())])
        .collect();
        let tables: [(Vec<&str>, &BoundaryPrefixes); 2] = [
            (
                lex.places_extra
                    .keys()
                    .chain(extra.iter().map(|k| k.as_ref()))
                    .collect(),
                &BoundaryPrefixes::new(lex.places_extra.key_list().iter().chain(&extra)),
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
    fn keys_are_borrowed_from_the_text_unless_changed() {
        let text: &'static str = "# c\nPremier ministre\tm\nministre\tu\n";
        let roles = parse_gendered(text, "roles.tsv", true).unwrap();
        assert_eq!(roles.get("premier ministre"), Some(&'m'));
        assert_eq!(roles.get("Premier ministre"), None);
        let borrowed =
            |k: &str| matches!(roles.built.get_key_value(k), Some((Cow::Borrowed(_), _)));
        assert!(borrowed("ministre") && !borrowed("premier ministre"));
        assert_eq!(crate::extract::lowercase("ǅemal"), "ǆemal");
    }

    #[test]
    fn a_hand_written_place_is_split_on_lookup() {
        let res = crate::Resources::embedded().unwrap();
        let lex = &res.names;
        let (name, &[start, end]) = lex.places_extra.iter().next().unwrap();
        let line = &lex.places_extra_text[start as usize..end as usize];
        assert!(line.starts_with(&format!("{name}\t")));
        let entry = lex.place(name).unwrap();
        assert_eq!(entry.name, name);
        assert_eq!(Some(entry.kind.as_str()), line.split('\t').nth(1));
        assert!(place_from_line("a\tb\tc").is_none());
        let full = place_from_line("Lille\tcity\tFR\t2998324\t50.6\t3.06\t234475").unwrap();
        assert_eq!(
            (full.geonames_id, full.lat, full.population),
            (Some(2998324), Some(50.6), Some(234475))
        );
    }

    /// Whether two maps hold the same entries (and some).
    fn same<V: PartialEq>(a: &StrMap<V>, b: &StrMap<V>) -> bool {
        let mut a: Vec<(&str, &V)> = a.iter().collect();
        let mut b: Vec<(&str, &V)> = b.iter().collect();
        a.sort_unstable_by_key(|(k, _)| *k);
        b.sort_unstable_by_key(|(k, _)| *k);
        !a.is_empty() && a == b
    }

    fn sorted(set: &StrSet) -> Vec<&str> {
        let mut keys: Vec<&str> = set.iter().collect();
        keys.sort_unstable();
        keys
    }

    /// The static sets `build.rs` wrote are the sets the embedded texts give at run time.
    #[test]
    fn embedded_word_sets_are_the_built_ones() {
        let embedded = |name: &str| {
            crate::resources::EMBEDDED
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, t)| *t)
                .unwrap()
        };
        let load = |name: &str| Ok(embedded(name));
        for (name, slots) in embedded_sets::WORD_SETS {
            let built = built_word_set(embedded(name));
            let set = word_set(name, &load).unwrap();
            assert!(matches!(set.0, SetTable::Embedded(_)), "{name}");
            assert_eq!(sorted(&set), sorted(&built), "{name}");
            assert!(!built.is_empty() && built.iter().all(|k| slots.contains(k)));
            assert!(!set.contains("pas un mot de la liste"));
        }
        let lex = Lexicons::load(&load).unwrap();
        let places = BoundaryPrefixes::new(lex.places_extra.key_list().iter());
        let (_, org_forms) = parse_orgs(embedded("lexicons/organizations.tsv"), false).unwrap();
        assert!(org_forms.embedded.is_none() && lex.org_forms.embedded.is_some());
        let orgs = BoundaryPrefixes::new(org_forms.key_list().iter());
        assert_eq!(
            sorted(&lex.extra_place_prefixes.prefixes),
            sorted(&places.prefixes)
        );
        assert_eq!(sorted(&lex.org_prefixes.prefixes), sorted(&orgs.prefixes));
        // An edited copy (as with `--data`) is built from its text.
        let copy: &'static str = "# edited\nun\ndeux\n";
        let edited = |name: &str| {
            Ok(if name == "lexicons/not_names.txt" {
                copy
            } else {
                embedded(name)
            })
        };
        let set = word_set("lexicons/not_names.txt", &edited).unwrap();
        assert_eq!(sorted(&set), ["deux", "un"]);
        // The static maps hold what the texts give.
        assert!(same(&lex.org_forms, &org_forms));
        let places_text = embedded("lexicons/places_extra.tsv");
        let places_extra = parse_places(places_text, "p.tsv").unwrap();
        assert!(same(&lex.places_extra, &places_extra) && lex.places_extra.embedded.is_some());
        let starts = lowercase_starts(&places_extra.key_list());
        assert_eq!(sorted(&lex.lowercase_place_starts), sorted(&starts));
        assert!(lex.lowercase_place_starts.contains("mer"));
        let roles = parse_gendered(embedded("lexicons/roles.tsv"), "roles.tsv", true).unwrap();
        assert!(same(&lex.roles, &roles) && lex.roles.embedded.is_some());
        let honorifics = parse_gendered(embedded("lexicons/honorifics.tsv"), "h.tsv", false);
        assert!(same(&lex.honorifics, &honorifics.unwrap()));
        let mut grown = StrSet::embedded(embedded_sets::WORD_SETS[0].1);
        assert!(grown.insert("un mot ajouté") && grown.contains("un mot ajouté"));
    }

    #[test]
    fn word_hasher_spreads_short_keys() {
        let set: HashSet<String> = (0..5000).map(|i| format!("w{i}")).collect();
        assert_eq!(set.len(), 5000);
        assert!(set.contains("w4999") && !set.contains("w5000"));
    }
}
