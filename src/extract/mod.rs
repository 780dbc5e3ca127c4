//! Extraction: [`Document`] → [`Analysis`]. The extractors run in a fixed, listed order, each
//! one free to read what the earlier ones found. Never fails.

pub mod dates;
pub mod gazetteer;
pub mod key_filter;
pub mod lexicon;
pub mod orgs;
pub mod people;
pub mod places;
pub mod quotes;
mod stats;
pub mod summary;
/// The token layer lives in `parse`; re-exported under its old path for the extractors.
pub use crate::parse::tokens;
pub use tokens::SegTokens;

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

use crate::model::{Analysis, Document, Mention, Organization, SCHEMA_VERSION};
use crate::resources::Resources;
use lexicon::Lexicons;

/// Byte ranges already taken by an entity: a later extractor never overlaps them.
#[derive(Debug, Default)]
pub struct Claims {
    /// start → end, disjoint.
    spans: BTreeMap<usize, usize>,
}

impl Claims {
    pub fn overlaps(&self, r: &Range<usize>) -> bool {
        if let Some((_, &end)) = self.spans.range(..r.end).next_back() {
            return end > r.start;
        }
        false
    }

    pub fn claim(&mut self, r: Range<usize>) {
        self.spans.insert(r.start, r.end);
    }
}

/// Leftmost-longest over every segment: at each token, `at(segment index, segment, token,
/// claims)` may find a match ending at a later token; the scan claims the matched byte range
/// and resumes after it. Every name extractor walks the text this way.
pub fn scan<T>(
    segs: &[SegTokens],
    claims: &mut Claims,
    mut at: impl FnMut(usize, &SegTokens, usize, &Claims) -> Option<(usize, T)>,
) -> Vec<(Range<usize>, T)> {
    let mut out = Vec::new();
    for (si, seg) in segs.iter().enumerate() {
        let mut i = 0;
        while i < seg.tokens.len() {
            match at(si, seg, i, claims) {
                Some((last, value)) => {
                    let range = seg.tokens[i].range().start..seg.tokens[last].range().end;
                    claims.claim(range.clone());
                    out.push((range, value));
                    i = last + 1;
                }
                None => i += 1,
            }
        }
    }
    out
}

/// A mention of `range`, located in its segment.
pub fn mention(doc: &Document, segs: &[SegTokens], range: Range<usize>, as_actor: bool) -> Mention {
    let idx = segs.partition_point(|s| s.segment.range.start <= range.start);
    let seg = idx.checked_sub(1).map(|i| &segs[i].segment);
    let span = doc.chars.span(&range);
    Mention {
        text: doc.text[range.clone()].to_string(),
        start: span.start,
        end: span.end,
        sentence: seg.and_then(|s| s.sentence),
        zone: seg.map_or(crate::model::Zone::Body, |s| s.zone),
        as_actor,
        range,
    }
}

/// `w` in lower case, as `str::to_lowercase` gives it, but borrowed when lowering changes
/// nothing: the rules look up the lower-case form of thousands of words per dispatch, most of
/// them lower-case already, and a `String` each was an allocation and a free.
pub fn lowercase(w: &str) -> Cow<'_, str> {
    if w.chars().all(lowers_to_itself) {
        Cow::Borrowed(w)
    } else {
        Cow::Owned(w.to_lowercase())
    }
}

/// Whether `c` is its own lower case (a capital, a title-case letter or a capital sigma,
/// whose lower case depends on its place in the word, is not).
fn lowers_to_itself(c: char) -> bool {
    if c.is_ascii() {
        return !c.is_ascii_uppercase();
    }
    let mut lower = c.to_lowercase();
    lower.next() == Some(c) && lower.next().is_none()
}

/// Lowercase words that may stand inside a multiword name (`ministère des Affaires`).
pub fn is_connector(w: &str) -> bool {
    matches!(
        w,
        "de" | "des"
            | "du"
            | "d'"
            | "d’"
            | "la"
            | "l'"
            | "l’"
            | "et"
            | "pour"
            | "sur"
            | "en"
            | "aux"
    )
}

/// Adjective endings that occur in institution names (`étrangères`, `mondiale`, `unies`).
const ADJECTIVE_ENDINGS: &[&str] = &[
    "ère", "ères", "al", "ale", "aux", "ales", "ique", "iques", "ien", "ienne", "iens", "iennes",
    "ais", "aise", "aises", "el", "elle", "els", "elles", "aire", "aires", "if", "ive", "ifs",
    "ives", "ée", "ées", "és", "ien", "unies", "uni", "unis", "eur", "eure", "ain", "aine", "ains",
    "aines", "in", "ine", "ins", "ines",
];

