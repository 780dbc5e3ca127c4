//! The `analyze` binary: arguments → configuration → run. Prints `analyze: error: …` itself and
//! exits 0 (all analysed), 1 (some input failed) or 2 (usage error).

mod cli;

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;
use std::time::Instant;

use clap::{CommandFactory, Parser};
use depeche::batch::{self, Input, InputError, Sink, StreamOptions, Tally};
use depeche::render::Format;
use depeche::{Options, Resources};

use cli::{Cli, ColorArg, FormatArg, InputArg};

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
    if cli.input == InputArg::Files && cli.paths.is_empty() {
        return Ok(usage_error(
            "no input: give a file, a folder, or - for standard input",
        ));
    }
    if cli.input == InputArg::Jsonl && !cli.paths.is_empty() {
        return Ok(usage_error(
            "--input jsonl reads standard input: give no PATH",
        ));
    }
    if cli.jobs == Some(0) {
        return Ok(usage_error("--jobs must be at least 1"));
    }
    let glob = match globset::Glob::new(&cli.glob) {
        Ok(g) => g.compile_matcher(),
        Err(e) => return Ok(usage_error(&format!("invalid --glob {:?}: {e}", cli.glob))),
    };
    let res = match &cli.data {
        Some(dir) => Resources::from_dir(dir),
        None => Resources::embedded(),
    }
    .map_err(|e| anyhow::anyhow!("data: {e}"))?;
    if let Some(n) = cli.jobs {
        // Fails only when a pool already exists, which cannot happen this early.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global();
    }
    let options = Options {
        decode: depeche::DecodeOptions {
            strict_utf8: cli.strict_utf8,
        },
        date: cli.date,
        summary_sentences: cli.summary,
        include_text: cli.include_text,
    };
    let terminal = stdout.is_terminal();
    let mut out = io::BufWriter::with_capacity(1 << 16, stdout.lock());

    if cli.input == InputArg::Jsonl {
        let started = Instant::now();
        // One output line per input line, whatever --pretty says: the stream's contract.
        let stream = StreamOptions {
            pretty: false,
            keep_meta: cli.keep_meta,
        };
        let tally = batch::run_stream(&mut io::stdin().lock(), &res, &options, &stream, &mut out)?;
        if !cli.quiet {
            report(&tally, started, "lines");
        }
        return Ok(u8::from(tally.failed > 0));
    }

    let started = Instant::now();
    let (inputs, walk_errors) = batch::collect_inputs(&cli.paths, &glob);
    let single = inputs.len() == 1
        && walk_errors.is_empty()
        && cli.paths.len() == 1
        && !is_dir(&cli.paths[0]);
    let pretty = cli.pretty || (!cli.compact && single && terminal);
    let color = match cli.color {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    };
    let format = match cli.format {
        FormatArg::Json => Format::Json { pretty },
        FormatArg::Text => Format::Text { color },
        FormatArg::Geojson => Format::GeoJson { pretty },
    };
    for e in &walk_errors {
        print_error(e);
    }
    let sink = Sink {
        format,
        output_dir: cli.output_dir.as_deref(),
        skip_existing: cli.skip_existing,
    };
    let tally = if matches!(format, Format::Text { .. }) && inputs.len() > 1 {
        run_text_batch(&inputs, &res, &options, &sink, &mut out)?
    } else {
        batch::run_files(&inputs, &res, &options, &sink, &mut out, &mut print_error)?
    };
    out.flush()?;
    let failed = tally.failed + walk_errors.len();
    if !single && !cli.quiet {
        let mut t = tally.clone();
        t.failed = failed;
        t.inputs += walk_errors.len();
        report(&t, started, "files");
    }
    Ok(u8::from(failed > 0))
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
