//! Places: gazetteer matches (leftmost-longest over tokens), with evidence required for names
//! that are also common words or first names, and the countries the dispatch is about,
//! through its places and its demonyms (`les soldats nord-coréens`).

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use super::gazetteer::longest_match;
use super::gazetteer::{normalize, normalized};
use super::lexicon::{Lexicons, PlaceEntry, PlaceFrame};
use super::tokens::Token;
use super::{Claims, SegTokens, lowercase, mention};
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
        let found = feature_at(text, toks, i, lex, claims)
            .or_else(|| district_at(text, toks, i, lex, claims));
        let (j, entry) = match found {
            Some(found) => found,
            None => known_or_framed_at(text, toks, i, seg, lex, claims, after_place, person_words)?,
        };
        let (j, entry) = with_adjective(text, toks, j, entry, lex);
        last_place_end = toks[j].range().end;
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

/// A gazetteer place (unless its frame makes it part of an event's name or a person's name),
/// or, failing that, a name the gazetteer lacks that its frame shows to be a place.
#[allow(clippy::too_many_arguments)]
fn known_or_framed_at(
    text: &str,
    toks: &[Token],
    i: usize,
    seg: &SegTokens,
    lex: &Lexicons,
    claims: &Claims,
    after_place: bool,
    person_words: &HashSet<&str>,
) -> Option<(usize, PlaceEntry)> {
    if event_framed(text, toks, i, lex) {
        return None;
    }
    match place_at(text, toks, i, seg.segment.zone, lex, claims, after_place) {
        Some((j, entry)) => {
            let surname = j == i && person_words.contains(toks[i].text(text));
            (!surname || strongly_framed(text, toks, i)).then_some((j, entry))
        }
        None => unlisted_place_at(text, toks, i, lex, claims, after_place, person_words),
    }
}

/// The frame word of `toks[k]` (lowercase as written), if it is one.
fn frame_of<'l>(
    text: &str,
    toks: &[Token],
    k: usize,
    lex: &'l Lexicons,
) -> Option<(PlaceFrame, &'l str)> {
    let (frame, kind) = lex.place_frames.get(toks.get(k)?.text(text))?;
    Some((*frame, kind))
}

fn is_de(w: &str) -> bool {
    matches!(w, "de" | "du" | "des" | "d'" | "d’")
}

/// `traité de Rome`, `guerre du Golfe`: the name at `i` follows an event word and `de`.
fn event_framed(text: &str, toks: &[Token], i: usize, lex: &Lexicons) -> bool {
    i >= 2
        && is_de(toks[i - 1].text(text))
        && toks[i].joined_to_previous(text, &toks[i - 1])
        && toks[i - 1].joined_to_previous(text, &toks[i - 2])
        && frame_of(text, toks, i - 2, lex).is_some_and(|(f, _)| f == PlaceFrame::Event)
}

/// The last token of a capitalised name starting at `i` (`Sidi Ahmed`, `Sables d'Olonne`,
/// `Notre-Dame de la Garde`): capitalised words, with `de`, `du`, `des`, `la`, `l'`, `d'`
/// between two of them; at most five words.
fn name_run(text: &str, toks: &[Token], i: usize) -> Option<usize> {
    let cap = |k: usize| {
        toks.get(k)
            .is_some_and(|t| t.is_capitalized(text) && t.joined_to_previous(text, &toks[k - 1]))
    };
    if !toks.get(i)?.is_capitalized(text) {
        return None;
    }
    let mut j = i;
    let mut k = i + 1;
    while k < toks.len() && k < i + 5 {
        if cap(k) {
            j = k;
            k += 1;
            continue;
        }
        let w = toks[k].text(text);
        let joined = toks[k].joined_to_previous(text, &toks[k - 1]);
        if joined
            && matches!(w, "de" | "du" | "des" | "la" | "l'" | "l’" | "d'" | "d’")
            && cap(k + 1)
        {
            j = k + 1;
            k += 2;
            continue;
        }
        break;
    }
    Some(j)
}

