//! The layout of a dispatch: lines grouped into units, and the rules that tell a title, a
//! dateline, a section heading and the closing credit from a body paragraph.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::model::{CharMap, Credit, Dateline};
use crate::resources::Resources;

/// A title has at most this many words; longer first lines are the lead.
const MAX_TITLE_WORDS: usize = 20;
/// A heading (intertitle) has at most this many words and characters.
const MAX_HEADING_WORDS: usize = 14;
const MAX_HEADING_CHARS: usize = 120;
/// A line this long that ends without punctuation is a hard-wrapped paragraph, continued below.
const MIN_WRAPPED_LINE_CHARS: usize = 50;

/// A paragraph-sized unit of the text: one line, or several hard-wrapped lines joined.
#[derive(Debug, Clone)]
pub struct Unit {
    /// Trimmed byte range into the text.
    pub range: Range<usize>,
}

/// Groups the lines of `text` into units: blank lines always separate, single newlines
/// separate unless the line was visibly wrapped (long, no final punctuation, or the next line
/// starts in lowercase).
pub fn units(text: &str) -> Vec<Unit> {
    let mut lines: Vec<(Range<usize>, bool)> = Vec::new(); // (trimmed range, blank line before)
    let mut blank_before = false;
    let mut pos = 0;
    for line in text.split('\n') {
        let start = pos;
        pos += line.len() + 1;
        let trimmed = line.trim_matches(is_space);
        if trimmed.is_empty() {
            blank_before = true;
            continue;
        }
        let lead = line.len() - line.trim_start_matches(is_space).len();
        lines.push((start + lead..start + lead + trimmed.len(), blank_before));
        blank_before = false;
    }
    let mut out: Vec<Unit> = Vec::new();
    for (i, (range, blank)) in lines.iter().enumerate() {
        let joins = i > 0 && !blank && continues_previous(text, &lines[i - 1].0, range);
        match out.last_mut() {
            Some(last) if joins => last.range.end = range.end,
            _ => out.push(Unit {
                range: range.clone(),
            }),
        }
    }
    out
}

fn continues_previous(text: &str, prev: &Range<usize>, cur: &Range<usize>) -> bool {
    let prev_text = &text[prev.clone()];
    let cur_text = &text[cur.clone()];
    let starts_lower = cur_text.chars().next().is_some_and(char::is_lowercase);
    let ends_open = !prev_text.ends_with(['.', '!', '?', '…', '»', '"', '”', ':', ')']);
    (starts_lower && ends_open)
        || (ends_open
            && prev_text.chars().count() >= MIN_WRAPPED_LINE_CHARS
            && !prev_text.ends_with(['-', '–']))
}

pub fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{202F}' || c == '\u{A0}' || c == '\u{FEFF}'
}

fn word_count(s: &str) -> usize {
    s.split(is_space)
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}

/// The last character that is not a closing mark or a space.
fn final_char(s: &str) -> Option<char> {
    s.trim_end_matches(|c: char| is_space(c) || matches!(c, '»' | '”' | '"' | ')'))
        .chars()
        .next_back()
}

fn ends_like_sentence(s: &str) -> bool {
    // `Lutte contre les « aspirations hégémonistes »` ends with a guillemet after a word: it
    // does not end like a sentence; `… stratégique. »` does.
    matches!(final_char(s), Some('.' | '!' | '?' | '…' | ':' | ';' | ','))
}

/// A first line short enough, followed by more text, without final punctuation, or set apart
/// by a blank line whatever its final mark (`Faut-il croire les sondages ?`).
pub fn is_title(text: &str, unit: &Unit, has_more: bool) -> bool {
    let s = &text[unit.range.clone()];
    has_more
        && word_count(s) <= MAX_TITLE_WORDS
        && (!ends_like_sentence(s) || alone_before_blank_line(text, unit))
        && !DATELINE.is_match(s)
        && s.chars().next().is_some_and(|c| !c.is_lowercase())
}

