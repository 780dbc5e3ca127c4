//! Temporal expressions (TIMEX3) in French news text: extent, type, value, resolved value, mod.
//!
//! Rule based, HeidelTime style, with the rules as data (`data/patterns/`):
//! - `dates-lexicon.tsv`: month and weekday names, number words, units, parts of day, seasons,
//!   holidays, present/past/future reference words...
//! - `dates-fragments.tsv`: named regex fragments (`{day}`, `{year4}`, `{numword}`...).
//! - `dates-rules.tsv`: one rule a line: name, type, value resolver, mod, regex, examples.
//!
//! All rules are compiled into one automaton at build time (see [`patterns`]); a single left-to-right
//! scan finds the candidates, then [`resolve`] computes values against the reference date
//! (weekdays by the tense of the sentence, clock times anchored to the day named in the sentence).
//! The tense is read from the words of the document's token layer ([`Document::layer`]), not
//! from a tokenisation of its own; only the scan's haystack is a copy of the text
//! ([`patterns::fold_case`]).
//! Conventions follow French TimeBank 1.1: determiners inside the extent, prepositions outside,
//! `mod` for début/mi/fin/vers/plus de, PRESENT_REF/PAST_REF/FUTURE_REF typed TIME.

mod nfa_code;
mod patterns;
mod resolve;

use patterns::{Compiled, RuleKind};
pub use patterns::{DateSources, FRAGMENTS_FILE, LEXICON_FILE, RULES_FILE, WORDS_FILE};

use crate::model::Document;
use crate::parse::tokens::TextLayer;
use crate::resources::DataError;
/// The word hash of `patterns`' tables (`super::word_hash` there, also in `build.rs`).
use crate::resources::word_hash;

/// The date rules, loaded, checked and compiled (see [`DateRules::load`]); held by
/// `Resources` and shared by every article.
pub struct DateRules {
    compiled: Box<Compiled>,
}

impl Default for DateRules {
    fn default() -> Self {
        Self::new()
    }
}

impl DateRules {
    /// The rules embedded in the binary (checked by the tests, so this cannot fail).
    pub fn new() -> DateRules {
        match DateRules::load(&DateSources::embedded()) {
            Ok(r) => r,
            Err(e) => unreachable!("embedded date rules are checked by the tests: {e}"),
        }
    }

    /// Parses, checks and compiles the four date data files. Every error names its file and
    /// line: a bad regex, an unknown fragment, resolver, type or mod, a wrong column count.
    pub fn load(src: &DateSources) -> Result<DateRules, DataError> {
        // The embedded rules were checked and their automaton built by the build script;
        // other rules (`--data`) are checked and compiled here (about 0.1 s).
        let prebuilt = (*src == DateSources::embedded()).then_some(EMBEDDED_PREBUILT);
        Ok(DateRules {
            compiled: Box::new(patterns::compile(src, prebuilt)?),
        })
    }

    /// Number of pattern rules loaded from `dates-rules.tsv`.
    pub fn rule_count(&self) -> usize {
        self.compiled().rules.len()
    }

    fn compiled(&self) -> &Compiled {
        &self.compiled
    }
}

/// The scan automaton of the embedded date rules, made by `build.rs` (see
/// [`patterns::scan_automaton`]), aligned as the DFA's `u32` transitions need.
const EMBEDDED_SCAN: &[u8] = &ALIGNED_SCAN.bytes;

/// The NFAs of the embedded rules' own regexes and of the second pass's, made by `build.rs`
/// (see [`patterns::capture_codes`]).
const EMBEDDED_CAPTURES: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/dates-captures.nfa"));

/// The group names and guard characters of the embedded rules, written by `build.rs` (see
/// [`patterns::digest`]), so a start needs not expand and translate the rules.
const EMBEDDED_DIGEST: &str = include_str!(concat!(env!("OUT_DIR"), "/dates-digest.txt"));

/// Everything `build.rs` made from the embedded date rules.
const EMBEDDED_PREBUILT: patterns::Prebuilt = patterns::Prebuilt {
    scan: EMBEDDED_SCAN,
    captures: EMBEDDED_CAPTURES,
    digest: EMBEDDED_DIGEST,
};

#[repr(C)]
struct Aligned<B: ?Sized> {
    _align: [u32; 0],
    bytes: B,
}

