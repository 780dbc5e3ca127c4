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
//!
//! One file per pass: `marks.rs` (spans, titles of works, naming terms), `cues.rs` (cues),
//! `frames.rs` (the cue of a quote and its subject), `resolution.rs` (names, noun phrases,
//! pronouns and roles to entities), `continuation.rs` (quotes without a frame); this file holds
//! the shared types, the word classes loaded from data, the driver and the output. The tokens
//! are not made here: the passes read the document's token layer (`parse/tokens.rs`).

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use crate::model::{Document, Organization, Person, Quote, Span, SpeakerMention, Zone};
use crate::parse::tokens::{TextLayer, TextToken, elision_split, normalised};

mod continuation;
mod cues;
mod frame_table;
mod frames;
mod marks;
mod resolution;

use continuation::continue_speakers;
pub use frame_table::{FrameExample, FrameRow, QuoteFrame, QuoteFrames};
use marks::{blocks, find_marks};
use resolution::build_refs;

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
/// The head of a role held by a head of state (`président`, `roi`): `le chef de l'Etat` is
/// the person introduced with it.
const STATEHEAD: u32 = 1 << 17;

/// How far the attribution scans look, in tokens: bounds keep the cost linear.
const BACK_TOKENS: usize = 80;
const SUBJECT_TOKENS: usize = 40;
const AFTER_TOKENS: usize = 14;

/// The rule tables are the lexicons' string tables: keys borrowed from the data texts (no
/// allocation per row), hashed with their cheap word hash.
type RuleMap<V> = crate::extract::lexicon::StrMap<V>;
type RuleSet = crate::extract::lexicon::StrSet;

/// Cue verbs, role words and the small word classes of `quote_rules.tsv`, built once.
pub struct QuoteRules {
    /// Inflected form → lemma, for the lemmas of `cue_lemmas.txt`.
    cues: cues::CueForms,
    /// Role forms, lowercase, elided words joined (`chef de l'état`).
    roles: RuleSet,
    role_max_words: usize,
    classes: RuleMap<u32>,
    /// Multi-word adverbials allowed inside a cue group (`a de son côté dénoncé`).
    adverbials: RuleSet,
    phrase_max_words: usize,
}

impl Default for QuoteRules {
    fn default() -> QuoteRules {
        QuoteRules::new()
    }
}

/// The first two columns of each data line, split in place (a Vec per row cost more than
/// the tables).
fn data_rows(text: &str) -> impl Iterator<Item = (&str, Option<&str>)> {
    data_lines(text).map(|l| {
        let mut cols = l.split('\t');
        (cols.next().unwrap_or(""), cols.next())
    })
}

/// The lines of a rule file that are neither comments nor blank.
fn data_lines(text: &str) -> impl Iterator<Item = &str> {
    crate::resources::lines(text).filter(|l| !l.starts_with('#') && !l.trim().is_empty())
}

impl QuoteRules {
    /// The rules compiled into the binary.
    pub fn new() -> QuoteRules {
        QuoteRules::from_texts(CUE_LEMMAS, CUE_VERBS, ROLES, QUOTE_RULES)
    }

    /// The rules from the texts of `cue_lemmas.txt`, `cue_verbs.tsv` (the inflection source),
    /// `roles.tsv` and `quote_rules.tsv`, so that an edited copy works through `--data`.
    pub fn from_texts(
        cue_lemmas: &'static str,
        cue_verbs: &'static str,
        roles_text: &'static str,
        quote_rules: &'static str,
    ) -> QuoteRules {
        let cues = cues::CueForms::new(cue_lemmas, cue_verbs);
        let mut roles = RuleSet::with_capacity(data_lines(roles_text).count());
        let mut role_max_words = 1;
        for (role, _) in data_rows(roles_text) {
            let words = norm_words(role);
            role_max_words = role_max_words.max(words.len());
            roles.insert(join_words(&words));
        }
        let mut classes = RuleMap::with_capacity(data_lines(quote_rules).count());
        let mut adverbials = RuleSet::with_capacity(16);
        let mut phrase_max_words = 1;
        for (form, cls) in data_rows(quote_rules) {
            let Some(cls) = cls else {
                continue;
            };
            if form.contains(' ') {
                if cls == "adv" {
                    let words = norm_words(form);
                    phrase_max_words = phrase_max_words.max(words.len());
                    adverbials.insert(join_words(&words));
                }
                continue;
            }
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
                    "statehead" => STATEHEAD,
                    _ => 0,
                };
            }
            classes.insert(form, bits);
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

