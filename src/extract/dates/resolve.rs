//! Value resolvers (the `value` column of `dates-rules.tsv`), tense detection for weekdays,
//! anchoring of clock times and "le lendemain"-style expressions, range completion.
//!
//! The tense detection reads the sentence's words from the document's token layer
//! ([`TextLayer`]: its tokenizer, elision split and normalised forms), an elided word joined
//! back to its host ([`Word`]).

use jiff::Span;
use jiff::civil::{Date, Weekday};

use regex_automata::util::captures::Captures;

use super::patterns::{
    Aux, Compiled, Lexicon, ModSpec, Resolver, Rule, RuleKind, TenseWords, norm, normed, static_mod,
};
use super::{Timex, TimexType};
use crate::parse::tokens::{TextLayer, TextToken};
use std::borrow::Cow;

pub(crate) struct Ctx<'a> {
    pub text: &'a str,
    /// `text` case-folded with the same byte offsets (see `patterns::fold_case`).
    pub folded: &'a str,
    pub lex: &'a Lexicon,
    pub reference: Option<Date>,
    pub sentences: &'a [(usize, usize)],
    /// The document's tokens (the spans of `sentences` between segments have none).
    pub layer: &'a TextLayer,
    /// The words of each span of `sentences`, with their tenses, read on first use.
    pub words: &'a WordCache<'a>,
}

pub(crate) struct Groups<'a, 'h> {
    pub caps: &'a Captures,
    /// The text the captures were taken on (starts at `offset` in the text).
    pub hay: &'h str,
    pub rule: &'a Rule,
    /// Byte offset of the captured span in the text.
    pub offset: usize,
}

impl Groups<'_, '_> {
    /// Byte range of a group in the text.
    fn range(&self, name: &str) -> Option<(usize, usize)> {
        self.rule
            .groups
            .iter()
            .find(|(n, _)| n == name)
            .and_then(|(_, i)| self.caps.get_group(*i))
            .map(|m| (self.offset + m.start, self.offset + m.end))
    }
    fn raw(&self, name: &str) -> Option<&str> {
        if let Some(v) = self.rule.arg(name) {
            return Some(v);
        }
        self.rule
            .groups
            .iter()
            .find(|(n, _)| n == name)
            .and_then(|(_, i)| self.caps.get_group(*i))
            .and_then(|m| self.hay.get(m.range()))
    }
    /// The normalised text of a group (see [`normed`]).
    fn get(&self, name: &str) -> Option<Cow<'_, str>> {
        self.raw(name).map(normed)
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Pending {
    None,
    /// Clock time waiting for its day: hour, minute, UTC.
    Clock(i8, i8, bool),
    /// Part of day anchored to the day of the sentence ("dans la soirée").
    Part(&'static str),
    /// Day offset from the previous dated timex ("le lendemain").
    Anchor(i64),
}

#[derive(Debug, Clone)]
pub(crate) struct Cand {
    pub timex: Timex,
    pub pending: Pending,
    /// Explicit 4-digit year written in this timex.
    pub year: Option<i16>,
    /// Calendar day the timex denotes, when it denotes one.
    pub day: Option<Date>,
    /// Value kind for continuation ("mars-avril"): month / year / duration number.
    pub month_of: Option<i8>,
    pub dur_unit: Option<String>,
}

fn cand(
    start: usize,
    end: usize,
    kind: TimexType,
    value: String,
    resolved: Option<String>,
) -> Cand {
    Cand {
        timex: Timex {
            start,
            end,
            kind,
            value,
            resolved,
            modifier: None,
        },
        pending: Pending::None,
        year: None,
        day: None,
        month_of: None,
        dur_unit: None,
    }
}

// ------------------------------------------------------------------------------------------
// Sentences and tense
// ------------------------------------------------------------------------------------------

/// The span of `sentences` (sorted, covering the text) that holds byte `pos`.
fn sentence_of(sentences: &[(usize, usize)], pos: usize) -> (usize, usize) {
    let i = sentences.partition_point(|&(_, e)| e <= pos);
    sentences.get(i).copied().unwrap_or((0, 0))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tense {
    Past,
    Future,
    Present,
}

fn contains(list: &[String], word: &str) -> bool {
    list.iter().any(|w| w == word)
}

fn ends_with_any(word: &str, suffixes: &[String]) -> bool {
    suffixes.iter().any(|s| word.ends_with(s.as_str()))
}

/// A day or month named without a year falls in the year of the reference date, unless the
/// tense of its sentence puts it on the other side AND far from the reference: news tells of
/// the recent past and the near future, so in the past tense a date more than half a year
/// ahead is last year's ("ont été mis en examen le 21 décembre", written on 3 January), and in
/// the future tense a date more than half a year behind is next year's. A nearer date keeps
/// the reference year whatever the tense: "a donné jusqu'au 30 juin" (written in May) is a
/// deadline to come. `ahead` is the date in the reference year minus the reference, in the
/// unit of `half_year` (days or months). Returns the shift of the year (-1, 0 or 1).
fn year_shift_by_tense(ctx: &Ctx, start: usize, end: usize, ahead: i32, half_year: i32) -> i16 {
    if ahead.abs() <= half_year {
        return 0;
    }
    match (ahead > 0, tense_at(ctx, start, end)) {
        (true, Tense::Past) => -1,
        (false, Tense::Future) => 1,
        _ => 0,
    }
}

/// "les modifications annoncées mercredi", "le plan présenté lundi": a past participle used
/// as an adjective right before the timex (only spaces between) dates a past event. A word
/// in `-é`/`-ée` after a determiner is a noun ("la journée"); a future word ("prévue") was
/// not listed as such an ending's exception but is checked first by its own list.
fn participle_right_before(lw: &TenseWords, words: &[Word], text: &str, start: usize) -> bool {
    let Some(i) = words.partition_point(|w| w.start < start).checked_sub(1) else {
        return false;
    };
    let Word {
        end,
        form: w,
        title,
        ..
    } = words[i];
    let between = text.get(end..start);
    if title
        || !between.is_some_and(|b| b.chars().all(char::is_whitespace))
        || w.chars().count() < 5
    {
        return false;
    }
    let after_determiner = i > 0 && contains(&lw.determiner, words[i - 1].form);
    ends_with_any(w, &lw.adjacent_participle_suffix)
        && !after_determiner
        && !contains(&lw.future, w)
        && !contains(&lw.past, w)
}

/// `word` opens a subordinate clause: it is one of `starts`, or begins with one that ends
/// with an apostrophe (`qu'` for `qu'il`).
fn opens_clause(starts: &[String], word: &str) -> bool {
    starts
        .iter()
        .any(|s| s == word || (s.ends_with('\'') && word.starts_with(s.as_str())))
}

/// The tense a word marks, by the word lists of `dates-words.tsv` (`lw`).
fn word_tense(lw: &TenseWords, words: &[Word], i: usize) -> Option<Tense> {
    let Word {
        form: w,
        bare,
        title,
        ..
    } = words[i];
    if contains(&lw.conditional_aux, bare) {
        // "aurait été tué", "serait arrivé": a conditional perfect reports a past fact (the
        // journalistic conditional); "serait prêt", "aurait lieu" stay prospective.
        let next = words.get(i + 1).map_or("", |w| w.form);
        if next != "lieu" && ends_with_any(next, &lw.participle_suffix) {
            return Some(Tense::Past);
        }
    }
    if contains(&lw.future, bare) {
        return Some(Tense::Future);
    }
    if w == "s'est" {
        return Some(Tense::Past);
    }
    if (bare == "est" || bare == "sont" || bare == "était" || bare == "étaient")
        && (w.starts_with("s'") || (i > 0 && words[i - 1].form == "se"))
    {
        return Some(Tense::Past);
    }
    if bare == "est" || bare == "sont" {
        if let Some(&Word { form: next, .. }) = words.get(i + 1) {
            let stem = next.trim_end_matches('s').trim_end_matches('e');
            if contains(&lw.etre_participle, stem) || contains(&lw.etre_participle, next) {
                return Some(Tense::Past);
            }
        }
        return None;
    }
    if contains(&lw.avoir_present, bare) {
        // "a lieu", "a besoin": present-tense locutions, not a passé composé.
        let next = words.get(i + 1).map_or("", |w| w.form);
        if contains(&lw.avoir_locution, next) {
            return Some(Tense::Present);
        }
        return Some(Tense::Past);
    }
    if contains(&lw.past, bare) {
        return Some(Tense::Past);
    }
    // Title-case words are names (verbs do not start sentences in news copy often enough).
    if title || bare.chars().count() < 4 {
        return None;
    }
    if ends_with_any(bare, &lw.future_suffix) && !contains(&lw.not_future, bare) {
        return Some(Tense::Future);
    }
    if ends_with_any(bare, &lw.past_suffix) && !contains(&lw.not_past, bare) {
        return Some(Tense::Past);
    }
    None
}

/// A word of a sentence as the tense reader sees it: a word token of the document's layer,
/// with its elided article or pronoun joined back (`s'est`, `qu'il`, `l'intention`: the word
/// lists of `dates-words.tsv` are written so).
#[derive(Debug, Clone, Copy)]
struct Word<'a> {
    /// Byte range in the text.
    start: usize,
    end: usize,
    /// Normalised form (a slice of the layer's buffer, elision included).
    form: &'a str,
    /// The host word after the elision (`est` in `s'est`); `form` without one.
    bare: &'a str,
    /// Opens with a capital and is not all capitals (a name, not a verb).
    title: bool,
}

impl<'a> Word<'a> {
    /// The word made of `tokens[i]`, and of `tokens[i + 1]` when `tokens[i]` is elided onto
    /// it; with the number of tokens it takes. `None` for punctuation.
    fn at(
        text: &str,
        layer: &'a TextLayer,
        tokens: &[TextToken],
        i: usize,
    ) -> Option<(Self, usize)> {
        let first = &tokens[i];
        if !first.is_word() {
            return None;
        }
        let host = tokens
            .get(i + 1)
            .filter(|h| layer.is_elided(first) && h.is_word() && h.start() == first.end());
        let last = host.unwrap_or(first);
        let raw = &text[first.start()..last.end()];
        let word = Word {
            start: first.start(),
            end: last.end(),
            form: layer.low_through(first, last),
            bare: layer.low(last),
            title: first.is_upper() && raw.chars().any(char::is_lowercase),
        };
        Some((word, if host.is_some() { 2 } else { 1 }))
    }
}

/// The words of one sentence, read from the document's layer once per article (on the first
/// timex that asks), with the tense each marks and, for every position, the nearest tensed
/// word and clause opener: `tense_at` then costs two binary searches, so the date pass stays
/// linear on a text without sentence breaks.
pub(crate) struct SentWords<'a> {
    words: Vec<Word<'a>>,
    /// For each index `i` (and `words.len()`), the last tensed word before `i`.
    prev_tensed: Vec<Option<(usize, Tense)>>,
    /// For each index `i` (and `words.len()`), the first tensed word at or after `i`.
    next_tensed: Vec<Option<(usize, Tense)>>,
    /// For each index `i` (and `words.len()`), the first clause opener at or after `i`.
    next_opener: Vec<usize>,
}

/// One lazily filled [`SentWords`] per span of `Ctx::sentences`.
pub(crate) type WordCache<'a> = [std::cell::OnceCell<SentWords<'a>>];

