//! Loading of the data files (lexicon, fragments, rules) and compilation of the rules.
//!
//! All rules of `data/patterns/dates-rules.tsv` are compiled into ONE multi-pattern regex
//! (`regex_automata::meta::Regex::new_many`, no capture groups): pattern k is
//! `GUARD(?:rule)GUARD` where GUARD consumes the non-letter character before (after) the rule,
//! or matches at the start (end) of the text. Matching is leftmost-first and, at a given start,
//! the pattern listed first wins, so the order of the rules in the file is their priority. The
//! scan (a dense DFA, anchored at each candidate start) returns the span AND the pattern that
//! produced it; only that rule's own anchored regex (compiled on first use, small) is then run
//! on the span for capture groups.
//!
//! Start-up: determinising the combined automaton costs far more than analysing a dispatch, so
//! `build.rs` compiles this module, builds the automaton of the embedded rules at build time
//! ([`prepare`], [`scan_automaton`]) and the binary embeds it; rules given with `--data` are
//! checked and compiled at load (about 0.1 s).
//!
//! Compile speed: the rule language is Unicode-flavoured (`\s`, `\d`, `\p{L}`, classes with
//! `'`/`’`, accented literals), but every regex is translated by [`bytes_syntax`] into
//! non-Unicode, byte-level syntax before compilation: `\s` becomes an explicit alternation of
//! the UTF-8 encodings of the White_Space characters, `\d` becomes `[0-9]`, `\p{L}` a Latin
//! letter, the word guards explicit UTF-8 byte ranges. Unicode classes cost ~25 µs each to
//! compile (there are ~400 `\s` in the rules); the byte forms match the same text (the
//! haystack is valid UTF-8) and compile ~10x faster. The scan runs on the case-folded text
//! ([`fold_case`]), so no regex needs `(?i)`.

/// The lexicon's and the fragments' tables hash with the lexicons' word hash (their keys come
/// from our data files; SipHash cost more than the rest of their filling).
type HashMap<K, V> =
    std::collections::HashMap<K, V, std::hash::BuildHasherDefault<super::word_hash::WordHasher>>;

use crate::resources::{DataError, data_lines};
use regex_automata::dfa::{Automaton, StartKind, dense};
use regex_automata::nfa::thompson;
use regex_automata::nfa::thompson::backtrack::{self, BoundedBacktracker};
use regex_automata::nfa::thompson::pikevm::{self, PikeVM};
use regex_automata::util::captures::Captures;
use regex_automata::util::pool::Pool;
use regex_automata::{Anchored, Input};

pub(crate) const LEXICON: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/data/patterns/dates-lexicon.tsv"
));
pub(crate) const FRAGMENTS: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/data/patterns/dates-fragments.tsv"
));
pub(crate) const RULES: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/data/patterns/dates-rules.tsv"
));
pub(crate) const WORDS: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/data/patterns/dates-words.tsv"
));

/// Paths of the date data files under `data/` (as in `resources::EMBEDDED` and error messages).
pub const LEXICON_FILE: &str = "patterns/dates-lexicon.tsv";
pub const FRAGMENTS_FILE: &str = "patterns/dates-fragments.tsv";
pub const RULES_FILE: &str = "patterns/dates-rules.tsv";
pub const WORDS_FILE: &str = "patterns/dates-words.tsv";

/// The contents of the four date data files.
#[derive(PartialEq, Eq)]
pub struct DateSources<'a> {
    pub lexicon: &'a str,
    pub fragments: &'a str,
    pub rules: &'a str,
    pub words: &'a str,
}

impl DateSources<'static> {
    /// The files embedded in the binary.
    pub fn embedded() -> DateSources<'static> {
        DateSources {
            lexicon: LEXICON,
            fragments: FRAGMENTS,
            rules: RULES,
            words: WORDS,
        }
    }
}

fn parse_error(file: &str, line: usize, message: impl Into<String>) -> DataError {
    DataError::Parse {
        file: file.to_string(),
        line,
        message: message.into(),
    }
}

/// Lower-cases, maps ’ to ', and collapses whitespace (including no-break spaces) to one space.
/// The date lexicon's keys and word lists are normalised with it at load, and per article
/// only what a rule captured is (a substring of the scan's haystack, not a token: `14 h`,
/// `deux  mille`), through [`normed`], which copies nothing when it is normal already. It is not
/// the layer's normaliser because this file is also compiled alone by `build.rs`, and the
/// layer's does not collapse spaces.
pub(crate) fn norm(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            if !space && !out.is_empty() {
                out.push(' ');
            }
            space = true;
            continue;
        }
        space = false;
        match c {
            '’' | 'ʼ' | '`' => out.push('\''),
            _ => out.extend(c.to_lowercase()),
        }
    }
    while out.ends_with(' ') {
        out.pop();
    }
    out
}

/// [`norm`] without a copy when `s` is already normal, as most lookups and captures are (a
/// lower-case word, numbers, single spaces between words).
pub(crate) fn normed(s: &str) -> std::borrow::Cow<'_, str> {
    if is_normal(s) {
        std::borrow::Cow::Borrowed(s)
    } else {
        std::borrow::Cow::Owned(norm(s))
    }
}

/// Whether [`norm`] leaves `s` as it is.
fn is_normal(s: &str) -> bool {
    let mut after_space = true;
    for c in s.chars() {
        if c.is_whitespace() {
            if c != ' ' || after_space {
                return false;
            }
            after_space = true;
            continue;
        }
        after_space = false;
        let lower = if c.is_ascii() {
            !c.is_ascii_uppercase() && c != '`'
        } else {
            let mut l = c.to_lowercase();
            !matches!(c, '’' | 'ʼ') && l.next() == Some(c) && l.next().is_none()
        };
        if !lower {
            return false;
        }
    }
    !after_space || s.is_empty()
}

pub(crate) struct Lexicon {
    maps: HashMap<String, HashMap<String, String>>,
    lists: HashMap<String, Vec<String>>,
    /// Word lists of the tense detection (`dates-words.tsv`).
    pub words: TenseWords,
}

impl Lexicon {
    /// The lexicon of `src`; its word lists (what the fragments are made of) only `with_lists`:
    /// a start with the build script's digest expands no fragment.
    fn parse(src: &str, words: TenseWords, with_lists: bool) -> Result<Lexicon, DataError> {
        let mut maps: HashMap<String, HashMap<String, String>> = HashMap::default();
        let mut lists: HashMap<String, Vec<String>> = HashMap::default();
        for (lineno, line) in data_lines(src) {
            let mut it = line.split('\t');
            let (Some(cat), Some(word), Some(val), None) =
                (it.next(), it.next(), it.next(), it.next())
            else {
                return Err(parse_error(
                    LEXICON_FILE,
                    lineno,
                    "expected 3 tab-separated columns: category, word, value",
                ));
            };
            // The category is copied once, not at every line.
            if !maps.contains_key(cat) {
                maps.insert(cat.to_string(), HashMap::default());
            }
            if let Some(map) = maps.get_mut(cat) {
                map.insert(normed(word).into_owned(), val.to_string());
            }
            if with_lists {
                lists
                    .entry(cat.to_string())
                    .or_default()
                    .push(word.to_string());
            }
        }
        Ok(Lexicon { maps, lists, words })
    }

