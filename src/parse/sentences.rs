//! The French sentence splitter.
//!
//! A boundary is a run of terminal punctuation (`.`, `!`, `?`, `…`), possibly followed by closing
//! quotes or brackets, then whitespace and something that can open a sentence (a capital, a
//! digit, an opening quote or a dash). The exceptions carry the French knowledge:
//! abbreviations and titles from `data/parse/abbreviations.tsv` (`M. Lavrov`), initials
//! (`G. W. Bush`, `J.-L. Mélenchon`), `(...)` ellipses, and quotations. Following the Universal
//! Dependencies convention, a quotation closed by its attribution is one sentence
//! (`« Je viens. Je pars », a-t-il dit.`), while one that closes on its own final punctuation
//! ends a sentence (`… partenariat. » Il`).

use std::ops::Range;

use crate::resources::{AbbrevClass, Resources};

/// Splits `text[range]` (one paragraph) into sentence ranges, trimmed of whitespace.
pub fn split(text: &str, range: Range<usize>, res: &Resources) -> Vec<Range<usize>> {
    let para = &text[range.clone()];
    let protected = protected_quotes(para);
    let mut cuts = Vec::new();
    let mut i = 0;
    while let Some(offset) = next_terminal(&para[i..]) {
        let run_start = i + offset;
        // At least past the terminal character itself, so the loop moves on.
        let run_end = terminal_run_end(para, run_start);
        i = run_end;
        if is_boundary(para, run_start, run_end, &protected, res) {
            cuts.push(run_end);
        }
    }
    let mut out = Vec::new();
    let mut start = 0;
    for cut in cuts.into_iter().chain(std::iter::once(para.len())) {
        if let Some(r) = trimmed(para, start, cut) {
            out.push(range.start + r.start..range.start + r.end);
        }
        start = cut;
    }
    out
}

/// The byte offset of the first terminal character in `s`: a scan of bytes, not of chars,
/// since `.`, `!`, `?` are ASCII and `…` starts with a lead byte (never inside another char).
fn next_terminal(s: &str) -> Option<usize> {
    const ELLIPSIS: &[u8] = "…".as_bytes();
    let bytes = s.as_bytes();
    let mut from = 0;
    loop {
        let i = from
            + bytes[from..]
                .iter()
                .position(|&b| matches!(b, b'.' | b'!' | b'?') || b == ELLIPSIS[0])?;
        if bytes[i..].starts_with(ELLIPSIS) || bytes[i] != ELLIPSIS[0] {
            return Some(i);
        }
        from = i + 1;
    }
}

fn is_terminal(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '…')
}

fn is_closer(c: char) -> bool {
    matches!(c, '»' | '”' | '"' | ')' | ']' | '’' | '\'')
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{202F}' || c == '\u{A0}'
}

/// The end of a run of terminal punctuation and the closing marks that belong to it
/// (`. »`, `?)`, `!”`), spaces inside the run included.
fn terminal_run_end(para: &str, start: usize) -> usize {
    let mut end = start;
    let it = para[start..].char_indices().peekable();
    for (off, c) in it {
        if is_terminal(c) || is_closer(c) {
            end = start + off + c.len_utf8();
        } else if is_space(c) {
            // A space may stand before a closing guillemet (`. »`), not before anything else.
            let rest = &para[start + off..];
            let next = rest.trim_start_matches(is_space).chars().next();
            if matches!(next, Some('»' | '”')) {
                continue;
            }
            break;
        } else {
            break;
        }
    }
    end
}