impl<'a> SentWords<'a> {
    fn new(ctx: &Ctx<'a>, s: usize, e: usize) -> SentWords<'a> {
        let words = sentence_words(ctx.text, ctx.layer, s..e);
        let n = words.len();
        let tenses: Vec<Option<Tense>> = (0..n)
            .map(|i| word_tense(&ctx.lex.words, &words, i))
            .collect();
        let mut prev_tensed = Vec::with_capacity(n + 1);
        let mut last = None;
        for (i, t) in tenses.iter().enumerate() {
            prev_tensed.push(last);
            if let Some(t) = t {
                last = Some((i, *t));
            }
        }
        prev_tensed.push(last);
        let mut next_tensed = vec![None; n + 1];
        let mut next_opener = vec![n; n + 1];
        for i in (0..n).rev() {
            next_tensed[i] = tenses[i].map(|t| (i, t)).or(next_tensed[i + 1]);
            next_opener[i] = if opens_clause(&ctx.lex.words.clause_start, words[i].form) {
                i
            } else {
                next_opener[i + 1]
            };
        }
        SentWords {
            words,
            prev_tensed,
            next_tensed,
            next_opener,
        }
    }
}

/// The words of the layer's tokens in `range` (see [`Word`]).
fn sentence_words<'a>(
    text: &str,
    layer: &'a TextLayer,
    range: std::ops::Range<usize>,
) -> Vec<Word<'a>> {
    let tokens = layer.tokens_in(range);
    let mut words = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        match Word::at(text, layer, tokens, i) {
            Some((word, taken)) => {
                words.push(word);
                i += taken;
            }
            None => i += 1,
        }
    }
    words
}

/// Tense of the verb nearest to `[start, end)` in its sentence: the nearest tensed word
/// before `start` or after `end` (the one before on a tie), not looking past a subordinate
/// clause opened after the timex ("annonce mardi que ... aurait été tué": that clause has its
/// own verb).
fn tense_at(ctx: &Ctx, start: usize, end: usize) -> Tense {
    let k = ctx.sentences.partition_point(|&(_, e)| e <= start);
    let (s, e) = ctx.sentences.get(k).copied().unwrap_or((0, 0));
    let Some(cell) = ctx.words.get(k) else {
        return Tense::Present;
    };
    let sw = cell.get_or_init(|| SentWords::new(ctx, s, e));
    if participle_right_before(&ctx.lex.words, &sw.words, ctx.text, start) {
        return Tense::Past;
    }
    let before = sw.words.partition_point(|w| w.start < start);
    let after = sw.words.partition_point(|w| w.start < end);
    let left = sw.prev_tensed[before].map(|(i, t)| (start - sw.words[i].start, t));
    let right = sw.next_tensed[after]
        .filter(|&(i, _)| i < sw.next_opener[after])
        .map(|(i, t)| (sw.words[i].start - end, t));
    match (left, right) {
        (Some((dl, _)), Some((dr, t))) if dr < dl => t,
        (Some((_, t)), _) | (None, Some((_, t))) => t,
        (None, None) => Tense::Present,
    }
}

// ------------------------------------------------------------------------------------------
// Numbers and calendar helpers
// ------------------------------------------------------------------------------------------

enum Num {
    Exact(f64),
    Vague,
}

