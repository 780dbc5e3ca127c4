//! People: full names (a known first name, an honorific, a role or an East Asian family name
//! before capitalised words), their roles from titles and appositions, their gender, and the
//! later mentions by surname (`Lavrov`, `M. Lavrov`) joined to them.

use std::collections::HashMap;
use std::ops::Range;

use super::lexicon::{HeadMode, Lexicons};
use super::tokens::Token;
use super::{Claims, SegTokens, lowercase, mention};
use crate::model::{Document, Person};

/// The most tokens in one person's name (`Luiz Inácio Lula da Silva`).
const MAX_NAME_TOKENS: usize = 6;
/// How far back (in words) a role phrase may start before the name.
const MAX_ROLE_WORDS: usize = 12;

/// Lowercase particles inside names: `Ursula von der Leyen`, `Lula da Silva`, `bin Salmane`.
const PARTICLES: &[&str] = &[
    "de", "du", "d'", "d’", "von", "van", "der", "den", "ter", "da", "das", "dos", "di", "del",
    "della", "bin", "ben", "ibn", "al", "el", "y", "zu", "le", "la",
];

/// Words that end a role phrase on the left (`le ministre …`, `son homologue …`).
const DETERMINERS: &[&str] = &[
    "le", "la", "l'", "l’", "les", "son", "sa", "ses", "leur", "leurs", "du", "au", "aux", "un",
    "une", "notre", "votre", "ce", "cet", "cette", "de", "d'", "d’", "par", "et", "dont", "avec",
    "pour",
];

/// A name found in the text, before grouping.
#[derive(Debug, Clone)]
pub struct NameHit {
    pub range: Range<usize>,
    /// Token texts of the name.
    pub words: Vec<String>,
    pub gender: Option<char>,
    pub role: Option<String>,
    /// The family name comes first (`Kim Jong Un`).
    pub family_first: bool,
    pub segment: usize,
}

/// Full names: runs of capitalised words that something marks as a person.
pub fn full_names(
    doc: &Document,
    segs: &[SegTokens],
    lex: &Lexicons,
    claims: &mut Claims,
) -> Vec<NameHit> {
    let text = doc.text.as_str();
    let lone = lone_words(text, segs);
    let mut hits: Vec<NameHit> = super::scan(segs, claims, |si, seg, i, claims| {
        let mut hit = full_name_at(text, seg, i, lex, claims, &lone)?;
        hit.segment = si;
        let last = i + seg.tokens[i..]
            .iter()
            .position(|t| t.range().end == hit.range.end)
            .unwrap_or(0);
        Some((last, hit))
    })
    .into_iter()
    .map(|(_, hit)| hit)
    .collect();
    let mut shared = shared_surname_hits(text, segs, lex, claims, &hits);
    if shared.is_empty() {
        return hits;
    }
    hits.append(&mut shared);
    hits.sort_by_key(|h| h.range.start);
    hits
}

/// `Pierre et Marie Curie`, `les collectionneurs Sterling et Francine Clark`: a first name
/// coordinated with a full name shares its surname, and is a person of that name. The word
/// must be a known first name, or follow a plural noun for people (`les époux X et Y Z`).
fn shared_surname_hits(
    text: &str,
    segs: &[SegTokens],
    lex: &Lexicons,
    claims: &mut Claims,
    hits: &[NameHit],
) -> Vec<NameHit> {
    let mut out = Vec::new();
    for hit in hits
        .iter()
        .filter(|h| h.words.len() >= 2 && !h.family_first)
    {
        let toks = &segs[hit.segment].tokens;
        let k = toks.partition_point(|t| t.range().start < hit.range.start);
        if k < 2 || toks[k - 1].text(text) != "et" {
            continue;
        }
        let x = &toks[k - 2];
        let word = x.text(text);
        let plain = is_name_word(text, x)
            && !x.is_all_caps(text)
            && !claims.overlaps(&x.range())
            && !lex.not_names.contains(word)
            && !lex.org_forms.contains_key(word)
            && toks[k - 1].joined_to_previous(text, x);
        if !plain {
            continue;
        }
        let given = lex.given_name(word);
        let after_plural = k >= 4
            && matches!(
                lowercase(toks[k - 4].text(text)).as_ref(),
                "les" | "des" | "deux"
            )
            && is_plural_noun(toks[k - 3].text(text));
        // A place name that is nothing else (`Lyon et Anne Hidalgo`) is no first name.
        let only_place = lex.place(word).is_some() && !lex.ambiguous_places.contains(word);
        if given.is_none() && (!after_plural || only_place) {
            continue;
        }
        claims.claim(x.range());
        let mut words = vec![word.to_string()];
        words.extend(hit.words[1..].iter().cloned());
        out.push(NameHit {
            range: x.range(),
            words,
            gender: given.filter(|g| *g != 'u'),
            role: None,
            family_first: false,
            segment: hit.segment,
        });
    }
    out
}

