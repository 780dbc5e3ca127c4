//! Organisations: the hand-written lexicon (names, acronyms, aliases, metonyms such as
//! `Kremlin`), then head-noun patterns (`ministère russe des Affaires étrangères`,
//! `Organisation météorologique mondiale (OMM)`).

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use super::gazetteer::{key_of, longest_match};
use super::lexicon::{HeadMode, Lexicons};
use super::{Claims, SegTokens, is_connector, looks_like_adjective, lowercase};
use crate::model::Document;

/// The most tokens an organisation name from the lexicon spans.
const MAX_LEXICON_TOKENS: usize = 10;
/// The most tokens a pattern-built name spans after its head.
const MAX_PATTERN_TOKENS: usize = 12;

/// Words that may stand before a two-letter acronym naming an organisation (`le PC`).
const ORG_INTRODUCERS: &[&str] = &[
    "le", "la", "l'", "l’", "les", "du", "des", "de", "d'", "d’", "au", "aux", "un", "une", "et",
    "ou", "par", "pour", "avec", "sur", "en", "à", "contre", "selon", "dont", "que", "qu'", "qu’",
    "entre", "chez",
];

/// Lowercase words after `de` that end a name rather than continue it.
const NOT_IN_NAMES: &[&str] = &[
    "plus",
    "moins",
    "nombreux",
    "nombreuses",
    "son",
    "sa",
    "ses",
    "leur",
    "leurs",
    "ce",
    "cette",
    "ces",
    "tous",
    "toutes",
    "tout",
    "toute",
    "nouveau",
    "nouvelle",
    "certains",
    "plusieurs",
    "même",
    "autres",
    "notre",
    "votre",
    "celle",
    "celles",
    "celui",
    "ceux",
    "ne",
    "se",
    "y",
    "côté",
    "côtés",
];

/// An organisation found in the text, before grouping.
#[derive(Debug, Clone)]
pub struct OrgHit {
    pub range: Range<usize>,
    /// Canonical name.
    pub name: String,
    pub acronym: Option<String>,
    pub kind: Option<String>,
}

/// Lexicon matches, leftmost-longest, in every segment.
pub fn lexicon_hits(
    doc: &Document,
    segs: &[SegTokens],
    lex: &Lexicons,
    claims: &mut Claims,
) -> Vec<OrgHit> {
    let text = doc.text.as_str();
    super::scan(segs, claims, |_, seg, i, claims| {
        let toks = &seg.tokens;
        if !toks[i].is_capitalized(text) || claims.overlaps(&toks[i].range()) {
            return None;
        }
        let (j, idx) = longest_match(
            text,
            toks,
            i,
            MAX_LEXICON_TOKENS,
            |k| lex.org_forms.get(k).copied(),
            |k| lex.org_prefixes.contains(k),
        )?;
        // `Front de Libération nationale`: one capitalised word after a head and `de` is
        // a word of the longer name, not the newspaper.
        let inside_head_name = j == i
            && i >= 2
            && matches!(toks[i - 1].text(text), "de" | "du" | "d'" | "d’")
            && lex
                .org_heads
                .get(toks[i - 2].text(text))
                .is_some_and(|(_, mode)| *mode == HeadMode::Full);
        (!inside_head_name && !claims.overlaps(&(toks[i].range().start..toks[j].range().end)))
            .then_some((j, idx))
    })
    .into_iter()
    .map(|(range, idx)| {
        let entry = &lex.orgs[idx];
        parliamentary_group(text, &range, entry).unwrap_or_else(|| OrgHit {
            range,
            name: entry.name.clone(),
            acronym: entry.acronym.clone(),
            kind: Some(entry.kind.clone()),
        })
    })
    .collect()
}

/// `le groupe UMP`, `du groupe PS`: a party after `groupe` names its group in an assembly,
/// an organisation of its own, named as written.
fn parliamentary_group(
    text: &str,
    range: &Range<usize>,
    entry: &super::lexicon::OrgEntry,
) -> Option<OrgHit> {
    let before = text[..range.start].strip_suffix(' ')?;
    let head_start = before.strip_suffix("groupe")?.len();
    let word_start = text[..head_start]
        .chars()
        .next_back()
        .is_none_or(|c| !c.is_alphanumeric());
    (entry.kind == "party" && word_start).then(|| OrgHit {
        range: head_start..range.end,
        name: text[head_start..range.end].to_string(),
        acronym: None,
        kind: Some("party".to_string()),
    })
}

