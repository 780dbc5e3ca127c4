//! Build script: what is cheaper to compute once, at build time, than at every start.
//!
//! - The date rules (`data/patterns/dates-*.tsv`) are checked and their scan automaton built
//!   with the crate's own loader (`src/extract/dates/patterns.rs`, compiled here as a module):
//!   compiling the ~100 rules into one automaton costs far more than analysing a dispatch. The
//!   binary embeds the result (`$OUT_DIR/dates-scan.dfa`); only rules given with `--data` are
//!   compiled at run time. A rule file with an error fails the build with its `file:line`.
//!   Each rule's own regex (for its capture groups) is compiled here too and its NFA written
//!   in a compact code (`src/extract/dates/nfa_code.rs`, `$OUT_DIR/dates-captures.nfa`) that
//!   the binary replays on a rule's first use instead of parsing the regex (and so are the
//!   second pass's regexes); the rules' group names and guard characters are written out
//!   (`$OUT_DIR/dates-digest.txt`), so a start does not expand and translate the rules.
//! - The key filters of the large sorted tables (`src/extract/key_filter.rs`, also compiled
//!   here): `$OUT_DIR/NAME.filter` for each file of `FILTERED_TABLES`.
//! - The cue verbs' forms (`src/resources/cue_table.rs`, also compiled here), as a static hash
//!   table: `$OUT_DIR/cue_forms.rs`.
//! - The small word lists, the boundary prefixes of the hand-written places and of the
//!   organisations, the organisations' forms, the roles and the honorifics, as static hash
//!   tables (`src/resources/word_hash.rs`, also compiled here): `$OUT_DIR/word_sets.rs`.

#[path = "src/resources/data_file.rs"]
#[allow(dead_code)]
mod resources;

#[path = "src/extract/dates/nfa_code.rs"]
#[allow(dead_code)]
mod nfa_code;

#[path = "src/extract/dates/patterns.rs"]
#[allow(dead_code, unused_imports)]
mod patterns;

#[path = "src/extract/key_filter.rs"]
#[allow(dead_code)]
mod key_filter;

#[path = "src/resources/cue_table.rs"]
#[allow(dead_code)]
mod cue_table;

#[path = "src/resources/word_hash.rs"]
#[allow(dead_code)]
mod word_hash;

/// The word lists (`data/NAME`) `build.rs` writes as static hash sets.
const WORD_SETS: [&str; 8] = [
    "lexicons/ambiguous_places.txt",
    "lexicons/not_names.txt",
    "lexicons/name_blockers.txt",
    "lexicons/member_nouns.txt",
    "lexicons/family_name_first.txt",
    "lexicons/not_org_acronyms.txt",
    "lexicons/org_lone_heads.txt",
    "lexicons/acronym_label_nouns.txt",
];

use std::path::{Path, PathBuf};

/// The sorted tables (`SortedTable`s in `src/extract/lexicon.rs`) that get a key filter.
const FILTERED_TABLES: [&str; 4] = ["places", "given_names", "surnames", "cue_verbs"];

fn main() {
    for input in ["build.rs", "src/extract/key_filter.rs"] {
        println!("cargo::rerun-if-changed={input}");
    }
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    build_date_automaton(&out_dir);
    for table in FILTERED_TABLES {
        build_key_filter(&out_dir, table);
    }
    build_cue_table(&out_dir);
    build_word_sets(&out_dir);
}

