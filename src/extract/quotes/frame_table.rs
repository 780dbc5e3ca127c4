//! The reporting frames as data: `data/patterns/quote-frames.tsv`, one row per frame the
//! extractor implements, with examples and must-not examples that a test runs. The frame name
//! is parsed into [`QuoteFrame`], which the code matches on, so a row naming a frame the code
//! lacks, a frame the code has but the file lacks, or a `via`/`resolution` column that
//! disagrees with the code fails the load with `file:line`.

use crate::resources::{DataError, columns, data_lines};

const FILE: &str = "patterns/quote-frames.tsv";

/// A reporting frame the extractor implements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuoteFrame {
    Subject,
    Woven,
    FaitSavoir,
    Inverted,
    InvertedComplement,
    CommeLeRappelle,
    Apposition,
    Selon,
    DApres,
    Pour,
    SelonDocument,
    Colon,
    Continuation,
    Pronoun,
    Role,
    Anaphor,
    Unnamed,
}

impl QuoteFrame {
    /// Every frame, in the file's order.
    pub const ALL: [QuoteFrame; 17] = [
        QuoteFrame::Subject,
        QuoteFrame::Woven,
        QuoteFrame::FaitSavoir,
        QuoteFrame::Inverted,
        QuoteFrame::InvertedComplement,
        QuoteFrame::CommeLeRappelle,
        QuoteFrame::Apposition,
        QuoteFrame::Selon,
        QuoteFrame::DApres,
        QuoteFrame::Pour,
        QuoteFrame::SelonDocument,
        QuoteFrame::Colon,
        QuoteFrame::Continuation,
        QuoteFrame::Pronoun,
        QuoteFrame::Role,
        QuoteFrame::Anaphor,
        QuoteFrame::Unnamed,
    ];

    /// The name of the frame's row.
    pub fn name(self) -> &'static str {
        match self {
            QuoteFrame::Subject => "subject",
            QuoteFrame::Woven => "woven",
            QuoteFrame::FaitSavoir => "fait-savoir",
            QuoteFrame::Inverted => "inverted",
            QuoteFrame::InvertedComplement => "inverted-complement",
            QuoteFrame::CommeLeRappelle => "comme-le-rappelle",
            QuoteFrame::Apposition => "apposition",
            QuoteFrame::Selon => "selon",
            QuoteFrame::DApres => "d-apres",
            QuoteFrame::Pour => "pour",
            QuoteFrame::SelonDocument => "selon-document",
            QuoteFrame::Colon => "colon",
            QuoteFrame::Continuation => "continuation",
            QuoteFrame::Pronoun => "pronoun",
            QuoteFrame::Role => "role",
            QuoteFrame::Anaphor => "anaphor",
            QuoteFrame::Unnamed => "unnamed",
        }
    }

    /// The `via` output of a quote this frame attributes: how the frame named the speaker.
    pub fn via(self) -> &'static str {
        match self {
            QuoteFrame::Subject
            | QuoteFrame::Woven
            | QuoteFrame::FaitSavoir
            | QuoteFrame::Role
            | QuoteFrame::Anaphor => "subject",
            QuoteFrame::Inverted
            | QuoteFrame::InvertedComplement
            | QuoteFrame::CommeLeRappelle
            | QuoteFrame::Pronoun
            | QuoteFrame::Unnamed => "inverted",
            QuoteFrame::Apposition => "apposition",
            QuoteFrame::Selon
            | QuoteFrame::DApres
            | QuoteFrame::Pour
            | QuoteFrame::SelonDocument => "selon",
            QuoteFrame::Colon => "colon",
            QuoteFrame::Continuation => "continuation",
        }
    }

    /// The `resolution` output (how the designation became an entity), `None` when any.
    pub fn resolution(self) -> Option<&'static str> {
        match self {
            QuoteFrame::Pronoun => Some("pronoun"),
            QuoteFrame::Role => Some("role"),
            QuoteFrame::Anaphor => Some("anaphor"),
            QuoteFrame::Continuation | QuoteFrame::Unnamed => None,
            _ => Some("name"),
        }
    }

    fn parse(name: &str) -> Option<QuoteFrame> {
        QuoteFrame::ALL.into_iter().find(|f| f.name() == name)
    }
}

/// A sentence and the speaker its last quote must (example) or must not (must-not) get; `None`
/// is a null speaker.
#[derive(Debug, Clone)]
pub struct FrameExample {
    pub text: String,
    pub speaker: Option<String>,
}

/// One row of the table.
#[derive(Debug, Clone)]
pub struct FrameRow {
    pub frame: QuoteFrame,
    pub line: usize,
    pub description: String,
    pub examples: Vec<FrameExample>,
    pub must_not: Vec<FrameExample>,
}