/// Organisations named inside another's name, after `de`/`du`/`des` at its end (`Conseil de
/// sécurité de l'ONU` holds `ONU`, `comité central du Parti communiste` holds the party): the
/// inner one is mentioned too. Only lexicon names count, and only when they close the outer
/// name, so `Banque de France` yields no France (a place, not in the organisation lexicon).
pub fn nested_hits(
    doc: &Document,
    segs: &[SegTokens],
    outer: &[OrgHit],
    lex: &Lexicons,
) -> Vec<OrgHit> {
    let text = doc.text.as_str();
    let mut out = Vec::new();
    for hit in outer {
        let s = segs.partition_point(|s| s.segment.range.start <= hit.range.start);
        let Some(seg) = s.checked_sub(1).map(|s| &segs[s]) else {
            continue;
        };
        let toks = &seg.tokens;
        let first = toks.partition_point(|t| t.range().start < hit.range.start);
        let last = toks.partition_point(|t| t.range().end <= hit.range.end);
        for k in first + 2..last {
            let prev = toks[k - 1].text(text);
            if !matches!(prev, "de" | "du" | "des" | "d'" | "d’" | "l'" | "l’")
                || !toks[k].is_capitalized(text)
            {
                continue;
            }
            let inner = longest_match(
                text,
                toks,
                k,
                MAX_LEXICON_TOKENS,
                |key| lex.org_forms.get(key).copied(),
                |key| lex.org_prefixes.contains(key),
            );
            if let Some((j, idx)) = inner.filter(|&(j, _)| j + 1 == last) {
                let entry = &lex.orgs[idx];
                out.push(OrgHit {
                    range: toks[k].range().start..toks[j].range().end,
                    name: entry.name.clone(),
                    acronym: entry.acronym.clone(),
                    kind: Some(entry.kind.clone()),
                });
                break;
            }
        }
    }
    out
}

/// The name an organisation keeps when the text never writes its lexicon name nor its
/// acronym: the first form the text uses (`EELV` stays `EELV` in a 2012 text, not the party's
/// later name; `Conseil de sécurité` alone stays so). The lexicon still groups the forms.
pub fn name_as_written(
    name: &str,
    acronym: Option<&str>,
    mentions: &[crate::model::Mention],
) -> Option<String> {
    let canonical_used = mentions
        .iter()
        .any(|m| m.text == name || Some(m.text.as_str()) == acronym);
    let first = mentions.first()?;
    (!canonical_used && first.text != name).then(|| first.text.clone())
}