/// A place named by a lowercase feature word and a name: `rue de Lille`, `place de la
/// République`, `îles d'Hyères`, `église Saint-Pierre` (a building: no `de`).
fn feature_at(
    text: &str,
    toks: &[Token],
    i: usize,
    lex: &Lexicons,
    claims: &Claims,
) -> Option<(usize, PlaceEntry)> {
    let (frame, kind) = frame_of(text, toks, i, lex)?;
    if !matches!(frame, PlaceFrame::Feature | PlaceFrame::Building) {
        return None;
    }
    let mut k = i + 1;
    let next = toks.get(k)?;
    if !next.joined_to_previous(text, &toks[i]) {
        return None;
    }
    if is_de(next.text(text)) {
        // `à la place de X` is "instead of X"; a building `de` a town is the town.
        if frame == PlaceFrame::Building || idiom_a_la_place(text, toks, i) {
            return None;
        }
        k += 1;
    }
    if k > i + 1 && matches!(toks.get(k).map(|t| t.text(text)), Some("la" | "l'" | "l’")) {
        k += 1;
    }
    if !toks.get(k)?.joined_to_previous(text, &toks[k - 1]) {
        return None;
    }
    let j = cut_before_town(text, toks, k, name_run(text, toks, k)?, lex);
    let range = toks[i].range().start..toks[j].range().end;
    if claims.overlaps(&range) || toks[k].is_all_caps(text) {
        return None;
    }
    Some((j, unlisted_entry(&text[range], kind, None)))
}

/// `le 3e arrondissement`, `le 15e arrondissement de Paris`: an ordinal and a district word
/// (`ordinal` rows of `place_frames.tsv`), with the town after `de` when it is a known place.
fn district_at(
    text: &str,
    toks: &[Token],
    i: usize,
    lex: &Lexicons,
    claims: &Claims,
) -> Option<(usize, PlaceEntry)> {
    let ordinal = toks[i].text(text);
    // An ordinal opens with its digits: every other word is turned away before its letters
    // are looked at (this is asked of every token).
    if !ordinal.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let digits = ordinal.trim_end_matches(|c: char| c.is_alphabetic());
    let suffix = &ordinal[digits.len()..];
    if digits.is_empty()
        || !digits.chars().all(|c| c.is_ascii_digit())
        || !matches!(suffix, "e" | "er" | "ème" | "eme")
    {
        return None;
    }
    let word = toks.get(i + 1)?;
    if !word.joined_to_previous(text, &toks[i])
        || !matches!(
            frame_of(text, toks, i + 1, lex),
            Some((PlaceFrame::Ordinal, _))
        )
    {
        return None;
    }
    let mut j = i + 1;
    let mut country = None;
    if let (Some(de), Some(town)) = (toks.get(i + 2), toks.get(i + 3))
        && matches!(de.text(text), "de" | "d'" | "d’")
        && town.joined_to_previous(text, de)
        && de.joined_to_previous(text, word)
        && let Some(entry) = lex.place(town.text(text))
    {
        j = i + 3;
        country = entry.country;
    }
    let range = toks[i].range().start..toks[j].range().end;
    if claims.overlaps(&range) {
        return None;
    }
    Some((j, unlisted_entry(&text[range], "other", country)))
}

/// `église Saint-Étienne de Bar-le-Duc`: a `de` before a known town (or a commune-shaped
/// name) inside the run `k..=j` ends the feature's name; the town is its own place.
fn cut_before_town(text: &str, toks: &[Token], k: usize, j: usize, lex: &Lexicons) -> usize {
    (k + 1..j)
        .find(|&m| {
            is_de(toks[m].text(text)) && {
                let town = toks[m + 1].text(text);
                lex.is_place(town) || commune_shape(town)
            }
        })
        .map_or(j, |m| m - 1)
}

/// `à la place de`, `en place de`: the noun `place` in a preposition, no square.
fn idiom_a_la_place(text: &str, toks: &[Token], i: usize) -> bool {
    toks[i].text(text) == "place"
        && i >= 1
        && matches!(toks[i - 1].text(text), "la" | "en")
        && (i < 2 || toks[i - 2].text(text) == "à" || toks[i - 1].text(text) == "en")
}

