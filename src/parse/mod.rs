//! Structure: [`Text`] → [`Document`]: title, dateline, sections with headings, paragraphs,
//! sentences, and the closing credit, then the token layer of all of them (`tokens.rs`),
//! computed here once for every extractor. Never fails.

pub mod layout;
pub mod sentences;
pub mod tokens;

use crate::model::{CharMap, Document, Paragraph, Section, Sentence, Text};
use crate::resources::Resources;
use layout::Unit;

/// Finds the structure of a decoded dispatch.
pub fn parse(text: &Text, res: &Resources) -> Document {
    parse_part(text, res, Part::Whole)
}

/// Which part of a text [`parse_part`] is given: a large file is parsed in windows of whole
/// paragraphs (`crate::window`), only the first of which has a title and a dateline and only
/// the last a credit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Whole,
    First,
    Middle,
    Last,
}

/// [`parse`] of one part of a text: the title and dateline are looked for only at the start
/// of the text, the credit only at its end.
pub fn parse_part(text: &Text, res: &Resources, part: Part) -> Document {
    let (has_start, has_end) = match part {
        Part::Whole => (true, true),
        Part::First => (true, false),
        Part::Middle => (false, false),
        Part::Last => (false, true),
    };
    let src = text.text.as_str();
    let chars = CharMap::new(src);
    let mut units = layout::units(src);

    let credit_start = if has_end {
        trailing_credit_start(src, &units, res)
    } else {
        units.len()
    };
    let credit = layout::credit(src, &units[credit_start..], res, &chars);
    units.truncate(credit_start);

    let mut body: &[Unit] = &units;
    let mut title = None;
    if has_start
        && let Some(first) = body.first()
        && layout::is_title(src, first, body.len() > 1)
    {
        title = Some((src[first.range.clone()].to_string(), first.range.clone()));
        body = &body[1..];
    }

    let mut dateline = None;
    let mut first_body: Option<Unit> = body.first().cloned();
    if has_start
        && let Some(first) = body.first()
        && let Some((d, resume)) = layout::dateline(src, first, res, &chars)
    {
        dateline = Some(d);
        let rest = &src[resume..first.range.end];
        let lead = rest.len() - rest.trim_start_matches(layout::is_space).len();
        first_body = (resume + lead < first.range.end).then(|| Unit {
            range: resume + lead..first.range.end,
        });
    }
    let mut body_units: Vec<Unit> = Vec::with_capacity(body.len());
    body_units.extend(first_body);
    body_units.extend(body.iter().skip(1).cloned());

    let sections = sections(src, &body_units, res, &chars);
    let mut doc = Document {
        text: text.text.clone(),
        chars,
        title,
        dateline,
        sections,
        credit,
        warnings: text.warnings.clone(),
        layer: tokens::TextLayer::default(),
    };
    doc.layer = tokens::TextLayer::new(&doc);
    doc
}

/// The index of the first unit of the closing credit (`units.len()` when there is none).
fn trailing_credit_start(src: &str, units: &[Unit], res: &Resources) -> usize {
    let mut start = units.len();
    while start > 1 && layout::is_credit(src, &units[start - 1], res) {
        start -= 1;
    }
    start
}

fn sections(src: &str, units: &[Unit], res: &Resources, chars: &CharMap) -> Vec<Section> {
    let mut out: Vec<Section> = Vec::new();
    let mut index = 0;
    for (i, unit) in units.iter().enumerate() {
        let followed_by_text = i + 1 < units.len();
        let heading = if i > 0 && followed_by_text {
            layout::dashed_heading(src, unit)
                .or_else(|| layout::is_heading(src, unit).then(|| unit.range.clone()))
        } else {
            None
        };
        if let Some(range) = heading {
            out.push(Section {
                heading: Some(src[range.clone()].to_string()),
                heading_span: Some(chars.span(&range)),
                paragraphs: Vec::new(),
                heading_range: Some(range),
            });
            continue;
        }
        if out.is_empty() {
            out.push(Section {
                heading: None,
                heading_span: None,
                paragraphs: Vec::new(),
                heading_range: None,
            });
        }
        let sentences = sentences::split(src, unit.range.clone(), res)
            .into_iter()
            .map(|range| {
                let span = chars.span(&range);
                let s = Sentence {
                    index,
                    text: src[range.clone()].to_string(),
                    start: span.start,
                    end: span.end,
                    range,
                };
                index += 1;
                s
            })
            .collect();
        if let Some(section) = out.last_mut() {
            section.paragraphs.push(Paragraph {
                sentences,
                range: unit.range.clone(),
            });
        }
    }
    out
}