fn parse_number(lex: &Lexicon, s: &str) -> Option<Num> {
    let s = normed(s);
    if s.is_empty() {
        return None;
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        // "2.000" is two thousand, "30,4" is 30.4.
        let t = if let Some((a, b)) = s.split_once('.') {
            if b.len() == 3 && b.chars().all(|c| c.is_ascii_digit()) {
                format!("{a}{b}")
            } else {
                format!("{a}.{b}")
            }
        } else {
            s.replace(',', ".")
        };
        if t.len() > 12 {
            return None;
        }
        return t.parse::<f64>().ok().map(Num::Exact);
    }
    let mut total = 0f64;
    let mut current = 0f64;
    for tok in s.split([' ', '-']).filter(|t| !t.is_empty() && *t != "et") {
        let v = lex.get("num", tok);
        let v = match v {
            Some("X") => return Some(Num::Vague),
            Some(v) => v.parse::<f64>().ok()?,
            None => {
                if matches!(tok, "de" | "nombreux" | "nombreuses") {
                    return Some(Num::Vague);
                }
                return None;
            }
        };
        if v == 0.5 {
            current = if current > 0.0 { current * 0.5 } else { 0.5 };
        } else if v == 100.0 {
            current = current.max(1.0) * 100.0;
        } else if v == 1000.0 {
            total += current.max(1.0) * 1000.0;
            current = 0.0;
        } else if v == 20.0 && current > 0.0 && current < 20.0 && current.fract() == 0.0 {
            current *= 20.0; // quatre-vingt
        } else {
            current += v;
        }
    }
    Some(Num::Exact(total + current))
}