/// A place the gazetteer lacks, on evidence from its frame: a settlement word before it
/// (`le village de Kouroussa`), its region or country in brackets after a locative
/// (`à Bréhan (Morbihan)`), the shape of a French commune name after a locative
/// (`à Vitry-sur-Seine`), or a list of places around it (`Milan, Giverny et Londres`).
fn unlisted_place_at(
    text: &str,
    toks: &[Token],
    i: usize,
    lex: &Lexicons,
    claims: &Claims,
    after_place: bool,
    person_words: &HashSet<&str>,
) -> Option<(usize, PlaceEntry)> {
    let t = &toks[i];
    let word = t.text(text);
    if !t.is_capitalized(text) || t.is_all_caps(text) || lex.not_names.contains(word) {
        return None;
    }
    let j = name_run(text, toks, i)?;
    let range = t.range().start..toks[j].range().end;
    if claims.overlaps(&range) {
        return None;
    }
    let name = &text[range.clone()];
    if let Some(kind) = settlement_before(text, toks, i, lex) {
        return Some((j, unlisted_entry(name, &kind, None)));
    }
    let first_name = lex.given_name(word).is_some();
    let framed = strongly_framed(text, toks, i);
    if framed && let Some(region) = bracketed_place_after(text, range.end, lex) {
        return Some((j, unlisted_entry(name, "city", region.country)));
    }
    if framed && j == i && !first_name && commune_shape(word) {
        return Some((j, unlisted_entry(name, "city", None)));
    }
    if after_place && !first_name && place_follows_in_list(text, toks, j, lex) {
        return Some((j, unlisted_entry(name, "city", None)));
    }
    let nothing_else = !first_name
        && !person_words.contains(word)
        && !lex.org_forms.contains_key(normalized(name).as_ref())
        && !number_follows(text, range.end);
    let plain_word = word.chars().all(|c| c.is_alphabetic() || c == '-');
    if nothing_else && plain_word && residence_a(text, toks, i, lex) {
        return Some((j, unlisted_entry(name, "city", None)));
    }
    None
}

/// `né à X`, `il vit à X`, `trois morts à X`: `à` right before token `i`, where `à` is not
/// the dative of a speech verb (`a déclaré à X`), of a word that takes a person or a thing
/// (`face à X`, `grâce à X`, `accès à X`: `dative` rows of `place_frames.tsv`), nor the end
/// of a range (`de A3 à Baa2`).
fn residence_a(text: &str, toks: &[Token], i: usize, lex: &Lexicons) -> bool {
    if i == 0 || !toks[i].joined_to_previous(text, &toks[i - 1]) {
        return false;
    }
    if !toks[i - 1].text(text).eq_ignore_ascii_case("à") && toks[i - 1].text(text) != "À" {
        return false;
    }
    let Some(prev) = i.checked_sub(2).map(|k| &toks[k]) else {
        return true;
    };
    let before = lowercase(prev.text(text));
    // `de A3 à B1`, `de Lyon à X`: the end of a range, whatever it names.
    let range_end = i >= 3 && matches!(toks[i - 3].text(text), "de" | "du" | "d'" | "d’");
    let dative = matches!(frame_of_word(&before, lex), Some(PlaceFrame::Dative));
    !range_end && !dative && lex.cue_forms.get(&before).is_none()
}

fn frame_of_word(w: &str, lex: &Lexicons) -> Option<PlaceFrame> {
    lex.place_frames.get(w).map(|(f, _)| *f)
}

/// A number right after the name (`à Stade 2`, `à France 24`): a programme or a channel.
fn number_follows(text: &str, end: usize) -> bool {
    text[end..]
        .strip_prefix(' ')
        .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()))
}

/// `la ville de`, `l'île de` right before token `i`: the kind the settlement word gives.
fn settlement_before(text: &str, toks: &[Token], i: usize, lex: &Lexicons) -> Option<String> {
    if i < 2 || !matches!(toks[i - 1].text(text), "de" | "d'" | "d’") {
        return None;
    }
    if !toks[i].joined_to_previous(text, &toks[i - 1])
        || !toks[i - 1].joined_to_previous(text, &toks[i - 2])
    {
        return None;
    }
    match frame_of(text, toks, i - 2, lex)? {
        (PlaceFrame::Settlement, kind) => Some(kind.to_string()),
        _ => None,
    }
}

/// `(Morbihan)`, `(Mali)` right after a name: the known place in the brackets.
fn bracketed_place_after(text: &str, end: usize, lex: &Lexicons) -> Option<PlaceEntry> {
    let rest = text[end..].strip_prefix(' ').unwrap_or(&text[end..]);
    let inner = rest.strip_prefix('(')?;
    let close = inner.find(')')?;
    let entry = lex.place(&normalized(&inner[..close]))?;
    matches!(entry.kind.as_str(), "country" | "region").then_some(entry)
}

/// `Vitry-sur-Seine`, `Courcelles-lès-Lens`, `Arc-et-Senans`: a hyphenated name with a
/// preposition or article inside, the shape of French commune names (never of a person's).
fn commune_shape(word: &str) -> bool {
    const INNER: &[&str] = &[
        "-sur-", "-sous-", "-lès-", "-lez-", "-en-", "-et-", "-aux-", "-le-", "-la-", "-les-",
    ];
    INNER.iter().any(|w| word.contains(w))
}