/// Names opened by a head noun (`Conseil`, `ministère`, `Organisation`), and the acronyms
/// they define in parentheses, which then match on their own.
pub fn pattern_hits(
    doc: &Document,
    segs: &[SegTokens],
    lex: &Lexicons,
    claims: &mut Claims,
) -> Vec<OrgHit> {
    let text = doc.text.as_str();
    let mut out = tail_hits(text, segs, lex, claims);
    let mut acronyms: HashMap<String, (String, Option<String>)> = HashMap::new();
    for seg in segs {
        let toks = &seg.tokens;
        let mut i = 0;
        while i < toks.len() {
            let head = toks[i].text(text);
            let Some((kind, mode)) = lex.org_heads.get(head) else {
                i += 1;
                continue;
            };
            if claims.overlaps(&toks[i].range()) || *mode == HeadMode::Tail {
                i += 1;
                continue;
            }
            // A national head names an institution with its demonym only: `le gouvernement
            // du Koweït` is read as a place's government, the place stays a place.
            let last = match mode {
                HeadMode::National => demonym_after(text, toks, i, lex),
                _ => {
                    let full = *mode == HeadMode::Full;
                    extend_name(text, toks, i, lex, full).map(|last| {
                        // `le président du Conseil des ministres Mario Monti`: the name ends
                        // before a name already found (the person), if it still holds one.
                        match (i + 1..=last).find(|&k| claims.overlaps(&toks[k].range())) {
                            Some(c) if full => extend_name(text, &toks[..c], i, lex, full),
                            Some(_) => None,
                            None => Some(last),
                        }
                    })
                }
                .flatten(),
            };
            let Some(last) = last
                .or_else(|| portfolio(text, toks, i, lex))
                .or_else(|| lone_head(text, toks, i, lex))
            else {
                i += 1;
                continue;
            };
            let start = match mode {
                HeadMode::Full | HeadMode::National | HeadMode::Tail => i,
                HeadMode::Following => match first_capitalized(text, toks, i + 1, last) {
                    Some(s) => s,
                    None => {
                        i += 1;
                        continue;
                    }
                },
            };
            let range = toks[start].range().start..toks[last].range().end;
            if claims.overlaps(&range) {
                i += 1;
                continue;
            }
            let name = key_of(text, toks, start, last).into_owned();
            if *mode == HeadMode::Following && place_complement(text, toks, start, &name, lex) {
                // `le site de Noyal-sur-Vilaine`, `l'agence de Lyon`: the head's place, no name.
                i += 1;
                continue;
            }
            // `les rebelles de Homs`: members come from a place as well as from a group;
            // `les membres du Conseil …` belong to the council the head pattern finds;
            // `les membres de la Résistance`: a name with its article is a movement, not
            // one group's name.
            let member_of_group = start == i + 2
                && matches!(toks[i + 1].text(text), "de" | "d'" | "d’" | "du")
                && !lex.is_place(&name)
                && !lex.org_heads.contains_key(toks[start].text(text));
            if lex.member_nouns.contains(head) && !member_of_group {
                i += 1;
                continue;
            }
            let acronym = defined_acronym(text, toks, last)
                .or_else(|| acronym_before(text, toks, start, last));
            claims.claim(range.clone());
            if let Some(a) = &acronym {
                acronyms.insert(a.clone(), (name.clone(), Some(kind.clone())));
            }
            out.push(OrgHit {
                range,
                name,
                acronym,
                kind: Some(kind.clone()),
            });
            i = last + 1;
        }
    }
    if !acronyms.is_empty() {
        for seg in segs {
            for t in &seg.tokens {
                let w = t.text(text);
                if let Some((name, kind)) = acronyms.get(w)
                    && !claims.overlaps(&t.range())
                {
                    claims.claim(t.range());
                    out.push(OrgHit {
                        range: t.range(),
                        name: name.clone(),
                        acronym: Some(w.to_string()),
                        kind: kind.clone(),
                    });
                }
            }
        }
    }
    out
}

/// Determiners before a capitalised head that stands alone for an institution (`la
/// Commission`, `au Parlement`, `de l'Assemblée`).
/// Demonstratives and possessives point at the institution too (`ce Parlement`, `cette
/// Assemblée`, `notre Assemblée`).
const LONE_HEAD_DETERMINERS: &[&str] = &[
    "le", "la", "l'", "l’", "du", "au", "ce", "cet", "cette", "notre", "votre",
];

/// `la Commission a proposé`: a capitalised head alone after a determiner, mid-sentence, is
/// the institution the text has named or the reader knows (`data/lexicons/org_lone_heads.txt`).
/// The name is the head itself; [`attach_lone_heads`] gives it an earlier full name.
fn lone_head(text: &str, toks: &[super::tokens::Token], i: usize, lex: &Lexicons) -> Option<usize> {
    let head = &toks[i];
    let prev = toks.get(i.checked_sub(1)?)?;
    let determiner = LONE_HEAD_DETERMINERS.contains(&lowercase(prev.text(text)).as_ref())
        && head.joined_to_previous(text, prev)
        && !prev.dot_after;
    // `le Conseil Mais …` or `la Commission Juncker`: a capitalised word after the head is
    // another name or a new sentence; the full pattern had its chance.
    let free_after = toks.get(i + 1).is_none_or(|n| {
        head.dot_after || !n.joined_to_previous(text, head) || !n.is_capitalized(text)
    });
    (determiner && free_after && lex.org_lone_heads.contains(head.text(text))).then_some(i)
}

