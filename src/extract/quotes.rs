//! Quotations: every passage in quotation marks, with its speaker, cue, channel and kind.
//!
//! The extractor works in four passes over the dispatch:
//!
//! 1. **Marks.** Each title, heading and paragraph is scanned once for `« »`, `“ ”`, `‹ ›` and
//!    straight `"` (opening or closing from the characters around it). Marks nest on a stack;
//!    only the outermost pair is a quote. A paragraph that opens a quote and never closes it
//!    (the French convention for a quotation running over several paragraphs, each reopened by
//!    `«`) gives a quote that runs to the end of the paragraph. Titles of works
//!    (`l'opération « Bouclier du Nord »`) are dropped; terms introduced by a naming word
//!    (`la zone dite des « trois frontières »`) are kept with a null speaker.
//! 2. **Explicit attribution**, in this order: a cue inside the quote between commas
//!    (`« …, a-t-il dit, … »`); a cue right after the closing mark (`« … », a déclaré X`,
//!    `estime-t-elle`, `selon X`); a cue before the quote in the same sentence (the first one
//!    that introduces reported speech with `que` or `:`, else the nearest), whose subject is
//!    found by walking back over the clause (`X a affirmé que Y espère « … »` is X's);
//!    the headline form `X : « … »`. A `selon l'agence Tass` anywhere in the sentence gives
//!    the channel.
//! 3. **Continuation.** A body quote without a cue takes the latest speaker of its paragraph
//!    (a quote or a reported statement), or of the previous paragraph when the quote opens its
//!    paragraph; a paragraph left open by a multi-paragraph quote takes the speaker of the
//!    paragraph that continues it.
//! 4. **Headings and title.** A quote there without its own attribution takes the speaker of
//!    the first quote below it that shares a content word, else of the next attributed quote.
//!
//! Speakers are resolved against the people and organisations found by the earlier
//! extractors: name mentions, pronouns (`il`, `elle`, inverted `a-t-il`) to the latest
//! compatible person in subject position, role phrases (`le ministre russe`) to the person
//! whose roles contain their words, organisations as `organization` speakers, and unnamed
//! sources (`un diplomate`) to null. Every scan is bounded, so the cost is linear in the text.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use crate::model::{Document, Organization, Person, Quote, Span, SpeakerMention, Zone};

const CUE_LEMMAS: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/data/lexicons/cue_lemmas.txt"
));
const CUE_VERBS: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/data/lexicons/cue_verbs.tsv"
));
const ROLES: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/data/lexicons/roles.tsv"
));
const QUOTE_RULES: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/data/lexicons/quote_rules.tsv"
));

const AUX: u32 = 1;
const DET: u32 = 1 << 1;
const UNKNOWN: u32 = 1 << 2;
const PREP: u32 = 1 << 3;
const ADV: u32 = 1 << 4;
const WORK: u32 = 1 << 5;
const NAMING: u32 = 1 << 6;
const MEDIA: u32 = 1 << 7;
const PRON: u32 = 1 << 8;
const CLITIC: u32 = 1 << 9;
const REL: u32 = 1 << 10;
const DOCUMENT: u32 = 1 << 11;
/// Head noun of an organisation written as a common noun (`le gouvernement malien`).
const ORG: u32 = 1 << 12;
/// Organisation head that alone refers back to a named one (`l'ONG`, `le groupe`).
const ANAPHOR: u32 = 1 << 13;
/// A member speaking for its organisation (`un porte-parole de la police`).
const MEMBER: u32 = 1 << 14;
/// A verb that `il` heads impersonally (`il faut`, `il semble`, `il s'agit`).
const IMPERSONAL: u32 = 1 << 15;
/// A noun designating a person (`le graphiste`, `le complice`) that roles.tsv does not hold.
const HUMAN: u32 = 1 << 16;

/// How far the attribution scans look, in tokens: bounds keep the cost linear.
const BACK_TOKENS: usize = 80;
const SUBJECT_TOKENS: usize = 40;
const AFTER_TOKENS: usize = 14;

/// Cue verbs, role words and the small word classes of `quote_rules.tsv`, built once.
pub struct QuoteRules {
    /// Inflected form → lemma, for the lemmas of `cue_lemmas.txt`.
    cues: HashMap<String, String>,
    /// Role forms, lowercase, elided words joined (`chef de l'état`).
    roles: HashSet<String>,
    role_max_words: usize,
    classes: HashMap<String, u32>,
    /// Multi-word adverbials allowed inside a cue group (`a de son côté dénoncé`).
    adverbials: HashSet<String>,
    phrase_max_words: usize,
}

impl Default for QuoteRules {
    fn default() -> QuoteRules {
        QuoteRules::new()
    }
}

fn data_rows(text: &str) -> impl Iterator<Item = Vec<&str>> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.split('\t').collect())
}

/// The first-group verb whose inflections model a lemma missing from the inflection table.
const CUE_MODEL: &str = "affirmer";

/// Every inflected form of the cue lemmas: the forms `cue_verbs.tsv` lists for a lemma, and
/// for a first-group lemma it lacks (`tweeter`), the forms of `affirmer` on its stem. A
/// lemma with neither is left out (documented in data/README.md). Reflexive lemmas are
/// written without `se`.
fn cue_forms(cue_lemmas: &str, cue_verbs: &str) -> HashMap<String, String> {
    let mut cues = HashMap::with_capacity(4000);
    let mut wanted: HashSet<&str> = HashSet::new();
    for line in cue_lemmas.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        // `lemma<TAB>form form …`: forms written out for a verb the table lacks.
        let mut cols = line.split('\t');
        let lemma = cols.next().unwrap_or("").trim();
        for form in cols.flat_map(str::split_whitespace) {
            cues.insert(form.to_string(), lemma.to_string());
        }
        wanted.insert(lemma);
    }
    let mut by_lemma: HashMap<&str, Vec<&str>> = HashMap::new();
    for row in data_rows(cue_verbs) {
        if let [form, lemma, ..] = row[..] {
            by_lemma.entry(lemma).or_default().push(form);
        }
    }
    let mut lemmas: Vec<&str> = wanted.into_iter().collect();
    lemmas.sort_unstable();
    for lemma in lemmas {
        if let Some(forms) = by_lemma.get(lemma) {
            for f in forms {
                cues.entry(f.to_string())
                    .or_insert_with(|| lemma.to_string());
            }
        } else if let (Some(stem), Some(model)) =
            (lemma.strip_suffix("er"), by_lemma.get(CUE_MODEL))
        {
            let model_stem = &CUE_MODEL[..CUE_MODEL.len() - 2];
            for f in model {
                if let Some(ending) = f.strip_prefix(model_stem) {
                    cues.entry(format!("{stem}{ending}"))
                        .or_insert_with(|| lemma.to_string());
                }
            }
        }
    }
    cues
}

impl QuoteRules {
    /// The rules compiled into the binary.
    pub fn new() -> QuoteRules {
        QuoteRules::from_texts(CUE_LEMMAS, CUE_VERBS, ROLES, QUOTE_RULES)
    }

    /// The rules from the texts of `cue_lemmas.txt`, `cue_verbs.tsv` (the inflection source),
    /// `roles.tsv` and `quote_rules.tsv`, so that an edited copy works through `--data`.
    pub fn from_texts(
        cue_lemmas: &str,
        cue_verbs: &str,
        roles_text: &str,
        quote_rules: &str,
    ) -> QuoteRules {
        let cues = cue_forms(cue_lemmas, cue_verbs);
        let mut roles = HashSet::new();
        let mut role_max_words = 1;
        for row in data_rows(roles_text) {
            let words = norm_words(row[0]);
            role_max_words = role_max_words.max(words.len());
            roles.insert(join_words(&words));
        }
        let mut classes = HashMap::new();
        let mut adverbials = HashSet::new();
        let mut phrase_max_words = 1;
        for row in data_rows(quote_rules) {
            if let [form, cls, ..] = row[..]
                && form.contains(' ')
            {
                if cls == "adv" {
                    let words = norm_words(form);
                    phrase_max_words = phrase_max_words.max(words.len());
                    adverbials.insert(join_words(&words));
                }
                continue;
            }
            if let [form, cls, ..] = row[..] {
                let mut bits = 0;
                for c in cls.split(',') {
                    bits |= match c {
                        "aux" => AUX,
                        "det" => DET,
                        "unknown" => UNKNOWN,
                        "prep" => PREP,
                        "adv" => ADV,
                        "work" => WORK,
                        "naming" => NAMING,
                        "media" => MEDIA,
                        "pron" => PRON,
                        "clitic" => CLITIC,
                        "rel" => REL,
                        "document" => DOCUMENT,
                        "org" => ORG,
                        "anaphor" => ANAPHOR,
                        "member" => MEMBER,
                        "impersonal" => IMPERSONAL,
                        "human" => HUMAN,
                        _ => 0,
                    };
                }
                classes.insert(form.to_string(), bits);
            }
        }
        QuoteRules {
            cues,
            roles,
            role_max_words,
            classes,
            adverbials,
            phrase_max_words,
        }
    }

    fn class(&self, low: &str) -> u32 {
        self.classes.get(low).copied().unwrap_or(0)
    }

    fn is(&self, tok: &Tok, class: u32) -> bool {
        tok.word && self.class(&tok.low) & class != 0
    }

    fn is_cue_form(&self, low: &str) -> bool {
        self.cues.contains_key(low)
    }
}

/// Lowercase words of a phrase, elisions split off (`chef de l'Etat` → chef, de, l', etat).
fn norm_words(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    for w in s.split_whitespace() {
        let w = w.to_lowercase().replace('’', "'");
        match elision_split(&w) {
            Some(k) => {
                out.push(w[..k].to_string());
                if k < w.len() {
                    out.push(w[k..].to_string());
                }
            }
            None => out.push(w),
        }
    }
    out
}

fn join_words<S: AsRef<str>>(words: &[S]) -> String {
    let mut s = String::new();
    for (i, w) in words.iter().enumerate() {
        if i > 0 && !s.ends_with('\'') {
            s.push(' ');
        }
        s.push_str(w.as_ref());
    }
    s
}

/// The byte length of an elided prefix (`l'`, `qu'`), apostrophe included, if any.
fn elision_split(low: &str) -> Option<usize> {
    let apos = low.find(['\'', '’'])?;
    let prefix = &low[..apos];
    const ELIDED: &[&str] = &[
        "l", "d", "j", "m", "n", "s", "t", "c", "qu", "lorsqu", "puisqu", "jusqu", "quoiqu",
        "presqu",
    ];
    ELIDED
        .contains(&prefix)
        .then(|| apos + low[apos..].chars().next().map_or(1, char::len_utf8))
}

/// Courtesy titles written before a name (`M. Guterres`, `Mme Borne`), lowercase.
fn is_honorific(low: &str) -> bool {
    matches!(
        low,
        "m" | "mme" | "mm" | "mmes" | "mlle" | "dr" | "me" | "mgr" | "pr" | "maître" | "sir"
    )
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{A0}' | '\u{202F}' | '\u{2009}' | '\u{2007}')
}

fn is_dash(c: char) -> bool {
    matches!(c, '-' | '–' | '—' | '•')
}

// ---------------------------------------------------------------------------------------------
// Tokens

#[derive(Debug, Clone)]
struct Tok {
    start: usize,
    end: usize,
    /// Lowercase, `’` as `'`; the character itself for punctuation.
    low: String,
    word: bool,
    upper: bool,
}

fn tokenize(text: &str, range: Range<usize>, out: &mut Vec<Tok>) {
    let s = &text[range.clone()];
    let base = range.start;
    let mut it = s.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        if is_space(c) {
            continue;
        }
        if !c.is_alphanumeric() {
            out.push(Tok {
                start: base + i,
                end: base + i + c.len_utf8(),
                low: c.to_string(),
                word: false,
                upper: false,
            });
            continue;
        }
        let mut end = i + c.len_utf8();
        while let Some(&(j, d)) = it.peek() {
            if d.is_alphanumeric() {
                end = j + d.len_utf8();
                it.next();
            } else if matches!(d, '-' | '\'' | '’') {
                let after = j + d.len_utf8();
                if s[after..].chars().next().is_some_and(char::is_alphanumeric) {
                    end = after;
                    it.next();
                } else {
                    break;
                }
            } else {
                break;
            }
        }
        let raw = &s[i..end];
        let low = raw.to_lowercase().replace('’', "'");
        let upper = c.is_uppercase();
        // Elision: split `l'agence` into `l'` + `agence`, by the original byte positions.
        let raw_apos = raw.find(['\'', '’']);
        if let (Some(k), Some(ra)) = (elision_split(&low), raw_apos) {
            let ra_end = ra + raw[ra..].chars().next().map_or(1, char::len_utf8);
            out.push(Tok {
                start: base + i,
                end: base + i + ra_end,
                low: low[..k].to_string(),
                word: true,
                upper,
            });
            if ra_end < raw.len() {
                let rest = &raw[ra_end..];
                out.push(Tok {
                    start: base + i + ra_end,
                    end: base + end,
                    low: low[k..].to_string(),
                    word: true,
                    upper: rest.chars().next().is_some_and(char::is_uppercase),
                });
            }
            continue;
        }
        out.push(Tok {
            start: base + i,
            end: base + end,
            low,
            word: true,
            upper,
        });
    }
}

/// `a-t-il` → (`a`, `il`), `estime-t-elle` → (`estime`, `elle`), `dit-il` → (`dit`, `il`).
fn split_inverted(low: &str) -> Option<(&str, &str)> {
    for suffix in [
        "-t-elles", "-t-elle", "-t-ils", "-t-il", "-t-on", "-elles", "-elle", "-ils", "-il", "-on",
    ] {
        if let Some(verb) = low.strip_suffix(suffix)
            && !verb.is_empty()
        {
            let pron = suffix.rsplit('-').next().unwrap_or("");
            return Some((verb, pron));
        }
    }
    None
}

/// A bare form that is only a participle (needs an auxiliary to be a cue).
fn participle_only(form: &str, lemma: &str) -> bool {
    if form == lemma || form.ends_with("ant") {
        return false;
    }
    // First-group verbs have only `-é` participles: `indique`, `explique` are present tenses.
    if lemma.ends_with("er") {
        return ["é", "ée", "és", "ées"].iter().any(|e| form.ends_with(e));
    }
    [
        "é", "ée", "és", "ées", "ite", "ites", "its", "ise", "ises", "ue", "ues", "us", "u", "is",
    ]
    .iter()
    .any(|e| form.ends_with(e))
}

// ---------------------------------------------------------------------------------------------
// Cues

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CueKind {
    Verb,
    /// `selon`, `d'après`: the source follows.
    Selon,
    /// Sentence- or clause-initial `pour X,`.
    Pour,
}