/// `$OUT_DIR/word_sets.rs`: the embedded word lists of `WORD_SETS` and the boundary prefixes
/// of the hand-written places and of the organisations' forms, as static open-addressing
/// sets (see `src/resources/word_hash.rs`), so a start hashes none of them.
fn build_word_sets(out_dir: &Path) {
    let read = |name: &str| {
        let input = format!("data/{name}");
        println!("cargo::rerun-if-changed={input}");
        std::fs::read_to_string(&input).unwrap_or_else(|e| fail(&format!("{input}: {e}")))
    };
    println!("cargo::rerun-if-changed=src/resources/word_hash.rs");
    let mut out = String::from(
        "/// The embedded word lists, by file.\npub static WORD_SETS: &[(&str, SlotTable)] = &[\n",
    );
    for name in WORD_SETS {
        let text = read(name);
        let keys = resources::data_lines(&text).map(|(_, l)| l.trim());
        let table = word_hash::slot_table_source(keys);
        out.push_str(&format!("({name:?}, {table}),\n"));
    }
    out.push_str("];\n");
    let places = read("lexicons/places_extra.tsv");
    let names = resources::data_lines(&places).map(|(_, l)| l.split('\t').next().unwrap_or(l));
    let table = word_hash::slot_table_source(names.flat_map(word_hash::boundary_prefixes));
    out.push_str("/// The boundary prefixes of `lexicons/places_extra.tsv`.\n");
    out.push_str(&format!(
        "pub static PLACE_PREFIXES: SlotTable = {table};\n"
    ));
    let orgs = read("lexicons/organizations.tsv");
    let forms = resources::data_lines(&orgs).flat_map(|(_, l)| word_hash::org_forms(l));
    let table = word_hash::slot_table_source(forms.flat_map(word_hash::boundary_prefixes));
    out.push_str("/// The boundary prefixes of the forms of `lexicons/organizations.tsv`.\n");
    out.push_str(&format!("pub static ORG_PREFIXES: SlotTable = {table};\n"));
    // The hand-written places: name -> byte range of its line; the last row of a name wins.
    let mut rows: Vec<(&str, String)> = Vec::new();
    for (line, l) in resources::data_lines(&places) {
        if l.split('\t').count() < 7 {
            fail(&format!(
                "data/lexicons/places_extra.tsv:{line}: expected 7 tab-separated columns"
            ));
        }
        let start = l.as_ptr() as usize - places.as_ptr() as usize;
        let name = l.split('\t').next().unwrap_or(l);
        rows.push((name, format!("[{start},{}]", start + l.len())));
    }
    rows.reverse();
    let map = word_hash::slot_map_source(&rows, "[0,0]");
    out.push_str("/// `lexicons/places_extra.tsv`: name -> byte range of its line.\n");
    out.push_str(&format!(
        "pub static PLACES_EXTRA: (SlotTable, &[[u32; 2]]) = {map};\n"
    ));
    let starts = rows
        .iter()
        .map(|(name, _)| *name)
        .filter(|n| n.chars().next().is_some_and(char::is_lowercase))
        .filter_map(|n| n.split(' ').next());
    let table = word_hash::slot_table_source(starts);
    out.push_str("/// First words of the hand-written places that start in lowercase.\n");
    out.push_str(&format!(
        "pub static LOWERCASE_PLACE_STARTS: SlotTable = {table};\n"
    ));
    // Row of each form: the first row of a form wins, as in the lexicon's loader.
    let forms: Vec<(&str, String)> = resources::data_lines(&orgs)
        .enumerate()
        .flat_map(|(row, (_, l))| word_hash::org_forms(l).map(move |f| (f, row.to_string())))
        .collect();
    out.push_str("/// The forms of `lexicons/organizations.tsv` and their rows.\n");
    let map = word_hash::slot_map_source(&forms, "0");
    out.push_str(&format!(
        "pub static ORG_FORMS: (SlotTable, &[usize]) = {map};\n"
    ));
    for (name, file, lowercase) in [
        ("ROLES", "lexicons/roles.tsv", true),
        ("HONORIFICS", "lexicons/honorifics.tsv", false),
    ] {
        let text = read(file);
        let mut rows: Vec<(String, String)> = Vec::new();
        for (line, l) in resources::data_lines(&text) {
            let mut cols = l.split('\t');
            let (key, gender) = (cols.next().unwrap_or(""), cols.next().unwrap_or(""));
            if !matches!(gender, "m" | "f" | "u") {
                fail(&format!(
                    "data/{file}:{line}: gender must be m, f or u, found {gender:?}"
                ));
            }
            let key = if lowercase {
                key.to_lowercase()
            } else {
                key.to_string()
            };
            rows.push((key, format!("{gender:?}").replace('"', "'")));
        }
        // The last row of a key wins, as in the lexicon's loader.
        rows.reverse();
        let entries: Vec<(&str, String)> =
            rows.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
        out.push_str(&format!("/// `{file}`: key → gender.\n"));
        let map = word_hash::slot_map_source(&entries, "'u'");
        out.push_str(&format!(
            "pub static {name}: (SlotTable, &[char]) = {map};\n"
        ));
    }
    write(&out_dir.join("word_sets.rs"), out.as_bytes());
}