static ALIGNED_SCAN: &Aligned<[u8]> = &Aligned {
    _align: [],
    bytes: *include_bytes!(concat!(env!("OUT_DIR"), "/dates-scan.dfa")),
};

/// TIMEX3 type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TimexType {
    Date,
    Time,
    Duration,
    Set,
}

impl TimexType {
    /// "DATE", "TIME", "DURATION" or "SET".
    pub fn as_str(self) -> &'static str {
        match self {
            TimexType::Date => "DATE",
            TimexType::Time => "TIME",
            TimexType::Duration => "DURATION",
            TimexType::Set => "SET",
        }
    }
}

impl std::fmt::Display for TimexType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One temporal expression.
#[derive(Debug, Clone, PartialEq)]
pub struct Timex {
    /// Byte offset of the first byte (a char boundary).
    pub start: usize,
    /// Byte offset after the last byte (exclusive).
    pub end: usize,
    pub kind: TimexType,
    /// TIMEX3 value as written, underspecified where the text is: `XXXX-WXX-6`, `XXXX-06`,
    /// `2024-08`, `P1.5M`, `PXY`, `PRESENT_REF`, `XXXX-XX-XXT14:30`.
    pub value: String,
    /// Absolute value against the reference date when one is given (`2025-07-12`, `2025-W28`,
    /// `2025-07-12T14:30`); durations, sets and *_REF values are copied unchanged. `None` when
    /// no reference date was given.
    pub resolved: Option<String>,
    /// TimeML mod: START, MID, END, APPROX, MORE_THAN, LESS_THAN, EQUAL_OR_MORE, EQUAL_OR_LESS.
    pub modifier: Option<&'static str>,
}

/// Finds the temporal expressions of a standalone `text` (no [`crate::model::Document`]):
/// each line is a paragraph, cut into sentences by the document's splitter
/// ([`crate::parse::sentences::split`]) and tokenised by the document's tokenizer
/// ([`TextLayer::of_ranges`]). Sorted by position and non-overlapping. `reference` is the
/// document date (dateline or metadata); without it `resolved` is `None`.
pub fn find_dates(
    res: &crate::resources::Resources,
    text: &str,
    reference: Option<jiff::civil::Date>,
) -> Vec<Timex> {
    let sentences = standalone_sentences(res, text);
    let layer = TextLayer::of_ranges(text, sentences.clone());
    let spans = sentence_cover(text, sentences);
    find_dates_traced(&res.dates, text, &layer, &spans, reference, &mut |_| {})
}

/// The sentences of a text without a document: each line a paragraph.
fn standalone_sentences(
    res: &crate::resources::Resources,
    text: &str,
) -> Vec<std::ops::Range<usize>> {
    let mut ranges = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        ranges.extend(crate::parse::sentences::split(
            text,
            start..start + line.len(),
            res,
        ));
        start += line.len();
    }
    ranges
}

/// Finds the temporal expressions of `doc`. Its segments (sentences, title, heading,
/// dateline) are the spans in which the tense of a weekday, the year and day of a clock time
/// are looked for; the tense words are read from its token layer ([`Document::layer`]).
pub fn find_dates_in(
    rules: &DateRules,
    doc: &Document,
    reference: Option<jiff::civil::Date>,
) -> Vec<Timex> {
    let segments = doc.layer.segments.iter().map(|s| s.segment.range.clone());
    let spans = sentence_cover(&doc.text, segments);
    find_dates_traced(rules, &doc.text, &doc.layer, &spans, reference, &mut |_| {})
}

