//! Extraction: [`Document`] → [`Analysis`]. The extractors run in a fixed, listed order, each
//! one free to read what the earlier ones found. Never fails.

pub mod summary;

use crate::model::{Analysis, Document, SCHEMA_VERSION, Stats};
use crate::resources::Resources;

/// Per-article facts given from outside the text.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// Publication date (`--date` or the JSON Lines `date`), `YYYY-MM-DD`.
    pub date: Option<jiff::civil::Date>,
    /// Number of summary sentences besides the lead.
    pub summary_sentences: usize,
}

/// Runs every extractor over the document.
pub fn extract(doc: &Document, _res: &Resources, ctx: &Context) -> Analysis {
    let mut warnings = doc.warnings.clone();
    let reference_date = reference_date(doc, ctx, &mut warnings);
    let stats = stats(doc);
    let summary = summary::summarize(doc, ctx.summary_sentences);
    Analysis {
        schema_version: SCHEMA_VERSION,
        file: None,
        id: None,
        reference_date: reference_date.map(|d| d.to_string()),
        title: doc.title.as_ref().map(|(t, _)| t.clone()),
        title_span: doc.title.as_ref().map(|(_, r)| doc.chars.span(r)),
        dateline: doc.dateline.clone(),
        sections: doc.sections.clone(),
        credit: doc.credit.clone(),
        people: Vec::new(),
        organizations: Vec::new(),
        places: Vec::new(),
        countries: Vec::new(),
        dates: Vec::new(),
        quotes: Vec::new(),
        summary,
        stats,
        warnings,
        text: None,
        meta: None,
    }
}

/// `--date` wins over the dateline's date, with a warning when they disagree.
fn reference_date(
    doc: &Document,
    ctx: &Context,
    warnings: &mut Vec<crate::model::Warning>,
) -> Option<jiff::civil::Date> {
    let from_dateline = doc
        .dateline
        .as_ref()
        .and_then(|d| d.date.as_deref())
        .and_then(|d| d.parse::<jiff::civil::Date>().ok());
    match (ctx.date, from_dateline) {
        (Some(given), Some(dl)) if given != dl => {
            warnings.push(crate::model::Warning::new(
                "date_mismatch",
                format!("the given date {given} overrides the dateline's date {dl}"),
                doc.dateline.as_ref().map(|d| d.start),
            ));
            Some(given)
        }
        (Some(given), _) => Some(given),
        (None, dl) => dl,
    }
}

fn stats(doc: &Document) -> Stats {
    use unicode_segmentation::UnicodeSegmentation;
    let mut sentences = 0;
    let mut words = 0;
    for s in doc.sentences() {
        sentences += 1;
        words += s.text.unicode_words().count();
    }
    Stats {
        paragraphs: doc.sections.iter().map(|s| s.paragraphs.len()).sum(),
        sentences,
        words,
    }
}