/// After token `j`, a comma or `et` and then a known place: `j` ends one item of a list.
fn place_follows_in_list(text: &str, toks: &[Token], j: usize, lex: &Lexicons) -> bool {
    let Some(next) = toks.get(j + 1) else {
        return false;
    };
    let gap = text[toks[j].range().end..next.range().start].trim();
    let k = match (gap, next.text(text)) {
        (",", _) => j + 1,
        ("", "et" | "ou") => j + 2,
        _ => return false,
    };
    toks.get(k).is_some_and(|t| t.is_capitalized(text))
        && longest_match(
            text,
            toks,
            k,
            MAX_PLACE_TOKENS,
            |key| lex.is_place(key).then_some(()),
            |key| lex.place_prefix(key),
        )
        .is_some()
}

fn unlisted_entry(name: &str, kind: &str, country: Option<String>) -> PlaceEntry {
    PlaceEntry {
        name: normalize(name),
        kind: kind.to_string(),
        country,
        geonames_id: None,
        lat: None,
        lon: None,
        population: None,
    }
}

/// `Afrique australe`, `Balkans occidentaux`: a geographic adjective after the place at
/// `j` extends it into the name of a part of it (no longer the GeoNames place itself).
fn with_adjective(
    text: &str,
    toks: &[Token],
    j: usize,
    entry: PlaceEntry,
    lex: &Lexicons,
) -> (usize, PlaceEntry) {
    let Some(next) = toks.get(j + 1) else {
        return (j, entry);
    };
    let adjective = text[toks[j].range().end..next.range().start] == *" "
        && matches!(
            frame_of(text, toks, j + 1, lex),
            Some((PlaceFrame::Adjective, _))
        );
    if !adjective {
        return (j, entry);
    }
    let (kind, country) = match entry.kind.as_str() {
        "continent" | "area" => ("area", None),
        _ => ("region", entry.country.clone()),
    };
    let name = format!("{} {}", entry.name, next.text(text));
    (j + 1, unlisted_entry(&name, kind, country))
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
    let lowercase_start = || lex.lowercase_place_starts.contains(word);
    if !(t.is_capitalized(text) || lowercase_start()) || claims.overlaps(&t.range()) {
        return None;
    }
    let caps = t.is_all_caps(text);
    let article = contracted_article(text, toks, i);
    let with_article = |k: &str| article.map(|a| format!("{a} {k}"));
    // A key that names a place as written is a place name's start too: `longest_match` asks
    // right after finding it, and the prefix search would repeat the search that found it.
    let direct_hit = std::cell::Cell::new(None);
    // The key that matched (title-cased for `PARIS`) and its entry, read in the one search
    // that finds the key (a second search for the winner's entry cost as much again).
    let (j, (key, entry)) = longest_match(
        text,
        toks,
        i,
        MAX_PLACE_TOKENS,
        |k| {
            direct_hit.set(None);
            if let Some(full) = with_article(k)
                && let Some(found) = place_of(&full, lex)
            {
                Some((full, found))
            } else if let Some(found) = place_of(k, lex) {
                direct_hit.set(Some(identity(k)));
                Some((k.to_string(), found))
            } else if caps {
                let t = title_case(k);
                place_of(&t, lex).map(|found| (t, found))
            } else {
                None
            }
        },
        |k| {
            direct_hit.get() == Some(identity(k))
                || lex.place_prefix(k)
                || (caps && lex.place_prefix(&title_case(k)))
                || with_article(k).is_some_and(|full| lex.place_prefix(&full))
        },
    )?;
    let entry = entry?;
    // `LONDRES, 12 mars` opens a dispatch in old print; elsewhere in running text a lone
    // word in capitals is an acronym (`OAS`) unless it names a major place.
    if caps
        && zone == Zone::Body
        && j == i
        && i > 0
        && key != word
        && !is_major(&entry)
        && !date_follows(text, t.range().end)
    {
        return None;
    }
    let range = t.range().start..toks[j].range().end;
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
        let between = &text[toks[j].range().end..next.range().start];
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

/// Whether `key` names a place (as [`Lexicons::is_place`]), with its entry: `Some(None)` for
/// a gazetteer row too short to make one, which stops the match as a missing entry did.
fn place_of(key: &str, lex: &Lexicons) -> Option<Option<PlaceEntry>> {
    // Most keys tried name no place: one search says so; the entry is built for a place only.
    if !lex.places_extra.contains_key(key) && lex.places.get(key).is_none() {
        return None;
    }
    Some(lex.place(key))
}

/// The address and length of a string, to tell whether a later call is given the same one.
fn identity(s: &str) -> (usize, usize) {
    (s.as_ptr() as usize, s.len())
}

/// `au Havre`, `aux Sables d'Olonne`, `du Caire`: the article contracted into `au`, `aux`,
/// `du` or `des` is part of the place's name (`Le Havre`, `Les Sables d'Olonne`). A lowercase
/// `la` or `le` is not enough (`la Porte de …` is no `La Porte`, Texas).
fn contracted_article(text: &str, toks: &[Token], i: usize) -> Option<&'static str> {
    let prev = toks.get(i.checked_sub(1)?)?;
    if !toks[i].joined_to_previous(text, prev) {
        return None;
    }
    match lowercase(prev.text(text)).as_ref() {
        "au" | "du" => Some("Le"),
        "aux" | "des" => Some("Les"),
        _ => None,
    }
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
        && LOCATIVES.contains(&lowercase(toks[i - 1].text(text)).as_ref());
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
    let gap = |from: usize| text.get(from..prev.range().start);
    if matches!(prev.text(text), "et" | "ou") {
        return gap(place_end).is_some_and(|g| g.trim().is_empty());
    }
    prev.range().end == place_end && text[prev.range().end..toks[i].range().start].trim() == ","
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
        let prev = lowercase(toks[i - 1].text(text));
        LOCATIVES.contains(&prev.as_ref()) && !WEAK_LOCATIVES.contains(&prev.as_ref())
    }
}