#[derive(Debug, Clone)]
struct Cue {
    kind: CueKind,
    /// Global token indices of the first and last token of the cue words.
    first: usize,
    last: usize,
    /// Byte range of the inverted subject pronoun (`a-t-il`), with its text.
    pron: Option<(Range<usize>, String)>,
    /// Introduces reported speech (`que`, `:` right after it).
    que: bool,
    /// Where the subject search walks back from: the cue itself, or the auxiliary a
    /// coordinated participle shares (`X a condamné … et estimé que`).
    anchor: usize,
    /// The subject follows the cue (`comme le rappelle X`).
    post: bool,
}

// ---------------------------------------------------------------------------------------------
// Entities

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Person(usize),
    Org(usize),
    /// A capitalised name in a subject slot that no extractor knows (byte range); `org` when
    /// it is written in capitals like an acronym (`SUD-PTT a relevé`).
    Unknown {
        start: usize,
        end: usize,
        org: bool,
    },
}

#[derive(Debug, Clone)]
struct Ref {
    range: Range<usize>,
    who: Who,
}

/// A resolved speaker reference: who (null for an unnamed source) and the words.
#[derive(Debug, Clone, Default)]
struct Spk {
    who: Option<Who>,
    mention: Option<Range<usize>>,
}

/// How a frame named the speaker; `Frame` is refined from the words' order at output
/// (`subject`, `inverted`, `apposition`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum Via {
    #[default]
    Frame,
    Selon,
    Colon,
    Continuation,
}

#[derive(Debug, Clone, Default)]
struct Attr {
    via: Via,
    spk: Spk,
    cue: Option<Range<usize>>,
}

// ---------------------------------------------------------------------------------------------
// Blocks and raw quotes

#[derive(Debug, Clone)]
struct Block {
    range: Range<usize>,
    zone: Zone,
    section: usize,
    /// Body sentences: (index, byte range); for a title or heading, the block itself.
    sentences: Vec<(Option<usize>, Range<usize>)>,
}

#[derive(Debug, Clone)]
struct Raw {
    block: usize,
    /// Byte offset of the opening mark.
    open: usize,
    inner: Range<usize>,
    /// Byte offset just after the closing mark (the block end when unclosed).
    close_end: usize,
    closed: bool,
    /// Unclosed, and the next paragraph reopens a quote: the same quotation continues.
    continues: bool,
}

fn blocks(doc: &Document) -> Vec<Block> {
    let mut out = Vec::new();
    if let Some((_, r)) = &doc.title {
        out.push(Block {
            range: r.clone(),
            zone: Zone::Title,
            section: usize::MAX,
            sentences: vec![(None, r.clone())],
        });
    }
    for (si, section) in doc.sections.iter().enumerate() {
        if let Some(r) = &section.heading_range {
            out.push(Block {
                range: r.clone(),
                zone: Zone::Heading,
                section: si,
                sentences: vec![(None, r.clone())],
            });
        }
        for p in &section.paragraphs {
            out.push(Block {
                range: p.range.clone(),
                zone: Zone::Body,
                section: si,
                sentences: p
                    .sentences
                    .iter()
                    .map(|s| (Some(s.index), s.range.clone()))
                    .collect(),
            });
        }
    }
    out.retain(|b| b.range.start <= b.range.end);
    out.sort_by_key(|b| b.range.start);
    out
}

fn trim_range(text: &str, r: Range<usize>) -> Range<usize> {
    let s = &text[r.clone()];
    let lead = s.len() - s.trim_start_matches(is_space).len();
    let body = s.trim_end_matches(is_space);
    r.start + lead..r.start + body.len().max(lead)
}

fn opener_slot(c: char) -> Option<usize> {
    match c {
        '«' => Some(0),
        '“' => Some(1),
        '‹' => Some(2),
        '"' => Some(3),
        _ => None,
    }
}

fn closer_slot(c: char) -> Option<usize> {
    match c {
        '»' => Some(0),
        '”' => Some(1),
        '›' => Some(2),
        _ => None,
    }
}

/// Finds the outermost quotation spans of one block, in one pass.
fn find_marks(text: &str, block: usize, range: Range<usize>, next_reopens: bool) -> Vec<Raw> {
    let s = &text[range.clone()];
    let base = range.start;
    let mut stack: Vec<(usize, usize, usize)> = Vec::new(); // (slot, byte of mark, mark len)
    let mut counts = [0usize; 4];
    // Pairs closed while unclosed openers were below them: (open, open_len, close, close_len, depth).
    let mut inner_pairs: Vec<(usize, usize, usize, usize, usize)> = Vec::new();
    let mut out = Vec::new();
    let mut prev: Option<char> = None;
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map(|&(_, d)| d);
        let mut closing = closer_slot(c);
        let mut opening = opener_slot(c).filter(|_| c != '"');
        if c == '"' {
            let before_space = prev.is_none_or(|p| is_space(p) || "([{«“'’-–—/".contains(p));
            let after_space = next.is_none_or(|n| is_space(n) || ",.;:!?)]}»”…".contains(n));
            let open_now = counts[3] > 0;
            let as_close = open_now && (!before_space || after_space);
            if as_close {
                closing = Some(3);
            } else if !after_space || !open_now {
                opening = Some(3);
            }
        }
        if let Some(slot) = closing
            && counts[slot] > 0
        {
            while let Some((top, at, len)) = stack.pop() {
                counts[top] -= 1;
                if top == slot {
                    let depth = stack.len();
                    if depth == 0 {
                        out.push(Raw {
                            block,
                            open: base + at,
                            inner: base + at + len..base + i,
                            close_end: base + i + c.len_utf8(),
                            closed: true,
                            continues: false,
                        });
                    } else {
                        inner_pairs.push((at, len, i, c.len_utf8(), depth));
                    }
                    break;
                }
            }
        } else if let Some(slot) = opening {
            stack.push((slot, i, c.len_utf8()));
            counts[slot] += 1;
        }
        prev = Some(c);
    }
    if let Some(&(_, first_at, first_len)) = stack.first() {
        let before = s[..first_at].trim_end_matches(is_space);
        let opens_para = before.chars().all(|c| is_space(c) || is_dash(c)) || before.ends_with(':');
        if opens_para {
            out.push(Raw {
                block,
                open: base + first_at,
                inner: base + first_at + first_len..range.end,
                close_end: range.end,
                closed: false,
                continues: next_reopens,
            });
        } else {
            // The unclosed marks are strays: pairs closed just inside them are outermost.
            let unclosed: Vec<usize> = stack.iter().map(|&(_, at, _)| at).collect();
            for (at, len, close, close_len, depth) in inner_pairs {
                if unclosed.partition_point(|&u| u < at) == depth {
                    out.push(Raw {
                        block,
                        open: base + at,
                        inner: base + at + len..base + close,
                        close_end: base + close + close_len,
                        closed: true,
                        continues: false,
                    });
                }
            }
            out.sort_by_key(|r| r.open);
        }
    }
    for r in &mut out {
        r.inner = trim_range(text, r.inner.clone());
    }
    out.retain(|r| r.inner.start < r.inner.end);
    out
}

// ---------------------------------------------------------------------------------------------
// The extractor

struct Ctx<'a> {
    text: &'a str,
    people: &'a [Person],
    orgs: &'a [Organization],
    rules: &'a QuoteRules,
    toks: Vec<Tok>,
    /// Token index → inside a quote (marks included).
    in_quote: Vec<bool>,
    refs: Vec<Ref>,
    /// Cues in token order, with the index of the first cue starting at each token.
    cues: Vec<Cue>,
    /// All body sentence ranges, in order.
    sentences: Vec<Range<usize>>,
    /// Per person, per role: the role's lowercase words.
    role_words: Vec<Vec<Vec<String>>>,
    /// Set while a pronoun looks at the frame before it, so that lookups do not recurse.
    resolving: std::cell::Cell<bool>,
    /// The speakers attributed so far, in text order (quote opening, who): the person in
    /// focus that a definite description (`le graphiste`) points back to.
    spoken: std::cell::RefCell<Vec<(usize, Who)>>,
    /// Descriptions a name was introduced with, in text order (position of the name, head
    /// noun, who): `le quotidien français Le Figaro`, `son complice de toujours, X`.
    introductions: Vec<(usize, String, Who)>,
}

/// Finds every quotation of the dispatch with its speaker.
pub fn extract_quotes(
    doc: &Document,
    people: &[Person],
    orgs: &[Organization],
    rules: &QuoteRules,
) -> Vec<Quote> {
    let text = doc.text.as_str();
    let blocks = blocks(doc);
    // Marks.
    let mut raws: Vec<Raw> = Vec::new();
    for (bi, b) in blocks.iter().enumerate() {
        let next_reopens = blocks.get(bi + 1).is_some_and(|n| {
            n.zone == Zone::Body
                && text[n.range.clone()]
                    .trim_start_matches(|c| is_space(c) || is_dash(c))
                    .starts_with(['«', '“', '"'])
        });
        raws.extend(find_marks(text, bi, b.range.clone(), next_reopens));
    }
    // Tokens.
    let mut toks = Vec::new();
    let mut block_toks: Vec<Range<usize>> = Vec::with_capacity(blocks.len());
    for b in &blocks {
        let from = toks.len();
        tokenize(text, b.range.clone(), &mut toks);
        block_toks.push(from..toks.len());
    }
    let mut in_quote = vec![false; toks.len()];
    {
        let mut qi = 0;
        for (ti, t) in toks.iter().enumerate() {
            while qi < raws.len() && raws[qi].close_end <= t.start {
                qi += 1;
            }
            if qi < raws.len() && raws[qi].open <= t.start {
                in_quote[ti] = true;
            }
        }
    }
    let refs = build_refs(people, orgs, text);
    let role_words = people
        .iter()
        .map(|p| p.roles.iter().map(|r| norm_words(r)).collect())
        .collect();
    let sentences = doc.sentences().map(|s| s.range.clone()).collect();
    let mut ctx = Ctx {
        text,
        people,
        orgs,
        rules,
        toks,
        in_quote,
        refs,
        cues: Vec::new(),
        sentences,
        role_words,
        resolving: std::cell::Cell::new(false),
        spoken: std::cell::RefCell::new(Vec::new()),
        introductions: Vec::new(),
    };
    ctx.find_cues(&block_toks);
    ctx.add_unknown_subjects();
    ctx.introductions = ctx.find_introductions();

    // Pass 1: explicit attribution.
    struct Item {
        raw: Raw,
        zone: Zone,
        sentence: Option<usize>,
        sent_range: Range<usize>,
        attr: Option<Attr>,
        channel: Option<String>,
        naming: bool,
        full: bool,
    }
    let mut items: Vec<Item> = Vec::with_capacity(raws.len());
    for raw in raws {
        let b = &blocks[raw.block];
        let si = b.sentences.partition_point(|(_, r)| r.start <= raw.open);
        let (sentence, sent_range) = b
            .sentences
            .get(si.saturating_sub(1))
            .cloned()
            .unwrap_or((None, b.range.clone()));
        // A quote whose inside holds sentence ends (`« … portes. C'est … » indique X.`)
        // belongs to the sentence its closing mark is in, so the frame after it is seen.
        let close_sentence_end = b
            .sentences
            .get(
                b.sentences
                    .partition_point(|(_, r)| r.start < raw.close_end)
                    .saturating_sub(1),
            )
            .map_or(raw.close_end, |(_, r)| r.end);
        let sent_range = sent_range.start.min(raw.open)
            ..sent_range.end.max(raw.close_end).max(close_sentence_end);
        let open_tok = ctx.tok_index(raw.open);
        if ctx.is_work_title(&raw, open_tok, sent_range.start) {
            continue;
        }
        let naming = ctx.is_naming(open_tok, sent_range.start);
        let before = text[sent_range.start..raw.open].trim_matches(|c| is_space(c) || is_dash(c));

        let (attr, channel) = if naming {
            (Some(Attr::default()), None)
        } else {
            ctx.attribute(&raw, &sent_range)
        };
        if let Some(who) = attr.as_ref().and_then(|a| a.spk.who) {
            ctx.spoken.borrow_mut().push((raw.open, who));
        }
        let after_source = attr
            .as_ref()
            .is_some_and(|a| a.via == Via::Selon && a.spk.who.is_some());
        let full = is_full_statement(before, &text[raw.inner.clone()], after_source);
        items.push(Item {
            zone: b.zone,
            sentence,
            sent_range,
            attr,
            channel,
            naming,
            full,
            raw,
        });
    }

    // Reported statements (`X a affirmé que …`) per block, for the continuation of speakers.
    let mut events: Vec<Vec<(usize, Option<Who>)>> = vec![Vec::new(); blocks.len()];
    for ci in 0..ctx.cues.len() {
        let cue = &ctx.cues[ci];
        if cue.kind != CueKind::Verb || !cue.que || ctx.in_quote[cue.first] {
            continue;
        }
        let pos = ctx.toks[cue.first].start;
        let bi = blocks
            .partition_point(|b| b.range.start <= pos)
            .saturating_sub(1);
        if blocks.get(bi).is_none_or(|b| b.zone != Zone::Body) {
            continue;
        }
        let spk = ctx.cue_subject(ci);
        if let Some(who) = spk.who {
            events[bi].push((pos, Some(who)));
        }
    }
    for it in &items {
        if let Some(a) = &it.attr
            && !it.naming
            && blocks[it.raw.block].zone == Zone::Body
        {
            events[it.raw.block].push((it.raw.open, a.spk.who));
        }
    }
    for e in &mut events {
        e.sort_by_key(|x| x.0);
    }

    // Pass 2: multi-paragraph quotes take the speaker of the paragraph that continues them;
    // pass 3: quotes without a cue continue the latest speaker.
    let forward_fill = |items: &mut Vec<Item>| {
        for i in (0..items.len()).rev() {
            if items[i].attr.is_none() && items[i].raw.continues {
                let next_block = items[i].raw.block + 1;
                let next = items
                    .get(i + 1)
                    .filter(|n| n.raw.block == next_block)
                    .and_then(|n| n.attr.as_ref())
                    .and_then(|a| a.spk.who);
                if let Some(who) = next {
                    items[i].attr = Some(Attr {
                        spk: Spk {
                            who: Some(who),
                            mention: None,
                        },
                        cue: None,
                        via: Via::Continuation,
                    });
                }
            }
        }
    };
    forward_fill(&mut items);
    // The latest speaker of each paragraph, from its reported statements and its quotes.
    let mut last_in_block: Vec<Option<(usize, Option<Who>)>> =
        events.iter().map(|e| e.last().copied()).collect();
    let mut run: Option<(usize, Option<Who>)> = None;
    let mut run_block = usize::MAX;
    let mut ev_ptr = 0;
    for item in items.iter_mut() {
        let bi = item.raw.block;
        let open = item.raw.open;
        if bi != run_block {
            run_block = bi;
            run = None;
            ev_ptr = 0;
        }
        while ev_ptr < events[bi].len() && events[bi][ev_ptr].0 < open {
            run = Some(events[bi][ev_ptr]);
            ev_ptr += 1;
        }
        if item.attr.is_none()
            && item.zone == Zone::Body
            && !item.naming
            && before_in_sentence(text, &item.sent_range, open)
            && let Some(spk) = ctx.clause_subject_before(&item.sent_range, open)
        {
            // `X est intervenu, trouvant le « procédé choquant »`: words woven into a clause
            // whose subject is a person are that person's; a new subject breaks the run.
            item.attr = Some(Attr {
                spk,
                cue: None,
                via: Via::Frame,
            });
        }
        if item.attr.is_none() && item.zone == Zone::Body {
            let mut who = run.map(|r| r.1);
            if who.is_none() {
                let para_start = blocks[bi].range.start;
                let before = text[para_start..open].trim_matches(|c| is_space(c) || is_dash(c));
                if before.is_empty() {
                    // A quote paragraph: the previous paragraph's latest speaker.
                    let pb = bi
                        .checked_sub(1)
                        .filter(|&pb| blocks[pb].zone == Zone::Body);
                    who = pb.and_then(|pb| last_in_block[pb]).map(|l| l.1);
                }
            }
            if who.is_none() && item.full && !before_in_sentence(text, &item.sent_range, open) {
                // `Il a demandé la parole. « On ne peut pas accepter cela. »`: a quote that
                // makes a sentence of its own speaks for the previous sentence's subject.
                who = ctx
                    .previous_sentence_subject(open, blocks[bi].range.start)
                    .map(Some);
            }
            if let Some(Some(w)) = who {
                item.attr = Some(Attr {
                    spk: Spk {
                        who: Some(w),
                        mention: None,
                    },
                    cue: None,
                    via: Via::Continuation,
                });
            }
        }
        if let Some(a) = &item.attr
            && !item.naming
        {
            run = Some((open, a.spk.who));
            if last_in_block[bi].is_none_or(|l| l.0 <= open) {
                last_in_block[bi] = run;
            }
        }
    }
    forward_fill(&mut items);

    // Pass 4: title and headings.
    for i in 0..items.len() {
        if items[i].attr.as_ref().is_some_and(|a| a.spk.who.is_some())
            || items[i].zone == Zone::Body
            || items[i].naming
        {
            continue;
        }
        let words = content_words(&text[items[i].raw.inner.clone()]);
        let section = blocks[items[i].raw.block].section;
        let in_scope = |it: &Item| {
            it.zone == Zone::Body
                && it.raw.open > items[i].raw.open
                && (items[i].zone == Zone::Title || blocks[it.raw.block].section == section)
        };
        let overlapping = items[i + 1..].iter().take(200).find(|it| {
            in_scope(it)
                && it.attr.as_ref().is_some_and(|a| a.spk.who.is_some())
                && content_words(&text[it.raw.inner.clone()])
                    .iter()
                    .any(|w| words.contains(w))
        });
        let next = items[i + 1..].iter().take(200).find(|it| {
            it.zone == Zone::Body
                && it.raw.open > items[i].raw.open
                && it.attr.as_ref().is_some_and(|a| a.spk.who.is_some())
        });
        if let Some(who) = overlapping
            .or(next)
            .and_then(|it| it.attr.as_ref())
            .and_then(|a| a.spk.who)
        {
            let cue = items[i].attr.as_ref().and_then(|a| a.cue.clone());
            items[i].attr = Some(Attr {
                spk: Spk {
                    who: Some(who),
                    mention: None,
                },
                cue,
                via: Via::Continuation,
            });
        }
    }

    // Channels reported in a sentence apply to its quotes; quotes keep their own first.
    items
        .into_iter()
        .map(|it| {
            let attr = it.attr.unwrap_or_default();
            let (speaker, speaker_kind) = match attr.spk.who {
                Some(Who::Person(p)) => (Some(people[p].name.clone()), Some("person".to_string())),
                Some(Who::Org(o)) => (Some(orgs[o].name.clone()), Some("organization".to_string())),
                Some(Who::Unknown { start, end, org }) => (
                    Some(text[start..end].to_string()),
                    Some(if org { "organization" } else { "person" }.to_string()),
                ),
                None => (None, None),
            };
            let mention_text = attr.spk.mention.clone().map(|m| &text[m]);
            let pronoun = mention_text.is_some_and(is_pronoun_mention);
            let speaker_kind = speaker_kind.or_else(|| {
                // A frame naming someone the text does not identify: `un témoin a dit`.
                (attr.cue.is_some() && mention_text.is_some() && !pronoun)
                    .then(|| "unnamed".to_string())
            });
            let resolution = attr.spk.who.and(mention_text).map(|m| {
                if pronoun {
                    "pronoun"
                } else if !is_entity_name(people, orgs, attr.spk.who, m)
                    && (m.starts_with(char::is_lowercase) || ctx_rules_det(rules, m))
                {
                    match attr.spk.who {
                        Some(Who::Person(_)) => "role",
                        Some(Who::Org(_)) => "anaphor",
                        _ => "name",
                    }
                } else {
                    "name"
                }
                .to_string()
            });
            let via = (speaker.is_some() || mention_text.is_some()).then(|| {
                match attr.via {
                    Via::Selon => "selon",
                    Via::Colon => "colon",
                    Via::Continuation => "continuation",
                    Via::Frame => frame_order(text, attr.cue.as_ref(), attr.spk.mention.as_ref()),
                }
                .to_string()
            });
            let span = doc.chars.span(&it.raw.inner);
            let _ = &it.sent_range;
            Quote {
                text: text[it.raw.inner.clone()].to_string(),
                start: span.start,
                end: span.end,
                kind: if it.full { "full" } else { "partial" }.to_string(),
                zone: it.zone,
                speaker,
                speaker_kind,
                speaker_mention: attr.spk.mention.map(|m| {
                    let sp = doc.chars.span(&m);
                    SpeakerMention {
                        text: text[m].to_string(),
                        start: sp.start,
                        end: sp.end,
                    }
                }),
                cue_span: attr.cue.as_ref().map(|c| {
                    let sp = doc.chars.span(c);
                    Span {
                        start: sp.start,
                        end: sp.end,
                    }
                }),
                cue: attr.cue.map(|c| text[c].to_string()),
                via,
                resolution,
                channel: it.channel,
                sentence: it.sentence,
            }
        })
        .collect()
}

