//! Places: gazetteer matches (leftmost-longest over tokens), with evidence required for names
//! that are also common words or first names, and the countries the dispatch is about,
//! through its places and its demonyms (`les soldats nord-coréens`).

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use super::gazetteer::longest_match;
use super::lexicon::{Lexicons, PlaceEntry};
use super::tokens::Token;
use super::{Claims, SegTokens, mention};
use crate::model::{Country, Document, Mention, Place, Zone};

/// The most tokens a place name spans (`Royaume-Uni de Grande-Bretagne et d'Irlande du Nord`).
const MAX_PLACE_TOKENS: usize = 9;
/// A city smaller than this needs a locative frame when it starts a segment.
const MIN_UNFRAMED_POPULATION: u64 = 200_000;

/// Words before a place name that show it is used as a place.
const LOCATIVES: &[&str] = &[
    "à", "au", "aux", "en", "de", "d'", "d’", "du", "des", "dans", "vers", "depuis", "sur", "via",
    "près", "entre", "par", "pour", "contre", "avec", "et", "l'", "l’", "la", "le", "ville",
    "capitale", "région", "province",
];

/// Frame words too loose to make an ambiguous name a place (`la Mission de …`, `et Florence`).
const WEAK_LOCATIVES: &[&str] = &[
    "la", "le", "l'", "l’", "et", "pour", "contre", "avec", "par", "sur", "entre",
];

/// Verbs after a place name that make it an actor (`Moscou a affirmé`).
const ACTOR_VERBS: &[&str] = &[
    "a", "avait", "aurait", "ont", "avaient", "va", "doit", "veut", "affirme", "estime", "accuse",
    "dénonce", "refuse", "assure", "exige", "annonce", "menace", "répond", "nie", "juge",
    "rejette", "salue", "condamne", "réclame", "demande", "appelle", "soutient", "fournit",
    "dément",
];

#[derive(Debug, Clone)]
pub struct PlaceHit {
    pub range: Range<usize>,
    pub entry: PlaceEntry,
    pub as_actor: bool,
}

/// Place mentions. `person_words` holds the words of the people's full names found so far:
/// the same word alone is the person's surname (`Barack Obama` … `Obama`), not a town, unless
/// a locative frame says otherwise (`à Obama`).
pub fn hits(
    doc: &Document,
    segs: &[SegTokens],
    lex: &Lexicons,
    claims: &mut Claims,
    person_words: &HashSet<&str>,
) -> Vec<PlaceHit> {
    let text = doc.text.as_str();
    let mut last_place_end = usize::MAX;
    super::scan(segs, claims, |_, seg, i, claims| {
        let toks = &seg.tokens;
        let after_place = coordinated_after(text, toks, i, last_place_end);
        let (j, entry) = place_at(text, toks, i, seg.segment.zone, lex, claims, after_place)?;
        if j == i && person_words.contains(toks[i].text(text)) && !strongly_framed(text, toks, i) {
            return None;
        }
        last_place_end = toks[j].range.end;
        let as_actor = toks
            .get(j + 1)
            .is_some_and(|n| ACTOR_VERBS.contains(&n.text(text)));
        Some((j, (entry, as_actor)))
    })
    .into_iter()
    .map(|(range, (entry, as_actor))| PlaceHit {
        range,
        entry,
        as_actor,
    })
    .collect()
}