/// The frame table, one row per [`QuoteFrame`], in the file's order.
#[derive(Debug, Clone)]
pub struct QuoteFrames {
    pub rows: Vec<FrameRow>,
}

impl QuoteFrames {
    /// Parses and checks the table against the frames the code implements.
    pub fn load(contents: &str) -> Result<QuoteFrames, DataError> {
        let error = |line: usize, message: String| DataError::Parse {
            file: FILE.to_string(),
            line,
            message,
        };
        let mut rows: Vec<FrameRow> = Vec::new();
        for (line, text) in data_lines(contents) {
            let cols = columns(FILE, line, text, 6)?;
            let frame = QuoteFrame::parse(cols[0])
                .ok_or_else(|| error(line, format!("unknown frame {:?}", cols[0])))?;
            if let Some(first) = rows.iter().find(|r| r.frame == frame) {
                return Err(error(
                    line,
                    format!("frame {:?} already on line {}", cols[0], first.line),
                ));
            }
            if cols[1] != frame.via() {
                return Err(error(
                    line,
                    format!("via {:?}: the code gives {:?}", cols[1], frame.via()),
                ));
            }
            let resolution = frame.resolution().unwrap_or("-");
            if cols[2] != resolution {
                return Err(error(
                    line,
                    format!("resolution {:?}: the code gives {resolution:?}", cols[2]),
                ));
            }
            let examples = parse_examples(cols[4]).map_err(|m| error(line, m))?;
            if examples.is_empty() {
                return Err(error(
                    line,
                    "a frame needs at least one example".to_string(),
                ));
            }
            let must_not = parse_examples(cols[5]).map_err(|m| error(line, m))?;
            rows.push(FrameRow {
                frame,
                line,
                description: cols[3].to_string(),
                examples,
                must_not,
            });
        }
        if let Some(missing) = QuoteFrame::ALL
            .into_iter()
            .find(|f| rows.iter().all(|r| r.frame != *f))
        {
            let end = contents.lines().count();
            return Err(error(end, format!("no row for frame {:?}", missing.name())));
        }
        Ok(QuoteFrames { rows })
    }
}

/// `sentence => speaker || sentence => speaker`, or `-` for none.
fn parse_examples(col: &str) -> Result<Vec<FrameExample>, String> {
    if col.trim() == "-" {
        return Ok(Vec::new());
    }
    col.split(" || ")
        .map(|ex| {
            let (text, speaker) = ex
                .rsplit_once(" => ")
                .ok_or_else(|| format!("example without ` => speaker`: {ex:?}"))?;
            let speaker = speaker.trim();
            Ok(FrameExample {
                text: text.trim().replace("\\n", "\n"),
                speaker: (speaker != "-").then(|| speaker.to_string()),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROW: &str = "selon\tselon\tname\td\tLe projet est « absurde », selon X Y. => X Y\t-";

    fn table_without(frame: QuoteFrame) -> String {
        QuoteFrame::ALL
            .into_iter()
            .filter(|f| *f != frame)
            .map(|f| {
                format!(
                    "{}\t{}\t{}\td\ta « b », dit X. => X\t-",
                    f.name(),
                    f.via(),
                    f.resolution().unwrap_or("-")
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn embedded_table_covers_every_frame() {
        let text = include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/data/",
            "patterns/quote-frames.tsv"
        ));
        let t = QuoteFrames::load(text).unwrap();
        assert_eq!(t.rows.len(), QuoteFrame::ALL.len());
    }

    #[test]
    fn unknown_frame_is_an_error_with_its_line() {
        let text = format!(
            "# c\n{}\nbogus\tselon\tname\td\tx => y\t-\n",
            table_without(QuoteFrame::Selon)
        );
        let err = QuoteFrames::load(&text).unwrap_err().to_string();
        assert!(err.starts_with("patterns/quote-frames.tsv:"), "{err}");
        assert!(err.contains("unknown frame \"bogus\""), "{err}");
    }

    #[test]
    fn missing_frame_and_wrong_via_are_errors() {
        let err = QuoteFrames::load(&table_without(QuoteFrame::Colon))
            .unwrap_err()
            .to_string();
        assert!(err.contains("no row for frame \"colon\""), "{err}");
        let bad = format!(
            "{}\n{}",
            table_without(QuoteFrame::Selon),
            ROW.replacen("\tselon\t", "\tcolon\t", 1)
        );
        let err = QuoteFrames::load(&bad).unwrap_err().to_string();
        assert!(err.contains("via \"colon\""), "{err}");
        let good = format!("{}\n{ROW}", table_without(QuoteFrame::Selon));
        let t = QuoteFrames::load(&good).unwrap();
        assert_eq!(
            t.rows.last().unwrap().examples[0].speaker.as_deref(),
            Some("X Y")
        );
    }
}