    /// Value of `word` (normalised) in `cat`.
    pub(crate) fn get(&self, cat: &str, word: &str) -> Option<&str> {
        self.maps
            .get(cat)?
            .get(normed(word).as_ref())
            .map(String::as_str)
    }

    fn fragment(&self, cat: &str) -> Option<String> {
        let words = self.lists.get(cat)?;
        let mut words: Vec<&String> = words.iter().collect();
        words.sort_by(|a, b| b.chars().count().cmp(&a.chars().count()).then(a.cmp(b)));
        words.dedup();
        let alts: Vec<String> = words
            .iter()
            .map(|w| {
                w.split(' ')
                    .map(regex_syntax::escape)
                    .collect::<Vec<_>>()
                    .join(r"\s+")
            })
            .collect();
        Some(format!("(?:{})", alts.join("|")))
    }
}

/// The word lists of the tense detection (`dates-words.tsv`, one `category word` a line):
/// which words mark a future or a past in the sentence of a bare weekday.
#[derive(Debug, Default)]
pub(crate) struct TenseWords {
    /// Future and prospective markers: `sera`, `doit`, `prévu`, `demain`...
    pub future: Vec<String>,
    /// Present of avoir: the auxiliary of the passé composé (`a annoncé`).
    pub avoir_present: Vec<String>,
    /// Nouns of the locutions `avoir lieu`, `avoir besoin`... (present, not passé composé).
    pub avoir_locution: Vec<String>,
    /// Past markers: `avait`, `était`, `hier`, `s'est`...
    pub past: Vec<String>,
    /// Endings of the future and conditional (`-ra`, `-ront`, `-rait`...).
    pub future_suffix: Vec<String>,
    /// Words with a future ending that are not verbs (`opéra`, `très`...).
    pub not_future: Vec<String>,
    /// Endings of the imperfect and passé simple (`-ait`, `-èrent`...).
    pub past_suffix: Vec<String>,
    /// Words with a past ending that are not verbs (`fait`, `palais`...).
    pub not_past: Vec<String>,
    /// Participles of verbs conjugated with être (`est arrivé` is a passé composé).
    pub etre_participle: Vec<String>,
    /// Conditional auxiliaries (`aurait`, `serait`): with a participle, a conditional perfect,
    /// which reports a past fact (`aurait été tué`), not a future.
    pub conditional_aux: Vec<String>,
    /// Endings of past participles (`-é`, `-i`, `-u`...), after a conditional auxiliary.
    pub participle_suffix: Vec<String>,
    /// Endings of a past participle used as an adjective right before a timex (`les mesures
    /// annoncées mercredi`): the event is past.
    pub adjacent_participle_suffix: Vec<String>,
    /// Determiners: a word in `-é`/`-ée` after one is a noun (`la journée`), not a participle.
    pub determiner: Vec<String>,
    /// Words that open a subordinate clause (`que`, `qu'`, `si`): the tense of a weekday is
    /// not read beyond them after it.
    pub clause_start: Vec<String>,
}

impl TenseWords {
    fn parse(src: &str) -> Result<TenseWords, DataError> {
        let mut w = TenseWords::default();
        for (lineno, line) in data_lines(src) {
            let (Some((cat, word)), false) =
                (line.split_once('\t'), line.matches('\t').count() > 1)
            else {
                return Err(parse_error(
                    WORDS_FILE,
                    lineno,
                    "expected 2 tab-separated columns: category, word",
                ));
            };
            let list = match cat {
                "future" => &mut w.future,
                "avoir_present" => &mut w.avoir_present,
                "avoir_locution" => &mut w.avoir_locution,
                "past" => &mut w.past,
                "future_suffix" => &mut w.future_suffix,
                "not_future" => &mut w.not_future,
                "past_suffix" => &mut w.past_suffix,
                "not_past" => &mut w.not_past,
                "etre_participle" => &mut w.etre_participle,
                "conditional_aux" => &mut w.conditional_aux,
                "participle_suffix" => &mut w.participle_suffix,
                "clause_start" => &mut w.clause_start,
                "adjacent_participle_suffix" => &mut w.adjacent_participle_suffix,
                "determiner" => &mut w.determiner,
                other => {
                    return Err(parse_error(
                        WORDS_FILE,
                        lineno,
                        format!(
                            "unknown category {other:?} (future, avoir_present, avoir_locution, \
                             past, future_suffix, not_future, past_suffix, not_past, \
                             etre_participle, conditional_aux, participle_suffix, clause_start, \
                             adjacent_participle_suffix, determiner)"
                        ),
                    ));
                }
            };
            list.push(normed(word).into_owned());
        }
        Ok(w)
    }
}

/// The value resolver of a rule (first word of the `value` column), checked at load: a
/// misspelt or renamed resolver is a load error, not a rule that silently never fires.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Resolver {
    Date,
    Month,
    Year,
    Decade,
    Century,
    Rel,
    Quarter,
    Half,
    Season,
    Weekend,
    Ago,
    In,
    Dur,
    Set,
    Clock,
    Part,
    Weekday,
    Anchor,
    Holiday,
    Lit,
    /// Negative rules: no value.
    None,
}

