//! Many inputs: files and folders walked in sorted order, JSON Lines streams; analysed in
//! parallel in bounded chunks, written in input order whatever the thread count.

use std::fs;
use std::io::{self, BufRead, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde_json::{Map, Value, json};

use crate::model::Analysis;
use crate::render::{self, Format};
use crate::window::StdinText;
use crate::{Options, Resources, analyze};

/// Inputs analysed together before their output is written: bounds memory on huge batches
/// while keeping every core busy.
const CHUNK: usize = 256;

/// One input to analyse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A file; `relative` is its path below the folder it was found in (for `--output-dir`).
    File {
        path: PathBuf,
        relative: PathBuf,
    },
    Stdin,
}

impl Input {
    pub fn display(&self) -> String {
        match self {
            Input::File { path, .. } => path.display().to_string(),
            Input::Stdin => "<stdin>".to_string(),
        }
    }
}

/// A problem with one input: its name and a one-line message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    pub name: String,
    pub message: String,
}

/// Expands the command-line paths: folders are walked recursively in sorted order and their
/// files kept when their name matches `glob`; files named explicitly are always kept.
pub fn collect_inputs(
    paths: &[PathBuf],
    glob: &globset::GlobMatcher,
) -> (Vec<Input>, Vec<InputError>) {
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            inputs.push(Input::Stdin);
            continue;
        }
        match fs::metadata(path) {
            Ok(meta) if meta.is_dir() => {
                let (before, errors_before) = (inputs.len(), errors.len());
                walk(path, glob, &mut inputs, &mut errors);
                if inputs.len() == before && errors.len() == errors_before {
                    errors.push(InputError {
                        name: path.display().to_string(),
                        message: format!(
                            "no file matches --glob {:?} in this folder",
                            glob.glob().glob()
                        ),
                    });
                }
            }
            Ok(_) => inputs.push(Input::File {
                path: path.clone(),
                relative: path
                    .file_name()
                    .map(PathBuf::from)
                    .unwrap_or_else(|| path.clone()),
            }),
            Err(e) => errors.push(InputError {
                name: path.display().to_string(),
                message: io_message(&e),
            }),
        }
    }
    (inputs, errors)
}

fn walk(
    root: &Path,
    glob: &globset::GlobMatcher,
    inputs: &mut Vec<Input>,
    errors: &mut Vec<InputError>,
) {
    let walker = walkdir::WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name();
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_dir() => {}
            Ok(e) => {
                if glob.is_match(e.file_name()) {
                    let relative = e
                        .path()
                        .strip_prefix(root)
                        .unwrap_or(e.path())
                        .to_path_buf();
                    inputs.push(Input::File {
                        path: e.path().to_path_buf(),
                        relative,
                    });
                }
            }
            Err(e) => {
                let name = e
                    .path()
                    .map(|p| p.display().to_string())
                    .unwrap_or_else(|| root.display().to_string());
                let message = if e.loop_ancestor().is_some() {
                    "symbolic link loop".to_string()
                } else {
                    e.io_error()
                        .map(io_message)
                        .unwrap_or_else(|| e.to_string())
                };
                errors.push(InputError { name, message });
            }
        }
    }
}

/// `No such file or directory` without the `(os error 2)` noise.
pub fn io_message(e: &io::Error) -> String {
    let s = e.to_string();
    match s.find(" (os error") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

/// Reads one input, refusing what is not a regular file or stdin.
pub fn read_input(input: &Input) -> io::Result<Vec<u8>> {
    match input {
        Input::Stdin => {
            let mut buf = Vec::new();
            io::Read::read_to_end(&mut io::stdin().lock(), &mut buf)?;
            Ok(buf)
        }
        Input::File { path, .. } => {
            let meta = fs::metadata(path)?;
            if meta.is_dir() {
                return Err(io::Error::other("is a directory"));
            }
            if !meta.is_file() {
                return Err(io::Error::other(
                    "not a regular file (fifo, socket or device)",
                ));
            }
            fs::read(path)
        }
    }
}

/// Totals of a batch, for the closing summary line.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tally {
    pub inputs: usize,
    pub analysed: usize,
    pub failed: usize,
    pub skipped: usize,
    pub bytes: u64,
}

