//! Cues: the reporting verbs, `selon`/`d'après` and `pour X,` frames found among the words of
//! each block (the tokens are the document's layer, `parse/tokens.rs`).

use super::*;

/// The cue verbs' forms (see `resources::cue_table`): for the embedded files, the static hash
/// table `build.rs` wrote (nothing built at start-up); for files given with `--data`, a hash
/// table built at load.
pub(super) enum CueForms {
    Embedded,
    Built(RuleMap<&'static str>),
}

/// The table `build.rs` wrote: `CUE_FORMS` maps a form to the byte range of its lemma in
/// `CUE_LEMMA_TEXT`.
mod embedded {
    use crate::resources::word_hash::SlotTable;
    include!(concat!(env!("OUT_DIR"), "/cue_forms.rs"));
}

impl CueForms {
    pub(super) fn new(cue_lemmas: &'static str, cue_verbs: &'static str) -> CueForms {
        if cue_lemmas == CUE_LEMMAS && cue_verbs == CUE_VERBS {
            return CueForms::Embedded;
        }
        let forms = crate::resources::cue_table::cue_forms(cue_lemmas, cue_verbs);
        let mut map = RuleMap::with_capacity(forms.len());
        for (form, lemma) in forms {
            map.insert(form, lemma);
        }
        CueForms::Built(map)
    }

    /// The lemma of an inflected form.
    pub(super) fn lemma(&self, form: &str) -> Option<&str> {
        match self {
            CueForms::Embedded => {
                let (table, lemmas) = &embedded::CUE_FORMS;
                let [start, end] = *lemmas.get(table.find(form)?)?;
                embedded::CUE_LEMMA_TEXT.get(start as usize..end as usize)
            }
            CueForms::Built(map) => map.get(form).copied(),
        }
    }

    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        match self {
            CueForms::Embedded => embedded::CUE_FORMS.0.iter().count(),
            CueForms::Built(map) => map.len(),
        }
    }
}

/// `a-t-il` → (`a`, `il`), `estime-t-elle` → (`estime`, `elle`), `dit-il` → (`dit`, `il`).
pub(super) fn split_inverted(low: &str) -> Option<(&str, &str)> {
    // Every suffix holds a hyphen, which nearly no token has: asked of every word.
    if !low.as_bytes().contains(&b'-') {
        return None;
    }
    for suffix in [
        "-t-elles", "-t-elle", "-t-ils", "-t-il", "-t-on", "-elles", "-elle", "-ils", "-il", "-on",
    ] {
        if let Some(verb) = low.strip_suffix(suffix)
            && !verb.is_empty()
        {
            let pron = suffix.rsplit('-').next().unwrap_or("");
            return Some((verb, pron));
        }
    }
    None
}

/// A bare form that is only a participle (needs an auxiliary to be a cue).
pub(super) fn participle_only(form: &str, lemma: &str) -> bool {
    if form == lemma || form.ends_with("ant") {
        return false;
    }
    // First-group verbs have only `-é` participles: `indique`, `explique` are present tenses.
    if lemma.ends_with("er") {
        return ["é", "ée", "és", "ées"].iter().any(|e| form.ends_with(e));
    }
    [
        "é", "ée", "és", "ées", "ite", "ites", "its", "ise", "ises", "ue", "ues", "us", "u", "is",
    ]
    .iter()
    .any(|e| form.ends_with(e))
}