/// Sorted, disjoint spans covering the whole text: the given sentence ranges, and between them
/// (title, dateline, credit, the spaces between sentences) one span per line, so that every
/// byte belongs to exactly one span.
fn sentence_cover(
    text: &str,
    ranges: impl IntoIterator<Item = std::ops::Range<usize>>,
) -> Vec<(usize, usize)> {
    let mut ranges: Vec<_> = ranges
        .into_iter()
        .filter(|r| r.start < r.end && r.end <= text.len())
        .collect();
    ranges.sort_by_key(|r| (r.start, r.end));
    let mut out = Vec::with_capacity(2 * ranges.len() + 1);
    let mut pos = 0;
    let gap = |out: &mut Vec<(usize, usize)>, from: usize, to: usize| {
        let mut s = from;
        for i in memchr::memchr_iter(b'\n', &text.as_bytes()[from..to]) {
            out.push((s, from + i + 1));
            s = from + i + 1;
        }
        if s < to {
            out.push((s, to));
        }
    };
    for r in ranges {
        // Overlapping ranges cannot come from the parser; keep the first.
        if r.start < pos {
            continue;
        }
        gap(&mut out, pos, r.start);
        out.push((r.start, r.end));
        pos = r.end;
    }
    gap(&mut out, pos, text.len());
    if out.is_empty() {
        out.push((0, text.len()));
    }
    out
}

/// [`find_dates_in`], calling `fired` with the index (in `dates-rules.tsv` order) of every rule
/// whose match is kept: a candidate timex, or the text a negative rule consumes. The examples
/// test uses it to check that each rule fires on its own examples.
fn find_dates_traced(
    rules: &DateRules,
    text: &str,
    layer: &TextLayer,
    sentences: &[(usize, usize)],
    reference: Option<jiff::civil::Date>,
    fired: &mut dyn FnMut(usize),
) -> Vec<Timex> {
    let c = rules.compiled();
    let words: Vec<std::cell::OnceCell<resolve::SentWords>> = sentences
        .iter()
        .map(|_| std::cell::OnceCell::new())
        .collect();
    let mut cands: Vec<resolve::Cand> = Vec::new();
    // The one copy of the text the dates make: the automaton scans bytes of a smaller alphabet
    // (case-folded, odd spaces and symbols mapped) at the text's byte offsets, across token
    // and segment boundaries, so the layer's tokens cannot stand in for it.
    let folded = patterns::fold_case(text, &c.keep);
    let hay: &str = &folded;
    // All spans of one leftmost-first scan, each with the position its search started from:
    // `find_at(p)` returns span k for any p in [origin_k, start_k], so the loop below reuses
    // them and only searches again after a rejection or an extent shorter than its match.
    // The next search starts on the match's last character when it is the consumed right
    // guard (a space, a comma...), as the main loop does after an extent without context.
    let mut spans: Vec<(usize, (usize, usize, usize))> = Vec::new();
    let mut origin = 0;
    while origin <= hay.len() {
        let Some(m) = c.find_at(hay, origin) else {
            break;
        };
        spans.push((origin, m));
        let last = hay[m.0..m.1].chars().next_back();
        let mut next = m.1;
        if let Some(ch) = last
            && !ch.is_alphanumeric()
            && m.1 - ch.len_utf8() > m.0
        {
            next = m.1 - ch.len_utf8();
        }
        origin = next.max(origin + 1);
        while origin < hay.len() && !hay.is_char_boundary(origin) {
            origin += 1;
        }
    }
    let mut k = 0;
    let mut pos = 0usize;
    while pos <= text.len() {
        while k < spans.len() && spans[k].1.0 < pos {
            k += 1;
        }
        let (m_start, m_end, rule_idx) = match spans.get(k) {
            Some(&(o, m)) if o <= pos => m,
            _ => match c.find_at(hay, pos) {
                Some(m) => m,
                None => break,
            },
        };
        let span = &hay[m_start..m_end];
        // The scan reports the rule (pattern) that produced the span; its own anchored regex
        // gives the groups.
        let rule = &c.rules[rule_idx];
        let Some(caps) = rule.captures(span) else {
            // Cannot happen (same regex, anchored on its own match); skip one char.
            pos = m_start + 1;
            while pos < text.len() && !text.is_char_boundary(pos) {
                pos += 1;
            }
            continue;
        };
        let off = m_start;
        let Some(whole) = caps.get_group(rule.group) else {
            break;
        };
        let whole = (off + whole.start, off + whole.end);
        let (start, end) = match rule.extent.and_then(|i| caps.get_group(i)) {
            Some(t) => (off + t.start, off + t.end),
            None => whole,
        };
        // Next search position: after the extent (context after it is scanned again), or after
        // the whole match for a negative rule; always make progress.
        let mut next = if rule.kind == RuleKind::None {
            whole.1
        } else {
            end
        };
        if next <= pos {
            next = pos + text[pos..].chars().next().map_or(1, char::len_utf8);
        }
        if rule.kind == RuleKind::None {
            fired(rule_idx);
        }
        if rule.kind != RuleKind::None && start < end {
            let groups = resolve::Groups {
                caps: &caps,
                hay: span,
                rule,
                offset: off,
            };
            let ctx = resolve::Ctx {
                text,
                folded: hay,
                lex: &c.lex,
                reference,
                sentences,
                layer,
                words: &words,
            };
            match resolve::resolve(&ctx, &groups, start, end, &cands) {
                Some(cand) => {
                    fired(rule_idx);
                    cands.push(cand);
                }
                None => {
                    // Rejected (e.g. a year followed by a noun): retry just after the match start.
                    let s = whole.0;
                    next = s + text[s..].chars().next().map_or(1, char::len_utf8);
                    next = next.max(pos + 1);
                    while !text.is_char_boundary(next.min(text.len())) {
                        next += 1;
                    }
                }
            }
        }
        pos = next;
    }
    let ctx = resolve::Ctx {
        text,
        folded: hay,
        lex: &c.lex,
        reference,
        sentences,
        layer,
        words: &words,
    };
    resolve::complete(&ctx, c, &mut cands);
    resolve::finish(&ctx, &mut cands);
    cands.into_iter().map(|c| c.timex).collect()
}

