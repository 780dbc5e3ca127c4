//! The inflected forms of the cue verbs (`lexicons/cue_lemmas.txt` with the inflection table
//! `lexicons/cue_verbs.tsv`): form → lemma. Also compiled in `build.rs`, which writes the
//! table of the embedded files as a static hash table (`$OUT_DIR/cue_forms.rs`), so that the
//! binary builds no hash table of some 3,000 forms at every start (about 4 M instructions);
//! rules given with `--data` are built here at load.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

/// The first-group verb whose inflections model a lemma missing from the inflection table.
pub const CUE_MODEL: &str = "affirmer";

/// The lines of a rule file that are neither comments nor blank.
fn rule_lines(text: &str) -> impl Iterator<Item = &str> {
    crate::resources::lines(text).filter(|l| !l.starts_with('#') && !l.trim().is_empty())
}

/// Every inflected form of the cue lemmas, with its lemma: the forms `cue_verbs.tsv` lists
/// for a lemma, and for a first-group lemma it lacks (`tweeter`), the forms of `affirmer` on
/// its stem. A lemma with neither is left out (documented in data/README.md). Reflexive
/// lemmas are written without `se`. A form of two lemmas goes to the first in byte order; the
/// forms written out in `cue_lemmas.txt` win.
pub fn cue_forms<'a>(cue_lemmas: &'a str, cue_verbs: &'a str) -> HashMap<Cow<'a, str>, &'a str> {
    let mut cues = HashMap::with_capacity(4000);
    let mut wanted: HashSet<&str> = HashSet::new();
    // `lemma<TAB>form form …`: forms written out, for a verb the table lacks or one some of
    // whose forms must not cue; they replace the derived forms (inserted last, below).
    let mut written = Vec::new();
    for line in crate::resources::lines(cue_lemmas).map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut cols = line.split('\t');
        let lemma = cols.next().unwrap_or("").trim();
        let before = written.len();
        written.extend(cols.flat_map(str::split_whitespace).map(|f| (f, lemma)));
        if written.len() == before {
            wanted.insert(lemma);
        }
    }
    // One pass over the inflection table, its rows split in place.
    let mut in_table: HashSet<&str> = HashSet::new();
    let mut model = Vec::new();
    for line in rule_lines(cue_verbs) {
        let mut cols = line.split('\t');
        let (Some(form), Some(lemma)) = (cols.next(), cols.next()) else {
            continue;
        };
        if lemma == CUE_MODEL {
            model.push(form);
        }
        if wanted.contains(lemma) {
            in_table.insert(lemma);
            add_form(&mut cues, Cow::Borrowed(form), lemma);
        }
    }
    let model_stem = &CUE_MODEL[..CUE_MODEL.len() - 2];
    for lemma in wanted.iter().filter(|l| !in_table.contains(*l)) {
        let Some(stem) = lemma.strip_suffix("er") else {
            continue;
        };
        for ending in model.iter().filter_map(|f| f.strip_prefix(model_stem)) {
            add_form(&mut cues, Cow::Owned(format!("{stem}{ending}")), lemma);
        }
    }
    for (form, lemma) in written {
        cues.insert(Cow::Borrowed(form), lemma);
    }
    cues
}

/// Records that `form` inflects `lemma`, unless a lemma before it in byte order has it.
fn add_form<'a>(cues: &mut HashMap<Cow<'a, str>, &'a str>, form: Cow<'a, str>, lemma: &'a str) {
    if cues.get(form.as_ref()).is_none_or(|known| lemma < *known) {
        cues.insert(form, lemma);
    }
}