fn fmt_num(n: f64) -> String {
    if n.fract() == 0.0 {
        format!("{}", n as i64)
    } else {
        let s = format!("{n:.3}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

fn ymd(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

fn add_days(d: Date, n: i64) -> Option<Date> {
    d.checked_add(Span::new().try_days(n).ok()?).ok()
}

fn add_months(y: i16, m: i8, off: i64) -> Option<(i16, i8)> {
    let idx = y as i64 * 12 + (m as i64 - 1) + off;
    let y = idx.div_euclid(12);
    if !(1..=9999).contains(&y) {
        return None;
    }
    Some((y as i16, (idx.rem_euclid(12) + 1) as i8))
}

fn iso_week(d: Date) -> String {
    let w = d.iso_week_date();
    format!("{:04}-W{:02}", w.year(), w.week())
}

fn weekday_from(n: i8) -> Option<Weekday> {
    Weekday::from_monday_one_offset(n).ok()
}

fn easter(year: i16) -> Option<Date> {
    let y = year as i32;
    let a = y % 19;
    let b = y / 100;
    let c = y % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    Date::new(year, month as i8, day as i8).ok()
}

fn parse_roman(s: &str) -> Option<i64> {
    if let Ok(n) = s.parse::<i64>() {
        return Some(n);
    }
    let mut total = 0i64;
    let mut prev = 0i64;
    for c in s.chars().rev() {
        let v = match c.to_ascii_uppercase() {
            'I' => 1,
            'V' => 5,
            'X' => 10,
            _ => return None,
        };
        if v < prev {
            total -= v;
        } else {
            total += v;
            prev = v;
        }
    }
    Some(total)
}

fn rel_offset(lex: &Lexicon, g: &Groups) -> Option<i64> {
    if let Some(o) = g.raw("off") {
        return o.trim_start_matches('+').parse().ok();
    }
    let r = g.get("rel")?;
    lex.get("rel", &r)?.trim_start_matches('+').parse().ok()
}

/// (count, letter, is_time) of a unit value like "1Y", "10Y", "T1H".
fn unit_parts(v: &str) -> Option<(f64, char, bool)> {
    let (t, rest) = match v.strip_prefix('T') {
        Some(r) => (true, r),
        None => (false, v),
    };
    let letter = rest.chars().last()?;
    let count = rest[..rest.len() - letter.len_utf8()].parse::<f64>().ok()?;
    Some((count, letter, t))
}

fn year_of_sentence(ctx: &Ctx, prev: &[Cand], start: usize) -> Option<i16> {
    let (s, _) = sentence_of(ctx.sentences, start);
    // The most recent DATE of the sentence, if it carries a year (written or inherited) and
    // is close (an enumeration: "en 97 (en janvier..., en octobre...)").
    // Past 40 bytes back no DATE can pass the filter below: stop there (linear time).
    prev.iter()
        .rev()
        .take_while(|c| c.timex.end > s && c.timex.end + 40 >= start)
        .find(|c| c.timex.kind == TimexType::Date)
        .filter(|c| start.saturating_sub(c.timex.end) <= 40)
        .and_then(|c| c.year)
}

/// The year a timex got from its sentence (not from the reference date).
fn year_inherited(explicit: Option<i16>, year: Option<i16>, r: Option<Date>) -> Option<i16> {
    match (explicit, year, r) {
        (None, Some(y), Some(r)) if y != r.year() => Some(y),
        _ => None,
    }
}

fn two_digit_year(yy: &str) -> Option<i16> {
    let n: i16 = yy.trim_start_matches('\'').parse().ok()?;
    Some(if n >= 30 { 1900 + n } else { 2000 + n })
}

// ------------------------------------------------------------------------------------------
// The resolvers
// ------------------------------------------------------------------------------------------

pub(crate) fn resolve(
    ctx: &Ctx,
    g: &Groups,
    start: usize,
    end: usize,
    prev: &[Cand],
) -> Option<Cand> {
    let lex = ctx.lex;
    let rule = g.rule;
    let part = g
        .get("part")
        .and_then(|p| lex.get("part", &p).map(str::to_string))
        .or_else(|| {
            g.raw("part")
                .filter(|p| p.starts_with('T'))
                .map(str::to_string)
        });
    let kind = match rule.kind {
        RuleKind::Date => TimexType::Date,
        RuleKind::Time => TimexType::Time,
        RuleKind::Duration => TimexType::Duration,
        RuleKind::Set => TimexType::Set,
        RuleKind::Auto => {
            if part.is_some() {
                TimexType::Time
            } else {
                TimexType::Date
            }
        }
        RuleKind::None => return None,
    };
    let e = Env {
        ctx,
        g,
        start,
        end,
        prev,
        kind,
        part,
    };
    let step = match rule.func {
        Resolver::Date
        | Resolver::Month
        | Resolver::Year
        | Resolver::Decade
        | Resolver::Century
        | Resolver::Quarter
        | Resolver::Half
        | Resolver::Season
        | Resolver::Weekend
        | Resolver::Weekday
        | Resolver::Holiday => calendar(e)?,
        Resolver::Rel | Resolver::Ago | Resolver::In | Resolver::Anchor | Resolver::Lit => {
            relative(e)?
        }
        Resolver::Dur | Resolver::Set => duration(e)?,
        Resolver::Clock | Resolver::Part => clock(e)?,
        Resolver::None => return None,
    };
    Some(match step {
        Step::Mod(c) => finish_mod(c, g, lex),
        Step::Done(c) => c,
    })
}

/// What `resolve` knows before it picks the resolver of a rule.
struct Env<'c, 'a, 'g, 'h> {
    ctx: &'c Ctx<'a>,
    g: &'g Groups<'g, 'h>,
    start: usize,
    end: usize,
    prev: &'c [Cand],
    kind: TimexType,
    part: Option<String>,
}

/// A resolver's candidate: `Mod` still takes the rule's mod (`finish_mod`), `Done` is final.
enum Step {
    Mod(Cand),
    Done(Cand),
}

/// Day suffix for a part of day: "TEV", or "T12:00" for midi.
fn part_suffix(p: &str) -> String {
    if p == "MI" {
        "T12:00".to_string()
    } else {
        p.to_string()
    }
}

/// Calendar dates: a day, month, year, decade, century, quarter or half, season, weekend,
/// weekday or holiday, its year from the sentence, the reference date and the tense.
fn calendar(e: Env) -> Option<Step> {
    let Env {
        ctx,
        g,
        start,
        end,
        prev,
        kind,
        part,
    } = e;
    let lex = ctx.lex;
    let rule = g.rule;
    let r = ctx.reference;
    let mut c: Cand;
    match rule.func {
        Resolver::Date => {
            let d: i8 = match g.get("d")?.as_ref() {
                "1er" | "1ᵉʳ" | "premier" => 1,
                s => s.parse().ok()?,
            };
            let m: i8 = lex.get("month", &g.get("m")?).map_or_else(
                || g.get("m").and_then(|s| s.parse().ok()),
                |v| v.parse().ok(),
            )?;
            let explicit: Option<i16> = g.get("y").and_then(|y| y.parse().ok());
            let rel = g
                .get("rel")
                .and_then(|x| lex.get("rel", &x))
                .map(str::to_string);
            let mut year = explicit.or_else(|| {
                rel.is_none()
                    .then(|| year_of_sentence(ctx, prev, start))
                    .flatten()
            });
            if year.is_none()
                && let Some(r) = r
            {
                let mut y = r.year();
                if let Some(rel) = &rel {
                    let this = Date::new(y, m, d.min(28)).ok()?;
                    let this = Date::new(y, m, d).unwrap_or(this);
                    if rel.starts_with('-') && this >= r {
                        y -= 1;
                    } else if rel.starts_with('+') && this <= r {
                        y += 1;
                    }
                } else if let Ok(this) = Date::new(y, m, d)
                    && let Ok(span) = r.until(this)
                {
                    let ahead_days = span.get_days();
                    y += year_shift_by_tense(ctx, start, end, ahead_days, 183);
                }
                year = Some(y);
            }
            // Validate the day against the month (29 février needs a leap year).
            let check_year = year.unwrap_or(2024);
            let date = Date::new(check_year, m, d).ok()?;
            let suffix = part.as_deref().map(part_suffix).unwrap_or_default();
            let value = match explicit {
                Some(y) => format!("{y:04}-{m:02}-{d:02}{suffix}"),
                None => format!("XXXX-{m:02}-{d:02}{suffix}"),
            };
            let resolved = year.map(|_| format!("{}{suffix}", ymd(date)));
            c = cand(start, end, kind, value, resolved);
            c.year = explicit.or(year_inherited(explicit, year, r));
            c.day = year.map(|_| date);
        }
        Resolver::Month => {
            let m: i8 = lex.get("month", &g.get("m")?)?.parse().ok()?;
            // A bare month written "Mars" inside a sentence is the planet (or a name).
            if g.raw("y").is_none()
                && g.raw("yy").is_none()
                && g.raw("rel").is_none()
                && g.raw("mod").is_none()
                && let Some((ms, me)) = g.range("m")
            {
                let word = &ctx.text[ms..me];
                let mut chars = word.chars();
                let title =
                    chars.next().is_some_and(char::is_uppercase) && chars.any(char::is_lowercase);
                let (s, _) = sentence_of(ctx.sentences, ms);
                let initial = ctx.text[s..start].trim().is_empty();
                if title && !initial {
                    return None;
                }
            }
            let explicit = match g.get("y") {
                Some(y) => Some(y.parse::<i16>().ok()?),
                None => g.get("yy").and_then(|yy| two_digit_year(&yy)),
            };
            let off = g
                .get("rel")
                .and_then(|x| lex.get("rel", &x))
                .map(str::to_string);
            if g.get("yy").is_some() && g.get("y").is_none() {
                let after = ctx.text[end..].trim_start();
                if after.starts_with(|c: char| c.is_alphanumeric()) {
                    return None;
                }
            }
            let mut year = explicit.or_else(|| {
                off.is_none()
                    .then(|| year_of_sentence(ctx, prev, start))
                    .flatten()
            });
            if year.is_none()
                && let Some(r) = r
            {
                let mut y = r.year();
                match off.as_deref() {
                    Some(o) if o.starts_with('-') && m >= r.month() => y -= 1,
                    Some(o) if o.starts_with('+') && m <= r.month() => y += 1,
                    Some(_) => {}
                    None => {
                        let ahead_months = i32::from(m) - i32::from(r.month());
                        y += year_shift_by_tense(ctx, start, end, ahead_months, 6);
                    }
                }
                year = Some(y);
            }
            let value = match explicit {
                Some(y) => format!("{y:04}-{m:02}"),
                None => format!("XXXX-{m:02}"),
            };
            c = cand(
                start,
                end,
                kind,
                value,
                year.map(|y| format!("{y:04}-{m:02}")),
            );
            c.year = explicit.or(year_inherited(explicit, year, r));
            c.month_of = Some(m);
        }
        Resolver::Year => {
            let y: i16 = match g.get("y") {
                Some(y) => y.parse().ok()?,
                None => two_digit_year(&g.get("yy")?)?,
            };
            if rule.arg("check").is_some() && !year_follower_ok(ctx, end) {
                return None;
            }
            let v = format!("{y:04}");
            c = cand(start, end, kind, v.clone(), r.map(|_| v));
            c.year = Some(y);
        }
        Resolver::Decade => {
            let dy = g.get("dy")?;
            let y: i64 = if dy.len() == 4 {
                dy.parse().ok()?
            } else {
                1900 + dy.parse::<i64>().ok()?
            };
            let v = format!("{:03}X", y / 10);
            c = cand(start, end, kind, v.clone(), r.map(|_| v));
        }
        Resolver::Century => {
            let n = parse_roman(&g.get("c")?)?;
            if !(1..=30).contains(&n) {
                return None;
            }
            let v = format!("{:02}XX", n - 1);
            c = cand(start, end, kind, v.clone(), r.map(|_| v));
        }
        Resolver::Quarter | Resolver::Half => {
            let (per_year, letter) = if rule.func == Resolver::Quarter {
                (4, 'Q')
            } else {
                (2, 'H')
            };
            let q: i64 = match g.get("q") {
                Some(q) => {
                    let q = q.trim_start_matches('t');
                    match lex.get("ord", q) {
                        Some(v) => v.parse().ok()?,
                        None => q.parse().ok()?,
                    }
                }
                None => {
                    let off = rel_offset(lex, g).unwrap_or(0);
                    match r {
                        Some(r) => {
                            let cur = (r.month() as i64 - 1) * per_year / 12;
                            let idx = r.year() as i64 * per_year + cur + off;
                            let v = format!(
                                "{:04}-{letter}{}",
                                idx.div_euclid(per_year),
                                idx.rem_euclid(per_year) + 1
                            );
                            c = cand(start, end, kind, format!("XXXX-{letter}X"), Some(v));
                            return Some(Step::Done(finish_mod(c, g, lex)));
                        }
                        None => {
                            c = cand(start, end, kind, format!("XXXX-{letter}X"), None);
                            return Some(Step::Done(finish_mod(c, g, lex)));
                        }
                    }
                }
            };
            if !(1..=per_year).contains(&q) {
                return None;
            }
            let explicit: Option<i16> = g.get("y").and_then(|y| y.parse().ok());
            let year = explicit.or_else(|| r.map(|r| r.year()));
            let value = match explicit {
                Some(y) => format!("{y:04}-{letter}{q}"),
                None => format!("XXXX-{letter}{q}"),
            };
            c = cand(
                start,
                end,
                kind,
                value,
                year.map(|y| format!("{y:04}-{letter}{q}")),
            );
            c.year = explicit;
        }
        Resolver::Season => {
            let s = lex.get("season", &g.get("s")?)?.to_string();
            if rule.arg("generic").is_some() {
                let v = format!("XXXX-{s}");
                c = cand(start, end, kind, v.clone(), r.map(|_| v));
            } else {
                let explicit: Option<i16> = g.get("y").and_then(|y| y.parse().ok());
                let off = rel_offset(lex, g).unwrap_or(0);
                let year = explicit.or_else(|| r.map(|r| r.year() + off as i16));
                let value = match explicit {
                    Some(y) => format!("{y:04}-{s}"),
                    None => format!("XXXX-{s}"),
                };
                c = cand(start, end, kind, value, year.map(|y| format!("{y:04}-{s}")));
                c.year = explicit;
            }
        }
        Resolver::Weekend => {
            let off = rel_offset(lex, g).unwrap_or(0);
            let res = r
                .and_then(|r| add_days(r, off * 7))
                .map(|d| format!("{}-WE", iso_week(d)));
            c = cand(start, end, kind, "XXXX-WXX-WE".to_string(), res);
        }
        Resolver::Weekday => {
            let wd: i8 = lex.get("weekday", &g.get("wd")?)?.parse().ok()?;
            let weekday = weekday_from(wd)?;
            let off = rel_offset(lex, g);
            let suffix = part.as_deref().map(part_suffix).unwrap_or_default();
            let day = r.and_then(|r| match off {
                Some(o) if o < 0 => r.nth_weekday(-1, weekday).ok(),
                Some(o) if o > 0 => r.nth_weekday(1, weekday).ok(),
                _ => {
                    if r.weekday() == weekday {
                        return Some(r);
                    }
                    match tense_at(ctx, start, end) {
                        Tense::Past => r.nth_weekday(-1, weekday).ok(),
                        Tense::Future => r.nth_weekday(1, weekday).ok(),
                        Tense::Present => {
                            // Nearest; ties (never: 7 is odd) and equal distances go forward.
                            let ahead = (wd as i64 - r.weekday().to_monday_one_offset() as i64)
                                .rem_euclid(7);
                            if ahead <= 3 {
                                r.nth_weekday(1, weekday).ok()
                            } else {
                                r.nth_weekday(-1, weekday).ok()
                            }
                        }
                    }
                }
            });
            c = cand(
                start,
                end,
                kind,
                format!("XXXX-WXX-{wd}{suffix}"),
                day.map(|d| format!("{}{suffix}", ymd(d))),
            );
            c.day = day;
        }
        Resolver::Holiday => {
            let h = lex.get("holiday", &g.get("hol")?)?;
            let explicit: Option<i16> = g.get("y").and_then(|y| y.parse().ok());
            let year = explicit.or_else(|| r.map(|r| r.year()));
            let date_in = |y: i16| -> Option<Date> {
                if let Some(off) = h.strip_prefix("E+") {
                    add_days(easter(y)?, off.parse().ok()?)
                } else {
                    let (m, d) = h.split_once('-')?;
                    Date::new(y, m.parse().ok()?, d.parse().ok()?).ok()
                }
            };
            let value = match (explicit, h.starts_with('E')) {
                (Some(y), _) => ymd(date_in(y)?),
                (None, false) => format!("XXXX-{h}"),
                (None, true) => "XXXX-XX-XX".to_string(),
            };
            let day = year.and_then(date_in);
            c = cand(start, end, kind, value, day.map(ymd));
            c.day = day;
            c.year = explicit;
        }
        _ => return None,
    }
    Some(Step::Mod(c))
}

/// Dates relative to the reference or to another timex: "l'an dernier", "il y a deux ans",
/// "dans trois jours", "le lendemain", and literal values ("aujourd'hui", PRESENT_REF).
fn relative(e: Env) -> Option<Step> {
    let Env {
        ctx,
        g,
        start,
        end,
        prev: _,
        mut kind,
        part,
    } = e;
    let lex = ctx.lex;
    let rule = g.rule;
    let r = ctx.reference;
    let mut c: Cand;
    match rule.func {
        Resolver::Rel => {
            let unit = g.raw("unit").unwrap_or("D");
            let off = match g.get("r") {
                Some(w) => lex.get("reld", &w)?.trim_start_matches('+').parse().ok()?,
                None => rel_offset(lex, g).unwrap_or(0),
            };
            // "Aujourd'hui, ..." opening a sentence means "nowadays" (FTiB: PRESENT_REF).
            if g.get("r").as_deref() == Some("aujourd'hui")
                && part.is_none()
                && g.raw("wd").is_none()
            {
                let (s, _) = sentence_of(ctx.sentences, start);
                let before = ctx.text[s..start].trim();
                let after = ctx.text[end..].trim_start();
                if before.is_empty() && after.starts_with(',') {
                    let v = "PRESENT_REF".to_string();
                    return Some(Step::Done(cand(
                        start,
                        end,
                        TimexType::Time,
                        v.clone(),
                        r.map(|_| v),
                    )));
                }
            }
            let (value, resolved, day) = match unit {
                "D" => {
                    let suffix = part.as_deref().map(part_suffix).unwrap_or_default();
                    let day = r.and_then(|r| add_days(r, off));
                    (
                        format!("XXXX-XX-XX{suffix}"),
                        day.map(|d| format!("{}{suffix}", ymd(d))),
                        day,
                    )
                }
                "W" => (
                    "XXXX-WXX".to_string(),
                    r.and_then(|r| add_days(r, off * 7)).map(iso_week),
                    None,
                ),
                "M" => (
                    "XXXX-XX".to_string(),
                    r.and_then(|r| add_months(r.year(), r.month(), off))
                        .map(|(y, m)| format!("{y:04}-{m:02}")),
                    None,
                ),
                "Y" => (
                    "XXXX".to_string(),
                    r.map(|r| format!("{:04}", r.year() as i64 + off)),
                    None,
                ),
                "CE" => (
                    "XXXX".to_string(),
                    r.map(|r| format!("{:02}XX", (r.year() as i64 + off * 100) / 100)),
                    None,
                ),
                _ => return None,
            };
            c = cand(start, end, kind, value, resolved);
            c.day = day;
        }
        Resolver::Ago | Resolver::In => {
            let sign = if rule.func == Resolver::Ago {
                -1.0
            } else {
                1.0
            };
            let n = match parse_number(lex, &g.get("n")?)? {
                Num::Exact(n) if n.fract() == 0.0 && n <= 10000.0 => n,
                _ => {
                    let v = if sign < 0.0 { "PAST_REF" } else { "FUTURE_REF" }.to_string();
                    return Some(Step::Done(cand(
                        start,
                        end,
                        TimexType::Time,
                        v.clone(),
                        r.map(|_| v),
                    )));
                }
            };
            let (count, letter, time) = unit_parts(lex.get("unit", &g.get("u")?)?)?;
            let k = (n * count * sign) as i64;
            if time {
                let v = if sign < 0.0 { "PAST_REF" } else { "FUTURE_REF" }.to_string();
                return Some(Step::Done(cand(
                    start,
                    end,
                    TimexType::Time,
                    v.clone(),
                    r.map(|_| v),
                )));
            }
            kind = TimexType::Date;
            let (value, resolved, day) = match letter {
                'D' => {
                    let day = r.and_then(|r| add_days(r, k));
                    ("XXXX-XX-XX".to_string(), day.map(ymd), day)
                }
                'W' => (
                    "XXXX-WXX".to_string(),
                    r.and_then(|r| add_days(r, k * 7)).map(iso_week),
                    None,
                ),
                'M' => (
                    "XXXX-XX".to_string(),
                    r.and_then(|r| add_months(r.year(), r.month(), k))
                        .map(|(y, m)| format!("{y:04}-{m:02}")),
                    None,
                ),
                'Y' => (
                    "XXXX".to_string(),
                    r.map(|r| r.year() as i64 + k)
                        .filter(|y| (0..=9999).contains(y))
                        .map(|y| format!("{y:04}")),
                    None,
                ),
                _ => return None,
            };
            if r.is_some() && resolved.is_none() {
                return None;
            }
            c = cand(start, end, kind, value, resolved);
            c.day = day;
        }
        Resolver::Anchor => {
            let off: i64 = lex
                .get("anchor", &g.get("anc")?)?
                .trim_start_matches('+')
                .parse()
                .ok()?;
            c = cand(start, end, kind, "XXXX-XX-XX".to_string(), None);
            c.pending = Pending::Anchor(off);
        }
        Resolver::Lit => {
            let v = match rule.arg("val") {
                Some(v) => v.to_string(),
                None => lex.get("present", &g.get("pr")?)?.to_string(),
            };
            c = cand(start, end, kind, v.clone(), r.map(|_| v));
        }
        _ => return None,
    }
    Some(Step::Mod(c))
}

/// Durations ("deux ans et demi") and sets ("chaque lundi").
fn duration(e: Env) -> Option<Step> {
    let Env {
        ctx,
        g,
        start,
        end,
        prev: _,
        kind,
        part,
    } = e;
    let lex = ctx.lex;
    let rule = g.rule;
    let r = ctx.reference;
    let mut c: Cand;
    match rule.func {
        Resolver::Dur => {
            let unit_word = g.raw("u").map(str::to_string);
            let uval = match g.rule.arg("u") {
                Some(u) => u.to_string(),
                None => lex.get("unit", unit_word.as_deref()?)?.to_string(),
            };
            let (count, letter, time) = unit_parts(&uval)?;
            let mut n = match g.get("ns") {
                Some(ns) => Some(lex.get("nsuffix", &ns)?.parse::<f64>().ok()?),
                None => match g.get("n").or_else(|| g.get("n2")) {
                    Some(s) if s == "x" => None,
                    Some(s) => match parse_number(lex, &s)? {
                        Num::Exact(n) => Some(n),
                        Num::Vague => None,
                    },
                    None => None,
                },
            };
            if let (Some(v), Some(_)) = (n, g.get("half")) {
                n = Some(v + 0.5);
            }
            if letter == 'Y' && !time && count == 1.0 && is_age(ctx, start, end) {
                return None;
            }
            if rule.arg("hday").is_some()
                && n.is_some_and(|v| v < 24.0)
                && !after_duration_noun(ctx, start)
            {
                return None;
            }
            let t = if time { "T" } else { "" };
            let value = match n {
                None => format!("P{t}X{letter}"),
                Some(v) if !(0.0..=100000.0).contains(&v) || v == 0.0 => return None,
                Some(v) => {
                    let total = v * count;
                    if total.fract() != 0.0 && time && letter == 'H' {
                        format!("PT{}M", fmt_num(total * 60.0))
                    } else if total.fract() != 0.0 && time && letter == 'M' {
                        format!("PT{}S", fmt_num(total * 60.0))
                    } else {
                        format!("P{t}{}{letter}", fmt_num(total))
                    }
                }
            };
            c = cand(start, end, kind, value.clone(), r.map(|_| value));
            c.dur_unit = Some(uval);
        }
        Resolver::Set => {
            let value = if let Some(wd) = g.get("wd") {
                let n = lex.get("weekday", &wd)?;
                let suffix = part.as_deref().map(part_suffix).unwrap_or_default();
                format!("XXXX-WXX-{n}{suffix}")
            } else {
                let uval = match rule.arg("u") {
                    Some(u) => u.to_string(),
                    None => lex.get("unit", &g.get("u")?)?.to_string(),
                };
                let (count, letter, time) = unit_parts(&uval)?;
                let n = match g.get("n") {
                    Some(s) => match parse_number(lex, &s)? {
                        Num::Exact(n) if n > 0.0 && n <= 1000.0 => n,
                        _ => return None,
                    },
                    None => 1.0,
                };
                let t = if time { "T" } else { "" };
                format!("P{t}{}{letter}", fmt_num(n * count))
            };
            c = cand(start, end, kind, value.clone(), r.map(|_| value));
        }
        _ => return None,
    }
    Some(Step::Mod(c))
}

/// Clock times and parts of day, anchored to the day of their sentence later (`complete`).
fn clock(e: Env) -> Option<Step> {
    let Env {
        ctx,
        g,
        start,
        end,
        prev: _,
        kind,
        part,
    } = e;
    let lex = ctx.lex;
    let rule = g.rule;
    let r = ctx.reference;
    let mut c: Cand;
    match rule.func {
        Resolver::Clock => {
            let (h, mi) = clock_hour_minute(lex, g)?;
            if h > 24 || mi > 59 || (h == 24 && mi > 0) {
                return None;
            }
            let utc = g.get("tz").is_some();
            let z = if utc { "Z" } else { "" };
            c = cand(
                start,
                end,
                TimexType::Time,
                format!("XXXX-XX-XXT{h:02}:{mi:02}{z}"),
                None,
            );
            c.pending = Pending::Clock(h, mi, utc);
        }
        Resolver::Part => {
            let p = part?;
            let suffix = part_suffix(&p);
            if rule.arg("anchor") == Some("1") {
                c = cand(start, end, kind, format!("XXXX-XX-XX{suffix}"), None);
                c.pending = Pending::Part(if p == "MI" { "MI" } else { static_part(&p)? });
            } else {
                c = cand(
                    start,
                    end,
                    kind,
                    format!("XXXX-XX-XX{suffix}"),
                    r.map(|r| format!("{}{suffix}", ymd(r))),
                );
                c.day = r;
            }
        }
        _ => return None,
    }
    Some(Step::Mod(c))
}

fn static_part(p: &str) -> Option<&'static str> {
    ["TMO", "TAF", "TEV", "TNI"].into_iter().find(|x| *x == p)
}

fn finish_mod(mut c: Cand, g: &Groups, lex: &Lexicon) -> Cand {
    c.timex.modifier = match &g.rule.modifier {
        ModSpec::None => None,
        ModSpec::Lit(m) => Some(m),
        ModSpec::Group(name) => g.get(name).and_then(|w| {
            lex.get("mod", &w)
                .or_else(|| lex.get("approx", &w))
                .and_then(static_mod)
        }),
    };
    c
}

/// Hour and minute of a clock time: digits or a number word (`trois heures`), minutes as
/// digits or a fraction (`et demie`, `et quart`, `moins le quart`), and the 12-hour reading
/// of a part of day (`onze heures du soir` is 23:00, `trois heures du matin` 03:00). With a
/// part of day the hour must be a 12-hour one (`quinze heures du matin` is no time).
fn clock_hour_minute(lex: &Lexicon, g: &Groups) -> Option<(i8, i8)> {
    let h_text = g.get("h")?;
    let mut h: i8 = match h_text.parse() {
        Ok(h) => h,
        Err(_) => match parse_number(lex, &h_text)? {
            Num::Exact(v) if v.fract() == 0.0 && (0.0..=24.0).contains(&v) => v as i8,
            _ => return None,
        },
    };
    let mut mi: i8 = g.get("mi").and_then(|m| m.parse().ok()).unwrap_or(0);
    if let Some(frac) = g.get("frac") {
        if frac.ends_with("demie") {
            mi = 30;
        } else if frac.starts_with("moins") {
            // "une heure moins le quart" is 00:45; there is no hour before 0.
            h = h.checked_sub(1).filter(|h| *h >= 0)?;
            mi = 45;
        } else {
            mi = 15;
        }
    }
    if let Some(part) = g.get("dp") {
        if !(0..=12).contains(&h) {
            return None;
        }
        // "du soir", "de l'après-midi": the afternoon and evening hours; "de la nuit" is the
        // evening before midnight from 7 on ("dix heures de la nuit"), the small hours below.
        let afternoon = part.ends_with("soir") || part.ends_with("midi");
        if h < 12 && (afternoon || (part.ends_with("nuit") && h >= 7)) {
            h += 12;
        }
    }
    Some((h, mi))
}

/// The normalised form of the word of the document's layer that ends at byte `at` (`""` if
/// none does): the word before a `de`.
fn word_ending_at<'a>(ctx: &Ctx<'a>, at: usize) -> &'a str {
    let tokens = ctx.layer.tokens_in(0..at);
    match tokens.last() {
        Some(t) if t.is_word() && t.end() == at => ctx.layer.low(t),
        _ => "",
    }
}

/// The normalised form of the word of the document's layer that starts at byte `at` (`""`
/// if none does).
fn word_starting_at<'a>(ctx: &Ctx<'a>, at: usize) -> &'a str {
    match ctx.layer.tokens_in(at..at + 1).first() {
        Some(t) if t.is_word() => ctx.layer.low(t),
        _ => "",
    }
}