pub fn looks_like_adjective(w: &str, lex: &Lexicons) -> bool {
    w.chars().count() > 3
        && (lex.demonyms.contains_key(w) || ADJECTIVE_ENDINGS.iter().any(|e| w.ends_with(e)))
}

/// Groups organisation hits by canonical name, ordered by first mention.
fn group_orgs(
    doc: &Document,
    segs: &[SegTokens],
    mut hits: Vec<orgs::OrgHit>,
    lex: &lexicon::Lexicons,
) -> Vec<Organization> {
    hits.sort_by_key(|h| h.range.start);
    orgs::attach_lone_heads(&mut hits, lex);
    let mut out: Vec<Organization> = Vec::new();
    // The first organisation of each lower-case name (names do not change in this loop):
    // scanning them all for every mention made one long text quadratic.
    let mut by_name: HashMap<String, usize> = HashMap::new();
    for h in hits {
        let m = mention(doc, segs, h.range.clone(), false);
        // `FLN (Front de Libération Nationale)`: the lexicon's `Front de libération nationale`
        // and the pattern's capitals are one name.
        let key = h.name.to_lowercase();
        match by_name.get(&key).map(|&i| &mut out[i]) {
            Some(o) => {
                o.mentions.push(m);
                o.count += 1;
                if o.acronym.is_none() {
                    o.acronym = h.acronym;
                }
            }
            None => {
                by_name.insert(key, out.len());
                out.push(Organization {
                    name: h.name,
                    acronym: h.acronym,
                    kind: h.kind,
                    mentions: vec![m],
                    count: 1,
                    quotes: 0,
                    references: Vec::new(),
                });
            }
        }
    }
    for o in &mut out {
        if let Some(written) = orgs::name_as_written(&o.name, o.acronym.as_deref(), &o.mentions) {
            o.name = written;
        }
    }
    out
}

/// Per-article facts given from outside the text.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// Publication date (`--date` or the JSON Lines `date`), `YYYY-MM-DD`.
    pub date: Option<jiff::civil::Date>,
    /// Number of summary sentences besides the lead.
    pub summary_sentences: usize,
}

/// Runs every extractor over the document.
pub fn extract(doc: &Document, res: &Resources, ctx: &Context) -> Analysis {
    let mut warnings = doc.warnings.clone();
    let reference_date = reference_date(doc, ctx, &mut warnings);
    let stats = stats::stats(doc);
    let summary = summary::summarize(doc, ctx.summary_sentences);
    let lex = &res.names;
    let segs = doc.layer.segments.as_slice();
    let mut claims = Claims::default();
    // Order matters: multiword organisations, then full person names, then the head-noun
    // organisation patterns (`Union nationale …` is no town), then places, then unknown
    // acronyms, then surnames alone.
    let mut org_hits = orgs::lexicon_hits(doc, segs, lex, &mut claims);
    let name_hits = people::full_names(doc, segs, lex, &mut claims);
    org_hits.extend(orgs::pattern_hits(doc, segs, lex, &mut claims));
    let name_hits = people::drop_org_names(name_hits, &mut org_hits);
    let inner_orgs = orgs::nested_hits(doc, segs, &org_hits, lex);
    org_hits.extend(inner_orgs);
    let person_words = people::name_words(&name_hits);
    let place_hits = places::hits(doc, segs, lex, &mut claims, &person_words);
    org_hits.extend(orgs::acronym_hits(doc, segs, lex, &mut claims));
    let people = people::people(doc, segs, name_hits, lex, &mut claims);
    let places = places::group(doc, segs, &place_hits, lex);
    let countries = places::countries(doc, segs, &place_hits, lex);
    let mut organizations = group_orgs(doc, segs, org_hits, lex);
    let dates = date_mentions(doc, segs, res, reference_date);
    let quotes = quotes::extract_quotes(doc, &people, &organizations, &res.quotes);
    let mut people = people;
    count_quotes(doc, &quotes, &mut people, &mut organizations);
    Analysis {
        schema_version: SCHEMA_VERSION,
        file: None,
        id: None,
        reference_date: reference_date.map(|d| d.to_string()),
        title: doc.title.as_ref().map(|(t, _)| t.clone()),
        title_span: doc.title.as_ref().map(|(_, r)| doc.chars.span(r)),
        dateline: doc.dateline.clone(),
        sections: doc.sections.clone(),
        credit: doc.credit.clone(),
        people,
        organizations,
        places,
        countries,
        dates,
        quotes,
        summary,
        stats,
        warnings,
        text: None,
        meta: None,
    }
}