/// A lowercase word with the plural ending of a noun (`collectionneurs`, `époux`).
fn is_plural_noun(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_lowercase)
        && w.chars().count() > 3
        && (w.ends_with('s') || w.ends_with('x'))
}

/// The words of the full names (not their first word, unless the family name comes first):
/// the surnames that may stand alone later.
pub fn name_words(hits: &[NameHit]) -> std::collections::HashSet<&str> {
    hits.iter()
        .filter(|h| h.words.len() > 1)
        .flat_map(|h| {
            let skip = usize::from(!h.family_first);
            h.words[skip..].iter().map(String::as_str)
        })
        .filter(|w| !PARTICLES.contains(w))
        .collect()
}

fn full_name_at(
    text: &str,
    seg: &SegTokens,
    i: usize,
    lex: &Lexicons,
    claims: &Claims,
    lone: &HashMap<&str, usize>,
) -> Option<NameHit> {
    let toks = &seg.tokens;
    let first = &toks[i];
    if !is_name_word(text, first)
        || claims.overlaps(&first.range())
        || is_honorific(text, first, lex)
    {
        return None;
    }
    let word = first.text(text);
    let last = name_run_end(text, toks, i, lex);
    // `Getty Research Institute`, `Fondation Abbé-Pierre`: a run holding an organisation head
    // names the organisation, whatever first name it starts with.
    if (i..=last).any(|k| is_org_word(toks[k].text(text), lex)) {
        return None;
    }
    let honorific = honorific_before(text, toks, i, lex)
        .or_else(|| plural_honorific_over_et(text, toks, i, lex));
    let role = if may_end_role(text, toks, i, lex) {
        role_before(text, seg, i, lex)
    } else {
        None
    };
    let given = (!lex.not_names.contains(word))
        .then(|| lex.given_name(word))
        .flatten();
    let family_first = lex.family_name_first.contains(word) && last > i;
    let blocked = i > 0
        && lex
            .name_blockers
            .contains(lowercase(toks[i - 1].text(text)).as_ref())
        || after_member_noun(text, toks, i, lex);
    // `J.-P. Bruneau`, `F. Hollande`: initials before a capitalised word write a person's
    // first names; the run holds no place or organisation (checked below).
    let initialled =
        first.initial && last > i && !toks[last].initial && !toks[last].is_all_caps(text);
    let marked = honorific.is_some()
        || role.is_some()
        || initialled
        || (given.is_some() && last > i)
        || family_first
        || (last > i && unknown_name_has_evidence(text, seg, i, last, lex, lone));
    if !marked || blocked {
        return None;
    }
    // A single word after a role is a surname only if it is nothing else (`le président
    // Macron`, not `le président Washington`).
    if last == i
        && honorific.is_none()
        && (lex.place(word).is_some() || lex.not_names.contains(word))
    {
        return None;
    }
    let range = first.range().start..toks[last].range().end;
    if claims.overlaps(&range) {
        return None;
    }
    let whole = super::gazetteer::key_of(text, toks, i, last);
    if last > i && (lex.place(&whole).is_some() || lex.org_forms.contains_key(whole.as_ref())) {
        return None;
    }
    let gender = honorific
        .or_else(|| role.as_deref().and_then(|r| role_gender(r, lex)))
        .or(given.filter(|g| *g != 'u'));
    Some(NameHit {
        range,
        words: (i..=last).map(|k| toks[k].text(text).to_string()).collect(),
        gender,
        role,
        family_first,
        segment: 0,
    })
}

/// `les combattants de X`, `les membres d'X`: X is the group they belong to.
fn after_member_noun(text: &str, toks: &[Token], i: usize, lex: &Lexicons) -> bool {
    i >= 2
        && matches!(toks[i - 1].text(text), "de" | "d'" | "d’" | "du")
        && lex
            .member_nouns
            .contains(lowercase(toks[i - 2].text(text)).as_ref())
}