impl Resolver {
    const ALL: [(&'static str, Resolver); 21] = [
        ("date", Resolver::Date),
        ("month", Resolver::Month),
        ("year", Resolver::Year),
        ("decade", Resolver::Decade),
        ("century", Resolver::Century),
        ("rel", Resolver::Rel),
        ("quarter", Resolver::Quarter),
        ("half", Resolver::Half),
        ("season", Resolver::Season),
        ("weekend", Resolver::Weekend),
        ("ago", Resolver::Ago),
        ("in", Resolver::In),
        ("dur", Resolver::Dur),
        ("set", Resolver::Set),
        ("clock", Resolver::Clock),
        ("part", Resolver::Part),
        ("weekday", Resolver::Weekday),
        ("anchor", Resolver::Anchor),
        ("holiday", Resolver::Holiday),
        ("lit", Resolver::Lit),
        ("none", Resolver::None),
    ];

    fn parse(name: &str) -> Option<Resolver> {
        Self::ALL.iter().find(|(n, _)| *n == name).map(|(_, r)| *r)
    }

    fn names() -> String {
        Self::ALL.map(|(n, _)| n).join(", ")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RuleKind {
    Date,
    Time,
    Duration,
    Set,
    Auto,
    None,
}

#[derive(Debug, Clone)]
pub(crate) enum ModSpec {
    None,
    Lit(&'static str),
    Group(String),
}

#[derive(Debug)]
pub(crate) struct Rule {
    /// Read by the examples test (and in `Debug` output).
    #[allow(dead_code)]
    pub name: String,
    pub kind: RuleKind,
    pub func: Resolver,
    pub args: Vec<(String, String)>,
    pub modifier: ModSpec,
    /// Capture index of the whole rule body (without its guards) in `regex()`.
    pub group: usize,
    /// Capture index of the extent group `t`, if any.
    pub extent: Option<usize>,
    /// Conventional group name -> capture index (in `regex()`).
    pub groups: Vec<(String, usize)>,
    /// Source of this rule's own regex, anchored at the start and with its guards.
    source: String,
    /// The build script's NFA of that regex (see [`capture_codes`]), for the embedded rules.
    prebuilt: Option<&'static [u8]>,
    compiled: std::sync::OnceLock<Option<CaptureRegex>>,
}

impl Rule {
    /// This rule alone, anchored, with its named groups; compiled on first use. Like the
    /// combined regex it runs on the case-folded text (see [`fold_case`]).
    /// Its syntax was checked at load (see [`compile`]), so `None` cannot happen in practice.
    fn regex(&self) -> Option<&CaptureRegex> {
        self.compiled
            .get_or_init(|| {
                let replayed = self
                    .prebuilt
                    .and_then(|code| super::nfa_code::decode(code).ok());
                match replayed {
                    Some(nfa) => CaptureRegex::from_nfa(nfa).ok(),
                    // A start with the build script's digest keeps no source (see
                    // `prepare_from_digest`): nothing to compile.
                    None if self.source.is_empty() => None,
                    None => CaptureRegex::build(&self.source).ok(),
                }
            })
            .as_ref()
    }

    /// Capture groups of this rule's match at the start of `span` (None if it does not match).
    pub(crate) fn captures(&self, span: &str) -> Option<Captures> {
        self.regex()?
            .captures(&Input::new(span).anchored(Anchored::Yes))
    }

    /// The NFA replayed from the build script's code, as its `Debug` text (for the test that
    /// compares it with the one compiled from the source, see [`compiled_nfa`]).
    #[cfg(test)]
    pub(crate) fn replayed_nfa(&self) -> Option<String> {
        replayed_nfa(self.prebuilt)
    }

    pub(crate) fn arg(&self, key: &str) -> Option<&str> {
        self.args
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// The TimeML mods this module can produce, as static strings.
pub(crate) fn static_mod(s: &str) -> Option<&'static str> {
    const MODS: [&str; 12] = [
        "START",
        "MID",
        "END",
        "APPROX",
        "MORE_THAN",
        "LESS_THAN",
        "EQUAL_OR_MORE",
        "EQUAL_OR_LESS",
        "BEFORE",
        "AFTER",
        "ON_OR_BEFORE",
        "ON_OR_AFTER",
    ];
    MODS.iter().copied().find(|m| *m == s)
}

pub(crate) struct Compiled {
    /// All rules, pattern k = rule `order[k]` (priority order), without capture groups.
    scan: Scan,
    /// Bytes that may start a match (see [`Compiled::find_at`]): 1 = yes, 2 = the first byte
    /// of a character of `keep`.
    starts: [u8; 256],
    /// Bytes that may follow a left guard (first bytes of the rules).
    follow: [bool; 256],
    pub order: Vec<usize>,
    pub rules: Vec<Rule>,
    pub lex: Lexicon,
    /// Regexes of the second pass (see `resolve::complete`), made on first use: from the
    /// build script's NFA for the embedded rules (see [`capture_codes`]), else compiled from
    /// their source.
    aux: [AuxRegex; AUX_COUNT],
    /// Non-ASCII non-word characters used by the rules (see [`fold_case`]).
    pub keep: Vec<char>,
}

/// The regexes of the second pass (ranges and enumerations), run on the case-folded text.
#[derive(Clone, Copy)]
pub(crate) enum Aux {
    /// `^\s*(?:-|à|au|et|ou)\s*MONTH` continuation after a month ("mars-avril").
    ContMonth = 0,
    /// `^\s*(?:-|à|et|ou)\s*YEAR` continuation after a year ("entre 1990 et 1999").
    ContYear = 1,
    /// `(?:du|entre le|...) N (?:au|et) $` before a dated timex ("du 19 au 23 juillet").
    RangeDay = 2,
    /// `(?:de|entre) N (?:à|et) $` before a duration ("de 8 à 24 mois").
    RangeNum = 3,
}

impl Compiled {
    /// Leftmost-first match at or after `from`: (start, end, index in `rules`).
    pub(crate) fn find_at(&self, hay: &str, from: usize) -> Option<(usize, usize, usize)> {
        // A match starts with a consumed non-word character (the left guard, or the
        // punctuation of a rule with its own left boundary), or at the start of the text: the
        // leftmost match is the first such position where the anchored search matches (the
        // forward DFA alone, no reverse search).
        let bytes = hay.as_bytes();
        let mut p = from;
        if p == 0 {
            if let Some((end, k)) = self.scan.anchored_match(hay, 0) {
                return Some((0, end, self.order[k]));
            }
            p = 1;
        }
        while p < bytes.len() {
            // Length of the non-word character at p (0: not a candidate).
            let len = match self.starts[bytes[p] as usize] {
                0 => 0,
                3 => usize::MAX,
                1 => 1,
                _ => hay
                    .get(p..)
                    .and_then(|r| r.chars().next())
                    .filter(|c| self.keep.contains(c))
                    .map_or(0, char::len_utf8),
            };
            // After a guard, the next byte must be able to start a rule.
            let ok = len == usize::MAX
                || (len > 0 && bytes.get(p + len).is_none_or(|&b| self.follow[b as usize]));
            if ok && let Some((end, k)) = self.scan.anchored_match(hay, p) {
                return Some((p, end, self.order[k]));
            }
            p += 1;
        }
        None
    }

    /// Captures of an auxiliary regex in `hay` (unanchored search).
    pub(crate) fn aux(&self, which: Aux, hay: &str) -> Option<Captures> {
        // Checked at load (see [`compile`]).
        self.aux[which as usize].regex()?.captures(&Input::new(hay))
    }

    /// The replayed NFAs of the second-pass regexes, as `Debug` texts (see
    /// [`Rule::replayed_nfa`]).
    #[cfg(test)]
    pub(crate) fn replayed_aux_nfas(&self) -> Vec<Option<String>> {
        self.aux.iter().map(|a| replayed_nfa(a.prebuilt)).collect()
    }
}

#[cfg(test)]
impl Compiled {
    /// What a load made of the rules, but their regexes, as text (for the test that compares
    /// the start with the build script's digest with the full load).
    pub(crate) fn summary(&self) -> String {
        let rules: Vec<String> = self
            .rules
            .iter()
            .map(|r| {
                format!(
                    "{} {:?} {:?} {:?} {:?} {} {:?} {:?}",
                    r.name, r.kind, r.func, r.args, r.modifier, r.group, r.extent, r.groups
                )
            })
            .collect();
        let mut maps: Vec<String> = self
            .lex
            .maps
            .iter()
            .flat_map(|(cat, m)| m.iter().map(move |(k, v)| format!("{cat} {k} {v}")))
            .collect();
        maps.sort();
        format!(
            "{rules:#?}\n{:?}\n{:?}\n{:?}\n{:?}\n{maps:?}\n{:?}",
            self.order, self.keep, self.starts, self.follow, self.lex.words
        )
    }
}

/// How many regexes the second pass has (see [`Aux`]).
const AUX_COUNT: usize = 4;

/// A regex of the second pass: its source, the build script's NFA of it for the embedded
/// rules, and the regex made from either on first use.
struct AuxRegex {
    source: String,
    prebuilt: Option<&'static [u8]>,
    compiled: std::sync::OnceLock<Option<CaptureRegex>>,
}

impl AuxRegex {
    fn regex(&self) -> Option<&CaptureRegex> {
        self.compiled
            .get_or_init(|| {
                match self
                    .prebuilt
                    .and_then(|code| super::nfa_code::decode(code).ok())
                {
                    Some(nfa) => CaptureRegex::from_nfa(nfa).ok(),
                    None if self.source.is_empty() => None,
                    None => CaptureRegex::build(&self.source).ok(),
                }
            })
            .as_ref()
    }
}

/// The NFA replayed from a build script's code, as its `Debug` text.
#[cfg(test)]
fn replayed_nfa(code: Option<&'static [u8]>) -> Option<String> {
    code.and_then(|c| super::nfa_code::decode(c).ok())
        .map(|n| format!("{n:?}"))
}

/// The NFA compiled from a capture regex's source, as its `Debug` text.
#[cfg(test)]
pub(crate) fn compiled_nfa(source: &str) -> Option<String> {
    capture_nfa(source).ok().map(|n| format!("{n:?}"))
}

/// Word characters of the guards: ASCII letters and digits, ª ² ³ µ ¹ º, U+00C0-U+024F except
/// × and ÷, U+1D00-U+1DBF, U+1E00-U+1EFF (the Latin scripts).
pub(crate) fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(c as u32,
            0xAA | 0xB2 | 0xB3 | 0xB5 | 0xB9 | 0xBA | 0xC0..=0xD6 | 0xD8..=0xF6 | 0xF8..=0x24F
            | 0x1D00..=0x1DBF | 0x1E00..=0x1EFF)
}

/// The haystack of all the regexes: `text` with the same byte offsets, lower-cased where that
/// keeps the UTF-8 length (ASCII, and Latin-1 capitals À..Þ except ×), every non-ASCII
/// White_Space character (no-break spaces...) replaced by as many ASCII spaces as it has bytes,
/// and every other non-ASCII character that is neither a word character ([`is_word`]) nor used
/// by a rule (`keep`, e.g. ’ and –) replaced by as many `#`. The regexes then need no
/// Unicode classes: `\s` is `[\t-\r ]` (all `\s` of the rules are repeated, `\s+` / `\s*`,
/// so two spaces for one U+00A0 match the same), and a non-word character is an ASCII one
/// or one of `keep` (see [`Compiled`]). Without capitals or such characters the text is
/// borrowed.
pub(crate) fn fold_case<'t>(text: &'t str, keep: &[char]) -> std::borrow::Cow<'t, str> {
    let bytes = text.as_bytes();
    if !bytes.iter().any(|b| b.is_ascii_uppercase() || *b >= 0x80) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = bytes.to_vec();
    out.make_ascii_lowercase();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] < 0x80 {
            i += 1;
            continue;
        }
        // `i` is the first byte of a non-ASCII character (ASCII bytes are skipped one by one
        // and continuation bytes with their lead byte).
        let Some(c) = text.get(i..).and_then(|r| r.chars().next()) else {
            i += 1;
            continue;
        };
        let len = c.len_utf8();
        if c.is_whitespace() {
            out[i..i + len].fill(b' ');
        } else if is_word(c) {
            // À..Þ (not ×) -> à..þ: 0xC3 0x80..0x9E -> 0xC3 0xA0..0xBE.
            if bytes[i] == 0xC3 && (0x80..=0x9E).contains(&bytes[i + 1]) && bytes[i + 1] != 0x97 {
                out[i + 1] += 0x20;
            }
        } else if !keep.contains(&c) {
            out[i..i + len].fill(b'#');
        }
        i += len;
    }
    // Only whole characters were replaced, by ASCII or by characters of the same length.
    let out = String::from_utf8(out).unwrap_or_else(|_| text.to_string());
    debug_assert_eq!(out.len(), text.len());
    std::borrow::Cow::Owned(out)
}