/// Temporal expressions of the title and body (the dateline's own date is the reference,
/// not a mention), located in their segments.
fn date_mentions(
    doc: &Document,
    segs: &[SegTokens],
    res: &Resources,
    reference: Option<jiff::civil::Date>,
) -> Vec<crate::model::DateMention> {
    let mut out = Vec::new();
    // One pass over the whole text, with the document's sentences (and title, heading, dateline
    // segments): tense and year context are looked for in the sentence of each timex.
    for t in dates::find_dates_in(&res.dates, doc, reference) {
        let m = mention(doc, segs, t.start..t.end, false);
        if matches!(
            m.zone,
            crate::model::Zone::Dateline | crate::model::Zone::Credit
        ) {
            continue;
        }
        out.push(crate::model::DateMention {
            text: m.text,
            start: m.start,
            end: m.end,
            sentence: m.sentence,
            zone: m.zone,
            kind: t.kind.as_str().to_string(),
            value: t.value,
            resolved: t.resolved,
            modifier: t.modifier.map(str::to_string),
        });
    }
    out
}

/// Each person's and organisation's number of attributed quotes; the role and pronoun
/// mentions the quotes' frames resolved become the entity's `references`, and a speaker named
/// in a frame that no extractor knew (`Nock Ag Attia a précisé`) becomes a person.
fn count_quotes(
    doc: &Document,
    quotes: &[crate::model::Quote],
    people: &mut Vec<crate::model::Person>,
    orgs: &mut [Organization],
) {
    for q in quotes {
        let Some(name) = &q.speaker else { continue };
        let mention = q
            .speaker_mention
            .as_ref()
            .and_then(|m| speaker_mention(doc, q, m));
        let referential = matches!(
            q.resolution.as_deref(),
            Some("pronoun" | "role" | "anaphor")
        );
        match q.speaker_kind.as_deref() {
            Some("person") => match people.iter_mut().find(|p| &p.name == name) {
                Some(p) => {
                    p.quotes += 1;
                    if let Some(m) = mention.filter(|_| referential)
                        && !p.references.iter().any(|r| r.start == m.start)
                    {
                        p.references.push(m);
                    }
                }
                None => {
                    // Two capitalised words at least (`Akli Gasmi`): a lone word may be a
                    // place or a product standing as subject.
                    let full_name = name.split_whitespace().count() >= 2;
                    if let Some(m) = mention.filter(|m| &m.text == name && full_name) {
                        people.push(crate::model::Person {
                            name: name.clone(),
                            roles: Vec::new(),
                            gender: None,
                            mentions: vec![m],
                            count: 1,
                            quotes: 1,
                            references: Vec::new(),
                        });
                    }
                }
            },
            Some("organization") => {
                if let Some(o) = orgs.iter_mut().find(|o| &o.name == name) {
                    o.quotes += 1;
                    if let Some(m) = mention.filter(|_| referential)
                        && !o.references.iter().any(|r| r.start == m.start)
                    {
                        o.references.push(m);
                    }
                }
            }
            _ => {}
        }
    }
    for p in people.iter_mut() {
        p.references.sort_by_key(|m| m.start);
    }
    for o in orgs.iter_mut() {
        o.references.sort_by_key(|m| m.start);
    }
}

/// A quote's speaker mention as an entity mention (its byte range recovered from the code
/// points), in the quote's sentence and zone.
fn speaker_mention(
    doc: &Document,
    q: &crate::model::Quote,
    m: &crate::model::SpeakerMention,
) -> Option<crate::model::Mention> {
    let start = doc.chars.byte_offset(&doc.text, m.start)?;
    let end = if m.end > m.start {
        doc.chars.byte_offset(&doc.text, m.end)?
    } else {
        start
    };
    Some(crate::model::Mention {
        text: m.text.clone(),
        start: m.start,
        end: m.end,
        sentence: q.sentence,
        zone: q.zone,
        as_actor: false,
        range: start..end,
    })
}

/// `--date` wins over the dateline's date, with a warning when they disagree.
fn reference_date(
    doc: &Document,
    ctx: &Context,
    warnings: &mut Vec<crate::model::Warning>,
) -> Option<jiff::civil::Date> {
    let from_dateline = doc
        .dateline
        .as_ref()
        .and_then(|d| d.date.as_deref())
        .and_then(|d| d.parse::<jiff::civil::Date>().ok());
    match (ctx.date, from_dateline) {
        (Some(given), Some(dl)) if given != dl => {
            warnings.push(crate::model::Warning::new(
                "date_mismatch",
                format!("the given date {given} overrides the dateline's date {dl}"),
                doc.dateline.as_ref().map(|d| d.start),
            ));
            Some(given)
        }
        (Some(given), _) => Some(given),
        (None, dl) => dl,
    }
}