/// "un ultimatum de 12 h": the word before the `de` that precedes `start` is a duration
/// noun (lexicon `durnoun`). Without one, "de 19 h" names a clock time ("le journal de 20 h",
/// "au pointage de 19 h").
fn after_duration_noun(ctx: &Ctx, start: usize) -> bool {
    let Some(b) = ctx.text[..start].trim_end().strip_suffix("de") else {
        return false;
    };
    let prev = word_ending_at(ctx, b.trim_end().len());
    !prev.is_empty() && ctx.lex.get("durnoun", prev).is_some()
}

/// "un chauffeur de bus de 38 ans", "une femme d'une trentaine d'années": "de N ans" after a
/// word that is not a duration noun (lexicon `durnoun`: peine, période, mandat...) and not
/// followed by "de prison"-like complements is an age.
fn is_age(ctx: &Ctx, start: usize, end: usize) -> bool {
    let before = &ctx.text[..start];
    let mut b = before.trim_end();
    // "de 2 à 8 ans": skip the first member of the range.
    for sep in [" à", " et", "-"] {
        if let Some(x) = b.strip_suffix(sep) {
            let x = x.trim_end();
            let y = x.trim_end_matches(|c: char| c.is_ascii_digit());
            if y.len() < x.len() {
                b = y.trim_end();
            }
            break;
        }
    }
    let b = b
        .strip_suffix("une")
        .or_else(|| b.strip_suffix("un"))
        .map_or(b, str::trim_end);
    let Some(b) = b
        .strip_suffix("de")
        .or_else(|| b.strip_suffix("d'"))
        .or_else(|| b.strip_suffix("d’"))
    else {
        return false;
    };
    if b.ends_with(|c: char| c.is_alphanumeric()) {
        return false; // "...de" was the end of a longer word
    }
    // Only the next three visible characters matter: normalising the whole rest of the text
    // here made the extractor quadratic on long inputs.
    let after = norm(visible_prefix(&ctx.text[end..], 3));
    if after.starts_with("de ") || after.starts_with("d'") {
        return false; // "de 10 ans de prison"
    }
    let prev = word_ending_at(ctx, b.trim_end().len());
    if prev.is_empty() {
        return false;
    }
    ctx.lex.get("durnoun", prev).is_none()
}

