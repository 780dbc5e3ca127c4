//! Places: gazetteer matches (leftmost-longest over tokens), with evidence required for names
//! that are also common words or first names, and the countries the dispatch is about,
//! through its places and its demonyms (`les soldats nord-coréens`).

use std::collections::HashMap;
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

pub fn hits(
    doc: &Document,
    segs: &[SegTokens],
    lex: &Lexicons,
    claims: &mut Claims,
) -> Vec<PlaceHit> {
    let text = doc.text.as_str();
    super::scan(segs, claims, |_, seg, i, claims| {
        let toks = &seg.tokens;
        let (j, entry) = place_at(text, toks, i, seg.segment.zone, lex, claims)?;
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
    if j == i && !has_evidence(text, toks, i, zone, &entry, lex) {
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
    if zone == Zone::Dateline || framed {
        return !lex.not_names.contains(word) || framed;
    }
    if lex.not_names.contains(word)
        || lex.ambiguous_places.contains(word)
        || lex.given_name(word).is_some()
    {
        return false;
    }
    let small_city =
        entry.kind == "city" && entry.population.unwrap_or(0) < MIN_UNFRAMED_POPULATION;
    !(i == 0 && small_city)
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
                && !hits
                    .iter()
                    .any(|h| h.range.start <= t.range.start && t.range.end <= h.range.end)
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