/// One line, then a blank line: the way a headline stands above its dispatch. A clause cut by
/// a comma or a semicolon still goes on, so it is no headline.
fn alone_before_blank_line(text: &str, unit: &Unit) -> bool {
    let s = &text[unit.range.clone()];
    let rest = &text[unit.range.end..];
    let after_line = rest.trim_start_matches(|c: char| c != '\n' && is_space(c));
    let blank_after = after_line.strip_prefix('\n').is_some_and(|r| {
        r.trim_start_matches(|c: char| c != '\n' && is_space(c))
            .starts_with(['\n', '\r'])
    });
    !s.contains('\n') && blank_after && !matches!(final_char(s), Some(',' | ';'))
}

/// AFP intertitles: `- Négociations au point mort -`. Returns the inner text's range.
pub fn dashed_heading(text: &str, unit: &Unit) -> Option<Range<usize>> {
    let s = &text[unit.range.clone()];
    if s.chars().count() > MAX_HEADING_CHARS {
        return None;
    }
    let caps = DASHED_HEADING.captures(s)?;
    let inner = caps.get(1)?;
    Some(unit.range.start + inner.start()..unit.range.start + inner.end())
}

/// A short line without final punctuation, starting like a sentence.
pub fn is_heading(text: &str, unit: &Unit) -> bool {
    let s = &text[unit.range.clone()];
    let first = s.chars().next();
    word_count(s) <= MAX_HEADING_WORDS
        && s.chars().count() <= MAX_HEADING_CHARS
        && word_count(s) >= 1
        && !ends_like_sentence(s)
        && first.is_some_and(|c| c.is_uppercase() || c.is_ascii_digit() || c == '«' || c == '"')
}

// Bounded repetitions of Unicode classes (`.{0,118}`, `[\p{L}…]{0,40}`) cost milliseconds
// to compile, one copy per repetition: lengths are checked in code instead.
static DASHED_HEADING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[-–—]+\s+(\S.*?\S|\S)\s+[-–—]+$").expect("valid regex"));

/// The longest place name a dateline holds, in characters.
const MAX_DATELINE_PLACE_CHARS: usize = 40;

/// `PARIS, 3 mars 2024 (AFP) -`, `Moscou (AFP) -`, `Genève (awp/afp) -`, `Bamako (AFP)`.
static DATELINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?P<place>\p{Lu}[^,()\n]*?)(?:\s*,\s*(?P<date>\d{1,2}(?:er)?\s+\p{L}+\.?\s+\d{4}))?\s*\((?P<agency>[^()\n]+)\)(?:\s*[-–—]+\s*|\s*$)",
    )
    .expect("valid regex")
});

/// `14 mars 2013. -` or `14 mars 2013 -` at the start of the body, possibly with a place
/// after the date (`22 août 2012, Espagne. -`, the Wikinews form).
static DATE_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?P<date>\d{1,2}(?:er)?\s+\p{L}+\.?\s+\d{4})(?:\s*,\s*(?P<place>\p{Lu}[^,.()\n]{0,60}?))?\s*\.?\s*[-–—]+\s+",
    )
    .expect("valid regex")
});

/// Finds a dateline at the start of `unit`; returns it and where the body text resumes.
pub fn dateline(
    text: &str,
    unit: &Unit,
    res: &Resources,
    chars: &CharMap,
) -> Option<(Dateline, usize)> {
    let s = &text[unit.range.clone()];
    let (place, date, agency, len) = if let Some(c) = DATELINE.captures(s) {
        let agency = c.name("agency")?.as_str();
        if !mentions_agency(agency, res)
            || agency.chars().count() > 30
            || c["place"].chars().count() > MAX_DATELINE_PLACE_CHARS
        {
            return None;
        }
        (
            Some(c["place"].trim().to_string()),
            c.name("date")
                .and_then(|d| parse_day_month_year(d.as_str(), res)),
            Some(agency.trim().to_string()),
            c.get(0)?.end(),
        )
    } else if let Some(c) = DATE_PREFIX.captures(s) {
        let date = parse_day_month_year(&c["date"], res);
        date.as_ref()?;
        let place = c.name("place").map(|p| p.as_str().trim().to_string());
        (place, date, None, c.get(0)?.end())
    } else {
        return None;
    };
    let matched = &s[..len];
    let trimmed = matched.trim_end_matches(is_space);
    let range = unit.range.start..unit.range.start + trimmed.len();
    let span = chars.span(&range);
    Some((
        Dateline {
            place,
            date,
            agency,
            text: trimmed.to_string(),
            start: span.start,
            end: span.end,
            range,
        },
        unit.range.start + len,
    ))
}