/// `s` up to and including its `n`-th non-whitespace character (all of `s` if it has fewer):
/// the part of `s` that decides what [`norm`]`(s)` starts with, up to `n` characters.
fn visible_prefix(s: &str, n: usize) -> &str {
    s.char_indices()
        .filter(|(_, c)| !c.is_whitespace())
        .nth(n.saturating_sub(1))
        .map_or(s, |(i, c)| &s[..i + c.len_utf8()])
}

/// A bare year must not be followed by a noun ("en 2000 soldats"): the next word must be
/// capitalised, a function word of the `yearok` lexicon category, or punctuation.
fn year_follower_ok(ctx: &Ctx, end: usize) -> bool {
    let rest = &ctx.text[end..];
    let rest_trim = rest.trim_start();
    let Some(first) = rest_trim.chars().next() else {
        return true;
    };
    if !first.is_alphabetic() {
        // "2.000" / "2,5" are numbers.
        if (first == '.' || first == ',')
            && rest_trim[1..].starts_with(|c: char| c.is_ascii_digit())
            && rest.len() == rest_trim.len()
        {
            return false;
        }
        return true;
    }
    if first.is_uppercase() {
        return true;
    }
    // The function words are single words: the first part of a compound (`sous-marins`) or
    // an elided word (`d'`, `qu'`, `aujourd'` of `aujourd'hui`) is looked up.
    let word = word_starting_at(ctx, end + (rest.len() - rest_trim.len()));
    let word = word.split('-').next().unwrap_or(word);
    let word = word.find('\'').map_or(word, |i| &word[..=i]);
    ctx.lex.get("yearok", word).is_some()
}