/// `du ministère du Budget`, `au ministère de l'Économie et des Finances`: a ministry is named
/// by its capitalised portfolio, a noun after `de` with its adjectives, even when that noun is
/// no name elsewhere (`Budget`, `Économie`). Portfolios coordinate (`les ministères de la
/// Défense et de l'Intérieur`); `et des commissions …` in lowercase opens another noun phrase.
/// A lowercase portfolio (`ministère de la guerre`, older style) is left alone: corpora
/// disagree on it.
fn portfolio(text: &str, toks: &[super::tokens::Token], i: usize, lex: &Lexicons) -> Option<usize> {
    if !matches!(toks[i].text(text), "ministère" | "ministères") {
        return None;
    }
    // A definite ministry: `le`, `du`, `au`, `les`, `des`, `aux` before the head.
    let prev = lowercase(toks.get(i.checked_sub(1)?)?.text(text));
    if !matches!(prev.as_ref(), "le" | "du" | "au" | "les" | "des" | "aux") {
        return None;
    }
    let joined = |k: usize| {
        toks.get(k)
            .filter(|t| t.joined_to_previous(text, &toks[k - 1]) && !toks[k - 1].dot_after)
    };
    let mut last = None;
    let mut j = i + 1;
    // `de` / `du` / `des` / `d'` / `de la` / `de l'`, then the portfolio noun.
    while let Some(prep) = joined(j).map(|t| lowercase(t.text(text))) {
        if !matches!(prep.as_ref(), "de" | "du" | "des" | "d'" | "d’") {
            break;
        }
        j += 1;
        if prep == "de"
            && joined(j)
                .is_some_and(|t| matches!(lowercase(t.text(text)).as_ref(), "la" | "l'" | "l’"))
        {
            j += 1;
        }
        let Some(noun) = joined(j).map(|t| lowercase(t.text(text))) else {
            break;
        };
        if !joined(j).is_some_and(|t| t.is_capitalized(text))
            || is_connector(&noun)
            || matches!(noun.as_ref(), "tutelle" | "plein" | "rattachement")
            || NOT_IN_NAMES.contains(&noun.as_ref())
            || !noun.starts_with(char::is_alphabetic)
            || noun.chars().count() < 4
        {
            return last;
        }
        last = Some(j);
        j += 1;
        while let Some(t) = joined(j) {
            let w = lowercase(t.text(text));
            if NOT_IN_NAMES.contains(&w.as_ref())
                || !(looks_like_adjective(&w, lex) || ends_like_adjective(&w))
            {
                break;
            }
            last = Some(j);
            j += 1;
        }
        let more = joined(j).is_some_and(|t| matches!(t.text(text), "et" | ","))
            && joined(j + 1).is_some_and(|t| {
                matches!(
                    lowercase(t.text(text)).as_ref(),
                    "de" | "du" | "des" | "d'" | "d’"
                )
            });
        if !more {
            break;
        }
        j += 1;
    }
    last
}

/// Gives each lone head (`la Commission`) the name of the latest organisation before it whose
/// name opens with that head (`Commission européenne`), so both are one entity; a lone head
/// with none keeps its own name. An acronym that opens an earlier hyphenated name is its short
/// form (`SUD` after `SUD-PTT`). `hits` must be sorted by position.
pub fn attach_lone_heads(hits: &mut [OrgHit], lex: &Lexicons) {
    for k in 0..hits.len() {
        let short_acronym = hits[k].name.chars().all(|c| c.is_uppercase());
        if !short_acronym && !lex.org_lone_heads.contains(hits[k].name.as_str()) {
            continue;
        }
        let head = hits[k].name.clone();
        let fuller = hits[..k]
            .iter()
            .rev()
            .find(|h| {
                h.name.len() > head.len()
                    && h.name.starts_with(head.as_str())
                    && h.name[head.len()..].starts_with(if short_acronym { '-' } else { ' ' })
            })
            .map(|f| (f.name.clone(), f.acronym.clone(), f.kind.clone()));
        if let Some((name, acronym, kind)) = fuller {
            let hit = &mut hits[k];
            (hit.name, hit.acronym, hit.kind) = (name, acronym, kind);
        }
    }
}

/// A place introduced by `de` after an apposition head (`le site de Rennes`): the head's
/// location, where an organisation's name stands in apposition (`le site Mediapart`).
fn place_complement(
    text: &str,
    toks: &[super::tokens::Token],
    start: usize,
    name: &str,
    lex: &Lexicons,
) -> bool {
    start >= 1
        && matches!(toks[start - 1].text(text), "de" | "d'" | "d’" | "du")
        && lex.is_place(name)
}

