//! Build script: checks the embedded date rules (`data/patterns/dates-*.tsv`) and builds their
//! scan automaton once, at build time, with the crate's own loader (`src/extract/dates/
//! patterns.rs`, compiled here as a module). Compiling the ~100 rules into one automaton costs
//! far more than analysing a dispatch; the binary embeds the result (`$OUT_DIR/dates-scan.dfa`)
//! and only rules given with `--data` are compiled at run time. A rule file with an error fails
//! the build with its `file:line`.

#[path = "src/resources/data_file.rs"]
#[allow(dead_code)]
mod resources;

#[path = "src/extract/dates/patterns.rs"]
#[allow(dead_code, unused_imports)]
mod patterns;

use std::path::PathBuf;

fn main() {
    for input in [
        "build.rs",
        "src/resources/data_file.rs",
        "src/extract/dates/patterns.rs",
        "data/patterns/dates-lexicon.tsv",
        "data/patterns/dates-fragments.tsv",
        "data/patterns/dates-rules.tsv",
        "data/patterns/dates-words.tsv",
    ] {
        println!("cargo::rerun-if-changed={input}");
    }
    let automaton = patterns::prepare(&patterns::DateSources::embedded())
        .and_then(|prepared| patterns::scan_automaton(&prepared))
        .unwrap_or_else(|e| {
            eprintln!("error: data/{e}");
            std::process::exit(1);
        });
    // Little-endian: the binary refuses (and rebuilds) it on a big-endian machine. The bytes
    // from `padding` on are the DFA; the binary aligns them when it embeds them.
    let (bytes, padding) = automaton.to_bytes_little_endian();
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let path = out_dir.join("dates-scan.dfa");
    if let Err(e) = std::fs::write(&path, &bytes[padding..]) {
        eprintln!("error: {}: {e}", path.display());
        std::process::exit(1);
    }
}