/// Names that the text shows to be organisations elsewhere (`les combattants d'X` … `X a
/// revendiqué`): the person hits that spell them become organisation mentions.
pub fn drop_org_names(hits: Vec<NameHit>, orgs: &mut Vec<super::orgs::OrgHit>) -> Vec<NameHit> {
    // The first organisation of each name (what the hits below add repeats a name already
    // here): scanning them all for every name made one long text quadratic.
    let mut first_of: HashMap<String, usize> = HashMap::new();
    for (i, o) in orgs.iter().enumerate() {
        first_of.entry(o.name.clone()).or_insert(i);
    }
    let mut kept = Vec::with_capacity(hits.len());
    for hit in hits {
        let name = hit.words.join(" ");
        let org = first_of
            .get(&name)
            .map(|&i| (orgs[i].acronym.clone(), orgs[i].kind.clone()));
        match org {
            Some((acronym, kind)) => orgs.push(super::orgs::OrgHit {
                range: hit.range,
                name,
                acronym,
                kind,
            }),
            None => kept.push(hit),
        }
    }
    kept
}

/// `M.`, `Mme`, `Dr`: a courtesy title is never part of the name itself.
fn is_honorific(text: &str, t: &Token, lex: &Lexicons) -> bool {
    let w = t.text(text);
    lex.honorifics.contains_key(w) || (t.dot_after && lex.honorifics.contains_key(&format!("{w}.")))
}

/// A word that opens or closes an organisation's name (`Institute`, `Fondation`, `Conseil`).
fn is_org_word(w: &str, lex: &Lexicons) -> bool {
    lex.org_heads
        .get(w)
        .is_some_and(|(_, mode)| *mode != HeadMode::Following)
}

/// Capitalised words that stand alone (no capitalised neighbour) somewhere in the article,
/// with their counts: `Romney` alone later is evidence that `Mitt Romney` is a person.
fn lone_words<'t>(text: &'t str, segs: &[SegTokens]) -> HashMap<&'t str, usize> {
    let mut out = HashMap::new();
    for seg in segs {
        let toks = &seg.tokens;
        for (k, t) in toks.iter().enumerate() {
            if k == 0 || !is_name_word(text, t) {
                continue;
            }
            let glued = |n: usize| {
                toks.get(n).is_some_and(|o| is_name_word(text, o))
                    && (n < k && t.joined_to_previous(text, &toks[n])
                        || n > k && toks[n].joined_to_previous(text, t))
            };
            if !glued(k - 1) && !glued(k + 1) {
                *out.entry(t.text(text)).or_insert(0) += 1;
            }
        }
    }
    out
}

/// A run of capitalised words that no lexicon knows as a first name is a person's name when
/// the text says so: an apposition with a role after it (`Nock Ag Kana, député touareg,`), a
/// speech verb right before or after it (`explique Jo Zaum`, `Jo Zaum a précisé`), or its last
/// word standing alone elsewhere in the article (`Mitt Romney` … `Romney`). It must be nothing
/// else: no common word, place or organisation inside it.
fn unknown_name_has_evidence(
    text: &str,
    seg: &SegTokens,
    i: usize,
    last: usize,
    lex: &Lexicons,
    lone: &HashMap<&str, usize>,
) -> bool {
    let toks = &seg.tokens;
    // `Coupe du Monde`, `boson de Higgs`, `Stop Online Piracy Act`: a French particle or a
    // fourth word is more often a title or a term than an unknown person.
    let french_particle = (i..=last).any(|k| {
        matches!(
            toks[k].text(text),
            "de" | "du" | "d'" | "d’" | "des" | "la" | "le"
        )
    });
    if last - i > 2 || french_particle {
        return false;
    }
    let names_only = (i..=last).all(|k| {
        let w = toks[k].text(text);
        !is_name_word(text, &toks[k])
            || (w.chars().count() > 1
                && !lex.not_names.contains(w)
                && !lex.org_forms.contains_key(w)
                && !w.split('-').any(|part| lex.is_place(part)))
    });
    // `Affaire Clearstream`, `Réseau B`: a capitalised common noun opening the run.
    let common_noun_first = lex
        .name_blockers
        .contains(lowercase(toks[i].text(text)).as_ref());
    let glued_before =
        i > 0 && toks[i - 1].is_capitalized(text) && toks[i].joined_to_previous(text, &toks[i - 1]);
    if !names_only || glued_before || common_noun_first {
        return false;
    }
    let cue_before = i > 0 && is_cue(toks[i - 1].text(text), lex);
    let cue_after = toks.get(last + 1).is_some_and(|n| {
        is_cue(n.text(text), lex)
            || (matches!(n.text(text), "a" | "avait")
                && toks
                    .get(last + 2)
                    .is_some_and(|v| is_cue(v.text(text), lex)))
    });
    let surname_alone = lone.get(toks[last].text(text)).copied().unwrap_or(0) > 0;
    cue_before
        || cue_after
        || surname_alone
        || role_after(text, seg, toks[last].range().end, lex).is_some()
}