/// `le gouvernement malien`, `la police madrilène`: a head that, with a demonym alone, names
/// one institution. The name ends on the demonym.
fn demonym_after(
    text: &str,
    toks: &[super::tokens::Token],
    i: usize,
    lex: &Lexicons,
) -> Option<usize> {
    let next = toks.get(i + 1)?;
    // `le gouvernement malien de transition`: a complement follows, the full pattern decides.
    let complement = toks.get(i + 2).is_some_and(|c| {
        c.joined_to_previous(text, next)
            && matches!(
                c.text(text),
                "de" | "des" | "du" | "d'" | "d’" | "aux" | "pour"
            )
    });
    (next.joined_to_previous(text, &toks[i])
        && !toks[i].dot_after
        && !complement
        && lex.demonyms.contains_key(next.text(text)))
    .then_some(i + 1)
}

/// Names closed by an English head after capitalised words (`Getty Research Institute`,
/// `Science & Technology Facilities Council`), found before the people so that a first name
/// inside them (`Francine Clark Art Institute`) makes no person.
fn tail_hits(text: &str, segs: &[SegTokens], lex: &Lexicons, claims: &mut Claims) -> Vec<OrgHit> {
    let mut out = Vec::new();
    for seg in segs {
        let toks = &seg.tokens;
        for k in 1..toks.len() {
            let Some((kind, HeadMode::Tail)) = lex.org_heads.get(toks[k].text(text)) else {
                continue;
            };
            let mut start = k;
            while start > 0 && start + MAX_PATTERN_TOKENS > k {
                let prev = &toks[start - 1];
                let between = &text[prev.range().end..toks[start].range().start];
                let glued = toks[start].joined_to_previous(text, prev) || between == " & ";
                let name_word =
                    prev.is_capitalized(text) && !lex.not_names.contains(prev.text(text));
                if glued && (name_word || (prev.text(text) == "and" && start >= 2)) {
                    start -= 1;
                } else {
                    break;
                }
            }
            while start < k && !toks[start].is_capitalized(text) {
                start += 1;
            }
            let range = toks[start].range().start..toks[k].range().end;
            if start == k || claims.overlaps(&range) {
                continue;
            }
            claims.claim(range.clone());
            let written = key_of(text, toks, start, k).into_owned();
            let name = earlier_fuller_form(&out, &written).unwrap_or(written);
            out.push(OrgHit {
                range,
                name,
                acronym: defined_acronym(text, toks, k),
                kind: Some(kind.clone()),
            });
        }
    }
    out
}

/// The name of an earlier hit holding every word of `written` (`Clark Institute` after
/// `Sterling & Francine Clark Art Institute`; `and` and `&` are the same).
fn earlier_fuller_form(earlier: &[OrgHit], written: &str) -> Option<String> {
    let words = |s: &str| -> Vec<String> {
        s.split([' ', '-'])
            .filter(|w| !matches!(*w, "&" | "and" | ""))
            .map(str::to_string)
            .collect()
    };
    let mine = words(written);
    earlier
        .iter()
        .find(|h| {
            let theirs = words(&h.name);
            mine.iter().all(|w| theirs.contains(w))
        })
        .map(|h| h.name.clone())
}

