//! Shared resources (lexicons, rules), built once per process and shared by reference.
//!
//! Everything is embedded in the binary with `include_str!`, so the command needs no file at
//! run time; `--data DIR` loads edited copies instead, without rebuilding. Small tables are
//! parsed at construction (microseconds); large ones (the gazetteer, the given names) are kept
//! as sorted text and searched in place, so they cost nothing at start-up.

use std::collections::HashMap;
use std::path::Path;

pub mod cue_table;
mod data_file;
pub mod word_hash;
pub use data_file::{DataError, data_lines, lines};

/// How an abbreviation followed by a period behaves at a sentence boundary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AbbrevClass {
    /// Precedes a name (`M. Lavrov`): never ends a sentence.
    Title,
    /// Rarely ends a sentence (`p. 12`, `env. 200`).
    Inner,
    /// Ends a sentence when a capital follows, like a word (`avant J.-C. La ville`).
    Era,
}

/// A data file's name and contents.
pub struct DataFile {
    pub name: &'static str,
    pub contents: std::borrow::Cow<'static, str>,
}

macro_rules! embedded {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/data/", $name)))),*]
    };
}

/// Every data file the analyzer reads, by path under `data/`. A `static`, not a `const`: one
/// copy of each text, so a table can tell by its address that it was loaded from here (see
/// `SortedTable::load`).
pub static EMBEDDED: &[(&str, &str)] = embedded![
    "parse/abbreviations.tsv",
    "parse/agencies.txt",
    "parse/months.tsv",
    "lexicons/places.tsv",
    "lexicons/places_extra.tsv",
    "lexicons/ambiguous_places.txt",
    "lexicons/countries.tsv",
    "lexicons/demonyms.tsv",
    "lexicons/given_names.tsv",
    "lexicons/family_name_first.txt",
    "lexicons/not_org_acronyms.txt",
    "lexicons/organizations.tsv",
    "lexicons/org_patterns.tsv",
    "lexicons/roles.tsv",
    "lexicons/honorifics.tsv",
    "lexicons/not_names.txt",
    "lexicons/name_blockers.txt",
    "lexicons/cue_lemmas.txt",
    "lexicons/cue_verbs.tsv",
    "lexicons/quote_rules.tsv",
    "lexicons/surnames.tsv",
    "lexicons/member_nouns.txt",
    "patterns/dates-lexicon.tsv",
    "patterns/dates-fragments.tsv",
    "patterns/dates-rules.tsv",
    "patterns/dates-words.tsv",
    "lexicons/place_frames.tsv",
    "lexicons/org_lone_heads.txt",
    "lexicons/acronym_label_nouns.txt",
    "patterns/quote-frames.tsv",
];

/// Lexicons and rules for all stages.
pub struct Resources {
    pub abbreviations: HashMap<String, AbbrevClass>,
    pub agencies: Vec<String>,
    /// Month names and abbreviations (lowercase) → month number.
    pub months: HashMap<String, u8>,
    /// Places, names, organisations and roles for the entity extractors.
    pub names: crate::extract::lexicon::Lexicons,
    /// Temporal-expression rules (`data/patterns/dates-*.tsv`), checked and compiled at load.
    pub dates: crate::extract::dates::DateRules,
    /// Quotation rules and cue verbs.
    pub quotes: crate::extract::quotes::QuoteRules,
    /// The reporting frames (`patterns/quote-frames.tsv`), checked against the code at load.
    pub quote_frames: crate::extract::quotes::QuoteFrames,
}