fn is_cue(w: &str, lex: &Lexicons) -> bool {
    lex.cue_forms.get(w).is_some()
}

/// A capitalised word that can be part of a name: not an acronym, not a number.
fn is_name_word(text: &str, t: &Token) -> bool {
    let w = t.text(text);
    t.is_capitalized(text)
        && (!t.is_all_caps(text) || t.initial)
        && !w.bytes().any(|b| b.is_ascii_digit())
}

/// The last token of the run of name words from `i`, through initials and particles.
fn name_run_end(text: &str, toks: &[Token], i: usize, lex: &Lexicons) -> usize {
    let mut last = i;
    let mut j = i + 1;
    while j < toks.len() && j < i + MAX_NAME_TOKENS {
        if !toks[j].joined_to_previous(text, &toks[j - 1]) {
            break;
        }
        let w = toks[j].text(text);
        // Words of `not_names` are only dangerous where a sentence starts: inside a run they
        // are names (`Kim Jong Un`).
        if is_name_word(text, &toks[j]) {
            last = j;
            j += 1;
        } else if PARTICLES.contains(&w) {
            // One or two particles before a name word: `von der Leyen`, `da Silva`.
            let mut k = j;
            while k < toks.len() && k < j + 2 && PARTICLES.contains(&toks[k].text(text)) {
                k += 1;
            }
            if k >= toks.len() || !is_name_word(text, &toks[k]) {
                break;
            }
            // `… de Corée du Nord` is a place after the name, not a particle inside it; a
            // name that is also a common word or a village stays in the name
            // (`Bertrand de Broc`).
            let rest = super::gazetteer::key_of(text, toks, k, k);
            if lex.is_place(&rest)
                && lex.given_name(&rest).is_none()
                && !lex.ambiguous_places.contains(rest.as_ref())
            {
                break;
            }
            j = k;
        } else {
            break;
        }
    }
    last
}

/// `M.`, `Mme`, `Dr` right before the name: its gender (`u` when it has none).
fn honorific_before(text: &str, toks: &[Token], i: usize, lex: &Lexicons) -> Option<char> {
    let prev = toks.get(i.checked_sub(1)?)?;
    if !toks[i].joined_to_previous(text, prev) {
        return None;
    }
    let w = prev.text(text);
    let g = if prev.dot_after {
        lex.honorifics
            .get(&format!("{w}."))
            .or_else(|| lex.honorifics.get(w))
    } else {
        lex.honorifics.get(w)
    }?;
    Some(*g)
}

/// `MM. Duval et Leroy`, `Mmes Ba et Diop`: a plural courtesy title covers the name after
/// `et` too. Its gender, when token `i` follows `et` and a name right after the title.
fn plural_honorific_over_et(text: &str, toks: &[Token], i: usize, lex: &Lexicons) -> Option<char> {
    if i < 3 || toks[i - 1].text(text) != "et" || !toks[i].joined_to_previous(text, &toks[i - 1]) {
        return None;
    }
    let first = &toks[i - 2];
    if !is_name_word(text, first) {
        return None;
    }
    let title = toks[i - 3].text(text);
    if !matches!(title, "MM" | "Mmes" | "Messieurs" | "Mesdames") {
        return None;
    }
    // The covered word has no title of its own to vouch for it: it must be nothing else.
    let word = toks[i].text(text);
    if lex.place(word).is_some() || lex.not_names.contains(word) {
        return None;
    }
    honorific_before(text, toks, i - 2, lex)
}

/// The role phrase that ends right before the name (`le président russe Vladimir Poutine`,
/// `le ministre russe des Affaires étrangères, Sergueï Lavrov`), without its determiner.
fn role_before(text: &str, seg: &SegTokens, i: usize, lex: &Lexicons) -> Option<String> {
    let start = seg.segment.range.start;
    let before = text[start..seg.tokens[i].range().start].trim_end();
    let before = before.strip_suffix(',').unwrap_or(before).trim_end();
    if before.ends_with(['.', ';', ':', '(', '«', '»', '"']) {
        return None;
    }
    // Only the last words can hold the role: never split a whole long sentence per name.
    let mut words: Vec<&str> = before
        .split_whitespace()
        .rev()
        .take(MAX_ROLE_WORDS + 1)
        .collect();
    words.reverse();
    let n = words.len();
    for k in (n.saturating_sub(MAX_ROLE_WORDS)..n).rev() {
        let w = words[k];
        if k + 1 < n && w.ends_with(',') {
            return None;
        }
        let (det, head) = split_elision(w);
        let preceded_by_determiner =
            det.is_some() || k == 0 || DETERMINERS.contains(&lowercase(words[k - 1]).as_ref());
        if !preceded_by_determiner {
            continue;
        }
        let mut phrase_words = vec![head];
        phrase_words.extend(&words[k + 1..]);
        if let Some(head_len) = role_head_len(&phrase_words, lex) {
            if phrase_words[head_len..]
                .iter()
                .all(|w| fits_in_role(w, lex))
                && !is_trailing_connector(phrase_words[phrase_words.len() - 1])
            {
                return Some(phrase_words.join(" "));
            }
            return None;
        }
    }
    None
}