/// The last token of a name opened by the head at `i`: through adjectives, connectors and
/// capitalised words; it must hold a capitalised word after the head (`ministère des Armées`,
/// `tribunal de grande instance de Lille`) or end on an adjective after a capitalised head
/// (`Organisation mondiale`).
fn extend_name(
    text: &str,
    toks: &[super::tokens::Token],
    i: usize,
    lex: &Lexicons,
    full: bool,
) -> Option<usize> {
    let head_capitalized = toks[i].is_capitalized(text);
    // A lowercase head that is part of the name (`tribunal`, `cour`, `ministère`) may take its
    // own adjectives and `de` phrases before the proper noun; an apposition head (`la
    // compagnie de relations publiques X`) may not, its name is the proper noun alone.
    let lowercase_full = full && !head_capitalized;
    let mut last = None;
    let mut j = i + 1;
    let end = toks.len().min(i + 1 + MAX_PATTERN_TOKENS);
    while j < end {
        // Organisation names hold no period (`groupe B. Quant aux …`) and no word that
        // starts a sentence (`le Parlement Mais …`).
        if !toks[j].joined_to_previous(text, &toks[j - 1]) || toks[j - 1].dot_after {
            // `Union nationale des déportés, internés et victimes de guerre`: after a noun
            // of a capitalised name, a comma list of nouns closed by `et` is the name's.
            if head_capitalized
                && last == Some(j - 1)
                && !toks[j - 1].is_capitalized(text)
                && let Some(end) = enumeration_end(text, toks, j)
            {
                last = Some(end);
                j = end + 1;
                continue;
            }
            break;
        }
        let w = toks[j].text(text);
        let lower = lowercase(w);
        if toks[j].is_capitalized(text) && lex.not_names.contains(w) {
            break;
        }
        if matches!(lower.as_ref(), "et" | "ou")
            && (another_head_follows(text, toks, j, lex) || (!head_capitalized && last.is_none()))
        {
            // `le ministère de la défense et le Pentagone`: before its proper noun a lowercase
            // head's phrase takes no coordination.
            break;
        }
        if toks[j].is_capitalized(text) {
            last = Some(j);
        } else if (looks_like_adjective(&lower, lex) || ends_like_adjective(&lower))
            && !after_preposition(text, toks, j)
        {
            // An adjective belongs to the name after a capitalised word or head
            // (`Affaires étrangères`, `Organisation mondiale`); after a lowercase head only a
            // demonym may stand before the complement (`ministère russe des …`).
            // Before it, a lowercase head's own adjectives (`tribunal correctionnel de
            // Nanterre`) are kept only if a proper noun follows.
            if NOT_IN_NAMES.contains(&lower.as_ref()) {
                break;
            }
            if head_capitalized || last.is_some() {
                last = Some(j);
            } else if !lowercase_full && !lex.demonyms.contains_key(lower.as_ref()) {
                break;
            }
        } else if (head_capitalized || (lowercase_full && last.is_none()))
            && (matches!(
                toks[j - 1].text(text),
                "de" | "des" | "du" | "d'" | "d’" | "aux"
            ) || article_after_preposition(text, toks, i, j, lex))
            && !is_connector(&lower)
            && !NOT_IN_NAMES.contains(&lower.as_ref())
            && lower.starts_with(char::is_alphabetic)
        {
            // A lowercase noun right after `de` inside a capitalised name: `Association
            // d'insertion`, `Union nationale des combattants`; after a lowercase head, kept
            // only if a proper noun follows (`cour d'appel de Paris`).
            // `demander à la Commission de revoir …`: right after an institution that stands
            // alone, `de` + an infinitive is the verb's complement, not part of the name.
            if j == i + 2 && lex.org_lone_heads.contains(toks[i].text(text)) && infinitive(&lower) {
                break;
            }
            if head_capitalized {
                last = Some(j);
            }
        } else if !is_connector(&lower) {
            break;
        }
        j += 1;
    }
    match last {
        Some(l) if head_capitalized || (i + 1..=l).any(|k| toks[k].is_capitalized(text)) => Some(l),
        _ => None,
    }
}

/// `…, internés, résistants et patriotes` from the word after the first comma: lowercase nouns
/// separated by `, ` and closed by `et` + a lowercase noun within a few words; the index of
/// that last noun.
fn enumeration_end(text: &str, toks: &[super::tokens::Token], j: usize) -> Option<usize> {
    let mut k = j;
    let mut sep = ", ";
    while k < toks.len() && k < j + 8 {
        if &text[toks[k - 1].range().end..toks[k].range().start] != sep || toks[k - 1].dot_after {
            return None;
        }
        let w = toks[k].text(text);
        let noun = |w: &str| {
            w.chars().count() > 3
                && w.chars().all(char::is_alphabetic)
                && w.starts_with(char::is_lowercase)
                && !is_connector(w)
                && !NOT_IN_NAMES.contains(&w)
        };
        if sep == " " {
            if w != "et" {
                return None;
            }
            let n = toks.get(k + 1)?;
            return (n.joined_to_previous(text, &toks[k]) && noun(n.text(text))).then_some(k + 1);
        }
        if !noun(w) {
            return None;
        }
        // After a noun: another comma, or `et`.
        sep = if text[toks[k].range().end..].starts_with(", ") {
            ", "
        } else {
            " "
        };
        k += 1;
    }
    None
}