impl Resources {
    /// The resources compiled into the binary.
    pub fn embedded() -> Result<Resources, DataError> {
        Resources::from_files(|name| {
            EMBEDDED
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, c)| Ok(std::borrow::Cow::Borrowed(*c)))
                .unwrap_or_else(|| {
                    Err(DataError::Io {
                        file: name.to_string(),
                        source: std::io::Error::new(std::io::ErrorKind::NotFound, "not embedded"),
                    })
                })
        })
    }

    /// Loads the data files from `dir` (a copy of the project's `data/` folder); files missing
    /// there are taken from the embedded copy.
    pub fn from_dir(dir: &Path) -> Result<Resources, DataError> {
        if !dir.is_dir() {
            return Err(DataError::Io {
                file: dir.display().to_string(),
                source: std::io::Error::new(std::io::ErrorKind::NotFound, "not a directory"),
            });
        }
        Resources::from_files(|name| {
            let path = dir.join(name);
            match std::fs::read_to_string(&path) {
                Ok(s) => Ok(std::borrow::Cow::Owned(s)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => EMBEDDED
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, c)| Ok(std::borrow::Cow::Borrowed(*c)))
                    .unwrap_or(Err(DataError::Io {
                        file: path.display().to_string(),
                        source: e,
                    })),
                Err(e) => Err(DataError::Io {
                    file: path.display().to_string(),
                    source: e,
                }),
            }
        })
    }

    fn from_files<F>(load: F) -> Result<Resources, DataError>
    where
        F: Fn(&str) -> Result<std::borrow::Cow<'static, str>, DataError>,
    {
        let load = |name: &str| load(name).map(kept_for_process);
        let abbreviations = parse_abbreviations(load("parse/abbreviations.tsv")?)?;
        let agencies = data_lines(load("parse/agencies.txt")?)
            .map(|(_, l)| l.to_string())
            .collect();
        let months = parse_months(load("parse/months.tsv")?)?;
        let names = crate::extract::lexicon::Lexicons::load(&load)?;
        let dates = load_dates(&load)?;
        Ok(Resources {
            abbreviations,
            agencies,
            months,
            names,
            dates,
            quotes: crate::extract::quotes::QuoteRules::from_texts(
                load("lexicons/cue_lemmas.txt")?,
                load("lexicons/cue_verbs.tsv")?,
                load("lexicons/roles.tsv")?,
                load("lexicons/quote_rules.tsv")?,
            ),
            quote_frames: crate::extract::quotes::QuoteFrames::load(load(
                "patterns/quote-frames.tsv",
            )?)?,
        })
    }
}

/// The text of a data file for the life of the process: the embedded copy as it is, a file
/// read with `--data` leaked on purpose. `Resources` is built once and lives as long as the
/// process, and its tables borrow their keys from these texts instead of copying each one
/// (thousands of allocations at every start).
fn kept_for_process(text: std::borrow::Cow<'static, str>) -> &'static str {
    match text {
        std::borrow::Cow::Borrowed(text) => text,
        std::borrow::Cow::Owned(text) => text.leak(),
    }
}

/// The date rules from their four files (`patterns/dates-*.tsv`).
fn load_dates<F>(load: &F) -> Result<crate::extract::dates::DateRules, DataError>
where
    F: Fn(&str) -> Result<&'static str, DataError>,
{
    use crate::extract::dates::{
        DateRules, DateSources, FRAGMENTS_FILE, LEXICON_FILE, RULES_FILE, WORDS_FILE,
    };
    let (lexicon, fragments) = (load(LEXICON_FILE)?, load(FRAGMENTS_FILE)?);
    let (rules, words) = (load(RULES_FILE)?, load(WORDS_FILE)?);
    DateRules::load(&DateSources {
        lexicon,
        fragments,
        rules,
        words,
    })
}

/// Splits a TSV data line into at least `n` columns, or names the file and line.
pub fn columns<'a>(
    file: &str,
    line: usize,
    text: &'a str,
    n: usize,
) -> Result<Columns<'a>, DataError> {
    let cols = Columns::split(text);
    if cols.len() < n {
        return Err(DataError::Parse {
            file: file.to_string(),
            line,
            message: format!("expected {n} tab-separated columns, found {}", cols.len()),
        });
    }
    Ok(cols)
}

/// The columns of a TSV line, kept inline up to [`Columns::INLINE`]: a Vec per line cost
/// over a million instructions at start-up, for thousands of lines of a few columns.
pub struct Columns<'a> {
    inline: [&'a str; Columns::INLINE],
    len: usize,
    /// All the columns, when there are more than fit inline.
    spilled: Vec<&'a str>,
}

impl<'a> Columns<'a> {
    const INLINE: usize = 8;

