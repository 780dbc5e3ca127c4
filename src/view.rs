//! Looking at a run rather than reading JSON: the flag rules of `--format html` and
//! `--report`, the corpus report and the HTML index fed by the batch's observer hook, and the
//! progress bar.

use std::io::{self, IsTerminal, Write};
use std::path::{Component, Path};
use std::sync::{Mutex, MutexGuard};

use depeche::Analysis;
use depeche::render::html::{self, IndexEntry};
use depeche::render::report::{self, Report};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::cli::{Cli, FormatArg, InputArg};

/// The combinations of `--format html` and `--report` that make no sense, in one place.
/// `several`: the run has more than one input (a folder counts as several).
pub fn check_flags(cli: &Cli, several: bool) -> Result<(), String> {
    if cli.report {
        if !matches!(cli.format, FormatArg::Json | FormatArg::Html) {
            return Err("--report is written as json or html: use --format json or html".into());
        }
        if cli.output_dir.is_some() {
            return Err("--report writes one document to stdout: drop --output-dir".into());
        }
        return Ok(());
    }
    if cli.format == FormatArg::Html {
        if cli.input == InputArg::Jsonl {
            return Err(
                "--format html makes pages from files, not from --input jsonl \
                 (use --report --format html for a page over a stream)"
                    .into(),
            );
        }
        if several && cli.output_dir.is_none() {
            return Err(
                "--format html over several inputs needs --output-dir (one page each)".into(),
            );
        }
    }
    Ok(())
}

/// What the observer collects during the run.
pub enum Collector {
    Report(Mutex<Report>),
    Index(Mutex<Vec<IndexEntry>>, std::path::PathBuf),
}

impl Collector {
    /// The collector the flags ask for, if any.
    pub fn for_cli(cli: &Cli) -> Option<Collector> {
        if cli.report {
            return Some(Collector::Report(Mutex::new(Report::new())));
        }
        match (&cli.output_dir, cli.format) {
            (Some(dir), FormatArg::Html) => {
                Some(Collector::Index(Mutex::new(Vec::new()), dir.clone()))
            }
            _ => None,
        }
    }

    /// The batch's observer hook: fold the analysis into the report, or list its page.
    pub fn observe(&self, a: &Analysis, written: Option<&Path>) {
        match self {
            Collector::Report(r) => lock(r).add(a),
            Collector::Index(entries, dir) => {
                if let Some(href) = written.and_then(|p| href(dir, p)) {
                    lock(entries).push(IndexEntry::new(a, href));
                }
            }
        }
    }

    /// Writes the report to `out`, or the index beside the pages.
    pub fn finish(&self, cli: &Cli, out: &mut dyn Write) -> io::Result<()> {
        match self {
            Collector::Report(r) => {
                let doc = lock(r).finish();
                if cli.format == FormatArg::Html {
                    report::write_html(&doc, out)
                } else {
                    let pretty = cli.pretty || (!cli.compact && io::stdout().is_terminal());
                    report::write_json(&doc, pretty, out)
                }
            }
            Collector::Index(entries, dir) => {
                let mut entries = std::mem::take(&mut *lock(entries));
                let mut page = Vec::new();
                html::write_index(&mut entries, &mut page)?;
                depeche::batch::write_atomically(&dir.join("index.html"), &page)
            }
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The page's link from the index: its path below the output folder, `/`-separated.
fn href(dir: &Path, page: &Path) -> Option<String> {
    let rel = page.strip_prefix(dir).ok()?;
    let parts: Vec<String> = rel
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(percent_encode(&s.to_string_lossy())),
            _ => None,
        })
        .collect();
    Some(parts.join("/"))
}

/// Escapes what would break a relative URL (`#`, `?`, `%`, spaces); the rest stays readable.
fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' | '#' | '?' | ' ' | '"' | '<' | '>' | '\\' => {
                let mut buf = [0u8; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
            _ => out.push(c),
        }
    }
    out
}

/// A progress bar on stderr for a batch of `inputs` files: only on a terminal, never with
/// `--quiet`, never for a single input.
pub fn progress_bar(cli: &Cli, inputs: usize) -> Option<ProgressBar> {
    if cli.quiet || inputs < 2 || !io::stderr().is_terminal() {
        return None;
    }
    let bar = ProgressBar::with_draw_target(Some(inputs as u64), ProgressDrawTarget::stderr());
    let style = ProgressStyle::with_template(
        "{spinner} {elapsed_precise} {wide_bar} {pos}/{len} files, {eta} left",
    )
    .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    Some(bar)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn href_is_relative_and_escaped() {
        let dir = Path::new("out");
        assert_eq!(
            href(dir, Path::new("out/a/b c#1.html")).as_deref(),
            Some("a/b%20c%231.html")
        );
        assert_eq!(href(dir, Path::new("elsewhere/x.html")), None);
    }
}