/// Quotations that were closed by their attribution (`« … », a-t-il dit`, `« … » a-t-il`):
/// the byte ranges inside them never hold a boundary.
fn protected_quotes(para: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut stack: Vec<usize> = Vec::new();
    let mut straight_open: Option<usize> = None;
    for (i, b) in para.bytes().enumerate() {
        // Only these bytes can start a quotation mark: skip the others without decoding.
        if !QUOTE_LEAD_BYTES.contains(&b) {
            continue;
        }
        let Some(c) = para[i..].chars().next() else {
            break;
        };
        let closed_at = match c {
            '«' | '“' => {
                stack.push(i);
                None
            }
            '»' | '”' => stack.pop(),
            '"' => match straight_open.take() {
                Some(open) => Some(open),
                None => {
                    straight_open = Some(i);
                    None
                }
            },
            _ => None,
        };
        if let Some(open) = closed_at {
            let after = i + c.len_utf8();
            if stack.is_empty() && closed_by_attribution(&para[after..]) {
                out.push(open..after);
            }
        }
    }
    out
}

/// The first bytes of the UTF-8 of `"`, `«`, `»` (0xC2) and `“`, `”` (0xE2).
const QUOTE_LEAD_BYTES: [u8; 3] = [b'"', 0xC2, 0xE2];

/// After a closing quote: a comma, a lowercase word, or nothing but the paragraph's end of a
/// clause. All of these keep the quotation inside the sentence that attributes it.
fn closed_by_attribution(after: &str) -> bool {
    let rest = after.trim_start_matches(is_space);
    match rest.chars().next() {
        None => false,
        Some(c) => c == ',' || c == ';' || c == ':' || c == ')' || c.is_lowercase() || c == '-',
    }
}

fn is_boundary(
    para: &str,
    run_start: usize,
    run_end: usize,
    protected: &[Range<usize>],
    res: &Resources,
) -> bool {
    if protected
        .iter()
        .any(|r| r.start < run_start && run_start < r.end - 1)
    {
        // Inside a quotation that its attribution closes; but the run may end exactly at the
        // closing mark, which is then handled by what follows it.
        if !protected.iter().any(|r| r.end == run_end) {
            return false;
        }
    }
    let after = &para[run_end..];
    let Some(first_after) = after.chars().next() else {
        return false;
    };
    if !is_space(first_after) {
        return false;
    }
    let next = after.trim_start_matches(is_space);
    let Some(n) = next.chars().next() else {
        return false;
    };
    if !opens_sentence(n, next) {
        return false;
    }
    let run = &para[run_start..run_end];
    // `(...)` and `[…]` mark a cut inside a quotation, not the end of a sentence.
    if para[..run_start].ends_with(['(', '[']) {
        return false;
    }
    if run.starts_with('.') && !run.starts_with("..") {
        return !period_is_abbreviation(para, run_start, res);
    }
    true
}

fn opens_sentence(c: char, next: &str) -> bool {
    if c.is_uppercase() || c.is_ascii_digit() {
        return true;
    }
    if matches!(c, '«' | '“' | '"' | '(' | '[' | '—' | '–' | '¿' | '¡') {
        return true;
    }
    // A dash that opens a line of dialogue or a list item: `- Il a dit`.
    c == '-' && next[1..].starts_with(' ')
}

/// Is the period at `dot` the end of an abbreviation or an initial rather than of a sentence?
fn period_is_abbreviation(para: &str, dot: usize, res: &Resources) -> bool {
    let before = &para[..dot];
    let token_start = before
        .rfind(|c: char| is_space(c) || matches!(c, '(' | '«' | '“' | '"' | '\'' | '’' | '['))
        .map_or(0, |i| {
            i + before[i..].chars().next().map_or(1, char::len_utf8)
        });
    let token = &before[token_start..];
    if token.is_empty() {
        return false;
    }
    if let Some(class) = res.abbreviations.get(token) {
        return matches!(class, AbbrevClass::Title | AbbrevClass::Inner);
    }
    let before_token = before[..token_start].trim_end_matches(is_space);
    // `2° C.`, `40 km.`: a unit after a number ends a sentence like any word.
    if before_token.ends_with(|c: char| c == '°' || c.is_ascii_digit()) {
        return false;
    }
    // The last piece after a hyphen or period: `J.-L` → `L`, `av. J.-C` handled above.
    let last = token.rsplit(['.', '-']).next().unwrap_or(token);
    let mut chars = last.chars();
    let is_initial = matches!((chars.next(), chars.next()), (Some(c), None) if c.is_uppercase());
    if is_initial {
        return true;
    }
    // Dotted acronyms and initials: `U.S`, `J.-L`.
    if token.contains('.')
        && token
            .chars()
            .all(|c| c.is_alphabetic() || c == '.' || c == '-')
    {
        return token
            .split(['.', '-'])
            .filter(|p| !p.is_empty())
            .all(|p| p.chars().count() <= 2);
    }
    // A number that opens the paragraph or follows a sentence's end is a list marker
    // (`1. Le premier point`, `… son pays. 2. À partir …`).
    let opens = before_token.is_empty() || before_token.ends_with(['.', '!', '?', ':', ';']);
    opens && token.len() <= 2 && token.chars().all(|c| c.is_ascii_digit())
}

