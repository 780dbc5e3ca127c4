//! Rendering: [`Analysis`] → bytes on a writer, as JSON, text, GeoJSON or HTML; and the
//! corpus report (`report.rs`).

pub mod html;
pub mod json;
pub mod report;
pub mod text;

use std::io::{self, Write};

use crate::model::Analysis;

/// Output format and its options.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One JSON object; `pretty` indents it.
    Json { pretty: bool },
    /// A readable summary; `color` adds ANSI colours.
    Text { color: bool },
    /// The places with coordinates, as a GeoJSON FeatureCollection.
    GeoJson { pretty: bool },
    /// A self-contained HTML page.
    Html,
    /// Nothing: the analyses only feed an observer (the corpus report).
    Discard,
}

impl Format {
    /// The extension of an `--output-dir` file in this format.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Text { .. } => "txt",
            Format::GeoJson { .. } => "geojson",
            Format::Json { .. } | Format::Discard => "json",
        }
    }
}

/// The first body sentence, the stand-in title of an untitled dispatch (text and HTML views).
fn first_sentence(a: &Analysis) -> Option<String> {
    a.sections
        .iter()
        .flat_map(|s| &s.paragraphs)
        .flat_map(|p| &p.sentences)
        .next()
        .map(|s| s.text.clone())
}

/// Writes one analysis. JSON ends with a newline, so consecutive analyses form JSON Lines.
pub fn render(analysis: &Analysis, format: Format, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Json { pretty } => json::write(analysis, pretty, out),
        Format::Text { color } => text::write(analysis, color, out),
        Format::GeoJson { pretty } => json::write_geojson(analysis, pretty, out),
        Format::Html => html::write(analysis, out),
        Format::Discard => Ok(()),
    }
}