fn mentions_agency(s: &str, res: &Resources) -> bool {
    s.split(|c: char| !c.is_alphanumeric())
        .any(|w| res.agencies.iter().any(|a| a.eq_ignore_ascii_case(w)))
}

/// `3 mars 2024`, `1er sept. 2001` → `2024-03-03`.
pub fn parse_day_month_year(s: &str, res: &Resources) -> Option<String> {
    let mut parts = s.split_whitespace();
    let day: u8 = parts.next()?.trim_end_matches("er").parse().ok()?;
    let month_word = parts.next()?.trim_end_matches('.').to_lowercase();
    let month = *res.months.get(&month_word)?;
    let year: i16 = parts.next()?.parse().ok()?;
    let date = jiff::civil::Date::new(year, month as i8, day as i8).ok()?;
    Some(date.to_string())
}

static CREDIT_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)^(?:
            (?P<sig>[a-z]{2,6}(?:-[a-z]{2,6})*(?:/[a-z0-9]{1,6})+)
          | (?P<note>note\s*:.*)
          | \(?\s*(?:©|copyright)?\s*(?:\d{4}\s+)?(?:avec\s+)?(?P<agency>[a-z]{2,8})(?:\s*(?:et|,|/)\s*[a-z]{2,8})*\s*\)?\s*(?:$|(?P<rest>note\s*:.*))
        )$",
    )
    .expect("valid regex")
});

static AI_NOTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)intelligence artificielle|\bIA\b|artificial intelligence")
        .expect("valid regex")
});

/// Is this unit a closing credit line?
pub fn is_credit(text: &str, unit: &Unit, res: &Resources) -> bool {
    let s = &text[unit.range.clone()];
    let Some(c) = CREDIT_LINE.captures(s) else {
        return false;
    };
    // A bare word in parentheses is a credit only when it names an agency.
    c.name("agency").is_none() || mentions_agency(s, res)
}

