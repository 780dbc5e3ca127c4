//! Frames: for each quote, the cue that reports it and the subject of that cue (before it,
//! inverted after it, across appositions and parentheses, after `selon`, before a colon).

use super::*;

impl Ctx<'_> {
    // --- attribution --------------------------------------------------------------------

    /// The explicit attribution of one quote, and the channel its sentence names.
    pub(super) fn attribute(
        &self,
        raw: &Raw,
        sent: &Range<usize>,
    ) -> (Option<Attr>, Option<String>) {
        let open_tok = self.tok_index(raw.open);
        let after_tok = self.tok_index(raw.close_end);
        let sent_first = self.tok_index(sent.start);
        let sent_end = self.tok_index(sent.end);
        let mut channel = None;
        let mut weak: Option<Attr> = None;
        let cue_range = |c: &Cue| self.toks[c.first].start()..self.toks[c.last].end();

        // 1. Inside the quote, between commas: `« …, a-t-il dit, … »`.
        let lo = self.cues.partition_point(|c| c.first <= open_tok);
        let mut k = lo;
        while k < self.cues.len() && self.cues[k].first < after_tok {
            let c = &self.cues[k];
            if c.kind == CueKind::Verb
                && c.pron.is_some()
                && c.first > 0
                && self.low(c.first - 1) == ","
                && matches!(self.low(c.last + 1), "," | "." | "»" | "”")
            {
                let spk = self.cue_subject(k);
                return (
                    Some(Attr {
                        spk,
                        cue: Some(cue_range(c)),
                        via: Via::Frame,
                    }),
                    None,
                );
            }
            k += 1;
        }

        // 2. Right after the closing mark.
        let mut post_selon: Option<Attr> = None;
        if raw.closed {
            let mut j = after_tok;
            if self.low(j) == "," {
                j += 1;
            }
            let j = self.skip_adverbs(j, sent_end, 3);
            let ci = self.cues.partition_point(|c| c.first < j);
            if let Some(c) = self.cues.get(ci).filter(|c| c.first == j && j < sent_end) {
                match c.kind {
                    CueKind::Verb => {
                        let spk = self.cue_subject(ci);
                        let (_, ch) = self.post_subject(c.last + 1, sent_end);
                        return (
                            Some(Attr {
                                spk,
                                cue: Some(cue_range(c)),
                                via: Via::Frame,
                            }),
                            ch,
                        );
                    }
                    CueKind::Selon => {
                        let (spk, ch) = self.source_after(c.last + 1, sent_end);
                        channel = ch;
                        if let Some(spk) = spk {
                            post_selon = Some(Attr {
                                spk,
                                cue: Some(cue_range(c)),
                                via: Via::Selon,
                            });
                        }
                    }
                    CueKind::Pour => {}
                }
            }
        }
        // The channel of the sentence: a `selon <medium>` anywhere in it.
        if channel.is_none() {
            let a = self.cues.partition_point(|c| c.first < sent_first);
            for c in self.cues[a..]
                .iter()
                .take_while(|c| c.first < sent_end)
                .take(8)
            {
                if c.kind == CueKind::Selon && !self.in_quote[c.first] {
                    let (spk, ch) = self.source_after(c.last + 1, sent_end);
                    if spk.is_none() && ch.is_some() {
                        channel = ch;
                        break;
                    }
                }
            }
        }

        // 3. Before the quote, in the same sentence.
        let floor = sent_first.max(open_tok.saturating_sub(BACK_TOKENS));
        let a = self.cues.partition_point(|c| c.first < floor);
        let b = self.cues.partition_point(|c| c.first < open_tok);
        let candidates: Vec<usize> = (a..b)
            .filter(|&k| {
                let c = &self.cues[k];
                !self.in_quote[c.first] && c.last < open_tok
            })
            .collect();
        let chosen = candidates
            .iter()
            .copied()
            .find(|&k| self.cues[k].que && self.cues[k].kind == CueKind::Verb)
            .or_else(|| candidates.last().copied());
        if let Some(k) = chosen {
            let c = &self.cues[k];
            let spk = match c.kind {
                CueKind::Verb => Some(self.cue_subject(k)),
                CueKind::Selon | CueKind::Pour => {
                    let (spk, ch) = self.source_after(c.last + 1, open_tok);
                    if channel.is_none() {
                        channel = ch;
                    }
                    // `pour la dernière période, « … »`: `pour` before no source is no frame.
                    spk.filter(|s| {
                        c.kind == CueKind::Selon
                            || s.who.is_some()
                            || self.is_source_phrase(c.last + 1)
                    })
                }
            };
            if let Some(spk) = spk {
                let useful = spk.who.is_some() || spk.mention.is_some();
                let attr = Attr {
                    spk,
                    cue: Some(cue_range(c)),
                    via: if c.kind == CueKind::Verb {
                        Via::Frame
                    } else {
                        Via::Selon
                    },
                };
                if useful {
                    return (Some(attr), channel);
                }
                // A cue whose subject is not found (`L'alerte a été donnée « … », a indiqué
                // X`): a later frame may still name the speaker.
                if post_selon.is_none() {
                    weak = Some(attr);
                }
            }
        }
        if let Some(a) = post_selon {
            return (Some(a), channel);
        }

        // 4. Headline form `X : « … »`, or a clause before a colon (`X a ensuite défendu sa
        // décision : « … »`, `un rapport de la Ligue arabe : « … »`).
        if open_tok > sent_first && self.low(open_tok - 1) == ":" && open_tok >= 2 {
            let t = &self.toks[open_tok - 2];
            if let Some(r) = self.ref_at(t.start()) {
                return (
                    Some(Attr {
                        spk: Spk {
                            who: Some(r.who),
                            mention: Some(r.range.clone()),
                        },
                        cue: None,
                        via: Via::Colon,
                    }),
                    channel,
                );
            }
            if weak.is_none()
                && let Some(spk) = self.colon_subject(open_tok - 1, sent_first)
            {
                return (
                    Some(Attr {
                        spk,
                        cue: None,
                        via: Via::Colon,
                    }),
                    channel,
                );
            }
        }

        // 5. A cue later in the sentence, outside quotes (`les « … » de X sont « … », a dit Y`).
        let c0 = self.cues.partition_point(|c| c.first < after_tok);
        for (off, c) in self.cues[c0..]
            .iter()
            .take_while(|c| c.first < sent_end)
            .take(6)
            .enumerate()
        {
            if self.in_quote[c.first] {
                continue;
            }
            if c.kind == CueKind::Verb
                && (c.pron.is_some() || self.low(c.first.wrapping_sub(1)) == ",")
            {
                let spk = self.cue_subject(c0 + off);
                if spk.who.is_some() {
                    return (
                        Some(Attr {
                            spk,
                            cue: Some(cue_range(c)),
                            via: Via::Frame,
                        }),
                        channel,
                    );
                }
            }
        }
        (weak, channel)
    }

    /// The subject of the clause that a colon ends, found at the clause's start: a name, a
    /// pronoun or a noun phrase (`Pour construire ce code, le graphiste s'est basé sur … :`).
    pub(super) fn colon_subject(&self, colon: usize, floor: usize) -> Option<Spk> {
        let mut start = colon;
        while start > floor && colon - start < 25 {
            let p = start - 1;
            if self.in_quote[p] || matches!(self.low(p), "," | ";" | ":" | "." | "!" | "?") {
                break;
            }
            start = p;
        }
        if start == colon || start + 25 <= colon {
            return None;
        }
        let j = self.skip_adverbs(start, colon, 3);
        let t = self.tok(j)?;
        if let Some(r) = self.ref_at(t.start()) {
            return Some(Spk {
                who: Some(r.who),
                mention: Some(r.range.clone()),
            });
        }
        if self.rules.is(t, PRON) {
            return Some(self.pronoun(t.start()..t.end(), t.low));
        }
        if self.is_name_word(j) {
            let last = self.name_run_forward(j, colon);
            return Some(self.unknown_name(j, last));
        }
        if self.rules.is(t, DET) && !self.rules.is(t, CLITIC) || self.rules.is(t, UNKNOWN) {
            return Some(self.noun_phrase(j, colon));
        }
        None
    }

    /// The speaker a cue points at: its inverted pronoun, the subject before it, or (after a
    /// quote) the subject after it.
    pub(super) fn cue_subject(&self, ci: usize) -> Spk {
        let c = &self.cues[ci];
        if let Some((r, pron)) = &c.pron {
            return self.pronoun(r.clone(), pron);
        }
        if c.post {
            let end = self.sentence_end_tok(c.first);
            return self.post_subject(c.last + 1, end).0.unwrap_or_default();
        }
        let first = c.anchor;
        // `« … », a déclaré X`, and `…, lors de la fête, a indiqué un porte-parole`: after a
        // comma, a verb followed by a noun phrase has its subject inverted.
        let prev_is_quote = first > 0
            && (self.in_quote[first - 1]
                || (self.low(first - 1) == "," && first > 1 && self.in_quote[first - 2]));
        if !prev_is_quote && first > 0 && self.low(first - 1) == "," {
            let end = self.sentence_end_tok(first);
            if let (Some(s), _) = self.post_subject(c.last + 1, end)
                && let Some(m) = &s.mention
            {
                let after = self.tok_index(m.end);
                if after >= end || matches!(self.low(after), "." | "!" | "?" | ";") {
                    return s;
                }
            }
        }
        if prev_is_quote {
            // `« … », a déclaré X`: the subject follows the verb.
            let end = self.sentence_end_tok(first);
            let (spk, _) = self.post_subject(c.last + 1, end);
            if let Some(s) = spk {
                return s;
            }
        }
        if let Some(s) = self.subject_before(first) {
            return s;
        }
        let end = self.sentence_end_tok(first);
        if self.low(c.first).ends_with("ant") {
            // `Estimant que « … », il vota contre`: the participle's subject is the main
            // clause's, after the next comma outside the quote.
            if let Some(comma) =
                (c.last + 1..end).find(|&j| self.low(j) == "," && !self.in_quote[j])
            {
                return self.post_subject(comma + 1, end).0.unwrap_or_default();
            }
        }
        self.post_subject(c.last + 1, end).0.unwrap_or_default()
    }

    pub(super) fn sentence_end_tok(&self, tok: usize) -> usize {
        let pos = self.toks[tok].start();
        let k = self.sentences.partition_point(|s| s.start <= pos);
        match k.checked_sub(1).and_then(|k| self.sentences.get(k)) {
            Some(s) if pos < s.end => self.tok_index(s.end),
            _ => {
                // A title or heading: up to the next sentence-ending mark.
                let mut j = tok;
                while j < self.toks.len() && j < tok + AFTER_TOKENS * 2 {
                    if matches!(self.low(j), "." | "!" | "?") {
                        break;
                    }
                    j += 1;
                }
                j
            }
        }
    }

    pub(super) fn sentence_start_pos(&self, pos: usize) -> usize {
        let k = self.sentences.partition_point(|s| s.start <= pos);
        match k.checked_sub(1).and_then(|k| self.sentences.get(k)) {
            Some(s) if pos < s.end => s.start,
            _ => 0,
        }
    }

    /// Walks back from the cue's first token over its clause to the subject.
    pub(super) fn subject_before(&self, first: usize) -> Option<Spk> {
        let floor_pos = self.sentence_start_pos(self.toks[first].start());
        let mut j = first;
        let mut at_verb = true;
        // No word yet between this token and the verb (clitics aside).
        let mut next_to_verb = true;
        let mut steps = 0;
        while j > 0 && steps < SUBJECT_TOKENS {
            j -= 1;
            steps += 1;
            let t = &self.toks[j];
            if t.start() < floor_pos {
                break;
            }
            if self.in_quote[j] {
                at_verb = false;
                continue;
            }
            if at_verb && self.rules.is(t, CLITIC) {
                continue;
            }
            if at_verb && self.rules.is(t, PRON) {
                return Some(self.pronoun(t.start()..t.end(), t.low));
            }
            if at_verb && t.low == "qui" {
                // `l'organisation islamique, qui affirme « … »`: the antecedent of `qui`.
                if let Some(s) = self.relative_antecedent(j, floor_pos) {
                    return Some(s);
                }
                at_verb = false;
                continue;
            }
            at_verb = false;
            let was_next_to_verb = next_to_verb;
            next_to_verb = false;
            if !t.word() {
                match t.low {
                    "," => {
                        // A segment set off by commas before the verb is an apposition or an
                        // incidental (`X, président de …, a dit`, `X, impuissant, a dénoncé`,
                        // `X, dont …, a dit`) unless it is itself the name (`La procureure,
                        // Mme Y, a dit`): the subject is before it.
                        let mut p = j;
                        let mut n = 0;
                        while p > 0
                            && n < SUBJECT_TOKENS
                            && self.low(p - 1) != ","
                            && self.toks[p - 1].start() >= floor_pos
                        {
                            p -= 1;
                            n += 1;
                        }
                        let opened = p > 0 && p < j && self.low(p - 1) == ",";
                        let named = self.ref_at(self.toks[p].start()).is_some()
                            || self.is_name_word(p)
                            || is_honorific(self.toks[p].low);
                        if opened && (self.is(p, REL) || was_next_to_verb && !named) {
                            j = p - 1;
                        }
                        continue;
                    }
                    ")" => {
                        // `X (UMP) a dénoncé`: the parenthesis is no subject.
                        let mut p = j;
                        while p > 0 && j - p < 12 && self.low(p) != "(" {
                            p -= 1;
                        }
                        if self.low(p) == "(" {
                            j = p;
                        }
                        continue;
                    }
                    "." | ";" | ":" | "!" | "?" => break,
                    _ => continue,
                }
            }
            if t.low == "que" || t.low == "qu'" {
                break;
            }
            if let Some(r) = self.ref_at(t.start()) {
                let rfirst = self.tok_index(r.range.start);
                if !self.object_position(rfirst) {
                    return Some(Spk {
                        who: Some(r.who),
                        mention: Some(r.range.clone()),
                    });
                }
                j = rfirst;
                continue;
            }
            // `l'`, `les` are articles when a word stands between them and the verb (`l'ONG
            // précise`, `les analystes du groupe X estiment`), clitics right before it.
            let article = !self.rules.is(t, CLITIC) || j + 1 < first;
            if self.rules.is(t, DET) && article || self.rules.is(t, UNKNOWN) {
                if j > 0 && self.is(j - 1, PREP) {
                    continue;
                }
                // `le collectif la Quadrature du Net`: an article after an organisation noun
                // opens the name apposed to it; the subject starts before.
                if j > 0 && self.is(j - 1, ORG | MEDIA) && self.toks[j - 1].start() >= floor_pos {
                    continue;
                }
                // `L'Association des leaders du Mali a dit`: `du`, `des` after a word open a
                // complement, not the subject.
                if j > 0
                    && self.toks[j - 1].word()
                    && self.toks[j - 1].start() >= floor_pos
                    && matches!(t.low, "de" | "du" | "des" | "d'")
                {
                    continue;
                }
                return Some(self.noun_phrase(j, first));
            }
            if self.is_name_word(j) {
                // The last word of a capitalised run: an unknown name when the run opens the
                // clause (`Nock Ag Attia a précisé`, `…, Akli Gasmi, se souvient`).
                let run = self.name_run_back(j, floor_pos);
                let opens = run == 0
                    || self.toks[run - 1].start() < floor_pos
                    || !self.toks[run - 1].word()
                    || is_honorific(self.toks[run - 1].low)
                    || self.is_role_word(self.toks[run - 1].low);
                if opens {
                    return Some(self.unknown_name(run, j));
                }
                j = run;
                continue;
            }
        }
        None
    }

    /// The person subject of the clause a quote is woven into: a name or a subject pronoun
    /// at the sentence start or right after one of its first commas (`Arrivé à 0h50, il a
    /// annoncé …`), before the quote, outside quotes. Organisations and noun phrases are
    /// left to the frames: only persons speak without a cue.
    pub(super) fn clause_subject_before(&self, sent: &Range<usize>, open: usize) -> Option<Spk> {
        let first = self.tok_index(sent.start);
        let open_tok = self.tok_index(open);
        let starts = std::iter::once(self.skip_adverbs(first, open_tok, 3)).chain(
            // The clause opens near the sentence start: a bounded look keeps this linear.
            (first..open_tok.min(first + SUBJECT_TOKENS))
                .filter(|&j| self.low(j) == "," && !self.in_quote[j])
                .take(3)
                .map(|j| j + 1),
        );
        for j in starts {
            let Some(t) = self.tok(j).filter(|_| j < open_tok && !self.in_quote[j]) else {
                continue;
            };
            if let Some(r) = self.ref_at(t.start()) {
                if matches!(r.who, Who::Person(_) | Who::Unknown { org: false, .. })
                    && !self.object_position(j)
                {
                    return Some(Spk {
                        who: Some(r.who),
                        mention: Some(r.range.clone()),
                    });
                }
                continue;
            }
            if matches!(t.low, "il" | "elle") && !self.is_impersonal(j) {
                let spk = self.pronoun(t.start()..t.end(), t.low);
                if spk.who.is_some() {
                    return Some(spk);
                }
            }
        }
        None
    }

    /// The person that opens the sentence before the one at `pos`, in the same paragraph
    /// (starting at `para_start`): a name or a subject pronoun.
    pub(super) fn previous_sentence_subject(&self, pos: usize, para_start: usize) -> Option<Who> {
        let k = self.sentences.partition_point(|s| s.start <= pos);
        let prev = self.sentences.get(k.checked_sub(2)?)?;
        if prev.start < para_start {
            return None;
        }
        let j = self.skip_adverbs(self.tok_index(prev.start), self.toks.len(), 3);
        let t = self.tok(j)?;
        if self.in_quote[j] {
            return None;
        }
        if let Some(r) = self.ref_at(t.start()) {
            return matches!(r.who, Who::Person(_) | Who::Unknown { org: false, .. })
                .then_some(r.who);
        }
        if self.rules.is(t, PRON) {
            return self.pronoun(t.start()..t.end(), t.low).who;
        }
        None
    }

    /// The noun phrase right before the relative `qui` at token `qui` (a comma may stand
    /// between): a name, or a noun phrase opened by an article.
    pub(super) fn relative_antecedent(&self, qui: usize, floor_pos: usize) -> Option<Spk> {
        let mut k = qui;
        if k > 0 && self.low(k - 1) == "," {
            k -= 1;
        }
        let last = k.checked_sub(1)?;
        let mut j = k;
        while j > 0 && k - j < 8 {
            j -= 1;
            let t = &self.toks[j];
            if t.start() < floor_pos || !t.word() || self.in_quote[j] {
                return None;
            }
            if let Some(r) = self.ref_at(t.start()) {
                let r = self.head_of_complement(r);
                return Some(Spk {
                    who: Some(r.who),
                    mention: Some(r.range.clone()),
                });
            }
            if self.is_name_word(j) && j == last {
                let first = self.name_run_back(j, floor_pos);
                // `la Commission européenne de Bruxelles qui`, `la Banque mondiale à Washington
                // qui`: the named head, not the place of its complement.
                if first >= 2
                    && is_complement_preposition(self.low(first - 1))
                    && let Some(h) = self.ref_at(self.toks[first - 2].start())
                {
                    return Some(Spk {
                        who: Some(h.who),
                        mention: Some(h.range.clone()),
                    });
                }
                return Some(self.unknown_name(first, j));
            }
            if self.rules.is(t, DET) && !matches!(t.low, "de" | "du" | "des" | "d'") {
                return Some(self.noun_phrase(j, k));
            }
        }
        None
    }

    /// The reference a complement depends on, when a named complement follows a named head
    /// (`la Commission européenne de Bruxelles qui …`: the Commission, not the city).
    pub(super) fn head_of_complement<'r>(&'r self, r: &'r Ref) -> &'r Ref {
        let first = self.tok_index(r.range.start);
        if first >= 2 && is_complement_preposition(self.low(first - 1)) {
            let before = self.toks[first - 2].start();
            if let Some(h) = self.ref_at(before)
                && h.range.end <= self.toks[first - 1].start()
            {
                return h;
            }
        }
        r
    }

    /// Whether the reference starting at token `i` is an object or a complement: walks back
    /// over determiners, roles and adjectives to a preposition, a participle or a verb.
    pub(super) fn object_position(&self, i: usize) -> bool {
        // `le porte-parole du Kremlin Dmitri Peskov a dit`: a name apposed without a comma
        // right after the organisation that complements a role stands where the role stands.
        if let Some(d) = self.role_before_org_complement(i) {
            return self.object_position(d);
        }
        let mut j = i;
        let mut n = 0;
        while j > 0 && n < 6 {
            j -= 1;
            n += 1;
            let t = &self.toks[j];
            if !t.word() {
                return t.low == "'";
            }
            if self.rules.is(t, PREP) && !self.rules.is(t, DET)
                || matches!(t.low, "de" | "des" | "du" | "d'")
            {
                return true;
            }
            if self.rules.is(t, AUX) || self.rules.is_cue_form(t.low) {
                return true;
            }
            if !t.upper()
                && ["é", "ée", "és", "ées"].iter().any(|e| t.low.ends_with(e))
                && !self.is_role_word(t.low)
            {
                return true;
            }
            if matches!(t.low, "que" | "qu'" | "qui" | "et") {
                return false;
            }
        }
        false
    }

    /// The determiner `d` of `d role de [det] ORG` when token `i` follows that organisation
    /// right away (`le porte-parole du Kremlin` before `Dmitri Peskov`).
    pub(super) fn role_before_org_complement(&self, i: usize) -> Option<usize> {
        let prev = self.tok(i.checked_sub(1)?)?;
        let r = self.ref_at(prev.start())?;
        if !matches!(r.who, Who::Org(_))
            || self.ref_at(self.tok(i)?.start())?.range.start == r.range.start
        {
            return None;
        }
        let mut k = self.tok_index(r.range.start);
        if k > 0 && matches!(self.low(k - 1), "la" | "le" | "les" | "l'") {
            k -= 1;
        }
        if k == 0 || !matches!(self.low(k - 1), "de" | "du" | "des" | "d'") {
            return None;
        }
        k -= 1;
        (k.saturating_sub(4)..k.saturating_sub(1))
            .rev()
            .find(|&d| self.is(d, DET) && !self.is(d, PREP) && self.role_at(d + 1) > 0)
    }

    /// A capitalised word that no word class claims: part of a name.
    pub(super) fn is_name_word(&self, i: usize) -> bool {
        self.tok(i).is_some_and(|t| {
            t.word()
                && t.upper()
                && self.rules.class(t.low) == 0
                && !self.rules.is_cue_form(t.low)
                && !is_honorific(t.low)
        })
    }

    /// Lowercase particles inside a name (`Ursula von der Leyen`, `Charles de Gaulle`).
    pub(super) fn is_name_particle(&self, i: usize) -> bool {
        matches!(
            self.low(i),
            "de" | "du"
                | "des"
                | "d'"
                | "van"
                | "von"
                | "der"
                | "den"
                | "ben"
                | "bin"
                | "ibn"
                | "da"
                | "di"
                | "dos"
                | "el"
                | "al"
                | "le"
                | "la"
        )
    }

    /// The first token of the capitalised run ending at token `last` (at most five words).
    pub(super) fn name_run_back(&self, last: usize, floor_pos: usize) -> usize {
        let mut first = last;
        while first > 0 && last - first < 4 && self.toks[first - 1].start() >= floor_pos {
            let p = first - 1;
            if self.in_quote[p] {
                break;
            }
            if self.is_name_word(p)
                || self.toks[p].upper() && self.toks[p].word() && p > 0 && self.is_name_word(p - 1)
            {
                first = p;
            } else if self.is_name_particle(p) && p > 0 && self.is_name_word(p - 1) {
                first = p - 1;
            } else {
                break;
            }
        }
        first
    }

    /// The last token of the capitalised run starting at token `first` (before `stop`).
    pub(super) fn name_run_forward(&self, first: usize, stop: usize) -> usize {
        let mut last = first;
        let stop = stop.min(self.toks.len());
        while last + 1 < stop && last - first < 4 {
            let n = last + 1;
            if self.toks[n].word()
                && self.toks[n].upper()
                && !self.in_quote[n]
                && (self.is_name_word(n) || self.is_name_word(n + 1))
            {
                last = n;
            } else if self.low(n) == "."
                && self.toks[last].end() - self.toks[last].start() == 1
                && self.is_name_word(n + 1)
            {
                // An initial: `B. Obama`.
                last = n + 1;
            } else if self.is_name_particle(n) && n + 1 < stop && self.is_name_word(n + 1) {
                last = n + 1;
            } else {
                break;
            }
        }
        last
    }

    /// An unknown name over tokens `first..=last`: a person, or an organisation when it is
    /// written in capitals (`SUD-PTT`, `CGT`).
    pub(super) fn unknown_name(&self, first: usize, last: usize) -> Spk {
        let range = self.toks[first].start()..self.toks[last].end();
        let letters = self.text[range.clone()]
            .chars()
            .filter(|c| c.is_alphabetic());
        let org = first == last && {
            let (mut n, mut upper) = (0, 0);
            for c in letters {
                n += 1;
                upper += usize::from(c.is_uppercase());
            }
            n >= 2 && upper == n
        };
        Spk {
            who: Some(Who::Unknown {
                start: range.start,
                end: range.end,
                org,
            }),
            mention: Some(range),
        }
    }

    /// The subject after a cue (`a déclaré le ministre`), and a channel (`à l'AFP`).
    pub(super) fn post_subject(&self, from: usize, end: usize) -> (Option<Spk>, Option<String>) {
        let mut j = from;
        let mut after_prep = false;
        let mut channel = None;
        let stop = end.min(from + AFTER_TOKENS).min(self.toks.len());
        while j < stop {
            let t = &self.toks[j];
            if !t.word() {
                if t.low == "," {
                    j += 1;
                    continue;
                }
                break;
            }
            if self.rules.is(t, PREP) && !self.rules.is(t, DET)
                || matches!(t.low, "au" | "aux" | "lors")
            {
                after_prep = true;
                j += 1;
                continue;
            }
            if let Some(r) = self.ref_at(t.start()) {
                let rend = self.tok_index(r.range.end);
                if after_prep {
                    if let Who::Org(o) = r.who
                        && self.orgs[o].kind.as_deref() == Some("media")
                    {
                        channel = Some(self.orgs[o].name.clone());
                    }
                    after_prep = false;
                    j = rend.max(j + 1);
                    continue;
                }
                return (
                    Some(Spk {
                        who: Some(r.who),
                        mention: Some(r.range.clone()),
                    }),
                    channel,
                );
            }
            if is_honorific(t.low) {
                // `a lancé M. Guterres`: the name follows.
                j += if self.low(j + 1) == "." { 2 } else { 1 };
                continue;
            }
            if self.rules.is(t, PRON) && !after_prep {
                return (Some(self.pronoun(t.start()..t.end(), t.low)), channel);
            }
            if self.rules.is(t, DET) {
                if after_prep || (j > from && matches!(self.low(j - 1), "de" | "à")) {
                    j += 1;
                    continue;
                }
                return (Some(self.noun_phrase(j, stop)), channel);
            }
            if !after_prep && self.is_name_word(j) {
                let last = self.name_run_forward(j, stop);
                return (Some(self.unknown_name(j, last)), channel);
            }
            if self.rules.is(t, ADV) || t.low.ends_with("ment") || after_prep {
                after_prep = false;
                j += 1;
                continue;
            }
            if !self.rules.is(t, CLITIC) {
                break;
            }
            j += 1;
        }
        (None, channel)
    }

    /// After `selon`, `d'après`, `pour`: the source, or the medium that carried the words.
    pub(super) fn source_after(&self, from: usize, end: usize) -> (Option<Spk>, Option<String>) {
        let source_end = end.min(self.toks.len()).min(from + 2 * AFTER_TOKENS);
        let end = end.min(self.toks.len()).min(from + AFTER_TOKENS);
        if from >= end {
            return (None, None);
        }
        let t = &self.toks[from];
        if matches!(t.low, "lui" | "elle" | "eux" | "elles") {
            return (Some(self.pronoun(t.start()..t.end(), t.low)), None);
        }
        // A medium: `l'agence russe d'État Tass`, `le journal Kommersant`, or a media org.
        let mut j = from;
        if self.is(j, DET) {
            j += 1;
        }
        if self.is(j, MEDIA) {
            let mut k = j + 1;
            while k < end && self.toks[k].word() {
                if let Some(r) = self.ref_at(self.toks[k].start()) {
                    let name = match r.who {
                        Who::Org(o) => self.orgs[o].name.clone(),
                        Who::Person(p) => self.people[p].name.clone(),
                        Who::Unknown { start, end, .. } => self.text[start..end].to_string(),
                    };
                    return (None, Some(name));
                }
                k += 1;
            }
            // No known organisation: the capitalised words as written.
            let caps: Vec<&Tok> = self.toks[j + 1..k].iter().filter(|t| t.upper()).collect();
            if let (Some(a), Some(b)) = (caps.first(), caps.last()) {
                return (None, Some(self.text[a.start()..b.end()].to_string()));
            }
            return (None, None);
        }
        if let Some(r) = self.ref_at(self.toks[j].start()) {
            if let Who::Org(o) = r.who
                && self.orgs[o].kind.as_deref() == Some("media")
            {
                return (None, Some(self.orgs[o].name.clone()));
            }
            return (
                Some(Spk {
                    who: Some(r.who),
                    mention: Some(r.range.clone()),
                }),
                None,
            );
        }
        if self.is(from, DET) {
            let mut spk = self.noun_phrase(from, end);
            if let Some(Who::Org(o)) = spk.who
                && self.orgs[o].kind.as_deref() == Some("media")
            {
                return (None, Some(self.orgs[o].name.clone()));
            }
            if spk.who.is_none()
                && let Some(named) = self.apposed_name(from, source_end)
            {
                spk = named;
            }
            return (Some(spk), None);
        }
        if self.is_name_word(from) {
            let last = self.name_run_forward(from, end);
            return (Some(self.unknown_name(from, last)), None);
        }
        (None, None)
    }

    /// Whether the noun phrase at token `det` can be a source (`pour un expert`, `pour les
    /// syndicats`), as opposed to a time or a purpose (`pour la dernière période`).
    pub(super) fn is_source_phrase(&self, det: usize) -> bool {
        let head = (det + 1..(det + 4).min(self.toks.len()))
            .find(|&j| self.toks[j].word() && !self.is(j, DET | ADV))
            .unwrap_or(det + 1);
        self.is_person_noun(head) || self.is(head, ORG | MEMBER | ANAPHOR)
    }

    /// The name set after a description by a comma (`pour la principale association de
    /// défense du logiciel libre, l'April`): a known entity, or capitalised words after an
    /// optional article. An organisation unless the description is a person noun.
    pub(super) fn apposed_name(&self, det: usize, end: usize) -> Option<Spk> {
        let comma = (det + 1..end).find(|&j| !self.toks[j].word())?;
        if self.low(comma) != "," || self.in_quote[comma] {
            return None;
        }
        let mut j = comma + 1;
        if let Some(r) = self.tok(j).and_then(|t| self.ref_at(t.start())) {
            return Some(Spk {
                who: Some(r.who),
                mention: Some(r.range.clone()),
            });
        }
        if self.is(j, DET) {
            j += 1;
        }
        if j >= end || !self.is_name_word(j) {
            return None;
        }
        let last = self.name_run_forward(j, end);
        // The name must end the source: `, l'April :` or `, l'April, « … »`.
        if self.tok(last + 1).is_some_and(|t| t.word()) {
            return None;
        }
        let org = !self.is_person_noun(det + 1);
        Some(Spk {
            who: Some(Who::Unknown {
                start: self.toks[j].start(),
                end: self.toks[last].end(),
                org,
            }),
            mention: Some(self.toks[det].start()..self.toks[last].end()),
        })
    }
}

/// A preposition that opens a complement of a named head (`X de Bruxelles`, `X à Washington`,
/// `X au Caire`, `X en Suisse`): a relative `qui` after it goes back to the head.
fn is_complement_preposition(word: &str) -> bool {
    matches!(word, "de" | "du" | "d'" | "à" | "au" | "en")
}
