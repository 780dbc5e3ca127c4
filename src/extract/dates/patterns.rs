//! Loading of the data files (lexicon, fragments, rules) and compilation of the combined regex.
//!
//! All rules of `data/patterns/dates-rules.tsv` are compiled into ONE regex without capture
//! groups: an alternation `GUARD(?:rule0|rule1|...)GUARD` where GUARD consumes the non-letter
//! character before (after) the rule, or matches at the start (end) of the text. Matching is
//! leftmost-first, so the order of the rules in the file is their priority at a given start.
//! The combined regex only finds spans (lazy DFA, fast); the rule that produced a span is the
//! first rule whose own anchored regex (compiled on first use) matches at the span's start,
//! and only that small regex is run for capture groups.

use std::collections::HashMap;

use regex::{Regex, RegexBuilder};

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

/// Lower-cases, maps ’ to ', and collapses whitespace (including no-break spaces) to one space.
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

pub(crate) struct Lexicon {
    maps: HashMap<String, HashMap<String, String>>,
    lists: HashMap<String, Vec<String>>,
}

impl Lexicon {
    fn parse(src: &str) -> Lexicon {
        let mut maps: HashMap<String, HashMap<String, String>> = HashMap::new();
        let mut lists: HashMap<String, Vec<String>> = HashMap::new();
        for line in src.lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let mut it = line.split('\t');
            let (Some(cat), Some(word), Some(val)) = (it.next(), it.next(), it.next()) else {
                continue;
            };
            maps.entry(cat.to_string())
                .or_default()
                .insert(norm(word), val.to_string());
            lists
                .entry(cat.to_string())
                .or_default()
                .push(word.to_string());
        }
        Lexicon { maps, lists }
    }

    /// Value of `word` (normalised) in `cat`.
    pub(crate) fn get(&self, cat: &str, word: &str) -> Option<&str> {
        self.maps.get(cat)?.get(&norm(word)).map(String::as_str)
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
                    .map(regex::escape)
                    .collect::<Vec<_>>()
                    .join(r"\s+")
            })
            .collect();
        Some(format!("(?:{})", alts.join("|")))
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
    pub name: String,
    pub kind: RuleKind,
    pub func: String,
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
    compiled: std::sync::OnceLock<Regex>,
}

impl Rule {
    /// This rule alone, anchored, with its named groups; compiled on first use. Like the
    /// combined regex it runs on the case-folded text (see [`fold_case`]).
    pub(crate) fn regex(&self) -> &Regex {
        self.compiled.get_or_init(|| {
            RegexBuilder::new(&self.source)
                .size_limit(64 << 20)
                .build()
                .unwrap_or_else(|e| panic!("depeche dates: bad rule {}: {e}", self.name))
        })
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
    pub regex: Regex,
    /// The rules' own anchored regexes as one set, in the priority order of `regex`
    /// (`set_order[k]` = index in `rules` of the set's pattern k).
    pub set: regex::RegexSet,
    pub set_order: Vec<usize>,
    pub rules: Vec<Rule>,
    pub lex: Lexicon,
    /// `^\s*(?:-|à|au|et|ou)\s*MONTH` continuation after a month ("mars-avril").
    pub cont_month: Regex,
    /// `^\s*(?:-|à|et|ou)\s*YEAR` continuation after a year ("entre 1990 et 1999").
    pub cont_year: Regex,
    /// `(?:du|entre le|...) N (?:au|et) $` before a dated timex ("du 19 au 23 juillet").
    pub range_day: Regex,
    /// `(?:de|entre) N (?:à|et) $` before a duration ("de 8 à 24 mois").
    pub range_num: Regex,
}

/// Lower-cases `text` where that keeps the UTF-8 length, so that byte offsets are the same in
/// the copy; the combined regex runs on it without `(?i)`.
pub(crate) fn fold_case(text: &str) -> std::borrow::Cow<'_, str> {
    let bytes = text.as_bytes();
    // ASCII capitals, and Latin-1 capitals À..Þ (0xC3 0x80..0x9E, not ×) which fold to the
    // same length; other capitals (rare in French news) are left as they are.
    if !bytes.iter().any(|b| b.is_ascii_uppercase() || *b == 0xC3) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = bytes.to_vec();
    out.make_ascii_lowercase();
    for i in memchr::memchr_iter(0xC3, bytes) {
        if let Some(n) = out.get_mut(i + 1)
            && (0x80..=0x9E).contains(n)
            && *n != 0x97
        {
            *n += 0x20;
        }
    }
    match String::from_utf8(out) {
        Ok(s) => std::borrow::Cow::Owned(s),
        Err(_) => std::borrow::Cow::Borrowed(text),
    }
}