/// An ASCII non-word character.
const NW_ASCII: &str = r"[\x00-/:-@\[-`{-\x7F]";
/// An ASCII non-word character other than `.` and `,`.
const NW_ASCII_NOPUNCT: &str = r"[\x00-+\-/:-@\[-`{-\x7F]";
/// A Latin letter (what `\p{L}` means in the rule files).
const LETTER: &str = r"a-zA-Z\u{AA}\u{B5}\u{BA}\u{C0}-\u{D6}\u{D8}-\u{F6}\u{F8}-\u{24F}\u{1D00}-\u{1DBF}\u{1E00}-\u{1EFF}";
/// `\s` on the haystack of [`fold_case`].
const WS: &str = r"\t-\r ";

/// Translates the rule language (see the file headers) for the haystack of [`fold_case`]:
/// `\s` -> `[\t-\r ]`, `\d` -> `[0-9]`, `\p{L}` -> a Latin letter, and `'` / `’` match both.
/// Unicode classes are the slow part of compiling (~25-50 µs each, there are ~400 `\s`).
pub(crate) fn cheap_syntax(src: &str) -> Result<String, String> {
    let mut out = String::with_capacity(src.len() + 64);
    let chars: Vec<char> = src.chars().collect();
    let mut i = 0;
    let mut in_class = false;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' => {
                let Some(&d) = chars.get(i + 1) else {
                    return Err(format!("trailing backslash in {src}"));
                };
                let (open, close) = if in_class { ("", "") } else { ("[", "]") };
                match d {
                    // One U+00A0 is two spaces in the haystack: only `\s+` and `\s*` match the
                    // same there as on the original text.
                    's' if in_class || !matches!(chars.get(i + 2), Some('+' | '*')) => {
                        return Err(format!("\\s must be repeated (\\s+ or \\s*) in {src}"));
                    }
                    's' => out.push_str(&format!("{open}{WS}{close}")),
                    'd' => out.push_str(&format!("{open}0-9{close}")),
                    'p' if chars.get(i + 2) == Some(&'{') => {
                        let end = (i + 3..chars.len())
                            .find(|&k| chars[k] == '}')
                            .ok_or_else(|| format!("unclosed escape in {src}"))?;
                        let body: String = chars[i + 3..end].iter().collect();
                        if body != "L" {
                            return Err(format!("unsupported \\p{{{body}}} in {src}"));
                        }
                        out.push_str(&format!("{open}{LETTER}{close}"));
                        i = end + 1;
                        continue;
                    }
                    'S' | 'D' | 'w' | 'W' | 'b' | 'B' | 'p' | 'P' => {
                        return Err(format!("unsupported \\{d} in {src}"));
                    }
                    _ => {
                        out.push('\\');
                        out.push(d);
                    }
                }
                i += 2;
                continue;
            }
            '[' if !in_class => {
                in_class = true;
                out.push(c);
                if chars.get(i + 1) == Some(&'^') {
                    return Err(format!("negated class in {src} (not supported)"));
                }
                // A `]` first in a class is a literal.
                if chars.get(i + 1) == Some(&']') {
                    out.push(']');
                    i += 1;
                }
            }
            ']' if in_class => {
                in_class = false;
                out.push(c);
            }
            '\'' | '’' => {
                if in_class {
                    out.push_str("'’");
                } else {
                    out.push_str("['’]");
                }
            }
            _ => out.push(c),
        }
        i += 1;
    }
    Ok(out)
}

