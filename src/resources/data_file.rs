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
    contents
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim_end_matches('\r')))
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
}