/// Sees every analysis of a batch once it is rendered, with the file it was written to (under
/// `--output-dir`): the corpus report and the HTML index are built this way. Called from the
/// worker threads, in no particular order.
pub type Observer<'a> = dyn Fn(&Analysis, Option<&Path>) + Sync + 'a;

/// Where and how to write the results of a file batch.
pub struct Sink<'a> {
    pub format: Format,
    pub output_dir: Option<&'a Path>,
    pub skip_existing: bool,
    pub observe: Option<&'a Observer<'a>>,
    /// Called once per input finished (analysed, skipped or failed): the progress bar.
    pub progress: Option<&'a (dyn Fn() + Sync)>,
}

/// Analyses `inputs` with the current rayon pool, writing results to `out` (or to files under
/// `sink.output_dir`) in input order and each failure to `errors` as it is met.
pub fn run_files(
    inputs: &[Input],
    res: &Resources,
    options: &Options,
    sink: &Sink,
    out: &mut dyn Write,
    errors: &mut dyn FnMut(&InputError),
) -> io::Result<Tally> {
    let mut tally = Tally {
        inputs: inputs.len(),
        ..Tally::default()
    };
    let analyse = |input: &Input| {
        let outcome = process_file(input, res, options, sink);
        if let Some(tick) = sink.progress {
            tick();
        }
        outcome
    };
    for chunk in inputs.chunks(CHUNK) {
        // One input is analysed on this thread: starting the pool's workers, which then spin
        // waiting for work, cost more CPU than analysing a short dispatch.
        let results: Vec<Outcome> = if chunk.len() == 1 {
            chunk.iter().map(analyse).collect()
        } else {
            chunk.par_iter().map(analyse).collect()
        };
        for (input, outcome) in chunk.iter().zip(results) {
            // The bytes read of an analysed input, `None` for a skipped one, or the failure.
            let settled: Result<Option<u64>, String> = match outcome {
                Outcome::Rendered { bytes, read } => {
                    out.write_all(&bytes)?;
                    Ok(Some(read))
                }
                Outcome::Written { read } => Ok(Some(read)),
                Outcome::Skipped => Ok(None),
                // A large input is analysed now, in input order, and written as it goes.
                Outcome::Windowed {
                    pretty,
                    mut spooled,
                } => write_windowed(input, res, options, sink, pretty, spooled.as_mut(), out)
                    .map(Some),
                Outcome::Failed(message) => Err(message),
            };
            match settled {
                Ok(Some(read)) => {
                    tally.analysed += 1;
                    tally.bytes += read;
                }
                Ok(None) => tally.skipped += 1,
                Err(message) => {
                    tally.failed += 1;
                    errors(&InputError {
                        name: input.display(),
                        message,
                    });
                }
            }
        }
    }
    out.flush()?;
    Ok(tally)
}

enum Outcome {
    Rendered {
        bytes: Vec<u8>,
        read: u64,
    },
    Written {
        read: u64,
    },
    Skipped,
    /// A large file, analysed in windows when its turn comes to be written (its JSON is
    /// written as it is made, not held in memory); large standard input comes spooled.
    Windowed {
        pretty: bool,
        spooled: Option<crate::window::SpooledStdin>,
    },
    Failed(String),
}

/// Whether a large input could be analysed in windows, and then with `pretty` or not: as JSON
/// with nothing else to feed (the other formats and the corpus report need the whole
/// analysis, and so does `--include-text`).
fn windowable(options: &Options, sink: &Sink) -> Option<bool> {
    let Format::Json { pretty } = sink.format else {
        return None;
    };
    (sink.observe.is_none() && !options.include_text).then_some(pretty)
}