/// `word` in lower case, written over `out` (as `str::to_lowercase`, but for a final capital
/// sigma, which no demonym has).
fn lowercase_into(word: &str, out: &mut String) {
    out.clear();
    for c in word.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            out.extend(c.to_lowercase());
        }
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

/// What makes two hits one place: a country by its code, other places by GeoNames id, else
/// by name. `S` is `&str` within a document (borrowed from the hits: no key string per hit),
/// `String` where the key outlives them (the windows of a large file).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum PlaceKey<S> {
    Country(S),
    Id(u64),
    Name(S),
}

impl<'h> PlaceKey<&'h str> {
    pub(crate) fn of(
        kind: &str,
        country: Option<&'h str>,
        geonames_id: Option<u64>,
        name: &'h str,
    ) -> PlaceKey<&'h str> {
        match (kind, country, geonames_id) {
            ("country", Some(c), _) => PlaceKey::Country(c),
            (_, _, Some(id)) => PlaceKey::Id(id),
            _ => PlaceKey::Name(name),
        }
    }

    pub(crate) fn to_owned_key(self) -> PlaceKey<String> {
        match self {
            PlaceKey::Country(c) => PlaceKey::Country(c.to_string()),
            PlaceKey::Id(id) => PlaceKey::Id(id),
            PlaceKey::Name(n) => PlaceKey::Name(n.to_string()),
        }
    }
}

/// Groups the hits by place: a country by its code (`RPDC` joins `Corée du Nord`), other
/// places by GeoNames id or name. Ordered by first mention.
pub fn group(doc: &Document, segs: &[SegTokens], hits: &[PlaceHit], lex: &Lexicons) -> Vec<Place> {
    let mut order: Vec<Place> = Vec::new();
    let mut index: HashMap<PlaceKey<&str>, usize> = HashMap::new();
    for h in hits {
        let e = &h.entry;
        let key = PlaceKey::of(&e.kind, e.country.as_deref(), e.geonames_id, &e.name);
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
    // Every word is looked up, by the lower-case form the token layer keeps (the layer's
    // words are the segments' words, in the same order). The layer also writes `’` as `'`,
    // which `str::to_lowercase` does not: a form with an apostrophe is lowered again here.
    let layer = &doc.layer;
    let mut lower = String::new();
    for t in layer.tokens.iter().filter(|t| t.is_word()) {
        let mut key = layer.low(t);
        if key.contains('\'') {
            lowercase_into(&text[t.range()], &mut lower);
            key = &lower;
        }
        if let Some(code) = lex.demonyms.get(key)
            && !inside_a_hit(hits, &t.range())
        {
            events.push((t.start(), code.clone(), t.range(), true));
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