/// The Thompson NFA of one capture regex (a rule's own regex or a second-pass one).
fn capture_nfa(src: &str) -> Result<thompson::NFA, String> {
    thompson::Compiler::new()
        .configure(thompson::Config::new().nfa_size_limit(Some(64 << 20)))
        .build(src)
        .map_err(|e| e.to_string())
}

/// The NFAs of the rules' own regexes (see [`Rule`]), in rule order, for the build script:
/// a word with the number of rules, then for each its length in words and its code (see
/// `nfa_code`), all little-endian.
#[allow(dead_code)] // Called by build.rs and the tests only.
pub(crate) fn capture_codes(p: &Prepared) -> Result<Vec<u8>, DataError> {
    let code = |source: &str| {
        capture_nfa(source)
            .ok()
            .and_then(|n| super::nfa_code::encode(&n))
    };
    let mut words = vec![(p.sources.len() + AUX_COUNT) as u32];
    for (raw, source) in p.raws.iter().zip(&p.sources) {
        let code = code(source)
            .ok_or_else(|| parse_error(RULES_FILE, raw.line, "regex does not compile alone"))?;
        words.push(code.len() as u32);
        words.extend(code);
    }
    // Then the second pass's regexes, which the seed's dates need too (two of them cost
    // about 1.8 M instructions to parse and compile at run time).
    for source in p.aux_sources() {
        let code = code(&source).ok_or_else(|| {
            parse_error(
                LEXICON_FILE,
                0,
                "a range rule of the second pass does not compile",
            )
        })?;
        words.push(code.len() as u32);
        words.extend(code);
    }
    Ok(super::nfa_code::to_bytes(&words))
}

/// What the run time needs of the rules' expanded regexes when it has the build script's
/// automaton and NFAs: the characters of `keep` on the first line, then each rule's group
/// names, one line a rule. With it a start neither expands the fragments nor translates the
/// rules (about 5 M instructions; see [`prepare_from_digest`]).
#[allow(dead_code)] // Called by build.rs and the tests only.
pub(crate) fn digest(p: &Prepared) -> String {
    let mut out: String = p.keep.iter().collect();
    out.push('\n');
    for raw in &p.raws {
        out.push_str(&raw.groups.join(" "));
        out.push('\n');
    }
    out
}

/// Each rule's slice of the build script's [`capture_codes`], then each second-pass regex's;
/// `None` when they do not fit `rules` rules (a build of other rules).
fn split_capture_codes(bytes: &'static [u8], rules: usize) -> Option<Vec<&'static [u8]>> {
    let rules = rules + AUX_COUNT;
    let word = |at: usize| -> Option<usize> {
        let w: [u8; 4] = bytes.get(at..at + 4)?.try_into().ok()?;
        Some(u32::from_le_bytes(w) as usize)
    };
    if word(0)? != rules {
        return None;
    }
    let mut at = 4;
    let mut out = Vec::with_capacity(rules);
    for _ in 0..rules {
        let len = word(at)? * 4;
        out.push(bytes.get(at + 4..at + 4 + len)?);
        at += 4 + len;
    }
    (at == bytes.len()).then_some(out)
}

/// Makes a PikeVM's search cache (see [`CaptureRegex`]).
type MakeCache = Box<dyn Fn() -> pikevm::Cache + Send + Sync>;
/// Makes a bounded backtracker's search cache (see [`CaptureRegex`]).
type MakeTrackerCache = Box<dyn Fn() -> backtrack::Cache + Send + Sync>;

/// One regex (Unicode syntax, but only cheap classes) with its capture groups, searched by a
/// bounded backtracker, or a PikeVM when the haystack is too long for it: both need only the
/// forward NFA, several times cheaper to build than a `meta::Regex` (reverse NFA, prefilter,
/// one-pass DFA), and report the same match and groups (`meta::Regex` picks either by the
/// haystack's length). The spans of the rules are a few words long: the backtracker's cache
/// is a bitset of the NFA's states times the span's length, a few kilobytes, where a PikeVM's
/// holds every capture slot of every state, hundreds of kilobytes of fresh pages for a rule
/// with the number-word fragments (about 130 page faults on the seed, a sixth of the
/// process's). The search caches are pooled: making one at every call cost more than the
/// search itself (6 % of all instructions).
struct CaptureRegex {
    tracker: BoundedBacktracker,
    tracker_caches: Pool<backtrack::Cache, MakeTrackerCache>,
    vm: PikeVM,
    caches: Pool<pikevm::Cache, MakeCache>,
}

impl CaptureRegex {
    fn build(src: &str) -> Result<CaptureRegex, String> {
        CaptureRegex::from_nfa(capture_nfa(src)?)
    }

    fn from_nfa(nfa: thompson::NFA) -> Result<CaptureRegex, String> {
        let tracker = BoundedBacktracker::new_from_nfa(nfa.clone()).map_err(|e| e.to_string())?;
        let for_tracker = tracker.clone();
        let make_tracker: MakeTrackerCache = Box::new(move || for_tracker.create_cache());
        let vm = PikeVM::new_from_nfa(nfa).map_err(|e| e.to_string())?;
        let for_caches = vm.clone();
        let make: MakeCache = Box::new(move || for_caches.create_cache());
        Ok(CaptureRegex {
            tracker,
            tracker_caches: Pool::new(make_tracker),
            vm,
            caches: Pool::new(make),
        })
    }

    /// The capture groups of the first match in `input`, if any.
    fn captures(&self, input: &Input) -> Option<Captures> {
        let mut caps = self.vm.create_captures();
        let tracked = input.get_span().len() <= self.tracker.max_haystack_len()
            && self
                .tracker
                .try_search(&mut self.tracker_caches.get(), input, &mut caps)
                .is_ok();
        if !tracked {
            self.vm.search(&mut self.caches.get(), input, &mut caps);
        }
        caps.is_match().then_some(caps)
    }
}

impl std::fmt::Debug for CaptureRegex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.vm.fmt(f)
    }
}

/// Replaces `{name}` placeholders (names start with a letter) recursively.
fn expand(src: &str, frags: &HashMap<String, String>, depth: usize) -> Result<String, String> {
    if depth > 8 {
        return Err(format!("fragment recursion too deep in {src}"));
    }
    let mut out = String::with_capacity(src.len());
    let mut rest = src;
    while let Some(i) = rest.find('{') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let name_len = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(after.len());
        let name = &after[..name_len];
        let is_placeholder = name.starts_with(|c: char| c.is_ascii_alphabetic())
            && after[name_len..].starts_with('}');
        // A `{` escaped by a backslash is a literal.
        if is_placeholder && !out.ends_with('\\') && !out.ends_with("\\p") && !out.ends_with("\\P")
        {
            let body = frags
                .get(name)
                .ok_or_else(|| format!("unknown fragment {{{name}}}"))?;
            out.push_str(&expand(body, frags, depth + 1)?);
            rest = &after[name_len + 1..];
        } else {
            out.push('{');
            rest = after;
        }
    }
    out.push_str(rest);
    Ok(out)
}

/// Turns `(?P<name>` into `(?:` and returns the names, in order.
fn strip_groups(src: &str) -> (String, Vec<String>) {
    let mut out = String::with_capacity(src.len());
    let mut names = Vec::new();
    let mut rest = src;
    while let Some(i) = rest.find("(?P<") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 4..];
        let end = after.find('>').unwrap_or(0);
        names.push(after[..end].to_string());
        out.push_str("(?:");
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    (out, names)
}