    fn is(&self, tok: &Tok<'_>, class: u32) -> bool {
        tok.word() && self.class(tok.low) & class != 0
    }

    fn is_cue_form(&self, low: &str) -> bool {
        self.cues.lemma(low).is_some()
    }
}

/// Lowercase words of a phrase, elisions split off (`chef de l'Etat` → chef, de, l', etat).
fn norm_words(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    for w in s.split_whitespace() {
        let w = normalised(w);
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
    for w in words {
        push_word(&mut s, w.as_ref());
    }
    s
}

/// Appends `w` to a phrase as [`join_words`] joins it: a space before it, unless the phrase
/// is empty or ends with an elided word.
fn push_word(phrase: &mut String, w: &str) {
    if !phrase.is_empty() && !phrase.ends_with('\'') {
        phrase.push(' ');
    }
    phrase.push_str(w);
}

/// The [`join_words`] keys of the first 1, 2, … of `words`, as prefixes of one buffer:
/// `ends[k - 1]` is where the key of the first `k` words ends. The role and adverbial tables
/// are probed with every length from one start; a joined `String` per length cost two
/// allocations each.
fn joined_prefixes<'w>(words: impl Iterator<Item = &'w str>) -> (String, Vec<usize>) {
    let mut phrase = String::new();
    let mut ends = Vec::new();
    for w in words {
        push_word(&mut phrase, w);
        ends.push(phrase.len());
    }
    (phrase, ends)
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

/// A token of the document's layer (`parse/tokens.rs`) as the passes read it: its normalised
/// form borrowed from the layer, so that building the view allocates one vector only, and its
/// offsets as `u32` with the two flags in their top bits, as the layer keeps them: 24 bytes,
/// as the view has one per token of the text.
#[derive(Debug, Clone)]
struct Tok<'a> {
    /// Lowercase, `’` as `'`; the character itself for punctuation.
    low: &'a str,
    /// Start in the text, with [`TOK_WORD`] in the top bit.
    from: u32,
    /// End in the text, with [`TOK_UPPER`] in the top bit.
    to: u32,
}

/// Top bit of [`Tok::from`]: a word, not punctuation.
const TOK_WORD: u32 = 1 << 31;
/// Top bit of [`Tok::to`]: opens with an upper-case letter.
const TOK_UPPER: u32 = 1 << 31;