// ------------------------------------------------------------------------------------------
// Second pass: ranges, continuations, anchors
// ------------------------------------------------------------------------------------------

/// Adds the first member of ranges ("du [19] au 23 juillet", "de [8] à 24 mois") and the second
/// member of month and year enumerations ("mars-[avril]", "entre 1990 et [1999]").
/// A capture group of an auxiliary regex, with its text.
struct Group<'h> {
    start: usize,
    end: usize,
    text: &'h str,
}

impl<'h> Group<'h> {
    fn from_span(span: Option<regex_automata::Span>, hay: &'h str) -> Option<Self> {
        let span = span?;
        Some(Group {
            start: span.start,
            end: span.end,
            text: hay.get(span.range())?,
        })
    }
    fn named(caps: &Captures, hay: &'h str, name: &str) -> Option<Self> {
        Group::from_span(caps.get_group_by_name(name), hay)
    }
    fn nth(caps: &Captures, hay: &'h str, i: usize) -> Option<Self> {
        Group::from_span(caps.get_group(i), hay)
    }
    fn start(&self) -> usize {
        self.start
    }
    fn end(&self) -> usize {
        self.end
    }
    fn as_str(&self) -> &'h str {
        self.text
    }
}

pub(crate) fn complete(ctx: &Ctx, c: &Compiled, cands: &mut Vec<Cand>) {
    let text = ctx.text;
    let mut extra: Vec<Cand> = Vec::new();
    for (i, cd) in cands.iter().enumerate() {
        let next_start = cands.get(i + 1).map_or(text.len(), |n| n.timex.start);
        let prev_end = if i == 0 { 0 } else { cands[i - 1].timex.end };
        // Look-behind window for ranges (at most ~40 bytes, on a char boundary).
        let mut ws = cd.timex.start.saturating_sub(40).max(prev_end);
        while !text.is_char_boundary(ws) {
            ws += 1;
        }
        let before = &ctx.folded[ws..cd.timex.start];
        if let (Some(day), TimexType::Date) = (cd.day, cd.timex.kind)
            && let Some(caps) = c.aux(Aux::RangeDay, before)
            && let Some(m) = Group::named(&caps, before, "d")
        {
            let d: i8 = match m.as_str() {
                "1er" => 1,
                s => s.parse().unwrap_or(0),
            };
            if let Ok(first) = Date::new(day.year(), day.month(), d)
                && first < day
            {
                let value = if cd.timex.value.starts_with("XXXX") {
                    format!("XXXX-{:02}-{:02}", first.month(), first.day())
                } else {
                    ymd(first)
                };
                let mut n = cand(
                    ws + m.start(),
                    ws + m.end(),
                    TimexType::Date,
                    value,
                    cd.timex.resolved.as_ref().map(|_| ymd(first)),
                );
                n.day = Some(first);
                extra.push(n);
            }
        }
        if let (Some(u), TimexType::Duration) = (&cd.dur_unit, cd.timex.kind)
            && let Some(caps) = c.aux(Aux::RangeNum, before)
            && let Some(m) = Group::named(&caps, before, "n")
            && let Some(Num::Exact(n)) = parse_number(ctx.lex, m.as_str())
            && let Some((count, letter, time)) = unit_parts(u)
            && n > 0.0
            && n <= 10000.0
        {
            let t = if time { "T" } else { "" };
            let v = format!("P{t}{}{letter}", fmt_num(n * count));
            extra.push(cand(
                ws + m.start(),
                ws + m.end(),
                TimexType::Duration,
                v.clone(),
                cd.timex.resolved.as_ref().map(|_| v),
            ));
        }
        let after = &ctx.folded[cd.timex.end..next_start.max(cd.timex.end)];
        if let Some(m0) = cd.month_of
            && let Some(caps) = c.aux(Aux::ContMonth, after)
            && let (Some(sep), Some(mm)) =
                (Group::nth(&caps, after, 1), Group::named(&caps, after, "m"))
            && let Some(m) = ctx
                .lex
                .get("month", mm.as_str())
                .and_then(|v| v.parse::<i8>().ok())
        {
            let explicit: Option<i16> =
                Group::named(&caps, after, "y").and_then(|y| y.as_str().parse().ok());
            let base_year = cd
                .timex
                .resolved
                .as_deref()
                .and_then(|v| v.get(..4))
                .and_then(|y| y.parse::<i16>().ok());
            let year = explicit.or(base_year.map(|y| if m < m0 { y + 1 } else { y }));
            let end = Group::named(&caps, after, "y").map_or(mm.end(), |y| y.end());
            let value = match explicit {
                Some(y) => format!("{y:04}-{m:02}"),
                None => format!("XXXX-{m:02}"),
            };
            let s = cd.timex.end + sep.end();
            let mut n = cand(
                s,
                cd.timex.end + end,
                TimexType::Date,
                value,
                year.map(|y| format!("{y:04}-{m:02}")),
            );
            n.month_of = Some(m);
            extra.push(n);
        }
        if cd.year.is_some()
            && cd.timex.value.len() == 4
            && let Some(caps) = c.aux(Aux::ContYear, after)
            && let (Some(sep), Some(y)) =
                (Group::nth(&caps, after, 1), Group::named(&caps, after, "y"))
        {
            let v = y.as_str().to_string();
            let mut n = cand(
                cd.timex.end + sep.end(),
                cd.timex.end + y.end(),
                TimexType::Date,
                v.clone(),
                cd.timex.resolved.as_ref().map(|_| v.clone()),
            );
            n.year = v.parse().ok();
            extra.push(n);
        }
    }
    if !extra.is_empty() {
        cands.extend(extra);
        cands.sort_by_key(|c| (c.timex.start, std::cmp::Reverse(c.timex.end)));
        // Drop overlaps, keeping the earlier (and longer) one.
        let mut out: Vec<Cand> = Vec::with_capacity(cands.len());
        for cd in cands.drain(..) {
            if out.last().is_some_and(|l| cd.timex.start < l.timex.end) {
                continue;
            }
            out.push(cd);
        }
        *cands = out;
    }
}