/// A cheap test before [`role_before`]: the word before the name could end a role phrase
/// (a role word, an adjective, a role noun or a capitalised complement).
fn may_end_role(text: &str, toks: &[Token], i: usize, lex: &Lexicons) -> bool {
    let Some(prev) = i.checked_sub(1).map(|k| &toks[k]) else {
        return false;
    };
    if prev.is_capitalized(text) {
        return true;
    }
    let lower = lowercase(prev.text(text));
    lex.role_first_words.contains(lower.as_ref())
        || super::looks_like_adjective(&lower, lex)
        || ROLE_NOUNS.contains(&lower.as_ref())
}

/// `l'ambassadeur` → (`l'`, `ambassadeur`).
fn split_elision(w: &str) -> (Option<&str>, &str) {
    for p in ["l'", "l’", "d'", "d’"] {
        if let Some(rest) = w.strip_prefix(p)
            && !rest.is_empty()
        {
            return (Some(p), rest);
        }
    }
    (None, w)
}

fn starts_with_role(words: &[&str], lex: &Lexicons) -> bool {
    role_head_len(words, lex).is_some()
}

/// The number of words of the longest role at the start of `words`.
fn role_head_len(words: &[&str], lex: &Lexicons) -> Option<usize> {
    if !lex
        .role_first_words
        .contains(lowercase(words.first()?).as_ref())
    {
        return None;
    }
    longest_role(words, lex).map(|(n, _)| n)
}

/// The longest role at the start of `words`: its number of words and its gender. The roles
/// are looked up by their lower-case words, joined once into one buffer whose prefixes are
/// the candidate keys (not one joined `String` and one lowered `String` per length).
fn longest_role(words: &[&str], lex: &Lexicons) -> Option<(usize, char)> {
    let most = lex.max_role_words.min(words.len());
    let mut joined = String::new();
    let mut ends = Vec::with_capacity(most);
    for w in &words[..most] {
        if !joined.is_empty() {
            joined.push(' ');
        }
        joined.push_str(&lowercase(w));
        ends.push(joined.len());
    }
    (1..=most)
        .rev()
        .find_map(|n| lex.roles.get(&joined[..ends[n - 1]]).map(|g| (n, *g)))
}

/// Nouns that occur lowercase inside role complements (`secrétaire du Conseil de sécurité`).
const ROLE_NOUNS: &[&str] = &[
    "sécurité",
    "état",
    "etat",
    "affaires",
    "gouvernement",
    "parti",
    "république",
    "nations",
    "chef",
    "général",
    "générale",
];

/// A word that may follow a role head before the name: a complement's capitalised word, a
/// connector, an adjective or demonym (`président russe`, `ministre des Affaires étrangères`).
fn fits_in_role(w: &str, lex: &Lexicons) -> bool {
    let (_, w) = split_elision(w);
    let lower = lowercase(w);
    w.chars().next().is_some_and(char::is_uppercase)
        || super::is_connector(&lower)
        || super::looks_like_adjective(&lower, lex)
        || ROLE_NOUNS.contains(&lower.as_ref())
}

/// `le ministre russe des` + name: the name is the complement, not the role holder.
fn is_trailing_connector(w: &str) -> bool {
    let lower = lowercase(w);
    super::is_connector(&lower) || lower.ends_with('\'') || lower.ends_with('’')
}

/// The role's own gender, else a feminine adjective in it (`homologue nord-coréenne`).
fn role_gender(role: &str, lex: &Lexicons) -> Option<char> {
    let words: Vec<&str> = role.split_whitespace().collect();
    if let Some((_, g)) = longest_role(&words, lex)
        && g != 'u'
    {
        return Some(g);
    }
    let feminine = words.iter().skip(1).take(2).any(|w| {
        let w = lowercase(w);
        lex.demonyms.contains_key(w.as_ref())
            && (w.ends_with("enne")
                || w.ends_with("aise")
                || w.ends_with("ine")
                || w.ends_with("ane"))
    });
    feminine.then_some('f')
}