/// `Comité pour la réhabilitation`, `Institut de la statistique`: the noun after an article
/// that follows `de` / `pour` / `contre` is a complement of the name, as right after `de`.
/// Right after an institution that stands alone, `pour` belongs to the verb (`donner décharge
/// à la Commission pour l'exécution du budget`).
fn article_after_preposition(
    text: &str,
    toks: &[super::tokens::Token],
    i: usize,
    j: usize,
    lex: &Lexicons,
) -> bool {
    j >= i + 3
        && matches!(toks[j - 1].text(text), "la" | "l'" | "l’" | "le" | "les")
        && match toks[j - 2].text(text) {
            "de" => true,
            "pour" | "contre" => j > i + 3 || !lex.org_lone_heads.contains(toks[i].text(text)),
            _ => false,
        }
}

/// The shape of a first- or second-group infinitive (`revoir`, `accueillir`, `examiner`).
fn infinitive(w: &str) -> bool {
    w.chars().count() > 4 && (w.ends_with("er") || w.ends_with("ir"))
}

/// An adjective qualifies the noun before it, so a word right after a preposition or an
/// article is a noun whatever its ending (`… de Valence en juin`, `Institut de physique`);
/// after `et`/`ou` it may be a second adjective (`Affaires étrangères et européennes`).
fn after_preposition(text: &str, toks: &[super::tokens::Token], j: usize) -> bool {
    let prev = lowercase(toks[j - 1].text(text));
    is_connector(&prev) && !matches!(prev.as_ref(), "et" | "ou")
}

/// `le Parlement et la Commission`, `la Fondation X et la Fondation Y`: after `et`/`ou` and
/// articles, a capitalised head opens a second organisation, it does not continue the first
/// (`Ministère de l'Europe et des Affaires étrangères` has no head after `et`).
fn another_head_follows(
    text: &str,
    toks: &[super::tokens::Token],
    j: usize,
    lex: &Lexicons,
) -> bool {
    toks[j + 1..]
        .iter()
        .take(3)
        .find(|t| !is_connector(&lowercase(t.text(text))))
        .is_some_and(|t| t.is_capitalized(text) && lex.org_heads.contains_key(t.text(text)))
}

/// Adjective endings that [`looks_like_adjective`] leaves out because nouns share them, safe
/// inside a capitalised name (`Association des leaders religieux du …`).
fn ends_like_adjective(w: &str) -> bool {
    w.chars().count() > 4 && ["eux", "euse", "euses"].iter().any(|e| w.ends_with(e))
}

fn first_capitalized(
    text: &str,
    toks: &[super::tokens::Token],
    from: usize,
    to: usize,
) -> Option<usize> {
    // `l'équipe B`, `le réseau A`: a single letter is a label, not a name.
    (from..=to).find(|&k| toks[k].is_capitalized(text) && toks[k].text(text).chars().count() > 1)
}

/// `l'ALN (Armée de libération nationale)`: the name in parentheses right after an
/// all-capitals word spells that acronym out.
fn acronym_before(
    text: &str,
    toks: &[super::tokens::Token],
    start: usize,
    last: usize,
) -> Option<String> {
    let prev = toks.get(start.checked_sub(1)?)?;
    let opened = text[prev.range().end..toks[start].range().start].trim() == "(";
    let closed = text[toks[last].range().end..].starts_with(')');
    (opened && closed && prev.is_all_caps(text)).then(|| prev.text(text).to_string())
}

/// `… mondiale (OMM)`: an all-capitals word in parentheses right after the name.
fn defined_acronym(text: &str, toks: &[super::tokens::Token], last: usize) -> Option<String> {
    let next = toks.get(last + 1)?;
    let between = &text[toks[last].range().end..next.range().start];
    let after = &text[next.range().end..];
    (between.trim() == "(" && after.starts_with(')') && next.is_all_caps(text))
        .then(|| next.text(text).to_string())
}