/// `$OUT_DIR/cue_forms.rs`: the cue verbs' forms of the embedded files as a static hash table
/// (see `src/resources/cue_table.rs`).
fn build_cue_table(out_dir: &Path) {
    let read = |input: &str| {
        println!("cargo::rerun-if-changed={input}");
        std::fs::read_to_string(input).unwrap_or_else(|e| fail(&format!("{input}: {e}")))
    };
    println!("cargo::rerun-if-changed=src/resources/cue_table.rs");
    let lemmas = read("data/lexicons/cue_lemmas.txt");
    let verbs = read("data/lexicons/cue_verbs.tsv");
    let cues = cue_table::cue_forms(&lemmas, &verbs);
    // The lemmas in one text, each form's value the byte range of its lemma there.
    let mut lemma_text = String::new();
    let mut ranges = std::collections::HashMap::new();
    let mut rows: Vec<(&str, &str)> = cues.iter().map(|(f, l)| (f.as_ref(), *l)).collect();
    rows.sort_unstable();
    let mut entries = Vec::with_capacity(rows.len());
    for (form, lemma) in rows {
        let range = ranges.entry(lemma).or_insert_with(|| {
            let start = lemma_text.len();
            lemma_text.push_str(lemma);
            format!("[{start},{}]", lemma_text.len())
        });
        entries.push((form, range.clone()));
    }
    let map = word_hash::slot_map_source(&entries, "[0,0]");
    let source = format!(
        "/// The cue verbs' lemmas, one after the other.\n\
         pub static CUE_LEMMA_TEXT: &str = {lemma_text:?};\n\
         /// Inflected form -> byte range of its lemma in `CUE_LEMMA_TEXT`.\n\
         pub static CUE_FORMS: (SlotTable, &[[u32; 2]]) = {map};\n"
    );
    write(&out_dir.join("cue_forms.rs"), source.as_bytes());
}

/// `$OUT_DIR/NAME.filter`: the key filter of `data/lexicons/NAME.tsv` (its keys are the first
/// column of the lines after the leading `#` comments, as `SortedTable` reads them).
fn build_key_filter(out_dir: &Path, table: &str) {
    let input = format!("data/lexicons/{table}.tsv");
    println!("cargo::rerun-if-changed={input}");
    let text = std::fs::read_to_string(&input).unwrap_or_else(|e| fail(&format!("{input}: {e}")));
    let keys = text
        .lines()
        .skip_while(|l| l.starts_with('#'))
        .map(|l| l.split('\t').next().unwrap_or(l));
    write(
        &out_dir.join(format!("{table}.filter")),
        &key_filter::build(keys),
    );
}

fn build_date_automaton(out_dir: &Path) {
    for input in [
        "src/resources/data_file.rs",
        "src/extract/dates/patterns.rs",
        "src/extract/dates/nfa_code.rs",
        "data/patterns/dates-lexicon.tsv",
        "data/patterns/dates-fragments.tsv",
        "data/patterns/dates-rules.tsv",
        "data/patterns/dates-words.tsv",
    ] {
        println!("cargo::rerun-if-changed={input}");
    }
    let prepared = patterns::prepare(&patterns::DateSources::embedded())
        .unwrap_or_else(|e| fail(&format!("data/{e}")));
    let automaton =
        patterns::scan_automaton(&prepared).unwrap_or_else(|e| fail(&format!("data/{e}")));
    let captures =
        patterns::capture_codes(&prepared).unwrap_or_else(|e| fail(&format!("data/{e}")));
    write(&out_dir.join("dates-captures.nfa"), &captures);
    write(
        &out_dir.join("dates-digest.txt"),
        patterns::digest(&prepared).as_bytes(),
    );
    // Little-endian: the binary refuses (and rebuilds) it on a big-endian machine. The bytes
    // from `padding` on are the DFA; the binary aligns them when it embeds them.
    let (bytes, padding) = automaton.to_bytes_little_endian();
    write(&out_dir.join("dates-scan.dfa"), &bytes[padding..]);
}

fn write(path: &Path, bytes: &[u8]) {
    if let Err(e) = std::fs::write(path, bytes) {
        fail(&format!("{}: {e}", path.display()));
    }
}

/// Stops the build with `message` (cargo shows the build script's standard error).
fn fail(message: &str) -> ! {
    eprintln!("error: {message}");
    std::process::exit(1);
}