    fn split(text: &'a str) -> Columns<'a> {
        let mut cols = Columns {
            inline: [""; Columns::INLINE],
            len: 0,
            spilled: Vec::new(),
        };
        // A vectorised byte search: `split('\t')` cost hundreds of instructions on a short
        // line, and a byte-by-byte scan about as much.
        let mut start = 0;
        let ends = memchr::memchr_iter(b'\t', text.as_bytes());
        for end in ends.chain(std::iter::once(text.len())) {
            let col = &text[start..end];
            start = end + 1;
            if cols.len < Columns::INLINE {
                cols.inline[cols.len] = col;
            } else {
                if cols.spilled.is_empty() {
                    cols.spilled.extend_from_slice(&cols.inline);
                }
                cols.spilled.push(col);
            }
            cols.len += 1;
        }
        cols
    }
}

impl<'a> std::ops::Deref for Columns<'a> {
    type Target = [&'a str];

    fn deref(&self) -> &[&'a str] {
        if self.spilled.is_empty() {
            &self.inline[..self.len]
        } else {
            &self.spilled
        }
    }
}

/// Room for every data line of `contents`, so that a table filled from it never grows.
pub fn rows_capacity(contents: &str) -> usize {
    memchr::memchr_iter(b'\n', contents.as_bytes()).count() + 1
}

fn parse_abbreviations(contents: &str) -> Result<HashMap<String, AbbrevClass>, DataError> {
    const FILE: &str = "parse/abbreviations.tsv";
    let mut map = HashMap::new();
    for (line, text) in data_lines(contents) {
        let cols = columns(FILE, line, text, 3)?;
        let class = match cols[1] {
            "title" => AbbrevClass::Title,
            "inner" => AbbrevClass::Inner,
            "era" => AbbrevClass::Era,
            other => {
                return Err(DataError::Parse {
                    file: FILE.to_string(),
                    line,
                    message: format!("unknown class {other:?} (title, inner, era)"),
                });
            }
        };
        map.insert(cols[0].to_string(), class);
    }
    Ok(map)
}

fn parse_months(contents: &str) -> Result<HashMap<String, u8>, DataError> {
    const FILE: &str = "parse/months.tsv";
    let mut map = HashMap::new();
    for (line, text) in data_lines(contents) {
        let cols = columns(FILE, line, text, 2)?;
        let month = cols[1]
            .parse::<u8>()
            .ok()
            .filter(|m| (1..=12).contains(m))
            .ok_or_else(|| DataError::Parse {
                file: FILE.to_string(),
                line,
                message: format!("month number 1-12 expected, found {:?}", cols[1]),
            })?;
        map.insert(cols[0].to_string(), month);
    }
    Ok(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_resources_load() {
        let r = Resources::embedded().unwrap();
        assert_eq!(r.abbreviations.get("M"), Some(&AbbrevClass::Title));
        assert!(r.agencies.iter().any(|a| a == "AFP"));
    }

    #[test]
    fn columns_beyond_the_inline_ones_are_kept() {
        let line = "0\t1\t2\t3\t4\t5\t6\t7\t8\t9";
        let cols = columns("f", 1, line, 3).unwrap();
        assert_eq!(&cols[..], line.split('\t').collect::<Vec<_>>());
        assert_eq!(&columns("f", 1, "a\t\tb", 2).unwrap()[..], ["a", "", "b"]);
        assert_eq!(
            columns("f", 4, "a", 2).err().unwrap().to_string(),
            "f:4: expected 2 tab-separated columns, found 1"
        );
    }

    #[test]
    fn lines_are_those_of_str_lines() {
        for text in [
            "",
            "\n",
            "a",
            "a\n",
            "a\r\nb",
            "a\n\nb\r",
            "\r\n\r\n",
            "x\r\r\ny\n\rz",
            "é\nà\n",
        ] {
            assert_eq!(
                lines(text).collect::<Vec<_>>(),
                text.lines().collect::<Vec<_>>(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn parse_error_names_file_and_line() {
        let err = parse_abbreviations("# c\nM\ttitle\tx\nX\tbogus\ty\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "parse/abbreviations.tsv:3: unknown class \"bogus\" (title, inner, era)"
        );
    }
}