fn place_at(
    text: &str,
    toks: &[Token],
    i: usize,
    zone: Zone,
    lex: &Lexicons,
    claims: &Claims,
    after_place: bool,
) -> Option<(usize, PlaceEntry)> {
    let t = &toks[i];
    let word = t.text(text);
    let lowercase_start = lex.lowercase_place_starts.contains(word);
    if !(t.is_capitalized(text) || lowercase_start) || claims.overlaps(&t.range) {
        return None;
    }
    let caps = t.is_all_caps(text);
    // The key that matched (title-cased for `PARIS`); the entry is built once, for the winner.
    let (j, key) = longest_match(
        text,
        toks,
        i,
        MAX_PLACE_TOKENS,
        |k| {
            if lex.is_place(k) {
                Some(k.to_string())
            } else if caps {
                let t = title_case(k);
                lex.is_place(&t).then_some(t)
            } else {
                None
            }
        },
        |k| lex.place_prefix(k) || (caps && lex.place_prefix(&title_case(k))),
    )?;
    let entry = lex.place(&key)?;
    // `LONDRES, 12 mars` opens a dispatch in old print; elsewhere in running text a lone
    // word in capitals is an acronym (`OAS`) unless it names a major place.
    if caps
        && zone == Zone::Body
        && j == i
        && i > 0
        && key != word
        && !is_major(&entry)
        && !date_follows(text, t.range.end)
    {
        return None;
    }
    let range = t.range.start..toks[j].range.end;
    if claims.overlaps(&range) {
        return None;
    }
    // `Vladimir Poutine`, `Washington Post`: a place name glued to a further capitalised word
    // is part of a longer name.
    if let Some(next) = toks.get(j + 1)
        && next.is_capitalized(text)
        && !next.is_all_caps(text)
        && next.joined_to_previous(text, &toks[j])
    {
        return None;
    }
    // `Stade 2`, `France 24`, `Sterling & Francine …`: a number or an ampersand after it makes
    // the name a programme, a channel or a firm.
    if let Some(next) = toks.get(j + 1) {
        let between = &text[toks[j].range.end..next.range.start];
        let number = between == " " && next.text(text).starts_with(|c: char| c.is_ascii_digit());
        let unmistakable = strongly_framed(text, toks, i)
            && j == i
            && !lex.ambiguous_places.contains(toks[i].text(text));
        if (number || between.trim() == "&") && !unmistakable {
            return None;
        }
    }
    if j == i && !after_place && !has_evidence(text, toks, i, zone, &entry, lex) {
        return None;
    }
    Some((j, entry))
}

/// A one-word place that is also a common word, a first name, or a small town needs a frame.
fn has_evidence(
    text: &str,
    toks: &[Token],
    i: usize,
    zone: Zone,
    entry: &PlaceEntry,
    lex: &Lexicons,
) -> bool {
    let word = toks[i].text(text);
    let framed = i > 0
        && toks[i].joined_to_previous(text, &toks[i - 1])
        && LOCATIVES.contains(&toks[i - 1].text(text).to_lowercase().as_str());
    // A name that is also a common word or a first name needs a real locative (`à`, `en`,
    // `dans`, `près de`, a place-kind word): an article or `et` before it is no evidence.
    let ambiguous = lex.not_names.contains(word)
        || lex.ambiguous_places.contains(word)
        || lex.given_name(word).is_some();
    if ambiguous {
        return strongly_framed(text, toks, i)
            || (zone == Zone::Dateline && !lex.not_names.contains(word));
    }
    if zone == Zone::Dateline || framed {
        return true;
    }
    let small_city =
        entry.kind == "city" && entry.population.unwrap_or(0) < MIN_UNFRAMED_POPULATION;
    !(i == 0 && small_city)
}

/// `Besançon et Montbéliard`, `Lyon, Tours`: token `i` is coordinated with the place that
/// ended at `place_end`, and shares its reading.
fn coordinated_after(text: &str, toks: &[Token], i: usize, place_end: usize) -> bool {
    let Some(prev) = i.checked_sub(1).map(|k| &toks[k]) else {
        return false;
    };
    let gap = |from: usize| text.get(from..prev.range.start);
    if matches!(prev.text(text), "et" | "ou") {
        return gap(place_end).is_some_and(|g| g.trim().is_empty());
    }
    prev.range.end == place_end && text[prev.range.end..toks[i].range.start].trim() == ","
}

/// `ORBE, 15. —`, `MADRID 19 juin`: a day number right after a name in capitals makes it a
/// dateline inside the text.
fn date_follows(text: &str, end: usize) -> bool {
    let rest = text[end..].trim_start_matches([',', '.']).trim_start();
    rest.starts_with(|c: char| c.is_ascii_digit())
}

/// A country, a continent or a large city: a place whatever its frame.
fn is_major(entry: &PlaceEntry) -> bool {
    matches!(entry.kind.as_str(), "country" | "continent")
        || entry.population.unwrap_or(0) >= MIN_UNFRAMED_POPULATION
}

/// A locative word right before token `i` that is not one of [`WEAK_LOCATIVES`].
fn strongly_framed(text: &str, toks: &[Token], i: usize) -> bool {
    i > 0 && toks[i].joined_to_previous(text, &toks[i - 1]) && {
        let prev = toks[i - 1].text(text).to_lowercase();
        LOCATIVES.contains(&prev.as_str()) && !WEAK_LOCATIVES.contains(&prev.as_str())
    }
}