impl<'a> Tok<'a> {
    fn of_layer(layer: &'a TextLayer, t: &TextToken) -> Tok<'a> {
        // The layer's offsets are below MAX_TEXT_LEN, so the top bits are free.
        Tok {
            low: layer.low(t),
            from: t.start() as u32 | if t.is_word() { TOK_WORD } else { 0 },
            to: t.end() as u32 | if t.is_upper() { TOK_UPPER } else { 0 },
        }
    }

    /// Byte offset in the text where the token starts.
    fn start(&self) -> usize {
        (self.from & !TOK_WORD) as usize
    }

    /// Byte offset in the text just after the token.
    fn end(&self) -> usize {
        (self.to & !TOK_UPPER) as usize
    }

    /// A word, not punctuation.
    fn word(&self) -> bool {
        self.from & TOK_WORD != 0
    }

    /// Opens with an upper-case letter.
    fn upper(&self) -> bool {
        self.to & TOK_UPPER != 0
    }
}

/// The layer's tokens that lie in the blocks (the dateline and credit have none here), and
/// each block's range of token indices.
fn block_tokens<'a>(layer: &'a TextLayer, blocks: &[Block]) -> (Vec<Tok<'a>>, Vec<Range<usize>>) {
    let all = &layer.tokens;
    let mut toks = Vec::with_capacity(all.len());
    let mut block_toks = Vec::with_capacity(blocks.len());
    for b in blocks {
        let first = all.partition_point(|t| t.start() < b.range.start);
        let from = toks.len();
        let inside = all[first..].iter().take_while(|t| t.start() < b.range.end);
        toks.extend(inside.map(|t| Tok::of_layer(layer, t)));
        block_toks.push(from..toks.len());
    }
    (toks, block_toks)
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

// ---------------------------------------------------------------------------------------------
// The extractor

struct Ctx<'a> {
    text: &'a str,
    people: &'a [Person],
    orgs: &'a [Organization],
    rules: &'a QuoteRules,
    toks: Vec<Tok<'a>>,
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

/// A quotation being attributed: its marks, where it stands, and what the passes found.
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
    let (toks, block_toks) = block_tokens(&doc.layer, &blocks);
    let mut in_quote = vec![false; toks.len()];
    {
        let mut qi = 0;
        for (ti, t) in toks.iter().enumerate() {
            while qi < raws.len() && raws[qi].close_end <= t.start() {
                qi += 1;
            }
            if qi < raws.len() && raws[qi].open <= t.start() {
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

    continue_speakers(&ctx, &blocks, &mut items, text);

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
                    Via::Selon => QuoteFrame::Selon.via(),
                    Via::Colon => QuoteFrame::Colon.via(),
                    Via::Continuation => QuoteFrame::Continuation.via(),
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
    let first = normalised(m.split_whitespace().next().unwrap_or(""));
    let first = match elision_split(&first) {
        Some(k) => first[..k].to_string(),
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
        (Some(c), Some(m)) if m.start >= c.start => QuoteFrame::Inverted.via(),
        (Some(c), Some(m))
            if text
                .get(m.end..c.start)
                .is_some_and(|between| between.contains(',')) =>
        {
            QuoteFrame::Apposition.via()
        }
        _ => QuoteFrame::Subject.via(),
    }
}

/// Lowercase words of four letters or more.
fn content_words(s: &str) -> HashSet<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 4)
        .map(str::to_lowercase)
        .collect()
}

impl Ctx<'_> {
    fn tok_index(&self, pos: usize) -> usize {
        self.toks.partition_point(|t| t.start() < pos)
    }

    fn tok(&self, i: usize) -> Option<&Tok<'_>> {
        self.toks.get(i)
    }

    fn is(&self, i: usize, class: u32) -> bool {
        self.tok(i).is_some_and(|t| self.rules.is(t, class))
    }

    fn low(&self, i: usize) -> &str {
        self.tok(i).map_or("", |t| t.low)
    }

    fn ref_at(&self, pos: usize) -> Option<&Ref> {
        let k = self.refs.partition_point(|r| r.range.start <= pos);
        let r = self.refs.get(k.checked_sub(1)?)?;
        (pos < r.range.end).then_some(r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Mention;
    use crate::resources::Resources;

    #[test]
    fn a_token_of_the_view_is_24_bytes_and_keeps_its_flags() {
        // The view has one per token of the text: see issue 11.
        assert_eq!(std::mem::size_of::<Tok>(), 24);
        let text = "« Oui »";
        let layer = TextLayer::of_ranges(text, std::iter::once(0..text.len()));
        let toks: Vec<Tok> = layer
            .tokens
            .iter()
            .map(|t| Tok::of_layer(&layer, t))
            .collect();
        let oui = &toks[1];
        assert!(oui.word() && oui.upper() && !toks[0].word() && !toks[0].upper());
        assert_eq!((oui.start(), oui.end(), oui.low), (3, 6, "oui"));
    }

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