/// One rule line of `dates-rules.tsv`, checked, before compilation.
struct RawRule {
    line: usize,
    name: String,
    kind: RuleKind,
    func: Resolver,
    args: Vec<(String, String)>,
    modifier: ModSpec,
    /// The rule carries its own left (right) boundary: it starts (ends) with punctuation.
    own_left: bool,
    own_right: bool,
    /// The regex, fragments expanded and translated by [`cheap_syntax`] (empty when the rules
    /// come with the build script's digest: see [`prepare_from_digest`]).
    body: String,
    /// The names of its capture groups, in order.
    groups: Vec<String>,
}

/// Named fragments: the lexicon categories (as alternations) and `dates-fragments.tsv`, each
/// fragment checked to expand (no unknown `{name}`).
fn load_fragments(lex: &Lexicon, src: &str) -> Result<HashMap<String, String>, DataError> {
    let mut frags: HashMap<String, String> = HashMap::default();
    for cat in lex.lists.keys() {
        if let Some(f) = lex.fragment(cat) {
            frags.insert(cat.clone(), f);
        }
    }
    let mut lines = Vec::new();
    for (lineno, line) in data_lines(src) {
        let Some((name, re)) = line.split_once('\t').filter(|(_, re)| !re.contains('\t')) else {
            return Err(parse_error(
                FRAGMENTS_FILE,
                lineno,
                "expected 2 tab-separated columns: name, regex",
            ));
        };
        frags.insert(name.to_string(), re.to_string());
        lines.push((lineno, name));
    }
    for (lineno, name) in lines {
        expand(&frags[name], &frags, 0).map_err(|e| parse_error(FRAGMENTS_FILE, lineno, e))?;
    }
    Ok(frags)
}

/// Parses and checks one line of `dates-rules.tsv` (all but the regex syntax, checked when
/// the rules are compiled together).
/// Without `frags` (a start with the build script's digest), the regex is neither expanded
/// nor checked: `body` and `groups` are left empty.
fn parse_rule(
    lineno: usize,
    line: &str,
    frags: Option<&HashMap<String, String>>,
) -> Result<RawRule, DataError> {
    let err = |m: String| parse_error(RULES_FILE, lineno, m);
    let cols: Vec<&str> = line.split('\t').collect();
    if !(5..=6).contains(&cols.len()) {
        return Err(err(format!(
            "expected 5 or 6 tab-separated columns (name, type, value, mod, regex, examples), \
             found {}",
            cols.len()
        )));
    }
    let kind = match cols[1] {
        "DATE" => RuleKind::Date,
        "TIME" => RuleKind::Time,
        "DURATION" => RuleKind::Duration,
        "SET" => RuleKind::Set,
        "AUTO" => RuleKind::Auto,
        "NONE" => RuleKind::None,
        other => {
            return Err(err(format!(
                "unknown type {other:?} (DATE, TIME, DURATION, SET, AUTO, NONE)"
            )));
        }
    };
    let mut parts = cols[2].split_whitespace();
    let func_name = parts.next().unwrap_or("none");
    let func = Resolver::parse(func_name).ok_or_else(|| {
        err(format!(
            "unknown resolver {func_name:?} ({})",
            Resolver::names()
        ))
    })?;
    if (kind == RuleKind::None) != (func == Resolver::None) {
        return Err(err(
            "type NONE and resolver none go together (a negative rule)".to_string(),
        ));
    }
    let mut args = Vec::new();
    for a in parts {
        let (k, v) = a
            .split_once('=')
            .ok_or_else(|| err(format!("argument {a:?} is not key=value")))?;
        args.push((k.to_string(), v.to_string()));
    }
    let modifier = match cols[3] {
        "" => ModSpec::None,
        m if m.starts_with('$') => ModSpec::Group(m[1..].to_string()),
        m => ModSpec::Lit(static_mod(m).ok_or_else(|| err(format!("unknown mod {m:?}")))?),
    };
    let (body, groups) = match frags {
        Some(frags) => {
            let body = expand(cols[4], frags, 0)
                .and_then(|e| cheap_syntax(&e))
                .map_err(err)?;
            let (_, names) = strip_groups(&body);
            if let Some(dup) = names
                .iter()
                .enumerate()
                .find(|(i, n)| names[..*i].contains(n))
            {
                return Err(err(format!("group {:?} named twice", dup.1)));
            }
            (body, names)
        }
        None => (String::new(), Vec::new()),
    };
    Ok(RawRule {
        line: lineno,
        name: cols[0].to_string(),
        kind,
        func,
        args,
        modifier,
        own_left: cols[4].starts_with('[') || cols[4].starts_with("\\("),
        own_right: cols[4].ends_with(']') || cols[4].ends_with("\\)"),
        body,
        groups,
    })
}

/// The first punctuation characters of the rules with their own left boundary.
fn own_left_chars(rules: &str) -> Vec<u8> {
    let mut out = Vec::new();
    for (_, line) in data_lines(rules) {
        let Some(re) = line.split('\t').nth(4) else {
            continue;
        };
        if re.starts_with('[') || re.starts_with("\\(") {
            let first = re
                .strip_prefix('[')
                .map_or("(", |r| r.split(']').next().unwrap_or(""));
            out.extend(first.bytes().filter(|b| b.is_ascii_punctuation()));
        }
    }
    out
}

/// The line of the first rule whose pattern does not compile alone (after the combined
/// compilation failed), with the error.
fn first_bad_rule(raws: &[RawRule], pats: &[String]) -> Option<DataError> {
    raws.iter().zip(pats).find_map(|(raw, pat)| {
        regex_syntax::Parser::new()
            .parse(pat)
            .err()
            .map(|e| parse_error(RULES_FILE, raw.line, format!("bad regex: {e}")))
    })
}

/// The date rules parsed and checked, with the patterns of the scan: everything but the
/// automaton. Shared by [`compile`] and the build script, which builds the automaton of the
/// embedded rules once, at build time (see [`scan_automaton`]).
pub(crate) struct Prepared {
    lex: Lexicon,
    raws: Vec<RawRule>,
    /// The regexes of the second pass, before the guard placeholders are filled in.
    aux_src: [String; 4],
    /// Non-ASCII characters of the rules that are not word characters (see [`fold_case`]).
    keep: Vec<char>,
    /// A non-word character, and one other than `.` and `,` (guards).
    nw: String,
    nwp: String,
    /// Pattern k of the scan is rule `order[k]`.
    order: Vec<usize>,
    /// Each rule anchored, with its guards and named groups, in rule order.
    sources: Vec<String>,
    /// The first bytes of the rules with their own left boundary.
    own_left: Vec<u8>,
}

