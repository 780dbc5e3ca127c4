//! Resolution: how a subject becomes an entity: names, noun phrases (roles, descriptions,
//! organisations and their members), pronouns by recency, gender and subject position.

use super::*;

pub(super) fn build_refs(people: &[Person], orgs: &[Organization], text: &str) -> Vec<Ref> {
    let mut all: Vec<Ref> = Vec::new();
    let valid = |r: &Range<usize>| {
        r.start < r.end
            && r.end <= text.len()
            && text.is_char_boundary(r.start)
            && text.is_char_boundary(r.end)
    };
    for (i, p) in people.iter().enumerate() {
        for m in p.mentions.iter().chain(p.references.iter()) {
            if valid(&m.range) {
                all.push(Ref {
                    range: m.range.clone(),
                    who: Who::Person(i),
                });
            }
        }
    }
    for (i, o) in orgs.iter().enumerate() {
        for m in &o.mentions {
            if valid(&m.range) {
                all.push(Ref {
                    range: m.range.clone(),
                    who: Who::Org(i),
                });
            }
        }
    }
    all.sort_by(|a, b| {
        a.range
            .start
            .cmp(&b.range.start)
            .then(b.range.end.cmp(&a.range.end))
    });
    let mut out: Vec<Ref> = Vec::with_capacity(all.len());
    for r in all {
        if out.last().is_some_and(|l| r.range.start < l.range.end) {
            continue;
        }
        out.push(r);
    }
    out
}