/// The apposition after a name (`Sadio Camara, ministre malien de la Défense,`).
fn role_after(text: &str, seg: &SegTokens, name_end: usize, lex: &Lexicons) -> Option<String> {
    let rest = &text[name_end..seg.segment.range.end];
    let rest = rest.strip_prefix(',')?.trim_start();
    let end = rest
        .find([',', '.', ';', ')', '«', '»'])
        .unwrap_or(rest.len());
    let phrase = rest[..end].trim();
    let words: Vec<&str> = phrase.split_whitespace().collect();
    let words: Vec<&str> = match words.first() {
        Some(w) if matches!(lowercase(w).as_ref(), "le" | "la") => words[1..].to_vec(),
        _ => words,
    };
    (words.len() <= MAX_ROLE_WORDS && !words.is_empty() && starts_with_role(&words, lex))
        .then(|| words.join(" "))
}

/// Groups full names into people, then adds the surname-only mentions, and builds the output.
pub fn people(
    doc: &Document,
    segs: &[SegTokens],
    hits: Vec<NameHit>,
    lex: &Lexicons,
    claims: &mut Claims,
) -> Vec<Person> {
    let text = doc.text.as_str();
    let mut people: Vec<Building> = Vec::new();
    for hit in hits {
        let role_after = role_after(text, &segs[hit.segment], hit.range.end, lex);
        let idx = match find_person(&people, &hit.words, hit.range.start) {
            Some(idx) => idx,
            None => {
                people.push(Building::default());
                people.len() - 1
            }
        };
        let p = &mut people[idx];
        if hit.words.len() > p.words.len() {
            p.words = hit.words.clone();
        }
        p.family_first |= hit.family_first;
        for r in hit.role.iter().chain(role_after.iter()) {
            if !p.roles.contains(r) {
                p.roles.push(r.clone());
            }
            if p.gender.is_none() {
                p.gender = role_gender(r, lex);
            }
        }
        if p.gender.is_none() {
            p.gender = hit.gender;
        }
        p.mentions.push(hit.range.clone());
        p.last_seen = hit.range.start;
    }
    surname_mentions(doc, segs, lex, claims, &mut people);
    surname_lists(text, segs, lex, claims, &mut people);
    let mut out: Vec<Person> = people
        .into_iter()
        .filter(|p| !p.mentions.is_empty())
        .map(|mut p| {
            p.mentions.sort_by_key(|r| r.start);
            let mentions: Vec<_> = p
                .mentions
                .iter()
                .map(|r| mention(doc, segs, r.clone(), false))
                .collect();
            Person {
                name: p.words.join(" ").replace(" -", "-"),
                roles: p.roles,
                gender: p.gender.map(|g| g.to_string()),
                count: mentions.len(),
                mentions,
                quotes: 0,
                references: Vec::new(),
            }
        })
        .collect();
    // The canonical name is the fullest form as written, without a courtesy title; a name
    // only ever written short (`Pierre` in `Pierre et Marie Curie`) keeps its full words.
    for p in &mut out {
        if let Some(longest) = p.mentions.iter().max_by_key(|m| m.text.chars().count()) {
            let written = strip_honorific(&longest.text, lex);
            let surname = p.name.rsplit(' ').next().unwrap_or_default();
            if written.ends_with(surname) {
                p.name = written.to_string();
            }
        }
    }
    out.sort_by_key(|p| p.mentions.first().map_or(usize::MAX, |m| m.start));
    out
}

/// `Mme Fatou Ba` → `Fatou Ba`.
fn strip_honorific<'a>(name: &'a str, lex: &Lexicons) -> &'a str {
    match name.split_once(' ') {
        Some((first, rest)) if lex.honorifics.contains_key(first) && !rest.is_empty() => rest,
        _ => name,
    }
}

/// A person being built; `pub(crate)` with [`find_person`] so that the windows of a large
/// file (`crate::window`) join their people by the same rules.
#[derive(Debug, Default)]
pub(crate) struct Building {
    pub(crate) words: Vec<String>,
    roles: Vec<String>,
    gender: Option<char>,
    family_first: bool,
    mentions: Vec<Range<usize>>,
    pub(crate) last_seen: usize,
}

impl Building {
    /// A person known by the words of their name only, last mentioned at `last_seen`.
    pub(crate) fn named(words: Vec<String>, last_seen: usize) -> Building {
        Building {
            words,
            last_seen,
            ..Building::default()
        }
    }
}

