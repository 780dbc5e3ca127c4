//! Marks: the quotation spans of each block, and the filters that drop titles of works
//! and keep naming terms without a speaker.

use super::*;

pub(super) fn blocks(doc: &Document) -> Vec<Block> {
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

pub(super) fn trim_range(text: &str, r: Range<usize>) -> Range<usize> {
    let s = &text[r.clone()];
    let lead = s.len() - s.trim_start_matches(is_space).len();
    let body = s.trim_end_matches(is_space);
    r.start + lead..r.start + body.len().max(lead)
}

pub(super) fn opener_slot(c: char) -> Option<usize> {
    match c {
        '«' => Some(0),
        '“' => Some(1),
        '‹' => Some(2),
        '"' => Some(3),
        _ => None,
    }
}

pub(super) fn closer_slot(c: char) -> Option<usize> {
    match c {
        '»' => Some(0),
        '”' => Some(1),
        '›' => Some(2),
        _ => None,
    }
}

/// The quotation marks of `s` (`«`, `“`, `‹`, `"` and their closers) with their byte offsets.
/// Only the bytes that can start one are looked at (`"`, and the lead bytes `0xC2` of `«` `»`
/// and `0xE2` of `“` `”` `‹` `›`): decoding every character of every block cost more than
/// the rest of the quote passes' scanning.
fn mark_chars(s: &str) -> impl Iterator<Item = (usize, char)> + '_ {
    memchr::memchr3_iter(b'"', 0xC2, 0xE2, s.as_bytes()).filter_map(move |i| {
        // Each byte found starts a character: `"` is ASCII, the others are lead bytes.
        let c = s[i..].chars().next()?;
        (opener_slot(c).is_some() || closer_slot(c).is_some()).then_some((i, c))
    })
}

/// Finds the outermost quotation spans of one block, in one pass.
pub(super) fn find_marks(
    text: &str,
    block: usize,
    range: Range<usize>,
    next_reopens: bool,
) -> Vec<Raw> {
    let s = &text[range.clone()];
    let base = range.start;
    let mut stack: Vec<(usize, usize, usize)> = Vec::new(); // (slot, byte of mark, mark len)
    let mut counts = [0usize; 4];
    // Pairs closed while unclosed openers were below them: (open, open_len, close, close_len, depth).
    let mut inner_pairs: Vec<(usize, usize, usize, usize, usize)> = Vec::new();
    let mut out = Vec::new();
    for (i, c) in mark_chars(s) {
        let prev = s[..i].chars().next_back();
        let next = s[i + c.len_utf8()..].chars().next();
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

impl Ctx<'_> {
    // --- quote filters ------------------------------------------------------------------

    /// `l'opération « Bouclier du Nord »`, `le quotidien « Le Monde »`: not speech.
    pub(super) fn is_work_title(&self, raw: &Raw, open_tok: usize, floor: usize) -> bool {
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
            if t.start() < floor || !t.word() {
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
    pub(super) fn is_naming(&self, open_tok: usize, floor: usize) -> bool {
        let mut j = open_tok;
        let mut skipped = 0;
        while j > 0 && skipped <= 2 {
            j -= 1;
            let t = &self.toks[j];
            if t.start() < floor || !t.word() {
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
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte scan finds every mark a walk over all the characters finds.
    #[test]
    fn mark_chars_are_every_quotation_mark() {
        let s = "« Oui », dit-il. “Non” ‹ peut-être › \"x\" l’été\u{A0}« — » é";
        let walked: Vec<(usize, char)> = s
            .char_indices()
            .filter(|&(_, c)| opener_slot(c).is_some() || closer_slot(c).is_some())
            .collect();
        assert_eq!(mark_chars(s).collect::<Vec<_>>(), walked);
        assert_eq!(walked.len(), 10);
    }
}