/// Resolves clock times and anchored expressions in text order.
pub(crate) fn finish(ctx: &Ctx, cands: &mut [Cand]) {
    for i in 0..cands.len() {
        match cands[i].pending {
            Pending::None => {}
            Pending::Anchor(off) => {
                let base = cands[..i]
                    .iter()
                    .rev()
                    .find_map(|c| c.day)
                    .or(ctx.reference);
                let day = base.and_then(|b| add_days(b, off));
                cands[i].timex.resolved = day.map(ymd);
                cands[i].day = day;
                if ctx.reference.is_none() {
                    cands[i].timex.resolved = None;
                }
            }
            Pending::Clock(h, mi, utc) => {
                let day = sentence_day(ctx, cands, i).or(ctx.reference);
                let z = if utc { "Z" } else { "" };
                if let Some(d) = day {
                    let v = format!("{}T{h:02}:{mi:02}{z}", ymd(d));
                    cands[i].timex.resolved = ctx.reference.map(|_| v.clone());
                    cands[i].day = Some(d);
                }
            }
            Pending::Part(p) => {
                let day = sentence_day(ctx, cands, i).or(ctx.reference);
                let suffix = if p == "MI" {
                    "T12:00".to_string()
                } else {
                    p.to_string()
                };
                if let Some(d) = day {
                    cands[i].timex.resolved = ctx.reference.map(|_| format!("{}{suffix}", ymd(d)));
                    cands[i].day = Some(d);
                }
            }
        }
        cands[i].pending = Pending::None;
        if ctx.reference.is_none() {
            // Without a reference date nothing is "resolved", not even written-out dates.
            cands[i].timex.resolved = None;
        }
    }
}

/// The day named in the sentence of `cands[i]`: the nearest dated timex before it in the same
/// sentence, else the first one after it.
fn sentence_day(ctx: &Ctx, cands: &[Cand], i: usize) -> Option<Date> {
    let (s, e) = sentence_of(ctx.sentences, cands[i].timex.start);
    let before = cands[..i]
        .iter()
        .rev()
        .take_while(|c| c.timex.start >= s)
        .find_map(|c| c.day);
    before.or_else(|| {
        cands[i + 1..]
            .iter()
            .take_while(|c| c.timex.start < e)
            .find(|c| c.pending == Pending::None && c.day.is_some())
            .and_then(|c| c.day)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentence_words_are_the_layer_words_with_elisions_joined() {
        let s = "L’armée s'est retirée le 3 mai - qu'il dit, à 14h30.";
        let layer = TextLayer::of_ranges(s, std::iter::once(0..s.len()));
        let words = sentence_words(s, &layer, 0..s.len());
        let forms: Vec<(&str, &str)> = words.iter().map(|w| (w.form, w.bare)).collect();
        assert_eq!(
            forms,
            [
                ("l'armée", "armée"),
                ("s'est", "est"),
                ("retirée", "retirée"),
                ("le", "le"),
                ("3", "3"),
                ("mai", "mai"),
                ("qu'il", "il"),
                ("dit", "dit"),
                ("à", "à"),
                ("14h30", "14h30"),
            ]
        );
        assert_eq!(&s[words[0].start..words[0].end], "L’armée");
        assert!(words[0].title && !words[1].title);
    }

    #[test]
    fn normed_is_norm_without_a_copy_when_normal() {
        for s in [
            "",
            "mars",
            "Mars",
            "deux mille",
            "deux  mille",
            " mars",
            "mars ",
            "l'an",
            "l’an",
            "lʼan",
            "`",
            "1er",
            "été",
            "Été",
            "ǅ",
            "ß",
            "a\u{a0}b",
            "\t",
            "İ",
        ] {
            let n = normed(s);
            assert_eq!(n, norm(s), "{s:?}");
            assert_eq!(matches!(n, Cow::Borrowed(_)), norm(s) == s, "{s:?}");
        }
    }

    #[test]
    fn visible_prefix_keeps_what_norm_starts_with() {
        assert_eq!(visible_prefix("  de  prison ferme", 3), "  de  p");
        assert_eq!(visible_prefix("d’un", 3), "d’u");
        assert_eq!(visible_prefix("de  ", 3), "de  ");
        assert_eq!(visible_prefix("", 3), "");
        for s in [
            "de prison",
            "De\u{a0}\u{a0}x",
            "d’un an",
            "de",
            "de ",
            "dé x",
            " d ' ",
        ] {
            let full = norm(s);
            let short = norm(visible_prefix(s, 3));
            assert_eq!(full.starts_with("de "), short.starts_with("de "), "{s:?}");
            assert_eq!(full.starts_with("d'"), short.starts_with("d'"), "{s:?}");
        }
    }
}