impl Ctx<'_> {
    pub(super) fn is_role_word(&self, low: &str) -> bool {
        self.rules.roles.contains(low)
    }

    /// The length in tokens of the longest role starting at token `i`.
    pub(super) fn role_at(&self, i: usize) -> usize {
        // A role is words only: the lengths to try end before the first other token.
        let words = self
            .toks
            .get(i..)
            .unwrap_or_default()
            .iter()
            .take(self.rules.role_max_words)
            .take_while(|t| t.word());
        let (phrase, ends) = joined_prefixes(words.map(|t| t.low));
        (1..=ends.len())
            .rev()
            .find(|&k| self.rules.roles.contains(&phrase[..ends[k - 1]]))
            .unwrap_or(0)
    }

    /// A noun phrase opened by the determiner at token `det`, ending before token `limit`:
    /// a person named inside it, a role held by a person, or an unnamed source.
    pub(super) fn noun_phrase(&self, det: usize, limit: usize) -> Spk {
        let mut end = det + 1;
        let max = (det + 9).min(limit).min(self.toks.len());
        // Extent: up to punctuation, a verb, a relative pronoun or the limit.
        while end < max {
            let t = &self.toks[end];
            if !t.word()
                || self.rules.is(t, AUX)
                || self.rules.is(t, REL)
                || self.rules.is(t, PRON)
                || (self.rules.is_cue_form(t.low) && !self.is_role_word(t.low) && end > det + 1)
            {
                break;
            }
            end += 1;
        }
        let end = end.max(det + 1).min(self.toks.len());
        // `le président du conseil du CERN, Michel Spiro`: the name in apposition.
        if self.low(end) == "," {
            if let Some(r) = self.ref_at(self.toks.get(end + 1).map_or(usize::MAX, |t| t.start()))
                && matches!(r.who, Who::Person(_))
            {
                return Spk {
                    who: Some(r.who),
                    mention: Some(r.range.clone()),
                };
            }
            if self.is_name_word(end + 1) && self.is_name_word(end + 2) {
                let last = self.name_run_forward(end + 1, self.toks.len());
                return self.unknown_name(end + 1, last);
            }
        }
        // `le quotidien`, `son complice`: the name the text introduced with that description.
        if let Some(who) = self.introduced_as(det, end) {
            return Spk {
                who: Some(who),
                mention: Some(self.toks[det].start()..self.toks[end - 1].end()),
            };
        }
        if let Some(spk) = self.organisation_phrase(det, end) {
            return spk;
        }
        // A name in the complement of a role (`la présidente de la BCE`, `le leader du parti
        // X`, `le porte-parole du Kremlin Dmitri Peskov`) designates the organisation, not the
        // holder: the holder is a name apposed after it, the person introduced with the role,
        // or the person in focus; the organisation only when none is found.
        let role_head = self.role_at(det + 1) > 0;
        let mut complement: Option<Ref> = None;
        let mut j = det + 1;
        while j < end {
            let Some(r) = self.ref_at(self.toks[j].start()) else {
                j += 1;
                continue;
            };
            let r_first = self.tok_index(r.range.start);
            let r_last = self.tok_index(r.range.end.saturating_sub(1)).max(j);
            if r_first > det + 1 && self.in_complement(det + 1, r_first) {
                // A complement (`le chef de l'ONU`) is no apposition.
                if !role_head {
                    break;
                }
                if complement.is_none() {
                    complement = Some(r.clone());
                }
                j = r_last + 1;
                continue;
            }
            return Spk {
                who: Some(r.who),
                mention: Some(r.range.clone()),
            };
        }
        // `son fils Flavio`, `le militant Akli Gasmi`: lowercase nouns then a name no
        // extractor knows, in apposition without commas: that name.
        if complement.is_none() && self.toks[det + 1].word() && !self.toks[det + 1].upper() {
            let mut n = det + 1;
            while n < end && self.toks[n].word() && !self.toks[n].upper() {
                n += 1;
            }
            let plain = self.toks[det + 1..n].iter().all(|t| {
                !self.rules.is(
                    t,
                    ORG | MEDIA | WORK | NAMING | DOCUMENT | MEMBER | DET | PREP,
                )
            });
            if plain && n < end && end - n <= 3 && (n..end).all(|k| self.is_name_word(k)) {
                return self.unknown_name(n, end - 1);
            }
        }
        let not_complement = |p: usize| complement.as_ref().is_none_or(|c| c.who != Who::Person(p));
        let range = self.toks[det].start()..self.toks[end - 1].end();
        let k = self.role_at(det + 1);
        if k > 0 && !self.rules.is(&self.toks[det], UNKNOWN) {
            let mut terms: Vec<String> = self.toks[det + 1..det + 1 + k]
                .iter()
                .map(|t| t.low.to_string())
                .collect();
            let head_terms = terms.clone();
            for t in &self.toks[det + 1 + k..end] {
                if !self.rules.is(t, DET) && !self.rules.is(t, PREP) {
                    terms.push(t.low.to_string());
                }
            }
            let gender = match self.low(det) {
                "la" | "une" | "cette" => Some("f"),
                "le" | "un" | "ce" | "cet" => Some("m"),
                _ => None,
            };
            let pos = self.toks[det].start();
            if let Some(p) = self
                .role_holder(&terms, gender, pos)
                .filter(|&p| not_complement(p))
                .or_else(|| {
                    self.role_holder(&head_terms, gender, pos)
                        .filter(|&p| not_complement(p))
                })
                .or_else(|| self.head_of_state(&head_terms, pos))
            {
                return Spk {
                    who: Some(Who::Person(p)),
                    mention: Some(range),
                };
            }
        }
        // `le graphiste`, `le président-candidat`: a definite description of a person the
        // article has already named, the one in focus.
        if let Some(gender) = self.definite_person_description(det, end)
            && let Some(who) = self.person_in_focus(self.toks[det].start(), gender)
            && complement.as_ref().is_none_or(|c| c.who != who)
        {
            return Spk {
                who: Some(who),
                mention: Some(range),
            };
        }
        if let Some(r) = complement {
            return Spk {
                who: Some(r.who),
                mention: Some(r.range.clone()),
            };
        }
        // `selon un communiqué du ministère`: the author of the document.
        if self
            .toks
            .get(det + 1)
            .is_some_and(|t| self.rules.is(t, DOCUMENT))
        {
            for j in det + 2..(det + 8).min(self.toks.len()) {
                let t = &self.toks[j];
                if !t.word() || t.start() >= self.toks[limit.min(self.toks.len() - 1)].end() {
                    break;
                }
                if let Some(r) = self.ref_at(t.start()) {
                    return Spk {
                        who: Some(r.who),
                        mention: Some(r.range.clone()),
                    };
                }
            }
        }
        Spk {
            who: None,
            mention: Some(range),
        }
    }

    /// Every name introduced by a description right before it: a determiner or possessive,
    /// a lowercase head noun and lowercase words (`le quotidien français Le Figaro`, `son
    /// complice de toujours, Jean Dupont`). Built once per document.
    pub(super) fn find_introductions(&self) -> Vec<(usize, String, Who)> {
        let mut out = Vec::new();
        for r in &self.refs {
            let first = self.tok_index(r.range.start);
            let mut j = first;
            if j > 0 && self.low(j - 1) == "," {
                j -= 1;
            }
            let mut det = None;
            let mut k = j;
            while k > 0 && j - k < 5 {
                k -= 1;
                let t = &self.toks[k];
                if !t.word() || self.in_quote[k] {
                    break;
                }
                if self.is(k, DET) && !self.is(k, PREP) && k + 1 < j {
                    det = Some(k);
                    break;
                }
                if t.upper() {
                    break;
                }
            }
            let Some(d) = det else { continue };
            let head = &self.toks[d + 1];
            if head.word() && !head.upper() && !self.is(d + 1, DET | PREP) {
                out.push((r.range.start, head.low.to_string(), r.who));
            }
        }
        out
    }

    /// Whether the name starting at token `at` is the complement of the noun at `head`:
    /// preceded by `de`/`du`/`des`/`d'`, possibly with a determiner (`de la BCE`, `de l'ONU`)
    /// or a determined organisation noun (`du parti X`) in between.
    pub(super) fn in_complement(&self, head: usize, at: usize) -> bool {
        let mut k = at;
        // `du parti X` names the party; a bare `de` makes a compound role (`le préfet de
        // police X`), after which the name is in apposition.
        if k > head + 2
            && self.is(k - 1, ORG)
            && !self.toks[k - 1].upper()
            && matches!(self.low(k - 2), "du" | "des" | "la" | "l'")
        {
            k -= 1;
        }
        if k > head + 1 && matches!(self.low(k - 1), "la" | "le" | "les" | "l'") {
            if k > head + 2 && matches!(self.low(k - 2), "de" | "d'") {
                return true;
            }
            // `l'` alone kept its old reading (`le chef de l'ONU` tokenised as `de`, `l'`).
            return self.low(k - 1) == "l'";
        }
        k > head && matches!(self.low(k - 1), "de" | "du" | "des" | "d'")
    }

    /// The entity introduced earlier with the head noun of the bare description `det..end`
    /// (no name inside it): the latest one before it.
    pub(super) fn introduced_as(&self, det: usize, end: usize) -> Option<Who> {
        let head = self.tok(det + 1)?;
        if !head.word() || head.upper() || self.toks[det + 1..end].iter().any(|t| t.upper()) {
            return None;
        }
        let pos = self.toks[det].start();
        let b = self.introductions.partition_point(|x| x.0 < pos);
        self.introductions[..b]
            .iter()
            .rev()
            .take(64)
            .find(|x| x.1 == head.low)
            .map(|x| x.2)
    }

    /// The gender of a definite singular description of a person (`le graphiste`, `la
    /// présidente-candidate`, `cette chercheuse`): a determiner of one gender, then a head
    /// noun that is a role, a word of the `human` class, or an agent noun by its suffix
    /// (`-iste`, `-eur`, `-euse`, `-rice`). None for anything else (`le texte`, `les experts`).
    pub(super) fn definite_person_description(
        &self,
        det: usize,
        end: usize,
    ) -> Option<&'static str> {
        let gender = match self.low(det) {
            "le" | "ce" | "cet" => "m",
            "la" | "cette" => "f",
            _ => return None,
        };
        let head = det + 1;
        (head < end && self.is_person_noun(head)).then_some(gender)
    }

    /// Whether token `i` is a noun for a person: a role, a word of the `human` class, or an
    /// agent noun by its suffix (`-iste`, `-eur`, `-euse`, `-rice`); the first part of a
    /// compound counts (`président-candidat`). A capital is a name (`le Monde`) unless it
    /// opens a role (`le Président-candidat`).
    pub(super) fn is_person_noun(&self, i: usize) -> bool {
        let Some(t) = self.tok(i).filter(|t| t.word()) else {
            return false;
        };
        let first_part = t.low.split('-').next().unwrap_or("");
        if t.upper() && !self.is_role_word(first_part) {
            return false;
        }
        let human = self.role_at(i) > 0
            || self.is_role_word(first_part)
            || self.rules.is(t, HUMAN)
            || ["iste", "eur", "euse", "rice"]
                .iter()
                .any(|suf| first_part.len() > suf.len() + 2 && first_part.ends_with(suf));
        human
            && !self
                .rules
                .is(t, ORG | ANAPHOR | MEDIA | DOCUMENT | WORK | MEMBER)
    }

    /// The person who spoke in this sentence or the one before `pos`, if the article gives
    /// them no role or a role with the word at token `head`.
    pub(super) fn latest_speaker_unroled(&self, pos: usize, head: usize) -> Option<usize> {
        let k = self.sentences.partition_point(|s| s.start <= pos);
        let floor = self
            .sentences
            .get(k.saturating_sub(2))
            .map_or(0, |s| s.start);
        let spoken = self.spoken.borrow();
        let b = spoken.partition_point(|s| s.0 < pos);
        let (at, who) = *spoken[..b].last()?;
        let Who::Person(p) = who else { return None };
        let word = &self.toks[head].low;
        let fits = self.role_words[p].is_empty()
            || self.role_words[p]
                .iter()
                .any(|r| r.iter().any(|w| w == word));
        (at >= floor && fits).then_some(p)
    }

    /// The person a definite description points back to: the latest speaker if a person of
    /// that gender spoke in the four sentences before, else the pronoun's antecedent.
    pub(super) fn person_in_focus(&self, pos: usize, gender: &str) -> Option<Who> {
        let spoken = self.spoken.borrow();
        let b = spoken.partition_point(|s| s.0 < pos);
        let k = self.sentences.partition_point(|s| s.start <= pos);
        let floor = self
            .sentences
            .get(k.saturating_sub(5))
            .map_or(0, |s| s.start);
        let latest = spoken[..b]
            .iter()
            .rev()
            .take(4)
            .take_while(|s| s.0 >= floor)
            .find(|s| self.person_of_gender(s.1, gender))
            .map(|s| s.1);
        drop(spoken);
        latest.or_else(|| self.antecedent_near(pos, gender))
    }

    /// A noun phrase `det..end` naming an organisation: an organisation head (`le gouvernement
    /// malien`, `la fédération X`), an anaphor of a named one (`l'ONG`, `le groupe`), or a member
    /// speaking for one (`un porte-parole de la police`, `les analystes du groupe X`).
    pub(super) fn organisation_phrase(&self, det: usize, end: usize) -> Option<Spk> {
        let head = det + 1;
        if head >= end {
            return None;
        }
        let range = |a: usize, b: usize| self.toks[a].start()..self.toks[b - 1].end();
        let org_ref = |from: usize, to: usize| {
            (from..to.min(self.toks.len())).find_map(|j| {
                self.ref_at(self.toks[j].start())
                    .filter(|r| matches!(r.who, Who::Org(_)))
                    .cloned()
            })
        };
        if self.is(head, MEMBER) {
            // A spokesperson the article names elsewhere (`le porte-parole du collectif` for
            // the person introduced with that role) is that person.
            if self.role_at(head) > 0
                && self
                    .role_holder(
                        &[self.toks[head].low.to_string()],
                        None,
                        self.toks[det].start(),
                    )
                    .is_some()
            {
                return None;
            }
            // `Pour X, « … ». Le porte-parole du collectif Y se félicite …`: a definite
            // spokesperson right after a person spoke, whose roles the article does not
            // otherwise give, is that person described again.
            if matches!(self.low(det), "le" | "la")
                && let Some(p) = self.latest_speaker_unroled(self.toks[det].start(), head)
            {
                return Some(Spk {
                    who: Some(Who::Person(p)),
                    mention: Some(range(det, end)),
                });
            }
            // The organisation is the complement: `de la police`, `du groupe X`.
            let to = (end + 6).min(self.toks.len());
            if let Some(r) = org_ref(head + 1, to) {
                return Some(Spk {
                    who: Some(r.who),
                    mention: Some(range(det, self.tok_index(r.range.end).max(det + 1))),
                });
            }
            let org_head = (head + 1..to).find(|&j| self.is(j, ORG))?;
            let mut last = org_head + 1;
            while last < to
                && self.toks[last].word()
                && !self.is(last, DET | PREP | AUX | PRON | REL | CLITIC)
                && !self.rules.is_cue_form(self.toks[last].low)
            {
                last += 1;
            }
            return Some(self.unknown_org(org_head, last, det));
        }
        if self.is(head, MEDIA)
            && self.toks[head + 1..end].iter().all(|t| !t.upper())
            && let Some(o) = self.latest_org(self.toks[det].start(), true)
        {
            // `le quotidien indique`: the newspaper named before.
            return Some(Spk {
                who: Some(Who::Org(o)),
                mention: Some(range(det, end)),
            });
        }
        if !self.is(head, ORG) {
            return None;
        }
        if let Some(r) = org_ref(head, end) {
            return Some(Spk {
                who: Some(r.who),
                mention: Some(range(det, end)),
            });
        }
        let bare = head + 1 == end;
        // A capital right after the head names the organisation (`le groupe Safran`); one in a
        // complement does not (`l'organisation militant pour les droits de l'Homme`).
        let capitalised = self.toks[head + 1..end]
            .iter()
            .take_while(|t| t.word() && !self.rules.is(t, PREP | DET))
            .any(|t| t.upper());
        if self.is(head, ANAPHOR) && !capitalised {
            // `l'ONG`, `l'organisation islamique`: the organisation the article is about.
            if let Some(o) = self.salient_org(self.toks[det].start()) {
                return Some(Spk {
                    who: Some(Who::Org(o)),
                    mention: Some(range(det, end)),
                });
            }
        }
        // `la police`, `le gouvernement`, `le parquet`: a definite institution (an org head that
        // is no anaphor) is the one of the place the article is about, and speaks as such.
        let institution = !self.is(head, ANAPHOR) && matches!(self.low(det), "le" | "la" | "l'");
        if bare && !institution {
            // `le syndicat` with no antecedent: an unnamed source.
            return Some(Spk {
                who: None,
                mention: Some(range(det, end)),
            });
        }
        Some(self.unknown_org(head, end, det))
    }

    /// An organisation no extractor knows, named by tokens `head..end` (`gouvernement malien`).
    pub(super) fn unknown_org(&self, head: usize, end: usize, det: usize) -> Spk {
        // `le groupe Crédit Agricole`: a generic head before a name; the name is the name.
        let first = if self.is(head, ANAPHOR) && head + 1 < end && self.is_name_word(head + 1) {
            head + 1
        } else {
            head
        };
        let name = self.toks[first].start()..self.toks[end - 1].end();
        Spk {
            who: Some(Who::Unknown {
                start: name.start,
                end: name.end,
                org: true,
            }),
            mention: Some(self.toks[det].start()..name.end),
        }
    }

    /// The latest organisation mentioned before `pos`, of the media when `media`.
    pub(super) fn latest_org(&self, pos: usize, media: bool) -> Option<usize> {
        let b = self.refs.partition_point(|r| r.range.start < pos);
        self.refs[..b]
            .iter()
            .rev()
            .take(256)
            .find_map(|r| match r.who {
                Who::Org(o) if (self.orgs[o].kind.as_deref() == Some("media")) == media => Some(o),
                _ => None,
            })
    }

    /// The organisation most mentioned before `pos` (the latest on a tie), media aside: what
    /// `l'ONG` or `le groupe` refers back to.
    pub(super) fn salient_org(&self, pos: usize) -> Option<usize> {
        let b = self.refs.partition_point(|r| r.range.start < pos);
        let mut counts: HashMap<usize, (usize, usize)> = HashMap::new();
        for r in &self.refs[..b] {
            if let Who::Org(o) = r.who
                && self.orgs[o].kind.as_deref() != Some("media")
            {
                let e = counts.entry(o).or_insert((0, 0));
                e.0 += 1;
                e.1 = r.range.start;
            }
        }
        counts.into_iter().max_by_key(|&(_, c)| c).map(|(o, _)| o)
    }

    /// `le chef de l'Etat`: the person whose role is headed by a `statehead` word (`président`,
    /// `président ukrainien`, `roi du Maroc`, not `président du club`), the latest mentioned
    /// before `pos`, when the role itself (`chef de l'Etat`) names nobody in the article.
    pub(super) fn head_of_state(&self, role: &[String], pos: usize) -> Option<usize> {
        let is_chef_de_l_etat = role.first().is_some_and(|w| w == "chef")
            && role
                .last()
                .is_some_and(|w| w.ends_with("etat") || w.ends_with("état"));
        if !is_chef_de_l_etat {
            return None;
        }
        let heads_a_state = |rw: &Vec<String>| {
            rw.first()
                .is_some_and(|w| self.rules.class(w) & STATEHEAD != 0)
                // A king heads a state whatever follows (`roi du Maroc`); a president only
                // alone, with an adjective or of the Republic (`président du club` is not).
                && (!rw[0].starts_with("président")
                    || rw.len() <= 2
                    || rw.iter().any(|w| w == "république" || w == "etat"))
        };
        let latest = |p: usize| {
            self.people[p]
                .mentions
                .iter()
                .filter(|m| m.range.start < pos)
                .map(|m| m.range.start + 1)
                .max()
        };
        (0..self.people.len())
            .filter(|&p| self.role_words[p].iter().any(heads_a_state))
            .filter_map(|p| latest(p).map(|at| (at, p)))
            .max()
            .map(|(_, p)| p)
    }

    /// The person whose roles contain all `terms`, preferring the latest mentioned before `pos`.
    pub(super) fn role_holder(
        &self,
        terms: &[String],
        gender: Option<&str>,
        pos: usize,
    ) -> Option<usize> {
        let holders: Vec<usize> = (0..self.people.len())
            .filter(|&p| {
                gender.is_none()
                    || self.people[p]
                        .gender
                        .as_deref()
                        .is_none_or(|g| Some(g) == gender)
                    || self.people[p].gender.is_none()
            })
            .filter(|&p| {
                self.role_words[p]
                    .iter()
                    .any(|rw| terms.iter().all(|t| rw.contains(t)))
            })
            .collect();
        let latest = |p: usize| {
            self.people[p]
                .mentions
                .iter()
                .filter(|m| m.range.start < pos)
                .map(|m| m.range.start)
                .max()
        };
        holders
            .iter()
            .copied()
            .max_by_key(|&p| latest(p).map_or(0, |x| x + 1))
    }

    /// A subject pronoun to the latest compatible person in subject position.
    pub(super) fn pronoun(&self, range: Range<usize>, pron: &str) -> Spk {
        let gender = match pron {
            "il" | "lui" => Some("m"),
            "elle" => Some("f"),
            _ => None,
        };
        let mut who = gender.and_then(|g| self.antecedent_near(range.start, g));
        if who.is_none() && !self.resolving.get() {
            // `Un porte-parole de la police a indiqué … « … », a-t-il précisé`: the speaker of
            // the frame just before, when no person stands near.
            self.resolving.set(true);
            who = self.previous_frame_speaker(range.start);
            self.resolving.set(false);
        }
        if who.is_none() {
            who = gender.and_then(|g| self.salient_person(range.start, g));
        }
        Spk {
            who,
            mention: Some(range),
        }
    }

    /// The person a subject pronoun stands for: the first person in subject position in this
    /// sentence or the two before it, else the person the article is most about so far (most
    /// mentions, latest on a tie), not merely the latest name: a colleague named in between in
    /// a complement does not take the pronoun. A sentence whose subject is itself a pronoun of
    /// the same gender (`En 1998, il obtint …`) continues the chain: the pronoun means what
    /// that one means, so an older name in a complement is not taken.
    pub(super) fn antecedent_near(&self, pos: usize, gender: &str) -> Option<Who> {
        self.antecedent_chain(pos, gender, 0)
    }

    pub(super) fn antecedent_chain(&self, pos: usize, gender: &str, depth: usize) -> Option<Who> {
        let person = |w: Who| self.person_of_gender(w, gender);
        if let Some(r) = self.ref_at(pos)
            && person(r.who)
        {
            return Some(r.who);
        }
        let k = self.sentences.partition_point(|s| s.start <= pos);
        // A chained pronoun looks one sentence back only: past that, the chain says the
        // person is the article's topic (salience), not a name in an older complement.
        let reach = if depth == 0 { 3 } else { 2 };
        for back in 0..reach {
            let Some(si) = k.checked_sub(1 + back) else {
                break;
            };
            let s = &self.sentences[si];
            let until = s.end.min(pos);
            let a = self.refs.partition_point(|r| r.range.start < s.start);
            let subject = self.refs[a..]
                .iter()
                .take_while(|r| r.range.start < until)
                .take(64)
                .find(|r| {
                    let i = self.tok_index(r.range.start);
                    person(r.who)
                        && (!self.object_position(i) || self.is_agent(i))
                        && !self.in_quote.get(i).copied().unwrap_or(false)
                });
            let chained = if back > 0 {
                self.same_gender_subject_pronoun(s.start..until, gender)
            } else {
                None
            };
            match (subject, chained) {
                // A name before the pronoun is that sentence's subject; after it, a complement.
                (Some(r), Some(p)) if r.range.start < p => return Some(r.who),
                (_, Some(p)) => {
                    return if depth < 4 {
                        self.antecedent_chain(p, gender, depth + 1)
                    } else {
                        self.salient_person(p, gender)
                    }
                    .or_else(|| self.salient_person(p, gender));
                }
                (Some(r), None) => return Some(r.who),
                (None, None) => {}
            }
        }
        None
    }

    /// The agent of a passive or of an expression (`par Christian Dupuis`): the logical
    /// subject, though written as a complement.
    pub(super) fn is_agent(&self, i: usize) -> bool {
        i > 0 && self.low(i - 1) == "par"
    }

    /// The start of the first subject pronoun of `gender` in `range`, outside quotes: at the
    /// sentence start or after a comma, and followed by a verb rather than used as a
    /// stressed form (`lui`) or in an impersonal phrase (`il y a`, `il faut`).
    pub(super) fn same_gender_subject_pronoun(
        &self,
        range: Range<usize>,
        gender: &str,
    ) -> Option<usize> {
        let pron = if gender == "f" { "elle" } else { "il" };
        let first = self.tok_index(range.start);
        let mut i = first;
        while i < self.toks.len() && self.toks[i].start() < range.end && i - first < 40 {
            let t = &self.toks[i];
            if t.low == pron
                && !self.in_quote[i]
                && (i == first || matches!(self.low(i - 1), "," | ";"))
                && !self.is_impersonal(i)
            {
                return Some(t.start());
            }
            i += 1;
        }
        None
    }

    /// `il` in an impersonal construction (`il y a`, `il faut`, `il s'agit`), from the
    /// `impersonal` class of quote_rules.tsv.
    pub(super) fn is_impersonal(&self, i: usize) -> bool {
        self.low(i) == "il" && {
            let mut j = i + 1;
            if matches!(self.low(j), "n'" | "ne" | "s'" | "se" | "y") {
                j += 1;
            }
            self.is(j, IMPERSONAL) || self.low(i + 1) == "y"
        }
    }

    pub(super) fn person_of_gender(&self, w: Who, gender: &str) -> bool {
        match w {
            Who::Person(p) => self.people[p].gender.as_deref().is_none_or(|g| g == gender),
            Who::Unknown { org, .. } => !org,
            Who::Org(_) => false,
        }
    }

    /// The speaker of the latest cue with a named subject in this sentence or the one before.
    pub(super) fn previous_frame_speaker(&self, pos: usize) -> Option<Who> {
        let k = self.sentences.partition_point(|s| s.start <= pos);
        // The sentence before, not counting the sentences a long quotation holds (`X explique
        // que « … . … . … »`): those belong to the frame that opened it.
        let mut floor_index = k.saturating_sub(1);
        let mut outside = 0;
        while floor_index > 0 && outside < 1 && k - floor_index < 12 {
            floor_index -= 1;
            let first = self.tok_index(self.sentences[floor_index].start);
            if !self.in_quote.get(first).copied().unwrap_or(false) {
                outside += 1;
            }
        }
        let floor = self.sentences.get(floor_index).map_or(0, |s| s.start);
        let here = self.tok_index(pos);
        let b = self.cues.partition_point(|c| c.first < here);
        self.cues[..b]
            .iter()
            .enumerate()
            .rev()
            .take(6)
            .take_while(|(_, c)| self.toks[c.first].start() >= floor)
            .filter(|(_, c)| c.kind == CueKind::Verb && c.pron.is_none() && !self.in_quote[c.first])
            .find_map(|(ci, c)| {
                let who = self.cue_subject(ci).who?;
                // Across a paragraph break only an organisation (`Moody's explique … ¶ Elle
                // considère`): a person there is better found by salience.
                let same_paragraph = !self.text[self.toks[c.first].start()..pos].contains('\n');
                (same_paragraph || matches!(who, Who::Org(_))).then_some(who)
            })
    }

    /// The person the article is most about before `pos`: mentions weighed, a mention as the
    /// subject of a clause twice a mention in a complement (the topic is what sentences are
    /// about), the latest on a tie.
    pub(super) fn salient_person(&self, pos: usize, gender: &str) -> Option<Who> {
        let person = |w: Who| self.person_of_gender(w, gender);
        let b = self.refs.partition_point(|r| r.range.start < pos);
        let mut counts: Vec<(Who, usize, usize)> = Vec::new();
        for r in self.refs[b.saturating_sub(512)..b].iter() {
            if !person(r.who) {
                continue;
            }
            let i = self.tok_index(r.range.start);
            // After a comma a name is as often an apposition to a complement (`avec son
            // collègue, X`) as a subject: it counts as a complement here.
            let weight = if self.in_quote.get(i).copied().unwrap_or(true)
                || self.object_position(i)
                || (i > 0 && self.low(i - 1) == ",")
            {
                1
            } else {
                2
            };
            match counts.iter_mut().find(|c| c.0 == r.who) {
                Some(c) => {
                    c.1 += weight;
                    c.2 = r.range.start;
                }
                None => counts.push((r.who, weight, r.range.start)),
            }
        }
        counts.into_iter().max_by_key(|c| (c.1, c.2)).map(|c| c.0)
    }
}
