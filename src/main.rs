//! The `analyze` binary: arguments → configuration → run. Prints `analyze: error: …` itself and
//! exits 0 (all analysed), 1 (some input failed) or 2 (usage error, or bad `--data`).

mod cli;
mod view;

use std::io::{self, BufRead, IsTerminal, Write};
use std::process::ExitCode;
use std::time::Instant;

use clap::{CommandFactory, Parser};
use depeche::batch::{self, Input, InputError, Sink, StreamOptions, Tally};
use depeche::render::Format;
use depeche::{Options, Resources};

use std::path::PathBuf;

use cli::{Cli, ColorArg, FormatArg, Mode, RunConfig, UsageError};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("analyze: error: {e:#}");
            ExitCode::from(1)
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain()
        .filter_map(|c| c.downcast_ref::<io::Error>())
        .any(|io| io.kind() == io::ErrorKind::BrokenPipe)
}

fn usage_error(message: &str) -> u8 {
    eprintln!("analyze: error: {message}");
    eprintln!("Usage: analyze [OPTIONS] [PATH]...   (try 'analyze --help')");
    2
}

fn run(cli: Cli) -> anyhow::Result<u8> {
    let stdout = io::stdout();
    if cli.schema && cli.report {
        let schema = schemars::schema_for!(depeche::render::report::ReportDoc);
        depeche::render::json::write_value(&schema, true, &mut stdout.lock())?;
        return Ok(0);
    }
    if cli.schema {
        let schema = depeche::render::json::schema();
        depeche::render::json::write_value(&schema, true, &mut stdout.lock())?;
        return Ok(0);
    }
    if let Some(shell) = cli.completions {
        clap_complete::generate(shell, &mut Cli::command(), "analyze", &mut stdout.lock());
        return Ok(0);
    }
    if cli.man {
        clap_mangen::Man::new(Cli::command()).render(&mut stdout.lock())?;
        return Ok(0);
    }
    let data = cli.data.clone();
    let options = Options {
        decode: depeche::DecodeOptions {
            strict_utf8: cli.strict_utf8,
        },
        date: cli.date,
        summary_sentences: cli.summary,
        include_text: cli.include_text,
        windows: Default::default(),
    };
    let view_cli = cli.clone();
    let config = match cli.into_config(stdin_has_data) {
        Ok(c) => c,
        Err(UsageError(message)) => return Ok(usage_error(&message)),
    };
    // Bad data (a rule that does not parse, a missing file under --data) is a usage error:
    // exit 2 before any input is read.
    let res = match match &data {
        Some(dir) => Resources::from_dir(dir),
        None => Resources::embedded(),
    } {
        // Leaked on purpose: the resources live until the process exits, and freeing their
        // thousands of small strings and tables at exit costs more than the whole analysis of
        // a short dispatch (5.4 M instructions). The OS takes the memory back at once.
        Ok(r) => &*Box::leak(Box::new(r)),
        Err(e) => {
            eprintln!("analyze: error: data: {e}");
            return Ok(2);
        }
    };
    if let Some(n) = config.jobs {
        // Fails only when a pool already exists, which cannot happen this early.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global();
    }
    let terminal = stdout.is_terminal();
    let mut out = io::BufWriter::with_capacity(1 << 16, stdout.lock());

    let paths = match config.mode {
        Mode::Stream => return run_stream(&view_cli, &config, res, &options, &mut out),
        Mode::Files(ref paths) => paths.clone(),
    };
    run_files(
        &view_cli, &config, &paths, res, &options, terminal, &mut out,
    )
}

fn run_stream(
    cli: &Cli,
    config: &RunConfig,
    res: &Resources,
    options: &Options,
    out: &mut dyn Write,
) -> anyhow::Result<u8> {
    if let Err(message) = view::check_flags(cli, false) {
        return Ok(usage_error(&message));
    }
    {
        let started = Instant::now();
        let collector = view::Collector::for_cli(cli);
        let observe = |a: &depeche::Analysis, p: Option<&std::path::Path>| {
            if let Some(c) = &collector {
                c.observe(a, p);
            }
        };
        // One output line per input line, whatever --pretty says: the stream's contract.
        let stream = StreamOptions {
            pretty: false,
            keep_meta: config.keep_meta,
            observe: collector.as_ref().map(|_| &observe as &batch::Observer),
        };
        let tally = batch::run_stream(
            &mut io::stdin().lock(),
            res,
            options,
            &stream,
            out,
            &mut print_error,
        )?;
        if let Some(c) = &collector {
            c.finish(cli, out)?;
            out.flush()?;
        }
        if !config.quiet {
            report(&tally, started, "lines");
        }
        Ok(u8::from(tally.failed > 0))
    }
}