/// All-capital words of 2 to 6 letters not known as anything else (`UMP`, `CGT`, `TPI`):
/// acronyms of organisations, except those in `data/lexicons/not_org_acronyms.txt` (`PIB`,
/// `ADN`) and places (`RDC`).
pub fn acronym_hits(
    doc: &Document,
    segs: &[SegTokens],
    lex: &Lexicons,
    claims: &mut Claims,
) -> Vec<OrgHit> {
    let text = doc.text.as_str();
    let labels = label_acronyms(text, segs, lex);
    let mut out = Vec::new();
    for seg in segs {
        if matches!(
            seg.segment.zone,
            crate::model::Zone::Title | crate::model::Zone::Heading | crate::model::Zone::Dateline
        ) {
            // Headings may be written in capitals throughout.
            continue;
        }
        let caps = seg.tokens.iter().filter(|t| t.is_all_caps(text)).count();
        if caps * 5 > seg.tokens.len() {
            // A line written in capitals (a heading, OCR'd press) is shouting, not acronyms.
            continue;
        }
        for (k, t) in seg.tokens.iter().enumerate() {
            // Most tokens are not in capitals: test that before looking at the neighbours.
            if !t.is_all_caps(text) {
                continue;
            }
            let w = t.text(text);
            let letters = w.chars().count();
            let caps_neighbour = [k.checked_sub(1), Some(k + 1)]
                .into_iter()
                .flatten()
                .filter_map(|n| seg.tokens.get(n))
                .any(|n| n.is_all_caps(text));
            if caps_neighbour {
                continue;
            }
            // Two capitals after a common noun (`les jeux DS`, `une carte SD`) are a model or
            // a format; after an article or a preposition (`le PC`, `la PJ`) an organisation.
            let label = letters == 2
                && k > 0
                && !seg.tokens[k - 1].is_capitalized(text)
                && !ORG_INTRODUCERS.contains(&lowercase(seg.tokens[k - 1].text(text)).as_ref());
            if label
                || !(2..=6).contains(&letters)
                || !t.is_all_caps(text)
                || !w.chars().all(|c| c.is_alphabetic())
                || t.initial
                || is_roman_numeral(w)
                || lex.not_org_acronyms.contains(w)
                || labels.contains(w)
                || claims.overlaps(&t.range())
            {
                continue;
            }
            claims.claim(t.range());
            out.push(OrgHit {
                range: t.range(),
                name: w.to_string(),
                acronym: Some(w.to_string()),
                kind: None,
            });
        }
    }
    out
}

/// All-capital words the text uses as a thing's name, so none of their mentions is an
/// organisation: after a label noun (`le projet ACTA`, `l'accélérateur de particules LHC`,
/// `la version 12.04 LTS`; `data/lexicons/acronym_label_nouns.txt`). A lowercase expansion in
/// parentheses is no such evidence: institutions are often written in lowercase
/// (`commission consultative du secret de la défense nationale (CCSDN)`).
fn label_acronyms<'t>(text: &'t str, segs: &[SegTokens], lex: &Lexicons) -> HashSet<&'t str> {
    let mut labels = HashSet::new();
    for seg in segs {
        let toks = &seg.tokens;
        for (k, t) in toks.iter().enumerate().skip(1) {
            if !t.is_all_caps(text) || t.text(text).chars().count() < 2 {
                continue;
            }
            let word = |n: usize| lowercase(toks[n].text(text));
            let label_noun = |n: usize| {
                !toks[n].is_capitalized(text) && lex.acronym_label_nouns.contains(word(n).as_ref())
            };
            let prev = &toks[k - 1];
            let glued = |n: usize| toks[n + 1].joined_to_previous(text, &toks[n]);
            // `la version 12.04 LTS`: a number (one or more tokens) between noun and acronym.
            let number_start = (k.saturating_sub(3)..k)
                .rev()
                .take_while(|&n| toks[n].text(text).starts_with(|c: char| c.is_ascii_digit()))
                .last();
            let after_label = (label_noun(k - 1) && glued(k - 1))
                || number_start.is_some_and(|n| n >= 1 && label_noun(n - 1) && glued(n - 1))
                || (k >= 3
                    && !prev.is_capitalized(text)
                    && matches!(word(k - 2).as_ref(), "de" | "d'" | "d’")
                    && label_noun(k - 3));
            if after_label {
                labels.insert(t.text(text));
            }
        }
    }
    labels
}

fn is_roman_numeral(w: &str) -> bool {
    w.chars()
        .all(|c| matches!(c, 'I' | 'V' | 'X' | 'L' | 'C' | 'D' | 'M'))
}