/// Whether `path` is a regular file larger than the windows' threshold.
fn large_file(path: &Path, options: &Options) -> bool {
    fs::metadata(path).is_ok_and(|meta| meta.is_file() && options.windows.applies(meta.len()))
}

/// Analyses a large file in windows, written to `out` or atomically to its `--output-dir`
/// file; the bytes read, or the one-line message of the failure.
fn write_windowed(
    input: &Input,
    res: &Resources,
    options: &Options,
    sink: &Sink,
    pretty: bool,
    mut spooled: Option<&mut crate::window::SpooledStdin>,
    out: &mut dyn Write,
) -> Result<u64, String> {
    let message = |e: crate::Error| match e {
        crate::Error::Io(e) => io_message(&e),
        e => e.to_string(),
    };
    let mut analyse = |w: &mut dyn Write| match (input, spooled.as_deref_mut()) {
        (_, Some(spooled)) => crate::window::analyze_spooled(spooled, res, options, pretty, w),
        (Input::File { path, .. }, None) => {
            let file = Some(path.display().to_string());
            crate::window::analyze_file(path, res, options, file, pretty, w)
        }
        (Input::Stdin, None) => Err(crate::Error::Io(io::Error::other(
            "standard input is analysed in windows only once spooled",
        ))),
    };
    match sink
        .output_dir
        .map(|dir| target_path(dir, input, sink.format))
    {
        None => analyse(out).map_err(message),
        Some(target) => {
            let mut read = 0;
            write_atomically_with(&target, |w| {
                read = analyse(w).map_err(|e| io::Error::other(message(e)))?;
                Ok(())
            })
            .map_err(|e| format!("{}: {}", target.display(), io_message(&e)))?;
            Ok(read)
        }
    }
}

fn process_file(input: &Input, res: &Resources, options: &Options, sink: &Sink) -> Outcome {
    let target = sink
        .output_dir
        .map(|dir| target_path(dir, input, sink.format));
    if let Some(t) = &target {
        if sink.skip_existing && t.exists() {
            return Outcome::Skipped;
        }
        if let Input::File { path, .. } = input
            && same_file(path, t)
        {
            return Outcome::Failed(format!(
                "refusing to overwrite the input with {}",
                t.display()
            ));
        }
    }
    let windowable = windowable(options, sink);
    if let (Some(pretty), Input::File { path, .. }) = (windowable, input)
        && large_file(path, options)
    {
        return Outcome::Windowed {
            pretty,
            spooled: None,
        };
    }
    let loaded = match (windowable, input) {
        (Some(pretty), Input::Stdin) => {
            match crate::window::read_stdin(io::stdin().lock(), &options.windows) {
                Ok(StdinText::Whole(bytes)) => Ok(bytes),
                Ok(StdinText::Spooled(spooled)) => {
                    return Outcome::Windowed {
                        pretty,
                        spooled: Some(spooled),
                    };
                }
                Err(e) => Err(e),
            }
        }
        _ => read_input(input),
    };
    let bytes = match loaded {
        Ok(b) => b,
        Err(e) => return Outcome::Failed(io_message(&e)),
    };
    let read = bytes.len() as u64;
    let mut analysis = match analyze(&bytes, res, options) {
        Ok(a) => a,
        Err(e) => return Outcome::Failed(e.to_string()),
    };
    if let Input::File { path, .. } = input {
        analysis.file = Some(path.display().to_string());
    }
    let mut rendered = Vec::with_capacity(4096);
    if let Err(e) = render::render(&analysis, sink.format, &mut rendered) {
        return Outcome::Failed(e.to_string());
    }
    match target {
        Some(t) => match write_atomically(&t, &rendered) {
            Ok(()) => {
                if let Some(observe) = sink.observe {
                    observe(&analysis, Some(&t));
                }
                Outcome::Written { read }
            }
            Err(e) => Outcome::Failed(format!("{}: {}", t.display(), io_message(&e))),
        },
        None => {
            if let Some(observe) = sink.observe {
                observe(&analysis, None);
            }
            Outcome::Rendered {
                bytes: rendered,
                read,
            }
        }
    }
}