/// The person a name refers to: same words, or a shorter form of a known name (`Lavrov`);
/// with several candidates, the one mentioned last (the one in focus).
pub(crate) fn find_person(people: &[Building], words: &[String], _at: usize) -> Option<usize> {
    let exact = people.iter().position(|p| p.words == words);
    if exact.is_some() {
        return exact;
    }
    // `B. Obama` and `Barack Obama`: an initial stands for a first name with that letter.
    let abbreviated = people
        .iter()
        .enumerate()
        .filter(|(_, p)| p.words.len() == words.len() && p.words.last() == words.last())
        .filter(|(_, p)| same_initial(&p.words[0], &words[0]))
        .max_by_key(|(_, p)| p.last_seen)
        .map(|(i, _)| i);
    if abbreviated.is_some() {
        return abbreviated;
    }
    // Same surname and compatible given name: `Vladimir Poutine` and `Poutine` meet here only
    // through `surname_mentions`; two full names with different first names stay apart.
    people
        .iter()
        .enumerate()
        .filter(|(_, p)| {
            let single = words.len() == 1;
            let surname = p.words.last() == words.last()
                || (single && p.family_first && p.words.first() == words.first());
            p.words.len() != words.len() && surname && (single || p.words.first() == words.first())
        })
        .max_by_key(|(_, p)| p.last_seen)
        .map(|(i, _)| i)
}

/// Whether one of two first words is an initial (`B`, `B.`) of the other (`Barack`).
fn same_initial(a: &str, b: &str) -> bool {
    let initial = |w: &str| {
        let w = w.trim_end_matches('.');
        (w.chars().count() == 1).then(|| w.chars().next()).flatten()
    };
    match (initial(a), initial(b)) {
        (Some(c), None) => b.starts_with(c) && b.chars().count() > 1,
        (None, Some(c)) => a.starts_with(c) && a.chars().count() > 1,
        _ => false,
    }
}

/// The fewest items in a list of lone surnames (`des toiles de Monet, Degas et Sisley`).
const MIN_LIST_ITEMS: usize = 3;

/// Lists of lone capitalised words (`Monet, Degas, Manet et Sisley`): people when one item is
/// already a person, or when most items are known surnames, and no item is anything else (a
/// place, an organisation, a common word). Each new item becomes a person.
fn surname_lists(
    text: &str,
    segs: &[SegTokens],
    lex: &Lexicons,
    claims: &mut Claims,
    people: &mut Vec<Building>,
) {
    let mut found: Vec<Range<usize>> = Vec::new();
    for seg in segs {
        let toks = &seg.tokens;
        let mut i = 0;
        while i < toks.len() {
            let items = list_items(text, toks, i);
            if items.len() < MIN_LIST_ITEMS {
                i += 1;
                continue;
            }
            let is_person = |k: usize| {
                people
                    .iter()
                    .any(|p| p.mentions.iter().any(|r| *r == toks[k].range()))
            };
            let acceptable = items.iter().all(|&k| {
                let w = toks[k].text(text);
                // `Monsieur le Président, Madame la Commissaire, Mesdames et Messieurs`:
                // titles and forms of address are no surnames.
                let title = lex.roles.contains_key(lowercase(w).as_ref())
                    || is_honorific(text, &toks[k], lex);
                !title
                    && (is_person(k)
                        || (!claims.overlaps(&toks[k].range())
                            && !lex.not_names.contains(w)
                            && !lex.org_forms.contains_key(w)))
            });
            let persons = items.iter().filter(|&&k| is_person(k)).count();
            let surnames = items
                .iter()
                .filter(|&&k| lex.surnames.get(toks[k].text(text)).is_some())
                .count();
            if acceptable && (persons > 0 || surnames * 2 > items.len()) {
                found.extend(
                    items
                        .iter()
                        .filter(|&&k| !is_person(k))
                        .map(|&k| toks[k].range()),
                );
            }
            i = items[items.len() - 1] + 1;
        }
    }
    for range in found {
        claims.claim(range.clone());
        let words = vec![text[range.clone()].to_string()];
        let idx = match find_person(people, &words, range.start) {
            Some(idx) => idx,
            None => {
                people.push(Building {
                    words,
                    ..Building::default()
                });
                people.len() - 1
            }
        };
        people[idx].mentions.push(range);
    }
}