/// Non-letter, non-digit character (Latin scripts; cheap for the DFA, unlike `\p{L}`).
pub(crate) const NOT_WORD: &str = r"[^0-9A-Za-z\u{AA}\u{B2}\u{B3}\u{B5}\u{B9}\u{BA}\u{C0}-\u{D6}\u{D8}-\u{F6}\u{F8}-\u{24F}\u{1D00}-\u{1DBF}\u{1E00}-\u{1EFF}]";

/// Joins the rules into one alternation, keeping their order inside each of the four guard
/// classes (shared left guard or not, shared right guard or not).
fn combine(alts: &[(bool, bool, String)]) -> String {
    let left = format!(r"(?:\A|{NOT_WORD})");
    let right = format!(r"(?:{NOT_WORD}|\z)");
    let mut parts = Vec::new();
    for (own_l, own_r) in [(false, false), (true, false), (false, true), (true, true)] {
        let body: Vec<&str> = alts
            .iter()
            .filter(|(l, r, _)| *l == own_l && *r == own_r)
            .map(|(_, _, b)| b.as_str())
            .collect();
        if body.is_empty() {
            continue;
        }
        let l = if own_l { "" } else { left.as_str() };
        let r = if own_r { "" } else { right.as_str() };
        parts.push(format!("{l}(?:{}){r}", body.join("|")));
    }
    format!("(?:{})", parts.join("|"))
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

/// Makes every apostrophe match both ' and ’ (inside and outside character classes).
fn apostrophes(src: &str) -> String {
    let mut out = String::with_capacity(src.len() + 16);
    let mut in_class = false;
    let mut escaped = false;
    for c in src.chars() {
        if escaped {
            out.push(c);
            escaped = false;
            continue;
        }
        match c {
            '\\' => {
                escaped = true;
                out.push(c);
            }
            '[' if !in_class => {
                in_class = true;
                out.push(c);
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
    }
    out
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

pub(crate) fn compile() -> Result<Compiled, String> {
    let lex = Lexicon::parse(LEXICON);
    let mut frags: HashMap<String, String> = HashMap::new();
    for cat in lex.lists.keys() {
        if let Some(f) = lex.fragment(cat) {
            frags.insert(cat.clone(), f);
        }
    }
    for line in FRAGMENTS.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let Some((name, re)) = line.split_once('\t') else {
            return Err(format!("bad fragment line: {line}"));
        };
        frags.insert(name.to_string(), re.to_string());
    }

    struct Raw {
        name: String,
        kind: RuleKind,
        func: String,
        args: Vec<(String, String)>,
        modifier: ModSpec,
        names: Vec<String>,
    }
    let mut raws = Vec::new();
    let mut alts = Vec::new();
    let mut sources: Vec<String> = Vec::new();
    for line in RULES.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 5 {
            return Err(format!("bad rule line: {line}"));
        }
        let kind = match cols[1] {
            "DATE" => RuleKind::Date,
            "TIME" => RuleKind::Time,
            "DURATION" => RuleKind::Duration,
            "SET" => RuleKind::Set,
            "AUTO" => RuleKind::Auto,
            "NONE" => RuleKind::None,
            other => return Err(format!("bad type {other} in rule {}", cols[0])),
        };
        let mut parts = cols[2].split_whitespace();
        let func = parts.next().unwrap_or("none").to_string();
        let args = parts
            .filter_map(|a| a.split_once('='))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let modifier = match cols[3] {
            "" => ModSpec::None,
            m if m.starts_with('$') => ModSpec::Group(m[1..].to_string()),
            m => ModSpec::Lit(static_mod(m).ok_or_else(|| format!("unknown mod {m}"))?),
        };

        let body = apostrophes(&expand(cols[4], &frags, 0)?);
        let (plain, names) = strip_groups(&body);
        // Rules that start (end) with punctuation carry their own left (right) boundary; the
        // others share one guard on each side (see `combine`).
        let own_left = cols[4].starts_with('[') || cols[4].starts_with("\\(");
        let own_right = cols[4].ends_with(']') || cols[4].ends_with("\\)");
        let left = if own_left {
            String::new()
        } else {
            format!(r"(?:\A|{NOT_WORD})")
        };
        let right = if own_right {
            String::new()
        } else {
            format!(r"(?:{NOT_WORD}|\z)")
        };
        sources.push(format!("^{left}(?P<whole>{body}){right}"));
        alts.push((own_left, own_right, format!("(?:{plain})")));
        raws.push(Raw {
            name: cols[0].to_string(),
            kind,
            func,
            args,
            modifier,
            names,
        });
    }
    let pattern = combine(&alts);
    let mut set_order = Vec::with_capacity(alts.len());
    for class in [(false, false), (true, false), (false, true), (true, true)] {
        for (i, (l, r, _)) in alts.iter().enumerate() {
            if (*l, *r) == class {
                set_order.push(i);
            }
        }
    }
    let set = regex::RegexSetBuilder::new(set_order.iter().map(|&i| sources[i].as_str()))
        .size_limit(256 << 20)
        .dfa_size_limit(64 << 20)
        .build()
        .map_err(|e| e.to_string())?;
    let regex = RegexBuilder::new(&pattern)
        .size_limit(256 << 20)
        .dfa_size_limit(64 << 20)
        .build()
        .map_err(|e| e.to_string())?;
    let mut rules = Vec::with_capacity(raws.len());
    for (raw, source) in raws.into_iter().zip(sources) {
        // Group indices are those of the rule's own regex: `whole` is 1, then in order.
        let mut groups = Vec::new();
        let mut extent = None;
        for (k, n) in raw.names.iter().enumerate() {
            let idx = k + 2;
            if n == "t" {
                extent = Some(idx);
            }
            groups.push((n.clone(), idx));
        }
        rules.push(Rule {
            name: raw.name,
            kind: raw.kind,
            func: raw.func,
            args: raw.args,
            modifier: raw.modifier,
            group: 1,
            extent,
            groups,
            source,
            compiled: std::sync::OnceLock::new(),
        });
    }
    let build = |src: &str| -> Result<Regex, String> {
        let p = apostrophes(&expand(src, &frags, 0)?);
        RegexBuilder::new(&format!("(?i){p}"))
            .build()
            .map_err(|e| e.to_string())
    };
    Ok(Compiled {
        regex,
        set,
        set_order,
        rules,
        cont_month: build(
            r"^(\s*(?:-|–|/|à|au|et|ou|puis)\s*)(?P<m>{month})(?:\s+(?P<y>{year4}))?(?:[^\p{L}\p{N}]|$)",
        )?,
        cont_year: build(
            r"^(\s*(?:-|–|/|à|et|ou|puis)\s*)(?P<y>(?:19|20)\d\d)(?:[^\p{L}\p{N}.,]|[.,](?:\D|$)|$)",
        )?,
        range_day: build(
            r"(?:^|[^\p{L}\p{N}])(?:du|entre\s+le|entre|les|le)\s+(?P<d>1er|3[01]|[12]\d|0?[1-9])\s*(?:au|et|-|à)\s+(?:le\s+)?$",
        )?,
        range_num: build(
            r"(?:^|[^\p{L}\p{N}])(?:de|entre)\s+(?P<n>\d{1,4}|{numword})\s+(?:à|et)\s+$",
        )?,
        lex,
    })
}