/// Parses and checks the four date files and writes the patterns of the scan; every error
/// names its file and line. Regex syntax is checked when the automaton is built.
pub(crate) fn prepare(src: &DateSources) -> Result<Prepared, DataError> {
    let words = TenseWords::parse(src.words)?;
    let lex = Lexicon::parse(src.lexicon, words, true)?;
    let frags = load_fragments(&lex, src.fragments)?;
    let mut raws = Vec::new();
    for (lineno, line) in data_lines(src.rules) {
        raws.push(parse_rule(lineno, line, Some(&frags))?);
    }
    let aux_raw = [
        r"^(\s*(?:-|–|/|à|au|et|ou|puis)\s*)(?P<m>{month})(?:\s+(?P<y>{year4}))?(?:%NW%|$)",
        r"^(\s*(?:-|–|/|à|et|ou|puis)\s*)(?P<y>(?:19|20)\d\d)(?:%NWP%|[.,](?:%NOTDIGIT%|$)|$)",
        r"(?:^|%NW%)(?:du|entre\s+le|entre|les|le)\s+(?P<d>1er|3[01]|[12]\d|0?[1-9])\s*(?:au|et|-|à)\s+(?:le\s+)?$",
        r"(?:^|%NW%)(?:de|entre)\s+(?P<n>\d{1,4}|{numword})\s+(?:à|et)\s+$",
    ];
    let mut aux_src: [String; 4] = Default::default();
    for (dst, raw) in aux_src.iter_mut().zip(aux_raw) {
        // The range rules of the second pass need the fragments month, year4 and numword.
        *dst = expand(raw, &frags, 0)
            .and_then(|e| cheap_syntax(&e))
            .map_err(|e| parse_error(LEXICON_FILE, 0, format!("needed by the range rules: {e}")))?;
    }
    // Non-ASCII characters of the rules that are not word characters: the haystack keeps them
    // (see `fold_case`), so the guards must know them.
    let mut keep: Vec<char> = raws
        .iter()
        .map(|r| r.body.as_str())
        .chain(aux_src.iter().map(String::as_str))
        .flat_map(str::chars)
        .filter(|c| !c.is_ascii() && !is_word(*c) && !c.is_whitespace())
        .collect();
    keep.sort_unstable();
    keep.dedup();
    let (nw, nwp) = non_word_classes(&keep);
    let sources: Vec<String> = raws
        .iter()
        .map(|raw| {
            let (left, right) = guards(raw, &nw);
            format!("^{left}(?P<whole>{}){right}", raw.body)
        })
        .collect();
    Ok(Prepared {
        lex,
        order: priority_order(&raws),
        raws,
        aux_src,
        keep,
        nw,
        nwp,
        sources,
        own_left: own_left_chars(src.rules),
    })
}

/// The rules as the run time needs them when the build script made their automaton and NFAs
/// from these very files (the embedded ones): the columns parsed and checked, but the
/// fragments not expanded nor the regexes translated, the groups and `keep` read from the
/// build script's [`digest`]. No source is kept (the NFAs come from the build script).
/// `Ok(None)` when the digest does not fit the rules.
fn prepare_from_digest(src: &DateSources, digest: &str) -> Result<Option<Prepared>, DataError> {
    let words = TenseWords::parse(src.words)?;
    let lex = Lexicon::parse(src.lexicon, words, false)?;
    let mut lines = digest.lines();
    let Some(keep) = lines.next() else {
        return Ok(None);
    };
    let keep: Vec<char> = keep.chars().collect();
    let mut raws = Vec::new();
    for (lineno, line) in data_lines(src.rules) {
        let mut raw = parse_rule(lineno, line, None)?;
        let Some(groups) = lines.next() else {
            return Ok(None);
        };
        raw.groups = groups
            .split(' ')
            .filter(|g| !g.is_empty())
            .map(String::from)
            .collect();
        raws.push(raw);
    }
    if lines.next().is_some() {
        return Ok(None);
    }
    let (nw, nwp) = non_word_classes(&keep);
    Ok(Some(Prepared {
        lex,
        order: priority_order(&raws),
        sources: vec![String::new(); raws.len()],
        raws,
        aux_src: Default::default(),
        keep,
        nw,
        nwp,
        own_left: own_left_chars(src.rules),
    }))
}

/// A non-word character, and one other than `.` and `,`, for the guards: an ASCII one or one
/// of `keep`.
fn non_word_classes(keep: &[char]) -> (String, String) {
    let others: String = keep.iter().map(|c| format!("|{c}")).collect();
    (
        format!("(?:{NW_ASCII}{others})"),
        format!("(?:{NW_ASCII_NOPUNCT}{others})"),
    )
}

/// Priority order: the rules keep their file order inside each of the four guard classes
/// (shared left guard or not, shared right guard or not), as in the former single
/// alternation.
fn priority_order(raws: &[RawRule]) -> Vec<usize> {
    let mut order = Vec::with_capacity(raws.len());
    for class in [(false, false), (true, false), (false, true), (true, true)] {
        for (i, raw) in raws.iter().enumerate() {
            if (raw.own_left, raw.own_right) == class {
                order.push(i);
            }
        }
    }
    order
}

impl Prepared {
    /// Each rule's own regex, and the second pass's (for the tests of the replayed NFAs).
    #[cfg(test)]
    pub(crate) fn capture_sources(&self) -> (&[String], [String; AUX_COUNT]) {
        (&self.sources, self.aux_sources())
    }

    /// The regexes of the second pass with their guards filled in (empty after
    /// [`prepare_from_digest`], which keeps no source).
    fn aux_sources(&self) -> [String; AUX_COUNT] {
        self.aux_src.clone().map(|a| {
            a.replace("%NWP%", &self.nwp)
                .replace("%NW%", &self.nw)
                .replace("%NOTDIGIT%", "[^0-9]")
        })
    }
}

/// The left and right guards of a rule: a consumed non-word character (or the start or end of
/// the text), unless the rule carries its own boundary.
fn guards(raw: &RawRule, nw: &str) -> (String, String) {
    let left = if raw.own_left {
        String::new()
    } else {
        format!(r"(?:\A|{nw})")
    };
    let right = if raw.own_right {
        String::new()
    } else {
        format!(r"(?:{nw}|\z)")
    };
    (left, right)
}

/// The automaton of the scan: all rules in priority order, as one anchored, leftmost-first
/// dense DFA without capture groups (about 0.1 s to build, 4 MB). The build script builds and
/// serialises it for the embedded rules; [`compile`] builds it for rules given with `--data`.
pub(crate) fn scan_automaton(p: &Prepared) -> Result<dense::DFA<Vec<u32>>, DataError> {
    // Each rule with its guards and without capture groups, in rule order; only the
    // automaton needs them, so a start with the build script's automaton makes none.
    let alts: Vec<String> = p
        .raws
        .iter()
        .map(|raw| {
            let (left, right) = guards(raw, &p.nw);
            format!("{left}(?:{}){right}", strip_groups(&raw.body).0)
        })
        .collect();
    let pats: Vec<&str> = p.order.iter().map(|&i| alts[i].as_str()).collect();
    let last_line = p.raws.last().map_or(0, |r| r.line);
    dense::Builder::new()
        .configure(
            dense::Config::new()
                .match_kind(regex_automata::MatchKind::LeftmostFirst)
                .start_kind(StartKind::Anchored)
                .dfa_size_limit(Some(256 << 20))
                .determinize_size_limit(Some(256 << 20)),
        )
        .thompson(
            thompson::Config::new()
                .which_captures(thompson::WhichCaptures::None)
                .nfa_size_limit(Some(256 << 20)),
        )
        .build_many(&pats)
        .map_err(|e| {
            first_bad_rule(&p.raws, &alts)
                .unwrap_or_else(|| parse_error(RULES_FILE, last_line, e.to_string()))
        })
}