/// `dir/relative` with the extension replaced by `.json`.
pub fn output_path(dir: &Path, relative: &Path) -> PathBuf {
    dir.join(relative).with_extension("json")
}

/// The extension of the files `--output-dir` writes in `format`.
/// Where `--output-dir` writes the result of `input`.
pub fn target_path(dir: &Path, input: &Input, format: Format) -> PathBuf {
    let relative = match input {
        Input::File { relative, .. } => relative.as_path(),
        Input::Stdin => Path::new("stdin"),
    };
    dir.join(relative).with_extension(format.extension())
}

/// Refuses, before any work, a batch where two inputs would be written to the same output
/// file (`dup/a/x.txt` and `dup/b/x.txt` both to `x.json`): the message names both inputs.
pub fn check_output_collisions(dir: &Path, inputs: &[Input], format: Format) -> Result<(), String> {
    let mut seen: std::collections::HashMap<PathBuf, &Input> = std::collections::HashMap::new();
    for input in inputs {
        let target = target_path(dir, input, format);
        if let Some(first) = seen.get(&target) {
            if first == &input {
                continue;
            }
            return Err(format!(
                "--output-dir: {} and {} would both be written to {}; give their common parent folder instead",
                first.display(),
                input.display(),
                target.display()
            ));
        }
        seen.insert(target, input);
    }
    Ok(())
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (fs::canonicalize(a), fs::canonicalize(b)) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

/// Writes to a temporary file beside `path`, then renames it: a reader never sees a partial
/// file, and an interrupted run leaves none behind under the final name.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_atomically_with(path, |w| w.write_all(bytes))
}

/// [`write_atomically`] of what `write` writes.
fn write_atomically_with(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    // Unique per writer, even when two threads of this process write beside each other.
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let mut tmp_name = path.file_name().unwrap_or_default().to_os_string();
    tmp_name.push(format!(".tmp{}-{n}", std::process::id()));
    let tmp = path.with_file_name(tmp_name);
    let result = fs::File::create(&tmp)
        .and_then(|file| {
            let mut w = io::BufWriter::new(file);
            write(&mut w)?;
            w.flush()
        })
        .and_then(|()| fs::rename(&tmp, path));
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Options of the JSON Lines stream mode.
pub struct StreamOptions<'a> {
    pub pretty: bool,
    pub keep_meta: bool,
    /// With an observer (the corpus report), documents go to it instead of the output, and
    /// error records go to standard error.
    pub observe: Option<&'a Observer<'a>>,
}

/// Reads JSON Lines articles (`{"id", "text", "date"?}`) and writes one output line per input
/// line, in order: the analysis, or an error record `{"id", "line", "error": {"kind",
/// "message"}}` in its place. Memory is bounded by the chunk size, whatever the stream length.
pub fn run_stream(
    input: &mut dyn BufRead,
    res: &Resources,
    options: &Options,
    stream: &StreamOptions,
    out: &mut dyn Write,
    errors: &mut dyn FnMut(&InputError),
) -> io::Result<Tally> {
    let mut tally = Tally::default();
    let mut line_no = 0usize;
    loop {
        let mut lines = Vec::with_capacity(CHUNK);
        for _ in 0..CHUNK {
            let mut buf = Vec::new();
            if input.read_until(b'\n', &mut buf)? == 0 {
                break;
            }
            line_no += 1;
            lines.push((line_no, buf));
        }
        if lines.is_empty() {
            break;
        }
        let results: Vec<(Vec<u8>, Option<String>)> = lines
            .par_iter()
            .map(|(n, line)| stream_line(*n, line, res, options, stream))
            .collect();
        for ((n, line), (bytes, failure)) in lines.iter().zip(results) {
            tally.inputs += 1;
            tally.bytes += line.len() as u64;
            match &failure {
                None => tally.analysed += 1,
                Some(message) => {
                    tally.failed += 1;
                    errors(&InputError {
                        name: format!("line {n}"),
                        message: message.clone(),
                    });
                }
            }
            // With a report the output is the report alone: a failed line's error record
            // was already reported on stderr above.
            if stream.observe.is_none() || failure.is_none() {
                out.write_all(&bytes)?;
            }
        }
    }
    out.flush()?;
    Ok(tally)
}