/// Raw scan of the combined regex (benchmark helper): number of spans.
#[doc(hidden)]
pub fn raw_scan_count(rules: &DateRules, text: &str) -> usize {
    let c = rules.compiled();
    let folded = patterns::fold_case(text, &c.keep);
    let (mut n, mut pos) = (0, 0);
    while let Some((_, e, _)) = c.find_at(&folded, pos) {
        n += 1;
        pos = e.max(pos + 1);
        while pos < folded.len() && !folded.is_char_boundary(pos) {
            pos += 1;
        }
        if pos > folded.len() {
            break;
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every embedded rule and second-pass regex gets its NFA from the build script's code,
    /// and the replayed NFA is the one its regex compiles to (same states, same ids, same
    /// groups).
    #[test]
    fn replayed_nfas_equal_the_compiled_ones() {
        let compiled =
            patterns::compile(&DateSources::embedded(), Some(EMBEDDED_PREBUILT)).unwrap();
        let prepared = patterns::prepare(&DateSources::embedded()).unwrap();
        let (sources, aux_sources) = prepared.capture_sources();
        assert_eq!(compiled.rules.len(), sources.len());
        for (rule, source) in compiled.rules.iter().zip(sources) {
            let replayed = rule.replayed_nfa();
            assert!(replayed.is_some(), "{}: no replayed NFA", rule.name);
            assert!(
                replayed == patterns::compiled_nfa(source),
                "{}: the replayed NFA differs",
                rule.name
            );
        }
        for (k, (replayed, source)) in compiled
            .replayed_aux_nfas()
            .into_iter()
            .zip(aux_sources)
            .enumerate()
        {
            assert!(replayed.is_some(), "aux {k}: no replayed NFA");
            assert!(
                replayed == patterns::compiled_nfa(&source),
                "aux {k}: the replayed NFA differs"
            );
        }
    }

    /// A start with the build script's digest reads the rules as the full load does: same
    /// rules, groups, priority order, guard characters and lexicon.
    #[test]
    fn the_digest_start_reads_the_rules_as_the_full_load() {
        let light = patterns::compile(&DateSources::embedded(), Some(EMBEDDED_PREBUILT)).unwrap();
        // Without the digest, the rules are expanded and translated as for `--data`.
        let without = patterns::Prebuilt {
            digest: "",
            ..EMBEDDED_PREBUILT
        };
        let full = patterns::compile(&DateSources::embedded(), Some(without)).unwrap();
        assert_eq!(light.summary(), full.summary());
        assert!(light.rules.len() > 50 && !light.keep.is_empty());
        assert!(light.rules.iter().any(|r| r.extent.is_some()));
    }

    /// The build script's automaton passes the full check that start-up skips, and is the
    /// automaton of the embedded rules as they are now (byte for byte).
    #[test]
    fn embedded_scan_automaton_is_valid() {
        use regex_automata::dfa::dense;
        assert!(dense::DFA::from_bytes(EMBEDDED_SCAN).is_ok());
        let prepared = patterns::prepare(&DateSources::embedded()).unwrap();
        let built = patterns::scan_automaton(&prepared).unwrap();
        let (bytes, padding) = built.to_bytes_little_endian();
        assert!(bytes[padding..] == *EMBEDDED_SCAN);
    }

    #[test]
    fn unicode_spaces_and_punctuation_match_like_ascii() {
        let res = crate::resources::Resources::embedded().unwrap();
        let refd = Some(jiff::civil::date(2025, 7, 12));
        let plain = "« Le 3 mars 2024 à 14 h 30 », il y a deux ans — mi-juillet.";
        let fancy = "«\u{a0}Le\u{202f}3\u{a0}mars\u{2009}2024 à\u{a0}14\u{a0}h\u{a0}30\u{a0}», il\u{a0}y\u{a0}a deux\u{3000}ans — mi-juillet.";
        let a: Vec<_> = find_dates(&res, plain, refd)
            .into_iter()
            .map(|t| (plain[t.start..t.end].to_string(), t.value))
            .collect();
        let b: Vec<_> = find_dates(&res, fancy, refd)
            .into_iter()
            .map(|t| {
                let s: String = fancy[t.start..t.end]
                    .chars()
                    .map(|c| if c.is_whitespace() { ' ' } else { c })
                    .collect();
                (s, t.value)
            })
            .collect();
        assert!(a.len() >= 4, "{a:?}");
        assert_eq!(a, b);
        let folded = patterns::fold_case(fancy, &['’']);
        assert_eq!(folded.len(), fancy.len());
    }

    /// Rules whose own examples they do not yet match (or, for a negative rule, an example
    /// that still gives a timex). Listed so that the test fails on any NEW breakage, and also
    /// when one of these gets fixed (then remove it from the list).
    const KNOWN_FAILING: &[&str] = &["month_yy", "month_rel", "ago_vague", "dur_term"];

    #[test]
    fn every_rule_fires_on_one_of_its_examples() {
        let res = crate::resources::Resources::embedded().unwrap();
        let c = res.dates.compiled();
        let refd = Some(jiff::civil::date(2025, 7, 12));
        let mut failing: Vec<String> = Vec::new();
        let mut checked = 0;
        let data_lines = patterns::RULES
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.starts_with('#') && !l.trim().is_empty());
        for (idx, (lineno, line)) in data_lines.enumerate() {
            let cols: Vec<&str> = line.split('\t').collect();
            assert_eq!(c.rules[idx].name, cols[0], "rule order");
            let examples: Vec<&str> = cols
                .get(5)
                .map(|e| {
                    e.split(" | ")
                        .map(str::trim)
                        .filter(|e| !e.is_empty())
                        .collect()
                })
                .unwrap_or_default();
            if examples.is_empty() {
                continue;
            }
            checked += 1;
            let negative = cols[1] == "NONE";
            let mut fires = false;
            let mut leaks = Vec::new();
            for ex in &examples {
                let mut hit = false;
                let sentences = standalone_sentences(&res, ex);
                let layer = TextLayer::of_ranges(ex, sentences.clone());
                let out = find_dates_traced(
                    &res.dates,
                    ex,
                    &layer,
                    &sentence_cover(ex, sentences),
                    refd,
                    &mut |k| hit |= k == idx,
                );
                fires |= hit;
                if negative && !out.is_empty() {
                    leaks.push(format!("{ex:?} gives {:?}", out[0].value));
                }
            }
            if !fires || !leaks.is_empty() {
                failing.push(format!(
                    "dates-rules.tsv:{} {} fires={fires} {}",
                    lineno + 1,
                    cols[0],
                    leaks.join("; ")
                ));
            }
        }
        assert!(checked > 50, "only {checked} rules with examples");
        let unexpected: Vec<&String> = failing
            .iter()
            .filter(|f| {
                !KNOWN_FAILING
                    .iter()
                    .any(|k| f.split(' ').nth(1) == Some(*k))
            })
            .collect();
        let fixed: Vec<&&str> = KNOWN_FAILING
            .iter()
            .filter(|k| !failing.iter().any(|f| f.split(' ').nth(1) == Some(**k)))
            .collect();
        assert!(
            unexpected.is_empty() && fixed.is_empty(),
            "rules failing their examples: {unexpected:#?}\nfixed (remove from KNOWN_FAILING): {fixed:?}"
        );
    }

    /// The words around a timex are read from the layer: the word after a bare year (a
    /// noun rejects it, an elided function word does not) and the word before `de` (a
    /// duration noun makes `de 12 h` a duration, not a clock time).
    #[test]
    fn neighbour_words_come_from_the_layer() {
        let res = crate::resources::Resources::embedded().unwrap();
        let refd = Some(jiff::civil::date(2025, 7, 12));
        let values = |s: &str| -> Vec<String> {
            find_dates(&res, s, refd)
                .into_iter()
                .map(|t| t.value)
                .collect()
        };
        assert!(values("Il a recruté en 2000 soldats.").is_empty());
        assert_eq!(values("Il est parti en 2000 d’après lui."), ["2000"]);
        assert_ne!(values("un ultimatum de 12 h"), values("le journal de 12 h"));
    }

    #[test]
    fn weird_inputs_do_not_panic() {
        let res = crate::resources::Resources::embedded().unwrap();
        let refd = jiff::civil::date(2025, 7, 12);
        let inputs = [
            "",
            "«««",
            "1er",
            "1",
            "9",
            "99999999999999999999 ans",
            "le 99 mars 99999",
            "le 31 février 2024",
            "il y a 99999999999999999999999 ans",
            "’",
            "'",
            "é",
            "hier",
            "à 25 h 99",
            "les années 0",
            "XXXXXXXXXXXXXXe siècle",
            "mi-",
            "du 1er au",
            "de 8 à",
            "tous les 0 ans",
            "\u{a0}\u{202f}lundi\u{a0}",
            "2024",
            "en 2024",
            "le 29 février",
            "0 h 0",
            "24h00 GMT",
        ];
        for s in inputs {
            for r in [None, Some(refd)] {
                let out = find_dates(&res, s, r);
                for t in &out {
                    assert!(s.is_char_boundary(t.start) && s.is_char_boundary(t.end));
                    assert!(t.start < t.end && t.end <= s.len());
                }
            }
        }
        // Random token soup (a tiny deterministic fuzzer): no panic, sorted, non-overlapping.
        let pool = [
            "1er",
            "mars",
            " ",
            "’",
            "'",
            "«",
            "»",
            "é",
            "h",
            "H",
            "14",
            "9999999999",
            "-",
            "de",
            "à",
            "ans",
            "la",
            "nuit",
            "lundi",
            ".",
            "\n",
            "mi-",
            "fin",
            "XIX",
            "e siècle",
            "GMT",
            "il y a",
            "quelques",
            "du",
            "au",
            "et",
            "demi",
            "2024",
            "0",
            "30",
            ",",
            "prochain",
            "dernier",
            "semaine",
            "années",
            "60",
            "vers",
            "plus de",
            "tous les",
            "jeudis",
            "\u{a0}",
            "Ⅻ",
            "ǅ",
            "İ",
            "ẞ",
            "trimestre",
            "premier",
            "hier",
            "soir",
            "(",
            ")",
            "heure locale",
            "d'ici",
        ];
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..3000 {
            let mut s = String::new();
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let n = (seed % 12) as usize + 1;
            for _ in 0..n {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                s.push_str(pool[(seed % pool.len() as u64) as usize]);
                if seed & 1 == 0 {
                    s.push(' ');
                }
            }
            let out = find_dates(&res, &s, Some(refd));
            let mut last = 0;
            for t in &out {
                assert!(
                    s.is_char_boundary(t.start) && s.is_char_boundary(t.end),
                    "{s:?}"
                );
                assert!(
                    t.start >= last && t.start < t.end && t.end <= s.len(),
                    "{s:?}"
                );
                last = t.end;
            }
        }
        // Every prefix and suffix of a rich sentence.
        let s = "Le 3 mars 2024, vers 14H30 (12H30 GMT), il y a deux ans et demi, l’an dernier…";
        for (i, _) in s.char_indices() {
            let _ = find_dates(&res, &s[i..], Some(refd));
            let _ = find_dates(&res, &s[..i], Some(refd));
        }
    }
}