/// The scan automaton: the one the build script made from the embedded rules (borrowed from
/// the binary), or one built at load from rules given with `--data`.
enum Scan {
    Embedded(dense::DFA<&'static [u32]>),
    Built(dense::DFA<Vec<u32>>),
}

impl Scan {
    /// From the build script's bytes when given and readable (they are not on a big-endian
    /// machine), else built from the rules.
    fn new(p: &Prepared, prebuilt: Option<&'static [u8]>) -> Result<Scan, DataError> {
        // SAFETY: `prebuilt` is only ever the build script's bytes (`EMBEDDED_SCAN`, aligned),
        // serialised by the same regex-automata (one version in Cargo.lock) and checked by the
        // header (version, endianness, alignment) that the unchecked reader still reads. The
        // full check of every transition would cost more than analysing a dispatch at every
        // start; the test `embedded_scan_automaton_is_valid` runs it.
        if let Some((dfa, _)) =
            prebuilt.and_then(|b| unsafe { dense::DFA::from_bytes_unchecked(b) }.ok())
        {
            return Ok(Scan::Embedded(dfa));
        }
        Ok(Scan::Built(scan_automaton(p)?))
    }

    /// End and pattern of the leftmost-first match starting exactly at `at`.
    fn anchored_match(&self, hay: &str, at: usize) -> Option<(usize, usize)> {
        let input = Input::new(hay).range(at..).anchored(Anchored::Yes);
        let found = match self {
            Scan::Embedded(dfa) => dfa.try_search_fwd(&input),
            Scan::Built(dfa) => dfa.try_search_fwd(&input),
        };
        found
            .ok()
            .flatten()
            .map(|m| (m.offset(), m.pattern().as_usize()))
    }

    /// Bytes that keep the DFA alive after a guard (a space) in the middle of the text.
    fn follow_bytes(&self) -> [bool; 256] {
        match self {
            Scan::Embedded(dfa) => follow_bytes(dfa),
            Scan::Built(dfa) => follow_bytes(dfa),
        }
    }
}

/// What the build script made from the embedded date rules.
#[derive(Clone, Copy)]
pub(crate) struct Prebuilt {
    /// The scan automaton (see [`scan_automaton`]), aligned for its `u32` transitions.
    pub scan: &'static [u8],
    /// The NFAs of the rules' own regexes (see [`capture_codes`]).
    pub captures: &'static [u8],
    /// The groups and `keep` of the rules (see [`digest`]).
    pub digest: &'static str,
}

/// Loads, checks and compiles the date rules; every error names its file and line. `prebuilt`
/// is what the build script made from the embedded rules, given when `src` is those rules.
pub(crate) fn compile(
    src: &DateSources,
    prebuilt: Option<Prebuilt>,
) -> Result<Compiled, DataError> {
    let lines = data_lines(src.rules).count();
    let codes = prebuilt.and_then(|b| split_capture_codes(b.captures, lines));
    let light = match prebuilt {
        Some(b) if codes.is_some() => prepare_from_digest(src, b.digest)?,
        _ => None,
    };
    let (p, codes) = match light {
        Some(p) => (p, codes),
        None => (prepare(src)?, codes),
    };
    let scan = Scan::new(&p, prebuilt.map(|b| b.scan))?;
    let mut starts = [0u8; 256];
    for b in 0..128u8 {
        if !b.is_ascii_alphanumeric() {
            starts[b as usize] = 1;
        }
    }
    for c in &p.keep {
        let mut buf = [0u8; 4];
        starts[c.encode_utf8(&mut buf).as_bytes()[0] as usize] = 2;
    }
    // First characters of the rules with their own left boundary: always candidates.
    for &c in &p.own_left {
        starts[c as usize] = 3;
    }
    let follow = scan.follow_bytes();
    let mut aux_sources = p.aux_sources();
    let rules = p
        .raws
        .into_iter()
        .zip(p.sources)
        .enumerate()
        .map(|(i, (raw, source))| {
            // Group indices are those of the rule's own regex: `whole` is 1, then in order.
            let groups: Vec<(String, usize)> = raw
                .groups
                .into_iter()
                .enumerate()
                .map(|(k, n)| (n, k + 2))
                .collect();
            let extent = groups.iter().find(|(n, _)| n == "t").map(|(_, i)| *i);
            Rule {
                name: raw.name,
                kind: raw.kind,
                func: raw.func,
                args: raw.args,
                modifier: raw.modifier,
                group: 1,
                extent,
                groups,
                source,
                prebuilt: codes.as_ref().map(|c| c[i]),
                compiled: std::sync::OnceLock::new(),
            }
        })
        .collect();
    let aux_codes = codes.as_ref().map(|c| &c[c.len() - AUX_COUNT..]);
    let aux = std::array::from_fn(|k| AuxRegex {
        source: std::mem::take(&mut aux_sources[k]),
        prebuilt: aux_codes.map(|c| c[k]),
        compiled: std::sync::OnceLock::new(),
    });
    Ok(Compiled {
        scan,
        starts,
        follow,
        order: p.order,
        rules,
        aux,
        keep: p.keep,
        lex: p.lex,
    })
}

/// Bytes that keep the DFA alive after a guard (a space) in the middle of the text.
fn follow_bytes<A: Automaton>(dfa: &A) -> [bool; 256] {
    let mut follow = [true; 256];
    let input = Input::new("a ").range(1..).anchored(Anchored::Yes);
    if let Ok(s0) = dfa.start_state_forward(&input) {
        let s1 = dfa.next_state(s0, b' ');
        for (b, f) in follow.iter_mut().enumerate() {
            *f = !dfa.is_dead_state(dfa.next_state(s1, b as u8));
        }
    }
    follow
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The captures of `re` in `hay` as byte spans, group by group.
    fn spans(re: &CaptureRegex, hay: &str) -> Option<Vec<Option<(usize, usize)>>> {
        let caps = re.captures(&Input::new(hay))?;
        Some(
            (0..caps.group_len())
                .map(|g| caps.get_group(g).map(|s| (s.start, s.end)))
                .collect(),
        )
    }

    #[test]
    fn backtracker_and_pikevm_report_the_same_groups() {
        let re = CaptureRegex::build(r"(?P<n>[0-9]+)(?:\s*(?P<u>h|heures?))?(?P<x>a|ab)?").unwrap();
        let short = "vers 14 heures ab";
        // Too long for the backtracker: the PikeVM searches it.
        let long = format!("{}{short}", "-".repeat(re.tracker.max_haystack_len() + 1));
        assert!(long.len() > re.tracker.max_haystack_len());
        let found = spans(&re, short).unwrap();
        // Leftmost-first: `h` is tried before `heures`.
        assert_eq!(found, vec![Some((5, 9)), Some((5, 7)), Some((8, 9)), None]);
        let shifted = spans(&re, &long).unwrap();
        let offset = long.len() - short.len();
        let back: Vec<_> = shifted
            .iter()
            .map(|g| g.map(|(s, e)| (s - offset, e - offset)))
            .collect();
        assert_eq!(back, found);
        assert_eq!(spans(&re, "aucun chiffre"), None);
    }
}