/// Builds the credit from its units (the trailing credit lines, in order).
pub fn credit(text: &str, units: &[Unit], res: &Resources, chars: &CharMap) -> Option<Credit> {
    let first = units.first()?;
    let last = units.last()?;
    let range = first.range.start..last.range.end;
    let whole = &text[range.clone()];
    let mut notes = Vec::new();
    let mut agency = None;
    for unit in units {
        let s = &text[unit.range.clone()];
        let (head, note) = match s.to_lowercase().find("note") {
            Some(i)
                if s[i..]
                    .trim_start_matches(|c: char| c.is_alphabetic())
                    .trim_start()
                    .starts_with(':') =>
            {
                (&s[..i], Some(&s[i..]))
            }
            _ => (s, None),
        };
        if agency.is_none() {
            agency = head
                .split(|c: char| !c.is_alphanumeric())
                .find_map(|w| res.agencies.iter().find(|a| a.eq_ignore_ascii_case(w)))
                .cloned();
        }
        if let Some(n) = note {
            let body = n.split_once(':').map_or(n, |(_, b)| b).trim();
            notes.push(body.to_string());
        }
    }
    let ai_assisted = notes.iter().any(|n| AI_NOTE.is_match(n));
    let span = chars.span(&range);
    Some(Credit {
        text: whole.to_string(),
        agency,
        notes,
        ai_assisted,
        start: span.start,
        end: span.end,
        range,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn res() -> Resources {
        Resources::embedded().unwrap()
    }

    fn unit(s: &str) -> Unit {
        Unit { range: 0..s.len() }
    }

    #[test]
    fn datelines() {
        let r = res();
        let cases = [
            (
                "PARIS, 3 mars 2024 (AFP) - Le texte",
                Some("PARIS"),
                Some("2024-03-03"),
                "Le texte",
            ),
            ("Moscou (AFP) - Le texte", Some("Moscou"), None, "Le texte"),
            (
                "WASHINGTON, 12 juil 2025 (AFP) – Le texte",
                Some("WASHINGTON"),
                Some("2025-07-12"),
                "Le texte",
            ),
            (
                "Genève (awp/afp) - Le texte",
                Some("Genève"),
                None,
                "Le texte",
            ),
            (
                "14 mars 2013. - Le texte",
                None,
                Some("2013-03-14"),
                "Le texte",
            ),
            (
                "3 juin 2011, Côte d'Ivoire. - Le texte",
                Some("Côte d'Ivoire"),
                Some("2011-06-03"),
                "Le texte",
            ),
        ];
        for (s, place, date, rest) in cases {
            let (d, resume) =
                dateline(s, &unit(s), &r, &CharMap::new(s)).unwrap_or_else(|| panic!("{s}"));
            assert_eq!(d.place.as_deref(), place, "{s}");
            assert_eq!(d.date.as_deref(), date, "{s}");
            assert_eq!(&s[resume..], rest, "{s}");
        }
    }

    #[test]
    fn not_datelines() {
        let r = res();
        for s in [
            "Le président (PS) a dit",
            "Paris (France) - non",
            "La Corée du Nord a tiré.",
        ] {
            assert!(dateline(s, &unit(s), &r, &CharMap::new(s)).is_none(), "{s}");
        }
    }

    #[test]
    fn credits() {
        let r = res();
        for s in [
            "(AFP)",
            "AFP",
            "(Avec AFP)",
            "Avec Reuters et AFP",
            "© AFP",
            "bur-pz/hj",
            "sw/ob/jz",
            "© 2024 AFP",
            "(AFP) Note : Cet article a été édité avec l'aide de l'Intelligence Artificielle.",
        ] {
            assert!(is_credit(s, &unit(s), &r), "{s}");
        }
        for s in [
            "Le pays est en guerre.",
            "Note de la rédaction",
            "Poutine souhaite de nouveaux contacts",
        ] {
            assert!(!is_credit(s, &unit(s), &r), "{s}");
        }
    }

    #[test]
    fn ai_note_is_flagged() {
        let r = res();
        let s = "(AFP) Note : Cet article a été édité avec l'aide de l'Intelligence Artificielle.";
        let c = credit(s, &[unit(s)], &r, &CharMap::new(s)).unwrap();
        assert_eq!(c.agency.as_deref(), Some("AFP"));
        assert!(c.ai_assisted);
        assert_eq!(
            c.notes,
            ["Cet article a été édité avec l'aide de l'Intelligence Artificielle."]
        );
    }

    #[test]
    fn headings() {
        for s in [
            "Poutine souhaite de nouveaux contacts",
            "Lutte contre les « aspirations hégémonistes »",
            "Accord de défense mutuelle signé",
        ] {
            assert!(is_heading(s, &unit(s)), "{s}");
        }
        for s in ["Il est venu.", "« Nous partons. »", "et puis voilà"] {
            assert!(!is_heading(s, &unit(s)), "{s}");
        }
        let s = "- Négociations au point mort -";
        assert_eq!(
            &s[dashed_heading(s, &unit(s)).unwrap()],
            "Négociations au point mort"
        );
    }

    #[test]
    fn wrapped_lines_join() {
        let t = "Le ministre russe des Affaires étrangères a été reçu\nsamedi par le dirigeant.\nTitre court\nSuite.";
        let u = units(t);
        assert_eq!(u.len(), 3);
        assert_eq!(
            &t[u[0].range.clone()],
            "Le ministre russe des Affaires étrangères a été reçu\nsamedi par le dirigeant."
        );
    }
}