impl Ctx<'_> {
    // --- cues ---------------------------------------------------------------------------

    /// Names no extractor knows that stand as the subject of a cue (`Nock Ag Attia a dit`)
    /// become references, so that later pronouns and quotes can point back to them.
    pub(super) fn add_unknown_subjects(&mut self) {
        let mut extra = Vec::new();
        for ci in 0..self.cues.len() {
            let c = &self.cues[ci];
            if c.kind != CueKind::Verb || c.pron.is_some() || self.in_quote[c.first] {
                continue;
            }
            if let Some(who @ Who::Unknown { start, end, .. }) = self.cue_subject(ci).who {
                extra.push(Ref {
                    range: start..end,
                    who,
                });
            }
        }
        if extra.is_empty() {
            return;
        }
        let mut all = std::mem::take(&mut self.refs);
        all.extend(extra);
        all.sort_by(|a, b| {
            a.range
                .start
                .cmp(&b.range.start)
                .then(b.range.end.cmp(&a.range.end))
        });
        all.dedup_by(|b, a| b.range.start < a.range.end);
        self.refs = all;
    }

    pub(super) fn find_cues(&mut self, block_toks: &[Range<usize>]) {
        let mut cues = Vec::new();
        for range in block_toks {
            let mut i = range.start;
            while i < range.end {
                if let Some(c) = self.cue_at(i, range.end) {
                    i = c.last + 1;
                    cues.push(c);
                } else {
                    i += 1;
                }
            }
        }
        self.cues = cues;
    }

    pub(super) fn skip_adverbs(&self, mut j: usize, end: usize, max: usize) -> usize {
        let mut n = 0;
        while j < end && n < max {
            let t = &self.toks[j];
            if let Some(k) = self.adverbial_phrase(j, end) {
                j += k;
                n += 1;
            } else if t.word() && !t.upper() && (self.rules.is(t, ADV) || t.low.ends_with("ment")) {
                j += 1;
                n += 1;
            } else {
                break;
            }
        }
        j
    }

    /// The length in tokens of a multi-word adverbial (`de son côté`, `quant à lui`) at `j`.
    pub(super) fn adverbial_phrase(&self, j: usize, end: usize) -> Option<usize> {
        // Lowercase words only, before `end`: the lengths to try stop at the first other token.
        let words = self
            .toks
            .get(j..end.min(self.toks.len()))
            .unwrap_or_default()
            .iter()
            .take(self.rules.phrase_max_words)
            .take_while(|t| t.word() && !t.upper());
        // Fewer than two words: no phrase, and nothing to join.
        words.clone().nth(1)?;
        let (phrase, ends) = joined_prefixes(words.map(|t| t.low));
        (2..=ends.len())
            .rev()
            .find(|&k| self.rules.adverbials.contains(&phrase[..ends[k - 1]]))
    }

    pub(super) fn pron_range(&self, i: usize, pron: &str) -> (Range<usize>, String) {
        let t = &self.toks[i];
        let start = t.end().saturating_sub(pron.len());
        let start = if self.text.is_char_boundary(start) {
            start
        } else {
            t.start()
        };
        (start..t.end(), pron.to_string())
    }

    pub(super) fn followed_by_que(&self, last: usize, end: usize) -> bool {
        let mut j = last + 1;
        let mut n = 0;
        while j < end && n < 5 {
            let t = &self.toks[j];
            if t.low == "que" || t.low == "qu'" || t.low == ":" {
                return true;
            }
            if !t.word() && t.low != "," {
                return false;
            }
            j += 1;
            n += 1;
        }
        false
    }

    pub(super) fn cue_at(&self, i: usize, end: usize) -> Option<Cue> {
        let t = &self.toks[i];
        if !t.word() {
            return None;
        }
        let rules = self.rules;
        let mk = |kind, first, last, pron| {
            Some(Cue {
                kind,
                first,
                last,
                pron,
                que: self.followed_by_que(last, end),
                anchor: self.coordination_anchor(first).unwrap_or(first),
                post: false,
            })
        };
        if t.low == "selon" {
            return mk(CueKind::Selon, i, i, None);
        }
        if t.low == "d'" && i + 1 < end && self.low(i + 1) == "après" {
            return mk(CueKind::Selon, i, i + 1, None);
        }
        if t.low == "pour" {
            let at_start = i == 0 || self.tok(i - 1).is_none_or(|p| !p.word() && p.low != "'");
            let after_conjunction =
                i > 0 && matches!(self.low(i - 1), "mais" | "et" | "or" | "donc" | "enfin");
            return if at_start && t.upper() || i > 0 && self.low(i - 1) == "," || after_conjunction
            {
                mk(CueKind::Pour, i, i, None)
            } else {
                None
            };
        }
        // The cue group takes a reflexive and a negation before it: `ne s'est pas exprimé`,
        // `n'a pas dit`.
        let reflexive_start = |first: usize| {
            let mut f = first;
            if f > 0 && matches!(self.low(f - 1), "s'" | "se") {
                f -= 1;
            }
            if f > 0 && matches!(self.low(f - 1), "n'" | "ne") {
                f -= 1;
            }
            f
        };
        // `a fait savoir que`, `fait savoir`: a reporting periphrasis.
        let faire = |k: usize| {
            matches!(
                self.low(k),
                "fait" | "font" | "faisait" | "faisaient" | "fera" | "feront" | "fit" | "firent"
            ) && self.low(k + 1) == "savoir"
                && k + 1 < end
        };
        // Inverted: `a-t-il dit`, `estime-t-elle`.
        if let Some((verb, pron)) = split_inverted(t.low) {
            if rules.class(verb) & AUX != 0 {
                let j = self.skip_adverbs(i + 1, end, 3);
                if j < end && self.toks[j].word() && rules.is_cue_form(self.toks[j].low) {
                    return mk(
                        CueKind::Verb,
                        reflexive_start(i),
                        j,
                        Some(self.pron_range(i, pron)),
                    );
                }
                return None;
            }
            if rules.is_cue_form(verb) {
                return mk(
                    CueKind::Verb,
                    reflexive_start(i),
                    i,
                    Some(self.pron_range(i, pron)),
                );
            }
            return None;
        }
        if rules.is(t, AUX) {
            let mut j = self.skip_adverbs(i + 1, end, 3);
            // A stressed pronoun of contrast: `X a lui écrit`, `Y a elle aussi déclaré`.
            if matches!(self.low(j), "lui" | "elle" | "eux" | "elles") {
                j = self.skip_adverbs(j + 1, end, 2);
            }
            if j >= end || !self.toks[j].word() || self.toks[j].low == "été" {
                return None;
            }
            let etre = matches!(
                t.low,
                "est"
                    | "sont"
                    | "était"
                    | "étaient"
                    | "sera"
                    | "seront"
                    | "serait"
                    | "seraient"
                    | "fut"
                    | "furent"
            );
            let first = reflexive_start(i);
            if etre && first == i {
                return None;
            }
            if rules.is_cue_form(self.toks[j].low) {
                return mk(CueKind::Verb, first, j, None);
            }
            if faire(j) {
                return mk(CueKind::Verb, first, j + 1, None);
            }
            return None;
        }
        if faire(i) {
            return mk(CueKind::Verb, reflexive_start(i), i + 1, None);
        }
        let lemma = rules.cues.lemma(t.low)?;
        if participle_only(t.low, lemma) {
            return self.coordinated_participle(i, end);
        }
        // `comme le rappelle X`, `comme l'a indiqué X`: the subject follows.
        if i >= 2 && matches!(self.low(i - 1), "le" | "l'") && self.low(i - 2) == "comme" {
            return Some(Cue {
                kind: CueKind::Verb,
                first: i - 2,
                last: i,
                pron: None,
                que: false,
                anchor: i - 2,
                post: true,
            });
        }
        let infinitive = t.low == lemma;
        if i > 0 {
            let p = &self.toks[i - 1];
            if rules.is(p, DET) && !rules.is(p, CLITIC) || (rules.is(p, PREP) && !infinitive) {
                return None;
            }
            // `l'` before a verb is an object clitic after a subject (`il l'affirme`);
            // clause-initial it is an article (`L'alerte a été donnée`).
            if p.low == "l'"
                && (i < 2
                    || !(self.is(i - 2, PRON)
                        || self.is(i - 2, CLITIC)
                        || self.toks[i - 2].upper()))
            {
                return None;
            }
        }
        if matches!(t.low, "dit" | "dits" | "dite" | "dites")
            && matches!(self.low(i + 1), "de" | "des" | "du" | "d'")
        {
            return None;
        }
        mk(CueKind::Verb, reflexive_start(i), i, None)
    }

    /// For a verb coordinated by `et` (`X a fait voter … et a déclaré`, `Il fut exclu … et
    /// déclara`), the first verb of the clause, whose subject the second shares.
    pub(super) fn coordination_anchor(&self, first: usize) -> Option<usize> {
        if first == 0 || self.low(first - 1) != "et" {
            return None;
        }
        let mut j = first - 1;
        let mut found = None;
        while j > 0 && first - j < 20 {
            j -= 1;
            let t = &self.toks[j];
            if self.in_quote[j] || matches!(t.low, "." | ";" | ":" | "!" | "?") {
                break;
            }
            if self.rules.is(t, AUX) || self.rules.is_cue_form(t.low) && !t.upper() {
                found = Some(j);
            }
            if self.rules.is(t, PRON) || self.ref_at(t.start()).is_some() {
                break;
            }
        }
        found
    }

    /// A participle after `et` sharing an earlier auxiliary: `X a condamné le crime et estimé
    /// que …` (the subject is the auxiliary's).
    pub(super) fn coordinated_participle(&self, i: usize, end: usize) -> Option<Cue> {
        if i == 0 || self.low(i - 1) != "et" {
            return None;
        }
        let mut j = i - 1;
        while j > 0 && i - j < 16 {
            j -= 1;
            let t = &self.toks[j];
            if self.in_quote[j] || matches!(t.low, "." | ";" | ":" | "!" | "?") {
                return None;
            }
            if self.rules.is(t, AUX) {
                return Some(Cue {
                    kind: CueKind::Verb,
                    first: i,
                    last: i,
                    pron: None,
                    que: self.followed_by_que(i, end),
                    anchor: j,
                    post: false,
                });
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The build script's static table is the table of the embedded files, form for form, and
    /// the table built at load gives the same lemmas.
    #[test]
    fn embedded_cue_table_is_the_built_one() {
        let sorted = CueForms::new(CUE_LEMMAS, CUE_VERBS);
        assert!(matches!(sorted, CueForms::Embedded));
        let forms = crate::resources::cue_table::cue_forms(CUE_LEMMAS, CUE_VERBS);
        assert_eq!(sorted.len(), forms.len());
        assert!(forms.len() > 3000);
        for (form, lemma) in &forms {
            assert_eq!(sorted.lemma(form), Some(*lemma), "{form}");
        }
        // An edited copy (as with `--data`) is built at load.
        let edited: &'static str = "# test\nmurmurer\ndire\tdit dira\n";
        let built = CueForms::new(edited, CUE_VERBS);
        assert!(matches!(built, CueForms::Built(_)));
        assert_eq!(built.lemma("murmurait"), Some("murmurer"));
        assert_eq!(built.lemma("dira"), Some("dire"));
        assert_eq!(built.lemma("dirait"), None);
        assert_eq!(sorted.lemma("pas un verbe"), None);
    }
}