/// The tokens of a list of single name words starting at `i`, joined by `,` and a final
/// `et` (`A, B, C et D`); empty unless the list ends with `et` and an item.
fn list_items(text: &str, toks: &[Token], i: usize) -> Vec<usize> {
    let single = |k: usize| {
        toks.get(k)
            .is_some_and(|t| is_name_word(text, t) && !t.initial)
            && !(k > 0
                && toks[k - 1].is_capitalized(text)
                && toks[k].joined_to_previous(text, &toks[k - 1]))
    };
    if !single(i) {
        return Vec::new();
    }
    let mut items = vec![i];
    let mut k = i;
    while let Some(next) = toks.get(k + 1) {
        let between = &text[toks[k].range().end..next.range().start];
        if between == ", " && single(k + 1) {
            k += 1;
            items.push(k);
        } else if next.text(text) == "et" && between == " " && single(k + 2) {
            items.push(k + 2);
            let after = toks.get(k + 3);
            let ends = after.is_none_or(|a| {
                !(a.is_capitalized(text) && a.joined_to_previous(text, &toks[k + 2]))
            });
            return if ends { items } else { Vec::new() };
        } else {
            break;
        }
    }
    Vec::new()
}

/// Surnames alone (`Poutine`, `M. Lavrov`, `Mme Choe`) joined to the person they name.
fn surname_mentions(
    doc: &Document,
    segs: &[SegTokens],
    lex: &Lexicons,
    claims: &mut Claims,
    people: &mut [Building],
) {
    let text = doc.text.as_str();
    let mut by_word: HashMap<String, Vec<usize>> = HashMap::new();
    for (idx, p) in people.iter().enumerate() {
        let skip_first = !p.family_first && p.words.len() > 1;
        for (k, w) in p.words.iter().enumerate() {
            if (k == 0 && skip_first) || PARTICLES.contains(&w.as_str()) || w.chars().count() < 2 {
                continue;
            }
            by_word.entry(w.clone()).or_default().push(idx);
        }
    }
    let mut events: Vec<(usize, Range<usize>)> = Vec::new();
    for seg in segs {
        for (i, t) in seg.tokens.iter().enumerate() {
            if !is_name_word(text, t) || claims.overlaps(&t.range()) {
                continue;
            }
            let w = t.text(text);
            let Some(cands) = by_word.get(w) else {
                continue;
            };
            // `B. Obama`: the initial picks the person with that first letter and belongs to
            // the mention.
            let initial = i
                .checked_sub(1)
                .map(|k| &seg.tokens[k])
                .filter(|p| p.initial && t.joined_to_previous(text, p));
            let mut letter = initial.and_then(|p| p.text(text).chars().next());
            // An initial that fits nobody (`F.L. Copperman`) leaves the surname to the usual
            // choice.
            if letter.is_some_and(|l| {
                !cands
                    .iter()
                    .any(|&c| people[c].words.first().is_some_and(|w| w.starts_with(l)))
            }) {
                letter = None;
            }
            let fits = |c: usize| {
                letter.is_none_or(|l| people[c].words.first().is_some_and(|w| w.starts_with(l)))
            };
            // Pick the candidate mentioned most recently before this point.
            let best = cands
                .iter()
                .copied()
                .filter(|&c| fits(c))
                .filter(|&c| people[c].mentions.iter().any(|r| r.start < t.range().start))
                .max_by_key(|&c| {
                    people[c]
                        .mentions
                        .iter()
                        .filter(|r| r.start < t.range().start)
                        .map(|r| r.start)
                        .max()
                })
                .or_else(|| cands.iter().copied().find(|&c| fits(c)));
            if let Some(c) = best {
                let start = match initial {
                    Some(p) if letter.is_some() => p.range().start,
                    _ => t.range().start,
                };
                let honorific = honorific_before(text, &seg.tokens, i, lex);
                if people[c].gender.is_none() {
                    people[c].gender = honorific.filter(|g| *g != 'u');
                }
                events.push((c, start..t.range().end));
            }
        }
    }
    for (c, range) in events {
        claims.claim(range.clone());
        people[c].mentions.push(range);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_initial_matches_the_first_name_it_abbreviates() {
        assert!(same_initial("B", "Barack"));
        assert!(same_initial("Barack", "B."));
        assert!(!same_initial("M", "Barack"));
        assert!(!same_initial("B", "B"));
        assert!(!same_initial("Barack", "Bernard"));
    }

    #[test]
    fn plural_nouns_before_coordinated_first_names() {
        assert!(is_plural_noun("collectionneurs"));
        assert!(is_plural_noun("époux"));
        assert!(!is_plural_noun("Clark"));
        assert!(!is_plural_noun("les"));
    }
}