/// Whether a quote is a whole statement rather than words woven into the sentence, from what
/// stands before it in its sentence (`before`) and its words: it opens the sentence or follows a
/// colon and starts with a capital; it opens a clause after a semicolon, or after the comma of a
/// source frame (`Selon X, « il … »`, `Pour X, « … »`), with a few words; or it holds a sentence end followed by more words (`« Incident grave ! Malgré … »`).
fn is_full_statement(before: &str, inner: &str, after_source: bool) -> bool {
    let capital = inner
        .chars()
        .find(|c| c.is_alphanumeric())
        .is_some_and(char::is_uppercase);
    let words = inner.split_whitespace().count();
    if before.is_empty() || before.ends_with(':') {
        return capital;
    }
    if words >= 4 && (before.ends_with(';') || before.ends_with(',') && after_source) {
        return true;
    }
    let inner = inner.trim_end();
    let body = inner.trim_end_matches(['.', '!', '?', '…', ' ']);
    capital && words >= 4 && body.contains(['.', '!', '?']) && {
        // A sentence end inside, followed by a capital: `Incident grave ! Malgré …`.
        body.match_indices(['.', '!', '?']).any(|(i, _)| {
            body[i + 1..]
                .trim_start()
                .chars()
                .next()
                .is_some_and(char::is_uppercase)
        })
    }
}

/// Whether words stand before the quote opening at `open` in its sentence.
fn before_in_sentence(text: &str, sent: &Range<usize>, open: usize) -> bool {
    text.get(sent.start..open)
        .is_some_and(|b| b.chars().any(char::is_alphanumeric))
}

/// A mention that is a subject pronoun (`il`, `elle`, or the pronoun of `a-t-il`).
fn is_pronoun_mention(m: &str) -> bool {
    matches!(
        m.to_lowercase().as_str(),
        "il" | "elle" | "ils" | "elles" | "lui" | "eux" | "on"
    )
}

/// Whether `m` is one of the names the entity is written with (`Le Monde`, not `le quotidien`).
fn is_entity_name(people: &[Person], orgs: &[Organization], who: Option<Who>, m: &str) -> bool {
    let same = |name: &str| name.eq_ignore_ascii_case(m);
    match who {
        Some(Who::Person(p)) => {
            same(&people[p].name) || people[p].mentions.iter().any(|x| same(&x.text))
        }
        Some(Who::Org(o)) => {
            same(&orgs[o].name)
                || orgs[o].acronym.as_deref().is_some_and(same)
                || orgs[o].mentions.iter().any(|x| same(&x.text))
        }
        _ => false,
    }
}

/// A mention opening with a determiner (`Le ministre russe`, `L'ONG`): a role or an anaphor.
fn ctx_rules_det(rules: &QuoteRules, m: &str) -> bool {
    let first = m.split_whitespace().next().unwrap_or("").to_lowercase();
    let first = match elision_split(&first) {
        Some(k) => first[..k].replace('’', "'"),
        None => first,
    };
    rules.class(&first) & DET != 0
}

/// How a verb frame named its speaker, from the order of the words: after the cue
/// (`inverted`: `a déclaré X`, `a-t-il dit`), before it across a comma (`apposition`:
/// `X, président de …, a dit`), or before it (`subject`).
fn frame_order(
    text: &str,
    cue: Option<&Range<usize>>,
    mention: Option<&Range<usize>>,
) -> &'static str {
    match (cue, mention) {
        (Some(c), Some(m)) if m.start >= c.start => "inverted",
        (Some(c), Some(m))
            if text
                .get(m.end..c.start)
                .is_some_and(|between| between.contains(',')) =>
        {
            "apposition"
        }
        _ => "subject",
    }
}

/// Lowercase words of four letters or more.
fn content_words(s: &str) -> HashSet<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 4)
        .map(str::to_lowercase)
        .collect()
}

fn build_refs(people: &[Person], orgs: &[Organization], text: &str) -> Vec<Ref> {
    let mut all: Vec<Ref> = Vec::new();
    let valid = |r: &Range<usize>| {
        r.start < r.end
            && r.end <= text.len()
            && text.is_char_boundary(r.start)
            && text.is_char_boundary(r.end)
    };
    for (i, p) in people.iter().enumerate() {
        for m in p.mentions.iter().chain(p.references.iter()) {
            if valid(&m.range) {
                all.push(Ref {
                    range: m.range.clone(),
                    who: Who::Person(i),
                });
            }
        }
    }
    for (i, o) in orgs.iter().enumerate() {
        for m in &o.mentions {
            if valid(&m.range) {
                all.push(Ref {
                    range: m.range.clone(),
                    who: Who::Org(i),
                });
            }
        }
    }
    all.sort_by(|a, b| {
        a.range
            .start
            .cmp(&b.range.start)
            .then(b.range.end.cmp(&a.range.end))
    });
    let mut out: Vec<Ref> = Vec::with_capacity(all.len());
    for r in all {
        if out.last().is_some_and(|l| r.range.start < l.range.end) {
            continue;
        }
        out.push(r);
    }
    out
}