fn trimmed(para: &str, start: usize, end: usize) -> Option<Range<usize>> {
    let slice = &para[start..end];
    let lead = slice.len() - slice.trim_start_matches(is_space).len();
    let trail = slice.trim_end_matches(is_space).len();
    (lead < trail).then_some(start + lead..start + trail)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sents(text: &str) -> Vec<String> {
        let res = Resources::embedded().unwrap();
        split(text, 0..text.len(), &res)
            .into_iter()
            .map(|r| text[r].to_string())
            .collect()
    }

    #[test]
    fn quote_lead_bytes_start_every_quotation_mark() {
        for c in ['"', '«', '»', '“', '”'] {
            let mut buf = [0; 4];
            assert!(QUOTE_LEAD_BYTES.contains(&c.encode_utf8(&mut buf).as_bytes()[0]));
        }
    }

    #[test]
    fn splits_plain_sentences() {
        assert_eq!(
            sents("Il pleut. Il vente !  Oui ?"),
            ["Il pleut.", "Il vente !", "Oui ?"]
        );
    }

    #[test]
    fn titles_and_initials_do_not_split() {
        assert_eq!(sents("M. Lavrov est venu. Mme Choe aussi.").len(), 2);
        assert_eq!(sents("George W. Bush et J.-L. Mélenchon sont là.").len(), 1);
        assert_eq!(
            sents("John F. Kennedy est mort en 1963. Le pays pleure.").len(),
            2
        );
        assert_eq!(sents("Vers 1600 avant J.-C. La ville brûle.").len(), 2);
        assert_eq!(sents("Le seuil de 2° C. De nombreux experts.").len(), 2);
        assert_eq!(
            sents("Il revient dans son pays. 1. À partir de là.").len(),
            2
        );
    }

    #[test]
    fn numbers_do_not_split() {
        assert_eq!(
            sents("Le taux est de 3,5 % et 1.200 morts à 14H30. Puis rien.").len(),
            2
        );
    }

    #[test]
    fn quotation_closed_by_attribution_is_one_sentence() {
        assert_eq!(
            sents("« Je viens. Je pars », a-t-il dit. Puis il part.").len(),
            2
        );
        // Not closed by an attribution: the quotation's own sentences stand (as in UD).
        assert_eq!(
            sents("« Nous partons. Notre accord tient. » Il est parti."),
            ["« Nous partons.", "Notre accord tient. »", "Il est parti."]
        );
    }

    #[test]
    fn question_inside_quote_before_attribution() {
        assert_eq!(sents("« Pourquoi ? » a-t-il demandé. Personne.").len(), 2);
    }

    #[test]
    fn ellipsis_in_brackets_is_not_a_boundary() {
        assert_eq!(sents("Il a dit (...) Nous verrons.").len(), 1);
        assert_eq!(sents("Il hésite… Puis il part.").len(), 2);
    }

    #[test]
    fn no_space_no_boundary() {
        assert_eq!(sents("Voir afp.com pour Le détail.").len(), 1);
    }

    #[test]
    fn narrow_no_break_spaces_are_typography() {
        assert_eq!(sents("Vraiment\u{202F}? Oui\u{A0}! Bien.").len(), 3);
    }
}
