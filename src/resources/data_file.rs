//! What every loader of a line-oriented data file shares: the error naming `file:line`, and
//! the data lines without comments and blank lines. Also compiled into `build.rs`, which
//! checks the embedded date rules and builds their automaton with the crate's own loader.

/// A data file could not be read or parsed.
#[derive(Debug, thiserror::Error)]
pub enum DataError {
    #[error("{file}:{line}: {message}")]
    Parse {
        file: String,
        line: usize,
        message: String,
    },
    #[error("{file}: {source}")]
    Io {
        file: String,
        #[source]
        source: std::io::Error,
    },
}

/// The data lines of a line-oriented file, with their 1-based line numbers: blank lines and
/// `#` comments skipped.
pub fn data_lines(contents: &str) -> impl Iterator<Item = (usize, &str)> {
    lines(contents)
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim_end_matches('\r')))
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
}

/// The lines of `text` exactly as `str::lines` gives them (split at `\n`, a `\r` right before
/// it removed), their ends found by a vectorised byte search: `str::lines` looks for each end
/// with a generic character search, a few million instructions over the data files at every
/// start.
pub fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut start = 0;
    memchr::memchr_iter(b'\n', text.as_bytes())
        .map(Some)
        .chain(std::iter::once(None))
        .filter_map(move |newline| {
            let from = start;
            match newline {
                Some(end) => {
                    start = end + 1;
                    let line = &text[from..end];
                    Some(line.strip_suffix('\r').unwrap_or(line))
                }
                // The last line, unless the text ended with its newline (or is empty).
                None => (from < text.len()).then(|| &text[from..]),
            }
        })
}