fn title_case(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut start = true;
    for c in s.chars() {
        if start {
            out.extend(c.to_uppercase());
        } else {
            out.extend(c.to_lowercase());
        }
        start = c == ' ' || c == '-' || c == '\'';
    }
    out
}

/// Groups the hits by place: a country by its code (`RPDC` joins `Corée du Nord`), other
/// places by GeoNames id or name. Ordered by first mention.
pub fn group(doc: &Document, segs: &[SegTokens], hits: &[PlaceHit], lex: &Lexicons) -> Vec<Place> {
    let mut order: Vec<Place> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for h in hits {
        let e = &h.entry;
        let key = match (&e.kind[..], &e.country, e.geonames_id) {
            ("country", Some(c), _) => format!("country:{c}"),
            (_, _, Some(id)) => format!("id:{id}"),
            _ => format!("name:{}", e.name),
        };
        let m: Mention = mention(doc, segs, h.range.clone(), h.as_actor);
        let idx = *index.entry(key).or_insert_with(|| {
            let name = match (&e.kind[..], &e.country) {
                ("country", Some(c)) => lex
                    .countries
                    .get(c)
                    .cloned()
                    .unwrap_or_else(|| e.name.clone()),
                _ => e.name.clone(),
            };
            order.push(Place {
                name,
                kind: e.kind.clone(),
                country: e.country.clone(),
                geonames_id: e.geonames_id,
                lat: e.lat,
                lon: e.lon,
                mentions: Vec::new(),
                count: 0,
            });
            order.len() - 1
        });
        order[idx].mentions.push(m);
        order[idx].count += 1;
    }
    order
}

/// Whether `r` lies inside one of `hits` (sorted by start and disjoint, as the leftmost-longest
/// scan gives them): a binary search, so the demonym pass stays linear in the text.
fn inside_a_hit(hits: &[PlaceHit], r: &Range<usize>) -> bool {
    let k = hits.partition_point(|h| h.range.start <= r.start);
    k > 0 && r.end <= hits[k - 1].range.end
}

/// Countries through their places and their demonyms, ordered by first mention.
pub fn countries(
    doc: &Document,
    segs: &[SegTokens],
    hits: &[PlaceHit],
    lex: &Lexicons,
) -> Vec<Country> {
    let text = doc.text.as_str();
    // (first offset, code) → country
    let mut by_code: HashMap<String, Country> = HashMap::new();
    let mut first: HashMap<String, usize> = HashMap::new();
    let mut add = |code: &str, m: Mention, demonym: bool, pos: usize| {
        let c = by_code.entry(code.to_string()).or_insert_with(|| Country {
            code: code.to_string(),
            name: lex
                .countries
                .get(code)
                .cloned()
                .unwrap_or_else(|| code.to_string()),
            places: 0,
            demonyms: 0,
            mentions: Vec::new(),
        });
        if demonym {
            c.demonyms += 1;
        } else {
            c.places += 1;
        }
        c.mentions.push(m);
        first.entry(code.to_string()).or_insert(pos);
    };
    let mut events: Vec<(usize, String, Range<usize>, bool)> = Vec::new();
    for h in hits {
        if let Some(code) = &h.entry.country {
            events.push((h.range.start, code.clone(), h.range.clone(), false));
        }
    }
    for seg in segs {
        for t in &seg.tokens {
            let lower = t.text(text).to_lowercase();
            if let Some(code) = lex.demonyms.get(&lower)
                && !inside_a_hit(hits, &t.range)
            {
                events.push((t.range.start, code.clone(), t.range.clone(), true));
            }
        }
    }
    events.sort_by_key(|a| a.0);
    for (pos, code, range, demonym) in events {
        add(&code, mention(doc, segs, range, false), demonym, pos);
    }
    let mut out: Vec<Country> = by_code.into_values().collect();
    out.sort_by(|a, b| {
        first[&a.code]
            .cmp(&first[&b.code])
            .then(a.code.cmp(&b.code))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_case_of_datelines() {
        assert_eq!(title_case("NEW YORK"), "New York");
        assert_eq!(title_case("PORT-AU-PRINCE"), "Port-Au-Prince");
    }
}