fn run_files(
    cli: &Cli,
    config: &RunConfig,
    paths: &[PathBuf],
    res: &Resources,
    options: &Options,
    terminal: bool,
    out: &mut dyn Write,
) -> anyhow::Result<u8> {
    let started = Instant::now();
    let (inputs, walk_errors) = batch::collect_inputs(paths, &config.glob);
    // One path naming one file: no batch summary, even when that file is missing.
    let single = paths.len() == 1 && !is_dir(&paths[0]);
    let pretty = config.pretty.unwrap_or(single && terminal);
    let color = match config.color {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    };
    if let Err(message) = view::check_flags(cli, !single) {
        return Ok(usage_error(&message));
    }
    let format = match config.format {
        _ if cli.report => Format::Discard,
        FormatArg::Json => Format::Json { pretty },
        FormatArg::Text => Format::Text { color },
        FormatArg::Geojson => Format::GeoJson { pretty },
        FormatArg::Html => Format::Html,
    };
    if let Some(dir) = &config.output_dir
        && let Err(collision) = batch::check_output_collisions(dir, &inputs, format)
    {
        return Ok(usage_error(&collision));
    }
    for e in &walk_errors {
        print_error(e);
    }
    let collector = view::Collector::for_cli(cli);
    let observe = |a: &depeche::Analysis, p: Option<&std::path::Path>| {
        if let Some(c) = &collector {
            c.observe(a, p);
        }
    };
    let bar = view::progress_bar(cli, inputs.len());
    let tick = || {
        if let Some(b) = &bar {
            b.inc(1);
        }
    };
    let sink = Sink {
        format,
        output_dir: config.output_dir.as_deref(),
        skip_existing: config.skip_existing,
        observe: collector.as_ref().map(|_| &observe as &batch::Observer),
        progress: bar.as_ref().map(|_| &tick as &(dyn Fn() + Sync)),
    };
    let tally = match format {
        Format::Text { .. } if inputs.len() > 1 && sink.output_dir.is_none() => {
            run_text_batch(&inputs, res, options, &sink, out)?
        }
        Format::GeoJson { pretty } if inputs.len() > 1 && sink.output_dir.is_none() => {
            run_geojson_batch(&inputs, res, options, pretty, out)?
        }
        _ => batch::run_files(&inputs, res, options, &sink, out, &mut print_error)?,
    };
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    if let Some(c) = &collector {
        c.finish(cli, out)?;
    }
    out.flush()?;
    let failed = tally.failed + walk_errors.len();
    if !single && !config.quiet {
        let mut t = tally.clone();
        t.failed = failed;
        t.inputs += walk_errors.len();
        report(&t, started, "files");
    }
    Ok(u8::from(failed > 0))
}

/// GeoJSON over many files: one FeatureCollection for the whole run, each feature naming its
/// article (`file`, `id`), which is what mapping tools load.
fn run_geojson_batch(
    inputs: &[Input],
    res: &Resources,
    options: &Options,
    pretty: bool,
    out: &mut dyn Write,
) -> anyhow::Result<Tally> {
    let sink = Sink {
        format: Format::GeoJson { pretty: false },
        output_dir: None,
        skip_existing: false,
        observe: None,
        progress: None,
    };
    let mut lines = Vec::new();
    let tally = batch::run_files(inputs, res, options, &sink, &mut lines, &mut print_error)?;
    let mut features = Vec::new();
    for line in lines.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
        let mut collection: serde_json::Value = serde_json::from_slice(line)?;
        if let Some(serde_json::Value::Array(f)) = collection.get_mut("features") {
            features.append(f);
        }
    }
    let collection = serde_json::json!({"type": "FeatureCollection", "features": features});
    depeche::render::json::write_value(&collection, pretty, out)?;
    Ok(tally)
}

/// Whether standard input brings data when no PATH is given: a pipe or a redirected file, not
/// a terminal nor `/dev/null` (what a test harness or cron gives), and not an empty pipe. The
/// bytes peeked stay in the standard input's buffer for the analysis to read.
fn stdin_has_data() -> bool {
    let stdin = io::stdin();
    if stdin.is_terminal() {
        return false;
    }
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        use std::os::unix::fs::FileTypeExt;
        let Ok(fd) = stdin.as_fd().try_clone_to_owned() else {
            return false;
        };
        let readable = match std::fs::File::from(fd).metadata() {
            Ok(m) => {
                m.file_type().is_fifo() || m.file_type().is_file() || m.file_type().is_socket()
            }
            Err(_) => false,
        };
        readable && stdin.lock().fill_buf().is_ok_and(|b| !b.is_empty())
    }
    #[cfg(not(unix))]
    {
        true
    }
}

/// Text output over many files: a rule line between articles.
fn run_text_batch(
    inputs: &[Input],
    res: &Resources,
    options: &Options,
    sink: &Sink,
    out: &mut dyn Write,
) -> io::Result<Tally> {
    let mut total = Tally::default();
    for (i, input) in inputs.iter().enumerate() {
        let mut buf = Vec::new();
        let t = batch::run_files(
            std::slice::from_ref(input),
            res,
            options,
            sink,
            &mut buf,
            &mut print_error,
        )?;
        if !buf.is_empty() {
            if i > 0 && total.analysed > 0 {
                writeln!(out, "{}", "─".repeat(80))?;
            }
            out.write_all(&buf)?;
        }
        total.inputs += t.inputs;
        total.analysed += t.analysed;
        total.failed += t.failed;
        total.skipped += t.skipped;
        total.bytes += t.bytes;
    }
    Ok(total)
}

fn is_dir(p: &std::path::Path) -> bool {
    p.as_os_str() != "-" && p.is_dir()
}

fn print_error(e: &InputError) {
    eprintln!("analyze: error: {}: {}", e.name, e.message);
}

fn report(t: &Tally, started: Instant, what: &str) {
    let secs = started.elapsed().as_secs_f64();
    let mb = t.bytes as f64 / 1e6;
    let skipped = if t.skipped > 0 {
        format!(", {} skipped", t.skipped)
    } else {
        String::new()
    };
    eprintln!(
        "analyze: {} {what}, {} analysed, {} failed{skipped}, {:.1} MB, {:.2} s, {:.1} MB/s",
        t.inputs,
        t.analysed,
        t.failed,
        mb,
        secs,
        if secs > 0.0 { mb / secs } else { 0.0 }
    );
}