fn stream_line(
    line_no: usize,
    raw: &[u8],
    res: &Resources,
    options: &Options,
    stream: &StreamOptions,
) -> (Vec<u8>, Option<String>) {
    let mut out = Vec::new();
    match analyze_line(raw, res, options, stream) {
        Ok(analysis) => {
            if let Some(observe) = stream.observe {
                observe(&analysis, None);
                return (out, None);
            }
            if let Err(e) = crate::render::json::write(&analysis, stream.pretty, &mut out) {
                out.clear();
                let rec = error_record(None, line_no, "render", &e.to_string());
                let _ = crate::render::json::write_value(&rec, false, &mut out);
                return (out, Some(e.to_string()));
            }
            (out, None)
        }
        Err((id, kind, message)) => {
            let rec = error_record(id.clone(), line_no, kind, &message);
            let _ = crate::render::json::write_value(&rec, false, &mut out);
            let name = id.map_or(String::new(), |id| format!("(id {id:?}) "));
            (out, Some(format!("{name}{message}")))
        }
    }
}

fn error_record(id: Option<String>, line: usize, kind: &str, message: &str) -> Value {
    json!({"id": id, "line": line, "error": {"kind": kind, "message": message}})
}

type LineError = (Option<String>, &'static str, String);

fn analyze_line(
    raw: &[u8],
    res: &Resources,
    options: &Options,
    stream: &StreamOptions,
) -> Result<Analysis, LineError> {
    let trimmed = raw.trim_ascii();
    if trimmed.is_empty() {
        return Err((
            None,
            "empty_line",
            "empty line: expected a JSON object".to_string(),
        ));
    }
    let value: Value = serde_json::from_slice(trimmed)
        .map_err(|e| (None, "invalid_json", format!("invalid JSON: {e}")))?;
    let Value::Object(mut obj) = value else {
        return Err((None, "invalid_json", "expected a JSON object".to_string()));
    };
    let id = match obj.remove("id") {
        Some(Value::String(s)) => Some(s),
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(Value::Null) | None => None,
        Some(_) => {
            return Err((
                None,
                "invalid_id",
                "\"id\" must be a string or a number".to_string(),
            ));
        }
    };
    let text = match obj.remove("text") {
        Some(Value::String(s)) => s,
        Some(_) => return Err((id, "invalid_text", "\"text\" must be a string".to_string())),
        None => return Err((id, "missing_text", "no \"text\" field".to_string())),
    };
    let mut opts = options.clone();
    match obj.remove("date") {
        Some(Value::String(d)) => match d.parse::<jiff::civil::Date>() {
            Ok(date) => opts.date = Some(date),
            Err(_) => {
                return Err((
                    id,
                    "invalid_date",
                    format!("\"date\" must be YYYY-MM-DD, found {d:?}"),
                ));
            }
        },
        Some(Value::Null) | None => {}
        Some(_) => {
            return Err((
                id,
                "invalid_date",
                "\"date\" must be a string YYYY-MM-DD".to_string(),
            ));
        }
    }
    let mut analysis =
        analyze(text.as_bytes(), res, &opts).map_err(|e| (id.clone(), "decode", e.to_string()))?;
    analysis.id = id;
    if stream.keep_meta && !obj.is_empty() {
        analysis.meta = Some(obj.into_iter().collect::<Map<String, Value>>());
    }
    Ok(analysis)
}