impl Ctx<'_> {
    fn tok_index(&self, pos: usize) -> usize {
        self.toks.partition_point(|t| t.start < pos)
    }

    fn tok(&self, i: usize) -> Option<&Tok> {
        self.toks.get(i)
    }

    fn is(&self, i: usize, class: u32) -> bool {
        self.tok(i).is_some_and(|t| self.rules.is(t, class))
    }

    fn low(&self, i: usize) -> &str {
        self.tok(i).map_or("", |t| t.low.as_str())
    }

    fn ref_at(&self, pos: usize) -> Option<&Ref> {
        let k = self.refs.partition_point(|r| r.range.start <= pos);
        let r = self.refs.get(k.checked_sub(1)?)?;
        (pos < r.range.end).then_some(r)
    }

    // --- cues ---------------------------------------------------------------------------

    /// Names no extractor knows that stand as the subject of a cue (`Nock Ag Attia a dit`)
    /// become references, so that later pronouns and quotes can point back to them.
    fn add_unknown_subjects(&mut self) {
        let mut extra = Vec::new();
        for ci in 0..self.cues.len() {
            let c = &self.cues[ci];
            if c.kind != CueKind::Verb || c.pron.is_some() || self.in_quote[c.first] {
                continue;
            }
            if let Some(who @ Who::Unknown { start, end, .. }) = self.cue_subject(ci).who {
                extra.push(Ref {
                    range: start..end,
                    who,
                });
            }
        }
        if extra.is_empty() {
            return;
        }
        let mut all = std::mem::take(&mut self.refs);
        all.extend(extra);
        all.sort_by(|a, b| {
            a.range
                .start
                .cmp(&b.range.start)
                .then(b.range.end.cmp(&a.range.end))
        });
        all.dedup_by(|b, a| b.range.start < a.range.end);
        self.refs = all;
    }

    fn find_cues(&mut self, block_toks: &[Range<usize>]) {
        let mut cues = Vec::new();
        for range in block_toks {
            let mut i = range.start;
            while i < range.end {
                if let Some(c) = self.cue_at(i, range.end) {
                    i = c.last + 1;
                    cues.push(c);
                } else {
                    i += 1;
                }
            }
        }
        self.cues = cues;
    }

    fn skip_adverbs(&self, mut j: usize, end: usize, max: usize) -> usize {
        let mut n = 0;
        while j < end && n < max {
            let t = &self.toks[j];
            if let Some(k) = self.adverbial_phrase(j, end) {
                j += k;
                n += 1;
            } else if t.word && !t.upper && (self.rules.is(t, ADV) || t.low.ends_with("ment")) {
                j += 1;
                n += 1;
            } else {
                break;
            }
        }
        j
    }

    /// The length in tokens of a multi-word adverbial (`de son côté`, `quant à lui`) at `j`.
    fn adverbial_phrase(&self, j: usize, end: usize) -> Option<usize> {
        (2..=self.rules.phrase_max_words).rev().find(|&k| {
            j + k <= end
                && self.toks[j..j + k].iter().all(|t| t.word && !t.upper)
                && self.rules.adverbials.contains(&join_words(
                    &self.toks[j..j + k]
                        .iter()
                        .map(|t| t.low.as_str())
                        .collect::<Vec<_>>(),
                ))
        })
    }

    fn pron_range(&self, i: usize, pron: &str) -> (Range<usize>, String) {
        let t = &self.toks[i];
        let start = t.end.saturating_sub(pron.len());
        let start = if self.text.is_char_boundary(start) {
            start
        } else {
            t.start
        };
        (start..t.end, pron.to_string())
    }

    fn followed_by_que(&self, last: usize, end: usize) -> bool {
        let mut j = last + 1;
        let mut n = 0;
        while j < end && n < 5 {
            let t = &self.toks[j];
            if t.low == "que" || t.low == "qu'" || t.low == ":" {
                return true;
            }
            if !t.word && t.low != "," {
                return false;
            }
            j += 1;
            n += 1;
        }
        false
    }

    fn cue_at(&self, i: usize, end: usize) -> Option<Cue> {
        let t = &self.toks[i];
        if !t.word {
            return None;
        }
        let rules = self.rules;
        let mk = |kind, first, last, pron| {
            Some(Cue {
                kind,
                first,
                last,
                pron,
                que: self.followed_by_que(last, end),
                anchor: self.coordination_anchor(first).unwrap_or(first),
                post: false,
            })
        };
        if t.low == "selon" {
            return mk(CueKind::Selon, i, i, None);
        }
        if t.low == "d'" && i + 1 < end && self.low(i + 1) == "après" {
            return mk(CueKind::Selon, i, i + 1, None);
        }
        if t.low == "pour" {
            let at_start = i == 0 || self.tok(i - 1).is_none_or(|p| !p.word && p.low != "'");
            let after_conjunction =
                i > 0 && matches!(self.low(i - 1), "mais" | "et" | "or" | "donc" | "enfin");
            return if at_start && t.upper || i > 0 && self.low(i - 1) == "," || after_conjunction {
                mk(CueKind::Pour, i, i, None)
            } else {
                None
            };
        }
        // The cue group takes a reflexive and a negation before it: `ne s'est pas exprimé`,
        // `n'a pas dit`.
        let reflexive_start = |first: usize| {
            let mut f = first;
            if f > 0 && matches!(self.low(f - 1), "s'" | "se") {
                f -= 1;
            }
            if f > 0 && matches!(self.low(f - 1), "n'" | "ne") {
                f -= 1;
            }
            f
        };
        // `a fait savoir que`, `fait savoir`: a reporting periphrasis.
        let faire = |k: usize| {
            matches!(
                self.low(k),
                "fait" | "font" | "faisait" | "faisaient" | "fera" | "feront" | "fit" | "firent"
            ) && self.low(k + 1) == "savoir"
                && k + 1 < end
        };
        // Inverted: `a-t-il dit`, `estime-t-elle`.
        if let Some((verb, pron)) = split_inverted(&t.low) {
            if rules.class(verb) & AUX != 0 {
                let j = self.skip_adverbs(i + 1, end, 3);
                if j < end && self.toks[j].word && rules.is_cue_form(&self.toks[j].low) {
                    return mk(
                        CueKind::Verb,
                        reflexive_start(i),
                        j,
                        Some(self.pron_range(i, pron)),
                    );
                }
                return None;
            }
            if rules.is_cue_form(verb) {
                return mk(
                    CueKind::Verb,
                    reflexive_start(i),
                    i,
                    Some(self.pron_range(i, pron)),
                );
            }
            return None;
        }
        if rules.is(t, AUX) {
            let mut j = self.skip_adverbs(i + 1, end, 3);
            // A stressed pronoun of contrast: `X a lui écrit`, `Y a elle aussi déclaré`.
            if matches!(self.low(j), "lui" | "elle" | "eux" | "elles") {
                j = self.skip_adverbs(j + 1, end, 2);
            }
            if j >= end || !self.toks[j].word || self.toks[j].low == "été" {
                return None;
            }
            let etre = matches!(
                t.low.as_str(),
                "est"
                    | "sont"
                    | "était"
                    | "étaient"
                    | "sera"
                    | "seront"
                    | "serait"
                    | "seraient"
                    | "fut"
                    | "furent"
            );
            let first = reflexive_start(i);
            if etre && first == i {
                return None;
            }
            if rules.is_cue_form(&self.toks[j].low) {
                return mk(CueKind::Verb, first, j, None);
            }
            if faire(j) {
                return mk(CueKind::Verb, first, j + 1, None);
            }
            return None;
        }
        if faire(i) {
            return mk(CueKind::Verb, reflexive_start(i), i + 1, None);
        }
        let lemma = rules.cues.get(t.low.as_str())?.as_str();
        if participle_only(&t.low, lemma) {
            return self.coordinated_participle(i, end);
        }
        // `comme le rappelle X`, `comme l'a indiqué X`: the subject follows.
        if i >= 2 && matches!(self.low(i - 1), "le" | "l'") && self.low(i - 2) == "comme" {
            return Some(Cue {
                kind: CueKind::Verb,
                first: i - 2,
                last: i,
                pron: None,
                que: false,
                anchor: i - 2,
                post: true,
            });
        }
        let infinitive = t.low == *lemma;
        if i > 0 {
            let p = &self.toks[i - 1];
            if rules.is(p, DET) && !rules.is(p, CLITIC) || (rules.is(p, PREP) && !infinitive) {
                return None;
            }
            // `l'` before a verb is an object clitic after a subject (`il l'affirme`);
            // clause-initial it is an article (`L'alerte a été donnée`).
            if p.low == "l'"
                && (i < 2
                    || !(self.is(i - 2, PRON) || self.is(i - 2, CLITIC) || self.toks[i - 2].upper))
            {
                return None;
            }
        }
        if matches!(t.low.as_str(), "dit" | "dits" | "dite" | "dites")
            && matches!(self.low(i + 1), "de" | "des" | "du" | "d'")
        {
            return None;
        }
        mk(CueKind::Verb, reflexive_start(i), i, None)
    }

    /// For a verb coordinated by `et` (`X a fait voter … et a déclaré`, `Il fut exclu … et
    /// déclara`), the first verb of the clause, whose subject the second shares.
    fn coordination_anchor(&self, first: usize) -> Option<usize> {
        if first == 0 || self.low(first - 1) != "et" {
            return None;
        }
        let mut j = first - 1;
        let mut found = None;
        while j > 0 && first - j < 20 {
            j -= 1;
            let t = &self.toks[j];
            if self.in_quote[j] || matches!(t.low.as_str(), "." | ";" | ":" | "!" | "?") {
                break;
            }
            if self.rules.is(t, AUX) || self.rules.is_cue_form(&t.low) && !t.upper {
                found = Some(j);
            }
            if self.rules.is(t, PRON) || self.ref_at(t.start).is_some() {
                break;
            }
        }
        found
    }

    /// A participle after `et` sharing an earlier auxiliary: `X a condamné le crime et estimé
    /// que …` (the subject is the auxiliary's).
    fn coordinated_participle(&self, i: usize, end: usize) -> Option<Cue> {
        if i == 0 || self.low(i - 1) != "et" {
            return None;
        }
        let mut j = i - 1;
        while j > 0 && i - j < 16 {
            j -= 1;
            let t = &self.toks[j];
            if self.in_quote[j] || matches!(t.low.as_str(), "." | ";" | ":" | "!" | "?") {
                return None;
            }
            if self.rules.is(t, AUX) {
                return Some(Cue {
                    kind: CueKind::Verb,
                    first: i,
                    last: i,
                    pron: None,
                    que: self.followed_by_que(i, end),
                    anchor: j,
                    post: false,
                });
            }
        }
        None
    }

    // --- quote filters ------------------------------------------------------------------

    /// `l'opération « Bouclier du Nord »`, `le quotidien « Le Monde »`: not speech.
    fn is_work_title(&self, raw: &Raw, open_tok: usize, floor: usize) -> bool {
        let inner = &self.text[raw.inner.clone()];
        let words = inner.split_whitespace().count();
        if words == 0 || words > 6 || !raw.closed {
            return false;
        }
        if !inner
            .chars()
            .find(|c| c.is_alphanumeric())
            .is_some_and(|c| c.is_uppercase() || c.is_numeric())
        {
            return false;
        }
        let mut j = open_tok;
        let mut seen = 0;
        while j > 0 && seen < 3 {
            j -= 1;
            let t = &self.toks[j];
            if t.start < floor || !t.word {
                return false;
            }
            if self.rules.is(t, WORK) {
                return true;
            }
            if !self.rules.is(t, DET) {
                seen += 1;
            }
        }
        false
    }

    /// `la zone dite des « trois frontières »`, `le terme « génocide »`: no speaker.
    fn is_naming(&self, open_tok: usize, floor: usize) -> bool {
        let mut j = open_tok;
        let mut skipped = 0;
        while j > 0 && skipped <= 2 {
            j -= 1;
            let t = &self.toks[j];
            if t.start < floor || !t.word {
                return false;
            }
            if self.rules.is(t, NAMING) {
                // `il a dit « … »` is speech.
                return !(j > 0 && (self.is(j - 1, AUX) || self.is(j - 1, PRON)));
            }
            if self.rules.is(t, DET) || self.rules.is(t, PREP) {
                skipped += 1;
                continue;
            }
            return false;
        }
        false
    }

    // --- attribution --------------------------------------------------------------------

    /// The explicit attribution of one quote, and the channel its sentence names.
    fn attribute(&self, raw: &Raw, sent: &Range<usize>) -> (Option<Attr>, Option<String>) {
        let open_tok = self.tok_index(raw.open);
        let after_tok = self.tok_index(raw.close_end);
        let sent_first = self.tok_index(sent.start);
        let sent_end = self.tok_index(sent.end);
        let mut channel = None;
        let mut weak: Option<Attr> = None;
        let cue_range = |c: &Cue| self.toks[c.first].start..self.toks[c.last].end;

        // 1. Inside the quote, between commas: `« …, a-t-il dit, … »`.
        let lo = self.cues.partition_point(|c| c.first <= open_tok);
        let mut k = lo;
        while k < self.cues.len() && self.cues[k].first < after_tok {
            let c = &self.cues[k];
            if c.kind == CueKind::Verb
                && c.pron.is_some()
                && c.first > 0
                && self.low(c.first - 1) == ","
                && matches!(self.low(c.last + 1), "," | "." | "»" | "”")
            {
                let spk = self.cue_subject(k);
                return (
                    Some(Attr {
                        spk,
                        cue: Some(cue_range(c)),
                        via: Via::Frame,
                    }),
                    None,
                );
            }
            k += 1;
        }

        // 2. Right after the closing mark.
        let mut post_selon: Option<Attr> = None;
        if raw.closed {
            let mut j = after_tok;
            if self.low(j) == "," {
                j += 1;
            }
            let j = self.skip_adverbs(j, sent_end, 3);
            let ci = self.cues.partition_point(|c| c.first < j);
            if let Some(c) = self.cues.get(ci).filter(|c| c.first == j && j < sent_end) {
                match c.kind {
                    CueKind::Verb => {
                        let spk = self.cue_subject(ci);
                        let (_, ch) = self.post_subject(c.last + 1, sent_end);
                        return (
                            Some(Attr {
                                spk,
                                cue: Some(cue_range(c)),
                                via: Via::Frame,
                            }),
                            ch,
                        );
                    }
                    CueKind::Selon => {
                        let (spk, ch) = self.source_after(c.last + 1, sent_end);
                        channel = ch;
                        if let Some(spk) = spk {
                            post_selon = Some(Attr {
                                spk,
                                cue: Some(cue_range(c)),
                                via: Via::Selon,
                            });
                        }
                    }
                    CueKind::Pour => {}
                }
            }
        }
        // The channel of the sentence: a `selon <medium>` anywhere in it.
        if channel.is_none() {
            let a = self.cues.partition_point(|c| c.first < sent_first);
            for c in self.cues[a..]
                .iter()
                .take_while(|c| c.first < sent_end)
                .take(8)
            {
                if c.kind == CueKind::Selon && !self.in_quote[c.first] {
                    let (spk, ch) = self.source_after(c.last + 1, sent_end);
                    if spk.is_none() && ch.is_some() {
                        channel = ch;
                        break;
                    }
                }
            }
        }

        // 3. Before the quote, in the same sentence.
        let floor = sent_first.max(open_tok.saturating_sub(BACK_TOKENS));
        let a = self.cues.partition_point(|c| c.first < floor);
        let b = self.cues.partition_point(|c| c.first < open_tok);
        let candidates: Vec<usize> = (a..b)
            .filter(|&k| {
                let c = &self.cues[k];
                !self.in_quote[c.first] && c.last < open_tok
            })
            .collect();
        let chosen = candidates
            .iter()
            .copied()
            .find(|&k| self.cues[k].que && self.cues[k].kind == CueKind::Verb)
            .or_else(|| candidates.last().copied());
        if let Some(k) = chosen {
            let c = &self.cues[k];
            let spk = match c.kind {
                CueKind::Verb => Some(self.cue_subject(k)),
                CueKind::Selon | CueKind::Pour => {
                    let (spk, ch) = self.source_after(c.last + 1, open_tok);
                    if channel.is_none() {
                        channel = ch;
                    }
                    // `pour la dernière période, « … »`: `pour` before no source is no frame.
                    spk.filter(|s| {
                        c.kind == CueKind::Selon
                            || s.who.is_some()
                            || self.is_source_phrase(c.last + 1)
                    })
                }
            };
            if let Some(spk) = spk {
                let useful = spk.who.is_some() || spk.mention.is_some();
                let attr = Attr {
                    spk,
                    cue: Some(cue_range(c)),
                    via: if c.kind == CueKind::Verb {
                        Via::Frame
                    } else {
                        Via::Selon
                    },
                };
                if useful {
                    return (Some(attr), channel);
                }
                // A cue whose subject is not found (`L'alerte a été donnée « … », a indiqué
                // X`): a later frame may still name the speaker.
                if post_selon.is_none() {
                    weak = Some(attr);
                }
            }
        }
        if let Some(a) = post_selon {
            return (Some(a), channel);
        }

        // 4. Headline form `X : « … »`, or a clause before a colon (`X a ensuite défendu sa
        // décision : « … »`, `un rapport de la Ligue arabe : « … »`).
        if open_tok > sent_first && self.low(open_tok - 1) == ":" && open_tok >= 2 {
            let t = &self.toks[open_tok - 2];
            if let Some(r) = self.ref_at(t.start) {
                return (
                    Some(Attr {
                        spk: Spk {
                            who: Some(r.who),
                            mention: Some(r.range.clone()),
                        },
                        cue: None,
                        via: Via::Colon,
                    }),
                    channel,
                );
            }
            if weak.is_none()
                && let Some(spk) = self.colon_subject(open_tok - 1, sent_first)
            {
                return (
                    Some(Attr {
                        spk,
                        cue: None,
                        via: Via::Colon,
                    }),
                    channel,
                );
            }
        }

        // 5. A cue later in the sentence, outside quotes (`les « … » de X sont « … », a dit Y`).
        let c0 = self.cues.partition_point(|c| c.first < after_tok);
        for (off, c) in self.cues[c0..]
            .iter()
            .take_while(|c| c.first < sent_end)
            .take(6)
            .enumerate()
        {
            if self.in_quote[c.first] {
                continue;
            }
            if c.kind == CueKind::Verb
                && (c.pron.is_some() || self.low(c.first.wrapping_sub(1)) == ",")
            {
                let spk = self.cue_subject(c0 + off);
                if spk.who.is_some() {
                    return (
                        Some(Attr {
                            spk,
                            cue: Some(cue_range(c)),
                            via: Via::Frame,
                        }),
                        channel,
                    );
                }
            }
        }
        (weak, channel)
    }

    /// The subject of the clause that a colon ends, found at the clause's start: a name, a
    /// pronoun or a noun phrase (`Pour construire ce code, le graphiste s'est basé sur … :`).
    fn colon_subject(&self, colon: usize, floor: usize) -> Option<Spk> {
        let mut start = colon;
        while start > floor && colon - start < 25 {
            let p = start - 1;
            if self.in_quote[p] || matches!(self.low(p), "," | ";" | ":" | "." | "!" | "?") {
                break;
            }
            start = p;
        }
        if start == colon || start + 25 <= colon {
            return None;
        }
        let j = self.skip_adverbs(start, colon, 3);
        let t = self.tok(j)?;
        if let Some(r) = self.ref_at(t.start) {
            return Some(Spk {
                who: Some(r.who),
                mention: Some(r.range.clone()),
            });
        }
        if self.rules.is(t, PRON) {
            return Some(self.pronoun(t.start..t.end, &t.low));
        }
        if self.is_name_word(j) {
            let last = self.name_run_forward(j, colon);
            return Some(self.unknown_name(j, last));
        }
        if self.rules.is(t, DET) && !self.rules.is(t, CLITIC) || self.rules.is(t, UNKNOWN) {
            return Some(self.noun_phrase(j, colon));
        }
        None
    }

    /// The speaker a cue points at: its inverted pronoun, the subject before it, or (after a
    /// quote) the subject after it.
    fn cue_subject(&self, ci: usize) -> Spk {
        let c = &self.cues[ci];
        if let Some((r, pron)) = &c.pron {
            return self.pronoun(r.clone(), pron);
        }
        if c.post {
            let end = self.sentence_end_tok(c.first);
            return self.post_subject(c.last + 1, end).0.unwrap_or_default();
        }
        let first = c.anchor;
        // `« … », a déclaré X`, and `…, lors de la fête, a indiqué un porte-parole`: after a
        // comma, a verb followed by a noun phrase has its subject inverted.
        let prev_is_quote = first > 0
            && (self.in_quote[first - 1]
                || (self.low(first - 1) == "," && first > 1 && self.in_quote[first - 2]));
        if !prev_is_quote && first > 0 && self.low(first - 1) == "," {
            let end = self.sentence_end_tok(first);
            if let (Some(s), _) = self.post_subject(c.last + 1, end)
                && let Some(m) = &s.mention
            {
                let after = self.tok_index(m.end);
                if after >= end || matches!(self.low(after), "." | "!" | "?" | ";") {
                    return s;
                }
            }
        }
        if prev_is_quote {
            // `« … », a déclaré X`: the subject follows the verb.
            let end = self.sentence_end_tok(first);
            let (spk, _) = self.post_subject(c.last + 1, end);
            if let Some(s) = spk {
                return s;
            }
        }
        if let Some(s) = self.subject_before(first) {
            return s;
        }
        let end = self.sentence_end_tok(first);
        if self.low(c.first).ends_with("ant") {
            // `Estimant que « … », il vota contre`: the participle's subject is the main
            // clause's, after the next comma outside the quote.
            if let Some(comma) =
                (c.last + 1..end).find(|&j| self.low(j) == "," && !self.in_quote[j])
            {
                return self.post_subject(comma + 1, end).0.unwrap_or_default();
            }
        }
        self.post_subject(c.last + 1, end).0.unwrap_or_default()
    }

    fn sentence_end_tok(&self, tok: usize) -> usize {
        let pos = self.toks[tok].start;
        let k = self.sentences.partition_point(|s| s.start <= pos);
        match k.checked_sub(1).and_then(|k| self.sentences.get(k)) {
            Some(s) if pos < s.end => self.tok_index(s.end),
            _ => {
                // A title or heading: up to the next sentence-ending mark.
                let mut j = tok;
                while j < self.toks.len() && j < tok + AFTER_TOKENS * 2 {
                    if matches!(self.low(j), "." | "!" | "?") {
                        break;
                    }
                    j += 1;
                }
                j
            }
        }
    }

    fn sentence_start_pos(&self, pos: usize) -> usize {
        let k = self.sentences.partition_point(|s| s.start <= pos);
        match k.checked_sub(1).and_then(|k| self.sentences.get(k)) {
            Some(s) if pos < s.end => s.start,
            _ => 0,
        }
    }

    /// Walks back from the cue's first token over its clause to the subject.
    fn subject_before(&self, first: usize) -> Option<Spk> {
        let floor_pos = self.sentence_start_pos(self.toks[first].start);
        let mut j = first;
        let mut at_verb = true;
        // No word yet between this token and the verb (clitics aside).
        let mut next_to_verb = true;
        let mut steps = 0;
        while j > 0 && steps < SUBJECT_TOKENS {
            j -= 1;
            steps += 1;
            let t = &self.toks[j];
            if t.start < floor_pos {
                break;
            }
            if self.in_quote[j] {
                at_verb = false;
                continue;
            }
            if at_verb && self.rules.is(t, CLITIC) {
                continue;
            }
            if at_verb && self.rules.is(t, PRON) {
                return Some(self.pronoun(t.start..t.end, &t.low));
            }
            if at_verb && t.low == "qui" {
                // `l'organisation islamique, qui affirme « … »`: the antecedent of `qui`.
                if let Some(s) = self.relative_antecedent(j, floor_pos) {
                    return Some(s);
                }
                at_verb = false;
                continue;
            }
            at_verb = false;
            let was_next_to_verb = next_to_verb;
            next_to_verb = false;
            if !t.word {
                match t.low.as_str() {
                    "," => {
                        // A segment set off by commas before the verb is an apposition or an
                        // incidental (`X, président de …, a dit`, `X, impuissant, a dénoncé`,
                        // `X, dont …, a dit`) unless it is itself the name (`La procureure,
                        // Mme Y, a dit`): the subject is before it.
                        let mut p = j;
                        let mut n = 0;
                        while p > 0
                            && n < SUBJECT_TOKENS
                            && self.low(p - 1) != ","
                            && self.toks[p - 1].start >= floor_pos
                        {
                            p -= 1;
                            n += 1;
                        }
                        let opened = p > 0 && p < j && self.low(p - 1) == ",";
                        let named = self.ref_at(self.toks[p].start).is_some()
                            || self.is_name_word(p)
                            || is_honorific(&self.toks[p].low);
                        if opened && (self.is(p, REL) || was_next_to_verb && !named) {
                            j = p - 1;
                        }
                        continue;
                    }
                    ")" => {
                        // `X (UMP) a dénoncé`: the parenthesis is no subject.
                        let mut p = j;
                        while p > 0 && j - p < 12 && self.low(p) != "(" {
                            p -= 1;
                        }
                        if self.low(p) == "(" {
                            j = p;
                        }
                        continue;
                    }
                    "." | ";" | ":" | "!" | "?" => break,
                    _ => continue,
                }
            }
            if t.low == "que" || t.low == "qu'" {
                break;
            }
            if let Some(r) = self.ref_at(t.start) {
                let rfirst = self.tok_index(r.range.start);
                if !self.object_position(rfirst) {
                    return Some(Spk {
                        who: Some(r.who),
                        mention: Some(r.range.clone()),
                    });
                }
                j = rfirst;
                continue;
            }
            // `l'`, `les` are articles when a word stands between them and the verb (`l'ONG
            // précise`, `les analystes du groupe X estiment`), clitics right before it.
            let article = !self.rules.is(t, CLITIC) || j + 1 < first;
            if self.rules.is(t, DET) && article || self.rules.is(t, UNKNOWN) {
                if j > 0 && self.is(j - 1, PREP) {
                    continue;
                }
                // `le collectif la Quadrature du Net`: an article after an organisation noun
                // opens the name apposed to it; the subject starts before.
                if j > 0 && self.is(j - 1, ORG | MEDIA) && self.toks[j - 1].start >= floor_pos {
                    continue;
                }
                // `L'Association des leaders du Mali a dit`: `du`, `des` after a word open a
                // complement, not the subject.
                if j > 0
                    && self.toks[j - 1].word
                    && self.toks[j - 1].start >= floor_pos
                    && matches!(t.low.as_str(), "de" | "du" | "des" | "d'")
                {
                    continue;
                }
                return Some(self.noun_phrase(j, first));
            }
            if self.is_name_word(j) {
                // The last word of a capitalised run: an unknown name when the run opens the
                // clause (`Nock Ag Attia a précisé`, `…, Akli Gasmi, se souvient`).
                let run = self.name_run_back(j, floor_pos);
                let opens = run == 0
                    || self.toks[run - 1].start < floor_pos
                    || !self.toks[run - 1].word
                    || is_honorific(&self.toks[run - 1].low)
                    || self.is_role_word(&self.toks[run - 1].low);
                if opens {
                    return Some(self.unknown_name(run, j));
                }
                j = run;
                continue;
            }
        }
        None
    }

    /// The person subject of the clause a quote is woven into: a name or a subject pronoun
    /// at the sentence start or right after one of its first commas (`Arrivé à 0h50, il a
    /// annoncé …`), before the quote, outside quotes. Organisations and noun phrases are
    /// left to the frames: only persons speak without a cue.
    fn clause_subject_before(&self, sent: &Range<usize>, open: usize) -> Option<Spk> {
        let first = self.tok_index(sent.start);
        let open_tok = self.tok_index(open);
        let starts = std::iter::once(self.skip_adverbs(first, open_tok, 3)).chain(
            // The clause opens near the sentence start: a bounded look keeps this linear.
            (first..open_tok.min(first + SUBJECT_TOKENS))
                .filter(|&j| self.low(j) == "," && !self.in_quote[j])
                .take(3)
                .map(|j| j + 1),
        );
        for j in starts {
            let Some(t) = self.tok(j).filter(|_| j < open_tok && !self.in_quote[j]) else {
                continue;
            };
            if let Some(r) = self.ref_at(t.start) {
                if matches!(r.who, Who::Person(_) | Who::Unknown { org: false, .. })
                    && !self.object_position(j)
                {
                    return Some(Spk {
                        who: Some(r.who),
                        mention: Some(r.range.clone()),
                    });
                }
                continue;
            }
            if matches!(t.low.as_str(), "il" | "elle") && !self.is_impersonal(j) {
                let spk = self.pronoun(t.start..t.end, &t.low);
                if spk.who.is_some() {
                    return Some(spk);
                }
            }
        }
        None
    }

    /// The person that opens the sentence before the one at `pos`, in the same paragraph
    /// (starting at `para_start`): a name or a subject pronoun.
    fn previous_sentence_subject(&self, pos: usize, para_start: usize) -> Option<Who> {
        let k = self.sentences.partition_point(|s| s.start <= pos);
        let prev = self.sentences.get(k.checked_sub(2)?)?;
        if prev.start < para_start {
            return None;
        }
        let j = self.skip_adverbs(self.tok_index(prev.start), self.toks.len(), 3);
        let t = self.tok(j)?;
        if self.in_quote[j] {
            return None;
        }
        if let Some(r) = self.ref_at(t.start) {
            return matches!(r.who, Who::Person(_) | Who::Unknown { org: false, .. })
                .then_some(r.who);
        }
        if self.rules.is(t, PRON) {
            return self.pronoun(t.start..t.end, &t.low).who;
        }
        None
    }

    /// The noun phrase right before the relative `qui` at token `qui` (a comma may stand
    /// between): a name, or a noun phrase opened by an article.
    fn relative_antecedent(&self, qui: usize, floor_pos: usize) -> Option<Spk> {
        let mut k = qui;
        if k > 0 && self.low(k - 1) == "," {
            k -= 1;
        }
        let last = k.checked_sub(1)?;
        let mut j = k;
        while j > 0 && k - j < 8 {
            j -= 1;
            let t = &self.toks[j];
            if t.start < floor_pos || !t.word || self.in_quote[j] {
                return None;
            }
            if let Some(r) = self.ref_at(t.start) {
                let r = self.head_of_complement(r);
                return Some(Spk {
                    who: Some(r.who),
                    mention: Some(r.range.clone()),
                });
            }
            if self.is_name_word(j) && j == last {
                let first = self.name_run_back(j, floor_pos);
                // `la Commission européenne de Bruxelles qui`: the named head, not the place.
                if first >= 2
                    && matches!(self.low(first - 1), "de" | "du" | "d'")
                    && let Some(h) = self.ref_at(self.toks[first - 2].start)
                {
                    return Some(Spk {
                        who: Some(h.who),
                        mention: Some(h.range.clone()),
                    });
                }
                return Some(self.unknown_name(first, j));
            }
            if self.rules.is(t, DET) && !matches!(t.low.as_str(), "de" | "du" | "des" | "d'") {
                return Some(self.noun_phrase(j, k));
            }
        }
        None
    }

    /// The reference a complement depends on, when a named complement follows a named head
    /// (`la Commission européenne de Bruxelles qui …`: the Commission, not the city).
    fn head_of_complement<'r>(&'r self, r: &'r Ref) -> &'r Ref {
        let first = self.tok_index(r.range.start);
        if first >= 2 && matches!(self.low(first - 1), "de" | "du" | "d'") {
            let before = self.toks[first - 2].start;
            if let Some(h) = self.ref_at(before)
                && h.range.end <= self.toks[first - 1].start
            {
                return h;
            }
        }
        r
    }

    /// Whether the reference starting at token `i` is an object or a complement: walks back
    /// over determiners, roles and adjectives to a preposition, a participle or a verb.
    fn object_position(&self, i: usize) -> bool {
        let mut j = i;
        let mut n = 0;
        while j > 0 && n < 6 {
            j -= 1;
            n += 1;
            let t = &self.toks[j];
            if !t.word {
                return t.low == "'";
            }
            if self.rules.is(t, PREP) && !self.rules.is(t, DET)
                || matches!(t.low.as_str(), "de" | "des" | "du" | "d'")
            {
                return true;
            }
            if self.rules.is(t, AUX) || self.rules.is_cue_form(&t.low) {
                return true;
            }
            if !t.upper
                && ["é", "ée", "és", "ées"].iter().any(|e| t.low.ends_with(e))
                && !self.is_role_word(&t.low)
            {
                return true;
            }
            if matches!(t.low.as_str(), "que" | "qu'" | "qui" | "et") {
                return false;
            }
        }
        false
    }

    /// A capitalised word that no word class claims: part of a name.
    fn is_name_word(&self, i: usize) -> bool {
        self.tok(i).is_some_and(|t| {
            t.word
                && t.upper
                && self.rules.class(&t.low) == 0
                && !self.rules.is_cue_form(&t.low)
                && !is_honorific(&t.low)
        })
    }

    /// Lowercase particles inside a name (`Ursula von der Leyen`, `Charles de Gaulle`).
    fn is_name_particle(&self, i: usize) -> bool {
        matches!(
            self.low(i),
            "de" | "du"
                | "des"
                | "d'"
                | "van"
                | "von"
                | "der"
                | "den"
                | "ben"
                | "bin"
                | "ibn"
                | "da"
                | "di"
                | "dos"
                | "el"
                | "al"
                | "le"
                | "la"
        )
    }

    /// The first token of the capitalised run ending at token `last` (at most five words).
    fn name_run_back(&self, last: usize, floor_pos: usize) -> usize {
        let mut first = last;
        while first > 0 && last - first < 4 && self.toks[first - 1].start >= floor_pos {
            let p = first - 1;
            if self.in_quote[p] {
                break;
            }
            if self.is_name_word(p)
                || self.toks[p].upper && self.toks[p].word && p > 0 && self.is_name_word(p - 1)
            {
                first = p;
            } else if self.is_name_particle(p) && p > 0 && self.is_name_word(p - 1) {
                first = p - 1;
            } else {
                break;
            }
        }
        first
    }

    /// The last token of the capitalised run starting at token `first` (before `stop`).
    fn name_run_forward(&self, first: usize, stop: usize) -> usize {
        let mut last = first;
        let stop = stop.min(self.toks.len());
        while last + 1 < stop && last - first < 4 {
            let n = last + 1;
            if self.toks[n].word
                && self.toks[n].upper
                && !self.in_quote[n]
                && (self.is_name_word(n) || self.is_name_word(n + 1))
            {
                last = n;
            } else if self.low(n) == "."
                && self.toks[last].end - self.toks[last].start == 1
                && self.is_name_word(n + 1)
            {
                // An initial: `B. Obama`.
                last = n + 1;
            } else if self.is_name_particle(n) && n + 1 < stop && self.is_name_word(n + 1) {
                last = n + 1;
            } else {
                break;
            }
        }
        last
    }

    /// An unknown name over tokens `first..=last`: a person, or an organisation when it is
    /// written in capitals (`SUD-PTT`, `CGT`).
    fn unknown_name(&self, first: usize, last: usize) -> Spk {
        let range = self.toks[first].start..self.toks[last].end;
        let letters = self.text[range.clone()]
            .chars()
            .filter(|c| c.is_alphabetic());
        let org = first == last && {
            let (mut n, mut upper) = (0, 0);
            for c in letters {
                n += 1;
                upper += usize::from(c.is_uppercase());
            }
            n >= 2 && upper == n
        };
        Spk {
            who: Some(Who::Unknown {
                start: range.start,
                end: range.end,
                org,
            }),
            mention: Some(range),
        }
    }

    fn is_role_word(&self, low: &str) -> bool {
        self.rules.roles.contains(low)
    }

    /// The length in tokens of the longest role starting at token `i`.
    fn role_at(&self, i: usize) -> usize {
        for k in (1..=self.rules.role_max_words).rev() {
            if i + k > self.toks.len() || !self.toks[i..i + k].iter().all(|t| t.word) {
                continue;
            }
            let words: Vec<&str> = self.toks[i..i + k].iter().map(|t| t.low.as_str()).collect();
            if self.rules.roles.contains(&join_words(&words)) {
                return k;
            }
        }
        0
    }

    /// A noun phrase opened by the determiner at token `det`, ending before token `limit`:
    /// a person named inside it, a role held by a person, or an unnamed source.
    fn noun_phrase(&self, det: usize, limit: usize) -> Spk {
        let mut end = det + 1;
        let max = (det + 9).min(limit).min(self.toks.len());
        // Extent: up to punctuation, a verb, a relative pronoun or the limit.
        while end < max {
            let t = &self.toks[end];
            if !t.word
                || self.rules.is(t, AUX)
                || self.rules.is(t, REL)
                || self.rules.is(t, PRON)
                || (self.rules.is_cue_form(&t.low) && !self.is_role_word(&t.low) && end > det + 1)
            {
                break;
            }
            end += 1;
        }
        let end = end.max(det + 1).min(self.toks.len());
        // `le président du conseil du CERN, Michel Spiro`: the name in apposition.
        if self.low(end) == "," {
            if let Some(r) = self.ref_at(self.toks.get(end + 1).map_or(usize::MAX, |t| t.start))
                && matches!(r.who, Who::Person(_))
            {
                return Spk {
                    who: Some(r.who),
                    mention: Some(r.range.clone()),
                };
            }
            if self.is_name_word(end + 1) && self.is_name_word(end + 2) {
                let last = self.name_run_forward(end + 1, self.toks.len());
                return self.unknown_name(end + 1, last);
            }
        }
        // `le quotidien`, `son complice`: the name the text introduced with that description.
        if let Some(who) = self.introduced_as(det, end) {
            return Spk {
                who: Some(who),
                mention: Some(self.toks[det].start..self.toks[end - 1].end),
            };
        }
        if let Some(spk) = self.organisation_phrase(det, end) {
            return spk;
        }
        for j in det + 1..end {
            if let Some(r) = self.ref_at(self.toks[j].start) {
                let r_first = self.tok_index(r.range.start);
                // A complement (`le chef de l'ONU`) is no apposition.
                if r_first > det + 1
                    && matches!(self.low(r_first - 1), "de" | "du" | "des" | "d'" | "l'")
                    && self.role_at(det + 1) == 0
                {
                    break;
                }
                return Spk {
                    who: Some(r.who),
                    mention: Some(r.range.clone()),
                };
            }
        }
        let range = self.toks[det].start..self.toks[end - 1].end;
        let k = self.role_at(det + 1);
        if k > 0 && !self.rules.is(&self.toks[det], UNKNOWN) {
            let mut terms: Vec<String> = self.toks[det + 1..det + 1 + k]
                .iter()
                .map(|t| t.low.clone())
                .collect();
            let head_terms = terms.clone();
            for t in &self.toks[det + 1 + k..end] {
                if !self.rules.is(t, DET) && !self.rules.is(t, PREP) {
                    terms.push(t.low.clone());
                }
            }
            let gender = match self.low(det) {
                "la" | "une" | "cette" => Some("f"),
                "le" | "un" | "ce" | "cet" => Some("m"),
                _ => None,
            };
            let pos = self.toks[det].start;
            if let Some(p) = self
                .role_holder(&terms, gender, pos)
                .or_else(|| self.role_holder(&head_terms, gender, pos))
            {
                return Spk {
                    who: Some(Who::Person(p)),
                    mention: Some(range),
                };
            }
        }
        // `le graphiste`, `le président-candidat`: a definite description of a person the
        // article has already named, the one in focus.
        if let Some(gender) = self.definite_person_description(det, end)
            && let Some(who) = self.person_in_focus(self.toks[det].start, gender)
        {
            return Spk {
                who: Some(who),
                mention: Some(range),
            };
        }
        // `selon un communiqué du ministère`: the author of the document.
        if self
            .toks
            .get(det + 1)
            .is_some_and(|t| self.rules.is(t, DOCUMENT))
        {
            for j in det + 2..(det + 8).min(self.toks.len()) {
                let t = &self.toks[j];
                if !t.word || t.start >= self.toks[limit.min(self.toks.len() - 1)].end {
                    break;
                }
                if let Some(r) = self.ref_at(t.start) {
                    return Spk {
                        who: Some(r.who),
                        mention: Some(r.range.clone()),
                    };
                }
            }
        }
        Spk {
            who: None,
            mention: Some(range),
        }
    }

    /// Every name introduced by a description right before it: a determiner or possessive,
    /// a lowercase head noun and lowercase words (`le quotidien français Le Figaro`, `son
    /// complice de toujours, Jean Dupont`). Built once per document.
    fn find_introductions(&self) -> Vec<(usize, String, Who)> {
        let mut out = Vec::new();
        for r in &self.refs {
            let first = self.tok_index(r.range.start);
            let mut j = first;
            if j > 0 && self.low(j - 1) == "," {
                j -= 1;
            }
            let mut det = None;
            let mut k = j;
            while k > 0 && j - k < 5 {
                k -= 1;
                let t = &self.toks[k];
                if !t.word || self.in_quote[k] {
                    break;
                }
                if self.is(k, DET) && !self.is(k, PREP) && k + 1 < j {
                    det = Some(k);
                    break;
                }
                if t.upper {
                    break;
                }
            }
            let Some(d) = det else { continue };
            let head = &self.toks[d + 1];
            if head.word && !head.upper && !self.is(d + 1, DET | PREP) {
                out.push((r.range.start, head.low.clone(), r.who));
            }
        }
        out
    }

    /// The entity introduced earlier with the head noun of the bare description `det..end`
    /// (no name inside it): the latest one before it.
    fn introduced_as(&self, det: usize, end: usize) -> Option<Who> {
        let head = self.tok(det + 1)?;
        if !head.word || head.upper || self.toks[det + 1..end].iter().any(|t| t.upper) {
            return None;
        }
        let pos = self.toks[det].start;
        let b = self.introductions.partition_point(|x| x.0 < pos);
        self.introductions[..b]
            .iter()
            .rev()
            .take(64)
            .find(|x| x.1 == head.low)
            .map(|x| x.2)
    }

    /// The gender of a definite singular description of a person (`le graphiste`, `la
    /// présidente-candidate`, `cette chercheuse`): a determiner of one gender, then a head
    /// noun that is a role, a word of the `human` class, or an agent noun by its suffix
    /// (`-iste`, `-eur`, `-euse`, `-rice`). None for anything else (`le texte`, `les experts`).
    fn definite_person_description(&self, det: usize, end: usize) -> Option<&'static str> {
        let gender = match self.low(det) {
            "le" | "ce" | "cet" => "m",
            "la" | "cette" => "f",
            _ => return None,
        };
        let head = det + 1;
        (head < end && self.is_person_noun(head)).then_some(gender)
    }

    /// Whether token `i` is a noun for a person: a role, a word of the `human` class, or an
    /// agent noun by its suffix (`-iste`, `-eur`, `-euse`, `-rice`); the first part of a
    /// compound counts (`président-candidat`). A capital is a name (`le Monde`) unless it
    /// opens a role (`le Président-candidat`).
    fn is_person_noun(&self, i: usize) -> bool {
        let Some(t) = self.tok(i).filter(|t| t.word) else {
            return false;
        };
        let first_part = t.low.split('-').next().unwrap_or("");
        if t.upper && !self.is_role_word(first_part) {
            return false;
        }
        let human = self.role_at(i) > 0
            || self.is_role_word(first_part)
            || self.rules.is(t, HUMAN)
            || ["iste", "eur", "euse", "rice"]
                .iter()
                .any(|suf| first_part.len() > suf.len() + 2 && first_part.ends_with(suf));
        human
            && !self
                .rules
                .is(t, ORG | ANAPHOR | MEDIA | DOCUMENT | WORK | MEMBER)
    }

    /// The person who spoke in this sentence or the one before `pos`, if the article gives
    /// them no role or a role with the word at token `head`.
    fn latest_speaker_unroled(&self, pos: usize, head: usize) -> Option<usize> {
        let k = self.sentences.partition_point(|s| s.start <= pos);
        let floor = self
            .sentences
            .get(k.saturating_sub(2))
            .map_or(0, |s| s.start);
        let spoken = self.spoken.borrow();
        let b = spoken.partition_point(|s| s.0 < pos);
        let (at, who) = *spoken[..b].last()?;
        let Who::Person(p) = who else { return None };
        let word = &self.toks[head].low;
        let fits = self.role_words[p].is_empty()
            || self.role_words[p]
                .iter()
                .any(|r| r.iter().any(|w| w == word));
        (at >= floor && fits).then_some(p)
    }

    /// The person a definite description points back to: the latest speaker if a person of
    /// that gender spoke in the four sentences before, else the pronoun's antecedent.
    fn person_in_focus(&self, pos: usize, gender: &str) -> Option<Who> {
        let spoken = self.spoken.borrow();
        let b = spoken.partition_point(|s| s.0 < pos);
        let k = self.sentences.partition_point(|s| s.start <= pos);
        let floor = self
            .sentences
            .get(k.saturating_sub(5))
            .map_or(0, |s| s.start);
        let latest = spoken[..b]
            .iter()
            .rev()
            .take(4)
            .take_while(|s| s.0 >= floor)
            .find(|s| self.person_of_gender(s.1, gender))
            .map(|s| s.1);
        drop(spoken);
        latest.or_else(|| self.antecedent_near(pos, gender))
    }

    /// A noun phrase `det..end` naming an organisation: an organisation head (`le gouvernement
    /// malien`, `la fédération X`), an anaphor of a named one (`l'ONG`, `le groupe`), or a member
    /// speaking for one (`un porte-parole de la police`, `les analystes du groupe X`).
    fn organisation_phrase(&self, det: usize, end: usize) -> Option<Spk> {
        let head = det + 1;
        if head >= end {
            return None;
        }
        let range = |a: usize, b: usize| self.toks[a].start..self.toks[b - 1].end;
        let org_ref = |from: usize, to: usize| {
            (from..to.min(self.toks.len())).find_map(|j| {
                self.ref_at(self.toks[j].start)
                    .filter(|r| matches!(r.who, Who::Org(_)))
                    .cloned()
            })
        };
        if self.is(head, MEMBER) {
            // A spokesperson the article names elsewhere (`le porte-parole du collectif` for
            // the person introduced with that role) is that person.
            if self.role_at(head) > 0
                && self
                    .role_holder(&[self.toks[head].low.clone()], None, self.toks[det].start)
                    .is_some()
            {
                return None;
            }
            // `Pour X, « … ». Le porte-parole du collectif Y se félicite …`: a definite
            // spokesperson right after a person spoke, whose roles the article does not
            // otherwise give, is that person described again.
            if matches!(self.low(det), "le" | "la")
                && let Some(p) = self.latest_speaker_unroled(self.toks[det].start, head)
            {
                return Some(Spk {
                    who: Some(Who::Person(p)),
                    mention: Some(range(det, end)),
                });
            }
            // The organisation is the complement: `de la police`, `du groupe X`.
            let to = (end + 6).min(self.toks.len());
            if let Some(r) = org_ref(head + 1, to) {
                return Some(Spk {
                    who: Some(r.who),
                    mention: Some(range(det, self.tok_index(r.range.end).max(det + 1))),
                });
            }
            let org_head = (head + 1..to).find(|&j| self.is(j, ORG))?;
            let mut last = org_head + 1;
            while last < to
                && self.toks[last].word
                && !self.is(last, DET | PREP | AUX | PRON | REL | CLITIC)
                && !self.rules.is_cue_form(&self.toks[last].low)
            {
                last += 1;
            }
            return Some(self.unknown_org(org_head, last, det));
        }
        if self.is(head, MEDIA)
            && self.toks[head + 1..end].iter().all(|t| !t.upper)
            && let Some(o) = self.latest_org(self.toks[det].start, true)
        {
            // `le quotidien indique`: the newspaper named before.
            return Some(Spk {
                who: Some(Who::Org(o)),
                mention: Some(range(det, end)),
            });
        }
        if !self.is(head, ORG) {
            return None;
        }
        if let Some(r) = org_ref(head, end) {
            return Some(Spk {
                who: Some(r.who),
                mention: Some(range(det, end)),
            });
        }
        let bare = head + 1 == end;
        // A capital right after the head names the organisation (`le groupe Safran`); one in a
        // complement does not (`l'organisation militant pour les droits de l'Homme`).
        let capitalised = self.toks[head + 1..end]
            .iter()
            .take_while(|t| t.word && !self.rules.is(t, PREP | DET))
            .any(|t| t.upper);
        if self.is(head, ANAPHOR) && !capitalised {
            // `l'ONG`, `l'organisation islamique`: the organisation the article is about.
            if let Some(o) = self.salient_org(self.toks[det].start) {
                return Some(Spk {
                    who: Some(Who::Org(o)),
                    mention: Some(range(det, end)),
                });
            }
        }
        if bare {
            // `le syndicat` with no antecedent: an unnamed source.
            return Some(Spk {
                who: None,
                mention: Some(range(det, end)),
            });
        }
        Some(self.unknown_org(head, end, det))
    }

    /// An organisation no extractor knows, named by tokens `head..end` (`gouvernement malien`).
    fn unknown_org(&self, head: usize, end: usize, det: usize) -> Spk {
        // `le groupe Crédit Agricole`: a generic head before a name; the name is the name.
        let first = if self.is(head, ANAPHOR) && head + 1 < end && self.is_name_word(head + 1) {
            head + 1
        } else {
            head
        };
        let name = self.toks[first].start..self.toks[end - 1].end;
        Spk {
            who: Some(Who::Unknown {
                start: name.start,
                end: name.end,
                org: true,
            }),
            mention: Some(self.toks[det].start..name.end),
        }
    }

    /// The latest organisation mentioned before `pos`, of the media when `media`.
    fn latest_org(&self, pos: usize, media: bool) -> Option<usize> {
        let b = self.refs.partition_point(|r| r.range.start < pos);
        self.refs[..b]
            .iter()
            .rev()
            .take(256)
            .find_map(|r| match r.who {
                Who::Org(o) if (self.orgs[o].kind.as_deref() == Some("media")) == media => Some(o),
                _ => None,
            })
    }

    /// The organisation most mentioned before `pos` (the latest on a tie), media aside: what
    /// `l'ONG` or `le groupe` refers back to.
    fn salient_org(&self, pos: usize) -> Option<usize> {
        let b = self.refs.partition_point(|r| r.range.start < pos);
        let mut counts: HashMap<usize, (usize, usize)> = HashMap::new();
        for r in &self.refs[..b] {
            if let Who::Org(o) = r.who
                && self.orgs[o].kind.as_deref() != Some("media")
            {
                let e = counts.entry(o).or_insert((0, 0));
                e.0 += 1;
                e.1 = r.range.start;
            }
        }
        counts.into_iter().max_by_key(|&(_, c)| c).map(|(o, _)| o)
    }

    /// The person whose roles contain all `terms`, preferring the latest mentioned before `pos`.
    fn role_holder(&self, terms: &[String], gender: Option<&str>, pos: usize) -> Option<usize> {
        let holders: Vec<usize> = (0..self.people.len())
            .filter(|&p| {
                gender.is_none()
                    || self.people[p]
                        .gender
                        .as_deref()
                        .is_none_or(|g| Some(g) == gender)
                    || self.people[p].gender.is_none()
            })
            .filter(|&p| {
                self.role_words[p]
                    .iter()
                    .any(|rw| terms.iter().all(|t| rw.contains(t)))
            })
            .collect();
        let latest = |p: usize| {
            self.people[p]
                .mentions
                .iter()
                .filter(|m| m.range.start < pos)
                .map(|m| m.range.start)
                .max()
        };
        holders
            .iter()
            .copied()
            .max_by_key(|&p| latest(p).map_or(0, |x| x + 1))
    }

    /// The subject after a cue (`a déclaré le ministre`), and a channel (`à l'AFP`).
    fn post_subject(&self, from: usize, end: usize) -> (Option<Spk>, Option<String>) {
        let mut j = from;
        let mut after_prep = false;
        let mut channel = None;
        let stop = end.min(from + AFTER_TOKENS).min(self.toks.len());
        while j < stop {
            let t = &self.toks[j];
            if !t.word {
                if t.low == "," {
                    j += 1;
                    continue;
                }
                break;
            }
            if self.rules.is(t, PREP) && !self.rules.is(t, DET)
                || matches!(t.low.as_str(), "au" | "aux" | "lors")
            {
                after_prep = true;
                j += 1;
                continue;
            }
            if let Some(r) = self.ref_at(t.start) {
                let rend = self.tok_index(r.range.end);
                if after_prep {
                    if let Who::Org(o) = r.who
                        && self.orgs[o].kind.as_deref() == Some("media")
                    {
                        channel = Some(self.orgs[o].name.clone());
                    }
                    after_prep = false;
                    j = rend.max(j + 1);
                    continue;
                }
                return (
                    Some(Spk {
                        who: Some(r.who),
                        mention: Some(r.range.clone()),
                    }),
                    channel,
                );
            }
            if is_honorific(&t.low) {
                // `a lancé M. Guterres`: the name follows.
                j += if self.low(j + 1) == "." { 2 } else { 1 };
                continue;
            }
            if self.rules.is(t, PRON) && !after_prep {
                return (Some(self.pronoun(t.start..t.end, &t.low)), channel);
            }
            if self.rules.is(t, DET) {
                if after_prep || (j > from && matches!(self.low(j - 1), "de" | "à")) {
                    j += 1;
                    continue;
                }
                return (Some(self.noun_phrase(j, stop)), channel);
            }
            if !after_prep && self.is_name_word(j) {
                let last = self.name_run_forward(j, stop);
                return (Some(self.unknown_name(j, last)), channel);
            }
            if self.rules.is(t, ADV) || t.low.ends_with("ment") || after_prep {
                after_prep = false;
                j += 1;
                continue;
            }
            if !self.rules.is(t, CLITIC) {
                break;
            }
            j += 1;
        }
        (None, channel)
    }

    /// After `selon`, `d'après`, `pour`: the source, or the medium that carried the words.
    fn source_after(&self, from: usize, end: usize) -> (Option<Spk>, Option<String>) {
        let source_end = end.min(self.toks.len()).min(from + 2 * AFTER_TOKENS);
        let end = end.min(self.toks.len()).min(from + AFTER_TOKENS);
        if from >= end {
            return (None, None);
        }
        let t = &self.toks[from];
        if matches!(t.low.as_str(), "lui" | "elle" | "eux" | "elles") {
            return (Some(self.pronoun(t.start..t.end, &t.low)), None);
        }
        // A medium: `l'agence russe d'État Tass`, `le journal Kommersant`, or a media org.
        let mut j = from;
        if self.is(j, DET) {
            j += 1;
        }
        if self.is(j, MEDIA) {
            let mut k = j + 1;
            while k < end && self.toks[k].word {
                if let Some(r) = self.ref_at(self.toks[k].start) {
                    let name = match r.who {
                        Who::Org(o) => self.orgs[o].name.clone(),
                        Who::Person(p) => self.people[p].name.clone(),
                        Who::Unknown { start, end, .. } => self.text[start..end].to_string(),
                    };
                    return (None, Some(name));
                }
                k += 1;
            }
            // No known organisation: the capitalised words as written.
            let caps: Vec<&Tok> = self.toks[j + 1..k].iter().filter(|t| t.upper).collect();
            if let (Some(a), Some(b)) = (caps.first(), caps.last()) {
                return (None, Some(self.text[a.start..b.end].to_string()));
            }
            return (None, None);
        }
        if let Some(r) = self.ref_at(self.toks[j].start) {
            if let Who::Org(o) = r.who
                && self.orgs[o].kind.as_deref() == Some("media")
            {
                return (None, Some(self.orgs[o].name.clone()));
            }
            return (
                Some(Spk {
                    who: Some(r.who),
                    mention: Some(r.range.clone()),
                }),
                None,
            );
        }
        if self.is(from, DET) {
            let mut spk = self.noun_phrase(from, end);
            if let Some(Who::Org(o)) = spk.who
                && self.orgs[o].kind.as_deref() == Some("media")
            {
                return (None, Some(self.orgs[o].name.clone()));
            }
            if spk.who.is_none()
                && let Some(named) = self.apposed_name(from, source_end)
            {
                spk = named;
            }
            return (Some(spk), None);
        }
        if self.is_name_word(from) {
            let last = self.name_run_forward(from, end);
            return (Some(self.unknown_name(from, last)), None);
        }
        (None, None)
    }

    /// Whether the noun phrase at token `det` can be a source (`pour un expert`, `pour les
    /// syndicats`), as opposed to a time or a purpose (`pour la dernière période`).
    fn is_source_phrase(&self, det: usize) -> bool {
        let head = (det + 1..(det + 4).min(self.toks.len()))
            .find(|&j| self.toks[j].word && !self.is(j, DET | ADV))
            .unwrap_or(det + 1);
        self.is_person_noun(head) || self.is(head, ORG | MEMBER | ANAPHOR)
    }

    /// The name set after a description by a comma (`pour la principale association de
    /// défense du logiciel libre, l'April`): a known entity, or capitalised words after an
    /// optional article. An organisation unless the description is a person noun.
    fn apposed_name(&self, det: usize, end: usize) -> Option<Spk> {
        let comma = (det + 1..end).find(|&j| !self.toks[j].word)?;
        if self.low(comma) != "," || self.in_quote[comma] {
            return None;
        }
        let mut j = comma + 1;
        if let Some(r) = self.tok(j).and_then(|t| self.ref_at(t.start)) {
            return Some(Spk {
                who: Some(r.who),
                mention: Some(r.range.clone()),
            });
        }
        if self.is(j, DET) {
            j += 1;
        }
        if j >= end || !self.is_name_word(j) {
            return None;
        }
        let last = self.name_run_forward(j, end);
        // The name must end the source: `, l'April :` or `, l'April, « … »`.
        if self.tok(last + 1).is_some_and(|t| t.word) {
            return None;
        }
        let org = !self.is_person_noun(det + 1);
        Some(Spk {
            who: Some(Who::Unknown {
                start: self.toks[j].start,
                end: self.toks[last].end,
                org,
            }),
            mention: Some(self.toks[det].start..self.toks[last].end),
        })
    }

    /// A subject pronoun to the latest compatible person in subject position.
    fn pronoun(&self, range: Range<usize>, pron: &str) -> Spk {
        let gender = match pron {
            "il" | "lui" => Some("m"),
            "elle" => Some("f"),
            _ => None,
        };
        let mut who = gender.and_then(|g| self.antecedent_near(range.start, g));
        if who.is_none() && !self.resolving.get() {
            // `Un porte-parole de la police a indiqué … « … », a-t-il précisé`: the speaker of
            // the frame just before, when no person stands near.
            self.resolving.set(true);
            who = self.previous_frame_speaker(range.start);
            self.resolving.set(false);
        }
        if who.is_none() {
            who = gender.and_then(|g| self.salient_person(range.start, g));
        }
        Spk {
            who,
            mention: Some(range),
        }
    }

    /// The person a subject pronoun stands for: the first person in subject position in this
    /// sentence or the two before it, else the person the article is most about so far (most
    /// mentions, latest on a tie), not merely the latest name: a colleague named in between in
    /// a complement does not take the pronoun. A sentence whose subject is itself a pronoun of
    /// the same gender (`En 1998, il obtint …`) continues the chain: the pronoun means what
    /// that one means, so an older name in a complement is not taken.
    fn antecedent_near(&self, pos: usize, gender: &str) -> Option<Who> {
        self.antecedent_chain(pos, gender, 0)
    }

    fn antecedent_chain(&self, pos: usize, gender: &str, depth: usize) -> Option<Who> {
        let person = |w: Who| self.person_of_gender(w, gender);
        if let Some(r) = self.ref_at(pos)
            && person(r.who)
        {
            return Some(r.who);
        }
        let k = self.sentences.partition_point(|s| s.start <= pos);
        // A chained pronoun looks one sentence back only: past that, the chain says the
        // person is the article's topic (salience), not a name in an older complement.
        let reach = if depth == 0 { 3 } else { 2 };
        for back in 0..reach {
            let Some(si) = k.checked_sub(1 + back) else {
                break;
            };
            let s = &self.sentences[si];
            let until = s.end.min(pos);
            let a = self.refs.partition_point(|r| r.range.start < s.start);
            let subject = self.refs[a..]
                .iter()
                .take_while(|r| r.range.start < until)
                .take(64)
                .find(|r| {
                    let i = self.tok_index(r.range.start);
                    person(r.who)
                        && (!self.object_position(i) || self.is_agent(i))
                        && !self.in_quote.get(i).copied().unwrap_or(false)
                });
            let chained = if back > 0 {
                self.same_gender_subject_pronoun(s.start..until, gender)
            } else {
                None
            };
            match (subject, chained) {
                // A name before the pronoun is that sentence's subject; after it, a complement.
                (Some(r), Some(p)) if r.range.start < p => return Some(r.who),
                (_, Some(p)) => {
                    return if depth < 4 {
                        self.antecedent_chain(p, gender, depth + 1)
                    } else {
                        self.salient_person(p, gender)
                    }
                    .or_else(|| self.salient_person(p, gender));
                }
                (Some(r), None) => return Some(r.who),
                (None, None) => {}
            }
        }
        None
    }

    /// The agent of a passive or of an expression (`par Christian Dupuis`): the logical
    /// subject, though written as a complement.
    fn is_agent(&self, i: usize) -> bool {
        i > 0 && self.low(i - 1) == "par"
    }

    /// The start of the first subject pronoun of `gender` in `range`, outside quotes: at the
    /// sentence start or after a comma, and followed by a verb rather than used as a
    /// stressed form (`lui`) or in an impersonal phrase (`il y a`, `il faut`).
    fn same_gender_subject_pronoun(&self, range: Range<usize>, gender: &str) -> Option<usize> {
        let pron = if gender == "f" { "elle" } else { "il" };
        let first = self.tok_index(range.start);
        let mut i = first;
        while i < self.toks.len() && self.toks[i].start < range.end && i - first < 40 {
            let t = &self.toks[i];
            if t.low == pron
                && !self.in_quote[i]
                && (i == first || matches!(self.low(i - 1), "," | ";"))
                && !self.is_impersonal(i)
            {
                return Some(t.start);
            }
            i += 1;
        }
        None
    }

    /// `il` in an impersonal construction (`il y a`, `il faut`, `il s'agit`), from the
    /// `impersonal` class of quote_rules.tsv.
    fn is_impersonal(&self, i: usize) -> bool {
        self.low(i) == "il" && {
            let mut j = i + 1;
            if matches!(self.low(j), "n'" | "ne" | "s'" | "se" | "y") {
                j += 1;
            }
            self.is(j, IMPERSONAL) || self.low(i + 1) == "y"
        }
    }

    fn person_of_gender(&self, w: Who, gender: &str) -> bool {
        match w {
            Who::Person(p) => self.people[p].gender.as_deref().is_none_or(|g| g == gender),
            Who::Unknown { org, .. } => !org,
            Who::Org(_) => false,
        }
    }

    /// The speaker of the latest cue with a named subject in this sentence or the one before.
    fn previous_frame_speaker(&self, pos: usize) -> Option<Who> {
        let k = self.sentences.partition_point(|s| s.start <= pos);
        // The sentence before, not counting the sentences a long quotation holds (`X explique
        // que « … . … . … »`): those belong to the frame that opened it.
        let mut floor_index = k.saturating_sub(1);
        let mut outside = 0;
        while floor_index > 0 && outside < 1 && k - floor_index < 12 {
            floor_index -= 1;
            let first = self.tok_index(self.sentences[floor_index].start);
            if !self.in_quote.get(first).copied().unwrap_or(false) {
                outside += 1;
            }
        }
        let floor = self.sentences.get(floor_index).map_or(0, |s| s.start);
        let here = self.tok_index(pos);
        let b = self.cues.partition_point(|c| c.first < here);
        self.cues[..b]
            .iter()
            .enumerate()
            .rev()
            .take(6)
            .take_while(|(_, c)| self.toks[c.first].start >= floor)
            .filter(|(_, c)| c.kind == CueKind::Verb && c.pron.is_none() && !self.in_quote[c.first])
            .find_map(|(ci, c)| {
                let who = self.cue_subject(ci).who?;
                // Across a paragraph break only an organisation (`Moody's explique … ¶ Elle
                // considère`): a person there is better found by salience.
                let same_paragraph = !self.text[self.toks[c.first].start..pos].contains('\n');
                (same_paragraph || matches!(who, Who::Org(_))).then_some(who)
            })
    }

    /// The person the article is most about before `pos`: mentions weighed, a mention as the
    /// subject of a clause twice a mention in a complement (the topic is what sentences are
    /// about), the latest on a tie.
    fn salient_person(&self, pos: usize, gender: &str) -> Option<Who> {
        let person = |w: Who| self.person_of_gender(w, gender);
        let b = self.refs.partition_point(|r| r.range.start < pos);
        let mut counts: Vec<(Who, usize, usize)> = Vec::new();
        for r in self.refs[b.saturating_sub(512)..b].iter() {
            if !person(r.who) {
                continue;
            }
            let i = self.tok_index(r.range.start);
            // After a comma a name is as often an apposition to a complement (`avec son
            // collègue, X`) as a subject: it counts as a complement here.
            let weight = if self.in_quote.get(i).copied().unwrap_or(true)
                || self.object_position(i)
                || (i > 0 && self.low(i - 1) == ",")
            {
                1
            } else {
                2
            };
            match counts.iter_mut().find(|c| c.0 == r.who) {
                Some(c) => {
                    c.1 += weight;
                    c.2 = r.range.start;
                }
                None => counts.push((r.who, weight, r.range.start)),
            }
        }
        counts.into_iter().max_by_key(|c| (c.1, c.2)).map(|c| c.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Mention;
    use crate::resources::Resources;

    fn parse(text: &str) -> Document {
        static RES: std::sync::OnceLock<Resources> = std::sync::OnceLock::new();
        let res = RES.get_or_init(|| Resources::embedded().unwrap());
        let t = crate::input::decode(text.as_bytes(), &Default::default()).unwrap();
        crate::parse::parse(&t, res)
    }

    fn mentions(doc: &Document, forms: &[&str]) -> Vec<Mention> {
        let text = &doc.text;
        let mut ranges: Vec<Range<usize>> = Vec::new();
        let mut forms: Vec<&str> = forms.iter().copied().filter(|f| !f.is_empty()).collect();
        forms.sort_by_key(|f| std::cmp::Reverse(f.len()));
        for f in forms {
            for (at, _) in text.match_indices(f) {
                let r = at..at + f.len();
                let word_start = text[..at]
                    .chars()
                    .next_back()
                    .is_none_or(|c| !c.is_alphanumeric());
                let word_end = text[r.end..]
                    .chars()
                    .next()
                    .is_none_or(|c| !c.is_alphanumeric());
                if word_start
                    && word_end
                    && !ranges.iter().any(|o| o.start < r.end && r.start < o.end)
                {
                    ranges.push(r);
                }
            }
        }
        ranges.sort_by_key(|r| r.start);
        let segs = doc.segments();
        ranges
            .into_iter()
            .map(|r| {
                let sp = doc.chars.span(&r);
                let (zone, sentence) = doc.locate(&segs, r.start).unwrap_or((Zone::Body, None));
                Mention {
                    text: text[r.clone()].to_string(),
                    start: sp.start,
                    end: sp.end,
                    sentence,
                    zone,
                    as_actor: false,
                    range: r,
                }
            })
            .collect()
    }

    /// `Name|gender|role,role` people and `Name|kind|alias,alias` organisations.
    fn entities(doc: &Document, people: &str, orgs: &str) -> (Vec<Person>, Vec<Organization>) {
        let mut ps = Vec::new();
        for spec in people
            .split(';')
            .filter(|s| !s.trim().is_empty() && *s != "-")
        {
            let f: Vec<&str> = spec.split('|').collect();
            let name = f[0].trim();
            let surname = name.rsplit(' ').next().unwrap_or(name);
            let mut forms = vec![name, surname];
            if let Some(extra) = f.get(3) {
                forms.extend(extra.split(','));
            }
            let mentions = mentions(doc, &forms);
            ps.push(Person {
                name: name.to_string(),
                roles: f
                    .get(2)
                    .map(|r| {
                        r.split(',')
                            .filter(|x| !x.is_empty())
                            .map(str::to_string)
                            .collect()
                    })
                    .unwrap_or_default(),
                gender: f
                    .get(1)
                    .filter(|g| matches!(**g, "m" | "f"))
                    .map(|g| g.to_string()),
                count: mentions.len(),
                mentions,
                quotes: 0,
                references: Vec::new(),
            });
        }
        let mut os = Vec::new();
        for spec in orgs
            .split(';')
            .filter(|s| !s.trim().is_empty() && *s != "-")
        {
            let f: Vec<&str> = spec.split('|').collect();
            let name = f[0].trim();
            let mut forms = vec![name];
            if let Some(extra) = f.get(2) {
                forms.extend(extra.split(','));
            }
            let mentions = mentions(doc, &forms);
            os.push(Organization {
                name: name.to_string(),
                acronym: None,
                kind: f.get(1).filter(|k| !k.is_empty()).map(|k| k.to_string()),
                count: mentions.len(),
                mentions,
                quotes: 0,
                references: Vec::new(),
            });
        }
        (ps, os)
    }

    fn run(text: &str, people: &str, orgs: &str) -> Vec<Quote> {
        let doc = parse(text);
        let (p, o) = entities(&doc, people, orgs);
        extract_quotes(&doc, &p, &o, &QuoteRules::new())
    }

    const SEED_PEOPLE: &str = "Sergueï Lavrov|m|ministre russe des Affaires étrangères;\
        Vladimir Poutine|m|président russe;Kim Jong Un|m|dirigeant nord-coréen;\
        Choe Son-hui|f|homologue nord-coréenne;Sergueï Choïgou|m|secrétaire du Conseil de sécurité russe";
    const SEED_ORGS: &str =
        "ministère russe des Affaires étrangères|government;Tass|media;Kremlin|government";

    #[test]
    fn rules_load_fast() {
        let t = std::time::Instant::now();
        let r = QuoteRules::new();
        assert!(r.cues.len() > 3000);
        assert!(r.roles.contains("chef de l'état"));
        assert_eq!(r.class("a"), AUX);
        eprintln!("QuoteRules::new: {:?}", t.elapsed());
    }

    #[test]
    fn edited_cue_lemmas_are_inflected() {
        // A lemma the inflection table lacks is conjugated like `affirmer`; a lemma left out
        // of the list is no cue any more.
        let r = QuoteRules::from_texts(
            "# test\nmurmurer\npréciser\n",
            CUE_VERBS,
            ROLES,
            QUOTE_RULES,
        );
        for form in [
            "murmure",
            "murmuré",
            "murmurait",
            "murmurant",
            "précise",
            "précisa",
        ] {
            assert!(r.is_cue_form(form), "{form}");
        }
        assert!(!r.is_cue_form("déclare"));
        assert!(QuoteRules::new().is_cue_form("souhaite"));
    }

    #[test]
    fn marks_pair_and_nest() {
        let q = run("Il a dit : « Je cite “ceci” et ‹ cela › ».\n", "", "");
        assert_eq!(q.len(), 1);
        assert_eq!(q[0].text, "Je cite “ceci” et ‹ cela ›");
        let q = run("Il a dit \"bonjour\" puis \"au revoir\".\n", "", "");
        let texts: Vec<&str> = q.iter().map(|q| q.text.as_str()).collect();
        assert_eq!(texts, ["bonjour", "au revoir"]);
        let q = run(
            "Il a dit «\u{202F}oui\u{202F}» et «\u{a0}non\u{a0}».\n",
            "",
            "",
        );
        let texts: Vec<&str> = q.iter().map(|q| q.text.as_str()).collect();
        assert_eq!(texts, ["oui", "non"]);
        // A stray opener does not swallow the quotes after it.
        let q = run("Il parle « de tout et « de rien » ici.\n", "", "");
        assert_eq!(q.len(), 1);
        assert_eq!(q[0].text, "de rien");
    }

    #[test]
    fn offsets_are_code_points() {
        let text = "Élisabeth Borne a déclaré : « Ça été très dur »\n";
        let q = run(text, "Élisabeth Borne|f|", "");
        assert_eq!(q.len(), 1);
        let chars: Vec<char> = text.chars().collect();
        let got: String = chars[q[0].start..q[0].end].iter().collect();
        assert_eq!(got, "Ça été très dur");
        let m = q[0].speaker_mention.as_ref().unwrap();
        assert_eq!(m.text, "Élisabeth Borne");
        assert_eq!((m.start, m.end), (0, 15));
        assert_eq!(q[0].kind, "full");
    }

    #[test]
    fn inverted_cue_and_pronoun() {
        let text = "Sergueï Lavrov a répondu que c'était à Pyongyang de décider. « Nous partons du principe », a-t-il dit.\n";
        let q = run(text, SEED_PEOPLE, SEED_ORGS);
        assert_eq!(q.len(), 1);
        assert_eq!(q[0].speaker.as_deref(), Some("Sergueï Lavrov"));
        assert_eq!(q[0].cue.as_deref(), Some("a-t-il dit"));
        assert_eq!(q[0].speaker_mention.as_ref().unwrap().text, "il");
    }

    #[test]
    fn no_panic_on_odd_input() {
        for text in [
            "«",
            "»",
            "« »",
            "\"",
            "\"\"\"",
            "é«é»é",
            "« a-t-il",
            "a-t-il dit »",
            "selon",
            "d'",
            "Pour",
            "« x », selon",
            "« x », a",
            "« x », a-t-elle",
            ": « x »",
            "“",
            "‹ « » ›",
            "« « « » » »",
            "L'opération « X »",
            "dite « y »",
            "«\u{202F}»",
            "« é »\n\n« ü",
        ] {
            let _ = run(text, "X Y|m|;Zoé|f|", "Tass|media");
        }
    }

    #[test]
    fn linear_on_hostile_input() {
        let many_open = "« ".repeat(100_000);
        let many_pairs = "« a » ".repeat(50_000);
        let many_closers = "« ".repeat(50_000) + &"” ".repeat(50_000);
        let mixed = "Il a dit « oui », a-t-il dit, selon lui. ".repeat(5_000);
        for text in [many_open, many_pairs, many_closers, mixed] {
            let doc = parse(&text);
            let (p, o) = entities(&doc, "Jean Dupont|m|", "");
            let rules = QuoteRules::new();
            let t = std::time::Instant::now();
            let q = extract_quotes(&doc, &p, &o, &rules);
            let el = t.elapsed();
            eprintln!("{} bytes, {} quotes in {el:?}", text.len(), q.len());
            // Debug builds are some 20 times slower than release ones.
            let limit = if cfg!(debug_assertions) { 5_000 } else { 500 };
            assert!(el.as_millis() < limit, "{} quotes in {el:?}", q.len());
        }
    }

    /// The seed dispatch with its people and organisations built by hand, written as a system
    /// file for `score_quotes.py`; scored here when the shared evaluation tools are present.
    #[test]
    fn seed_dispatch() {
        let text = include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/samples/afp-lavrov-wonsan.txt"
        ));
        let q = run(text, SEED_PEOPLE, SEED_ORGS);
        let out = serde_json::json!({"id": "afp-lavrov-wonsan", "quotes": q});
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target");
        let _ = std::fs::create_dir_all(&dir);
        let path = dir.join("quotes-seed-system.json");
        std::fs::write(&path, serde_json::to_string_pretty(&out).unwrap()).unwrap();
        for x in &q {
            eprintln!(
                "{:?} {:?} | {:?} | {:?} | {:?} | {:?}",
                x.zone, x.kind, x.text, x.speaker, x.cue, x.channel
            );
        }
        let gold = std::path::Path::new("/work/shared/eval/seed-gold-dates-quotes.json");
        let scorer = std::path::Path::new("/work/shared/eval/tools/score_quotes.py");
        if gold.exists() && scorer.exists() {
            let res = std::process::Command::new("python3")
                .arg(scorer)
                .arg(gold)
                .arg(&path)
                .arg("--json")
                .output();
            if let Ok(res) = res
                && res.status.success()
            {
                let v: serde_json::Value = serde_json::from_slice(&res.stdout).unwrap();
                eprintln!("{v}");
                assert_eq!(v["attributed"]["f1"].as_f64(), Some(1.0), "{v}");
            }
        }
    }

    /// `tests/corpus/quotes.tsv`: hand-written AFP-style examples, one expected quote a row.
    #[test]
    fn corpus_table() {
        let table = include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/corpus/quotes.tsv"
        ));
        let rules = QuoteRules::new();
        let (mut passed, mut failed) = (0, 0);
        for (n, line) in table.lines().enumerate() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let f: Vec<&str> = line.split('\t').collect();
            assert!(f.len() >= 4, "line {}: {} columns", n + 1, f.len());
            let text = f[0].replace("\\n", "\n");
            let doc = parse(&text);
            let (p, o) = entities(
                &doc,
                f.get(4).copied().unwrap_or(""),
                f.get(5).copied().unwrap_or(""),
            );
            let got = extract_quotes(&doc, &p, &o, &rules);
            let want = |s: &str| (s != "-").then(|| s.to_string());
            let ok = if f[1] == "-" {
                got.is_empty()
            } else {
                got.iter()
                    .any(|q| q.text == f[1] && q.speaker == want(f[2]) && q.cue == want(f[3]))
            };
            if ok {
                passed += 1;
            } else {
                failed += 1;
                let found: Vec<String> = got
                    .iter()
                    .map(|q| format!("[{} | {:?} | {:?}]", q.text, q.speaker, q.cue))
                    .collect();
                eprintln!(
                    "FAIL line {}: want [{} | {} | {}], got {}",
                    n + 1,
                    f[1],
                    f[2],
                    f[3],
                    found.join(" ")
                );
            }
        }
        eprintln!("{passed} passed, {failed} failed");
        assert!(passed >= 40, "{passed} rows");
        assert_eq!(failed, 0);
    }
}
