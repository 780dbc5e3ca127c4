//! The command line: flags, their documentation, and validation into a run configuration.

use std::path::PathBuf;

use clap::{Parser, ValueEnum};

const EXAMPLES: &str = "\
Examples:
  analyze samples/afp-lavrov-wonsan.txt               one dispatch, JSON
  analyze --format text article.txt                    a readable summary
  analyze article.txt | jq '.people[].name'            who is named
  analyze corpus/ > corpus.jsonl                       a folder (recursive, *.txt), JSON Lines
  analyze -j4 --output-dir out/ corpus/                one .json per input, mirroring paths
  analyze --date 2025-07-12 article.txt                resolve relative dates against a date
  cat articles.jsonl | analyze --input jsonl           stream mode: {\"id\",\"text\",\"date\"?} per line
  analyze --schema                                     the JSON Schema of the output
  analyze --format html article.txt > article.html     a page with the entities marked
  analyze --format html --output-dir site/ corpus/     one page per article and an index.html
  analyze --report corpus/ > report.json               one aggregate report: who is quoted, ...
  analyze --report --format html corpus/ > report.html the report as a page with charts

Exit status: 0 every input analysed; 1 at least one input failed (the others were
analysed and printed; a folder where nothing matches --glob, a file that is not text); 2 usage
error or a bad rule file under --data (named with file:line), before any work. Errors go to stderr, one line each (stream mode: one per failed line).

Refused (exit 2): --input jsonl with a PATH, --format text|geojson, --output-dir or --pretty;
--keep-meta without --input jsonl; --skip-existing without --output-dir; --pretty with
--compact; --jobs 0; --output-dir where two inputs would write the same file.
NO_COLOR turns colours off unless --color always is given.

Large input: a file or standard input over 1 MiB, as JSON, is analysed in windows of whole
paragraphs and its JSON written as it goes, in bounded memory (docs/output-format.md, \"Large
files\"); the other formats and --include-text analyse it whole.";

/// Analyse French news-wire dispatches (AFP): structure, sentences, people, organisations,
/// places, dates and quotes, as JSON or text.
#[derive(Debug, Clone, Parser)]
#[command(name = "analyze", version, about, after_help = EXAMPLES, arg_required_else_help = false)]
pub struct Cli {
    /// Files or folders to analyse; `-` reads standard input. Folders are walked recursively
    /// in sorted order.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Output format.
    #[arg(short, long, value_enum, default_value_t = FormatArg::Json)]
    pub format: FormatArg,

    /// Input kind: files (the PATHs) or JSON Lines on standard input, one article per line
    /// (`{"id", "text", "date"?}`), one output line per input line.
    #[arg(long, value_enum, default_value_t = InputArg::Files)]
    pub input: InputArg,

    /// Which files to take from folders (by file name).
    #[arg(long, default_value = "*.txt", value_name = "GLOB")]
    pub glob: String,

    /// Worker threads (default: all cores). Output order never depends on it.
    #[arg(short, long, value_name = "N")]
    pub jobs: Option<usize>,

    /// Write one .json per input under DIR (.txt with --format text, .geojson with --format
    /// geojson), mirroring relative paths, each written to a temporary file and renamed.
    /// Inputs that would be written to the same file are refused before any work.
    #[arg(long, value_name = "DIR")]
    pub output_dir: Option<PathBuf>,

    /// With --output-dir: leave inputs whose output file already exists (resume a batch).
    #[arg(long, requires = "output_dir")]
    pub skip_existing: bool,

    /// Publication date used to resolve relative dates; overrides the dateline's date.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub date: Option<jiff::civil::Date>,

    /// Indent the JSON (default when standard output is a terminal and there is one input).
    #[arg(long, conflicts_with = "compact")]
    pub pretty: bool,

    /// One line of JSON per article (default when piped or with several inputs).
    #[arg(long)]
    pub compact: bool,

    /// Colours in text output.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto, value_name = "WHEN")]
    pub color: ColorArg,

    /// Summary sentences besides the lead.
    #[arg(long, default_value_t = 2, value_name = "N")]
    pub summary: usize,

    /// Add the analysed text (decoded, normalised) as "text", the string offsets refer to.
    #[arg(long)]
    pub include_text: bool,

    /// Treat invalid UTF-8 as an error instead of reading it as Windows-1252.
    #[arg(long)]
    pub strict_utf8: bool,

    /// Stream mode: pass the input lines' other fields through under "meta".
    #[arg(long)]
    pub keep_meta: bool,

    /// Load data files (lexicons, rules) from DIR instead of the embedded copies; files
    /// missing there fall back to the embedded ones.
    #[arg(long, value_name = "DIR")]
    pub data: Option<PathBuf>,

    /// No closing summary line on stderr after a batch.
    #[arg(short, long)]
    pub quiet: bool,

    /// One aggregate report for the whole run instead of one document per article: people
    /// quoted (by gender), organisations, countries, timeline. JSON, or a page with charts
    /// with --format html. Not with --output-dir.
    #[arg(long)]
    pub report: bool,

    /// Print the JSON Schema of the output and exit (of the report with --report).
    #[arg(long)]
    pub schema: bool,

    /// Print a shell completion script and exit.
    #[arg(long, value_enum, value_name = "SHELL")]
    pub completions: Option<clap_complete::Shell>,

    /// Print the man page (roff) and exit.
    #[arg(long)]
    pub man: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Json,
    Text,
    Geojson,
    /// A self-contained page per dispatch (several inputs need --output-dir).
    Html,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InputArg {
    Files,
    Jsonl,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    Auto,
    Always,
    Never,
}

fn parse_date(s: &str) -> Result<jiff::civil::Date, String> {
    s.parse::<jiff::civil::Date>()
        .map_err(|_| format!("expected a date as YYYY-MM-DD, found {s:?}"))
}

/// One validated configuration built from the parsed flags (as ripgrep builds `HiArgs` from
/// `LowArgs`): `main` runs it and never looks at [`Cli`] again, so every flag is either
/// honoured here or refused by [`Cli::into_config`].
#[derive(Debug)]
pub struct RunConfig {
    pub mode: Mode,
    pub format: FormatArg,
    pub glob: globset::GlobMatcher,
    pub jobs: Option<usize>,
    pub output_dir: Option<PathBuf>,
    pub skip_existing: bool,
    pub pretty: Option<bool>,
    pub color: ColorArg,
    pub keep_meta: bool,
    pub quiet: bool,
}

/// What the run reads.
#[derive(Debug, PartialEq, Eq)]
pub enum Mode {
    /// Files, folders or `-`; an empty list never reaches here (stdin is made `-` first).
    Files(Vec<PathBuf>),
    /// JSON Lines on standard input.
    Stream,
}

/// A refused combination: the message names the flags.
#[derive(Debug, PartialEq, Eq)]
pub struct UsageError(pub String);

impl Cli {
    /// Checks the flag combinations, the one place where they are checked:
    ///
    /// | combination                               | outcome                                    |
    /// |-------------------------------------------|--------------------------------------------|
    /// | no PATH, stdin a pipe or a file           | reads standard input (as `-`)              |
    /// | no PATH, stdin a terminal, /dev/null or empty | refused: no input                       |
    /// | `--input jsonl` with a PATH               | refused: the stream is standard input      |
    /// | `--input jsonl --format text\|geojson`    | refused: the stream's contract is JSON Lines |
    /// | `--input jsonl --output-dir`              | refused: one output line per input line    |
    /// | `--input jsonl --pretty`                  | refused: one output line per input line    |
    /// | `--keep-meta` without `--input jsonl`     | refused: only stream lines have other fields |
    /// | `--output-dir --format text`              | honoured: one `.txt` per input             |
    /// | `--output-dir --format geojson`           | honoured: one `.geojson` per input         |
    /// | `--skip-existing` without `--output-dir`  | refused (by clap)                          |
    /// | `--pretty --compact`                      | refused (by clap)                          |
    /// | `--jobs 0`, an invalid `--glob`           | refused                                    |
    ///
    /// Flags added later (another format, a report) get a row here and a check below.
    /// `stdin_has_data` is asked only when no PATH is given, so that a run naming its files never
    /// waits on a standard input it does not read.
    pub fn into_config(
        self,
        stdin_has_data: impl FnOnce() -> bool,
    ) -> Result<RunConfig, UsageError> {
        let refuse = |m: &str| Err(UsageError(m.to_string()));
        if self.jobs == Some(0) {
            return refuse("--jobs must be at least 1");
        }
        let glob = globset::Glob::new(&self.glob)
            .map_err(|e| UsageError(format!("invalid --glob {:?}: {e}", self.glob)))?
            .compile_matcher();
        let mode = match self.input {
            InputArg::Jsonl => {
                if !self.paths.is_empty() {
                    return refuse("--input jsonl reads standard input: give no PATH");
                }
                if self.format != FormatArg::Json {
                    return refuse(
                        "--input jsonl writes JSON Lines: --format text and --format geojson are not available with it",
                    );
                }
                if self.output_dir.is_some() {
                    return refuse(
                        "--input jsonl writes one line per input line to standard output: --output-dir is not available with it",
                    );
                }
                if self.pretty {
                    return refuse(
                        "--input jsonl writes one line per input line: --pretty is not available with it",
                    );
                }
                Mode::Stream
            }
            InputArg::Files => {
                if self.keep_meta {
                    return refuse("--keep-meta needs --input jsonl");
                }
                if self.paths.is_empty() {
                    if !stdin_has_data() {
                        return refuse("no input: give a file, a folder, or - for standard input");
                    }
                    Mode::Files(vec![PathBuf::from("-")])
                } else {
                    Mode::Files(self.paths)
                }
            }
        };
        let pretty = if self.pretty {
            Some(true)
        } else if self.compact {
            Some(false)
        } else {
            None
        };
        Ok(RunConfig {
            mode,
            format: self.format,
            glob,
            jobs: self.jobs,
            output_dir: self.output_dir,
            skip_existing: self.skip_existing,
            pretty,
            color: self.color,
            keep_meta: self.keep_meta,
            quiet: self.quiet,
        })
    }
}
