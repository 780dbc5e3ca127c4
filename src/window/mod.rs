//! One very large file in windows: bounded memory whatever the size of the file.
//!
//! A file larger than [`WINDOW_THRESHOLD`] (JSON output) is read in windows of whole
//! paragraphs (cut at blank lines, never inside a paragraph; a paragraph larger than a window
//! is its own window). Each window goes through the usual stages (`input::decode`,
//! `parse::parse_part`, `extract::extract`); the first gives the title, the dateline and the
//! reference date every later window resolves its dates with, the last the credit. The JSON is
//! written as the windows are done: the sections, paragraphs and sentences of a window as
//! soon as it is analysed (sentence indices and offsets continue across windows, a section
//! continues into the next window unless that window opens with a heading); the people,
//! organisations, places and countries are merged by name across windows, their mentions
//! kept in a temporary file in a compact form; dates and quotes go to temporary files as they
//! are found and are copied into the output at the end.
//!
//! What is resolved within one window only: a surname alone needs its full name earlier in
//! the same window to become a person, quote speakers by pronoun or role, the summary (the
//! first window's). `docs/output-format.md` lists it.

use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde::ser::{SerializeSeq, SerializeStruct, Serializer};

use crate::extract::people::{Building, find_person};
use crate::extract::places::PlaceKey;
use crate::extract::{self, Context};
use crate::input::{self, DecodeError, DecodeOptions};
use crate::model::{
    Analysis, Country, Credit, DateMention, Mention, Organization, Paragraph, Person, Place, Quote,
    SCHEMA_VERSION, Span, SpeakerMention, Stats, Warning, Zone,
};
use crate::parse::{self, Part, layout};
use crate::{Error, Options, Resources};

mod spill;
mod stream;

use spill::*;
use stream::*;

/// Files larger than this are analysed in windows. Real dispatches and articles are 1-100 KB
/// and keep the whole-document path (and exactly its output); at 1 MiB the whole path peaks
/// at about 50 MB, so the windows only start where memory would grow past that.
pub const WINDOW_THRESHOLD: u64 = 1 << 20;

/// The size a window aims at (a paragraph is never cut, so one may be larger). Each window
/// costs about 40 bytes of memory per byte while it is analysed.
pub const WINDOW_BYTES: usize = 256 << 10;

/// `encoding_damage` warnings listed with their offset for the whole file (one more warning
/// says when there were others), as a document lists at most a few of each kind.
const MAX_DAMAGE_LISTED: usize = 10;

/// Bytes read from the file at a time.
const READ_CHUNK: usize = 64 << 10;

/// When to analyse a file in windows, and how large they are. A library option (tests use
/// tiny windows); the command line always uses the defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Windows {
    /// Files of more bytes than this are analysed in windows.
    pub threshold: u64,
    /// The size a window aims at, in bytes of text.
    pub size: usize,
}

impl Default for Windows {
    fn default() -> Windows {
        Windows {
            threshold: WINDOW_THRESHOLD,
            size: WINDOW_BYTES,
        }
    }
}

impl Windows {
    /// Whether a file of `len` bytes is analysed in windows.
    pub fn applies(&self, len: u64) -> bool {
        len > self.threshold
    }
}

/// Analyses the file at `path` in windows and writes its JSON (one line, or indented with
/// `pretty`) to `out` as it goes. `file` is the `file` field. Returns the bytes read.
///
/// The encoding is settled and binary data refused before anything is written; an error met
/// later (a read error, a window that is no text) leaves a partial document on `out`.
pub fn analyze_file(
    path: &Path,
    res: &Resources,
    options: &Options,
    file: Option<String>,
    pretty: bool,
    out: &mut dyn Write,
) -> Result<u64, Error> {
    analyze_source(File::open(path)?, res, options, file, pretty, out)
}

/// Standard input over the windows' threshold, copied to a temporary file (removed when this
/// is dropped) so that it can be read twice like a file: once to settle its encoding, then in
/// windows.
pub struct SpooledStdin(Spill);

/// What [`read_stdin`] read: the whole text when it is small, else its spooled copy.
pub enum StdinText {
    Whole(Vec<u8>),
    Spooled(SpooledStdin),
}

/// Reads `reader` (standard input) whole when it holds at most `windows.threshold` bytes;
/// past that, copies it to a temporary file as it reads, so that memory stays bounded.
pub fn read_stdin(mut reader: impl Read, windows: &Windows) -> io::Result<StdinText> {
    let mut head = Vec::new();
    reader
        .by_ref()
        .take(windows.threshold.saturating_add(1))
        .read_to_end(&mut head)?;
    if !windows.applies(head.len() as u64) {
        return Ok(StdinText::Whole(head));
    }
    let mut spill = Spill::new("stdin")?;
    spill.write(&head)?;
    drop(head);
    let mut chunk = vec![0; READ_CHUNK];
    loop {
        match reader.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => spill.write(&chunk[..n])?,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    spill.writer.flush()?;
    Ok(StdinText::Spooled(SpooledStdin(spill)))
}

/// [`analyze_file`] for standard input spooled by [`read_stdin`] (its `file` field is null, as
/// for standard input analysed whole).
pub fn analyze_spooled(
    spooled: &mut SpooledStdin,
    res: &Resources,
    options: &Options,
    pretty: bool,
    out: &mut dyn Write,
) -> Result<u64, Error> {
    spooled.0.writer.flush()?;
    let mut source = spooled.0.writer.get_ref().try_clone()?;
    source.seek(SeekFrom::Start(0))?;
    analyze_source(source, res, options, None, pretty, out)
}

/// Analyses `source`, read from its start, in windows: see [`analyze_file`].
fn analyze_source(
    mut source: File,
    res: &Resources,
    options: &Options,
    file: Option<String>,
    pretty: bool,
    out: &mut dyn Write,
) -> Result<u64, Error> {
    let read = source.metadata()?.len();
    let encoding = prescan(&mut source, &options.decode)?;
    source.seek(SeekFrom::Start(0))?;
    let stream = TextStream::new(source, &encoding, options.windows.size);
    let run = RefCell::new(Run::start(stream, encoding, res, options, file)?);
    let mut buffered = BufWriter::with_capacity(1 << 16, out);
    let written = if pretty {
        Output(&run).serialize(&mut serde_json::Serializer::pretty(&mut buffered))
    } else {
        Output(&run).serialize(&mut serde_json::Serializer::new(&mut buffered))
    };
    if let Some(e) = run.borrow_mut().error.take() {
        return Err(e);
    }
    written.map_err(io::Error::from)?;
    buffered.write_all(b"\n")?;
    buffered.flush()?;
    Ok(read)
}

// ---------------------------------------------------------------------------------------
// The run

/// A section being written: the rest of its paragraphs in the current window.
struct OpenSection {
    heading: Option<String>,
    heading_span: Option<Span>,
    paragraphs: VecDeque<Paragraph>,
}

/// A section's heading and its span.
type Heading = (Option<String>, Option<Span>);

/// What the first window says about the whole document.
#[derive(Default)]
struct Head {
    reference_date: Option<String>,
    title: Option<String>,
    title_span: Option<Span>,
    dateline: Option<crate::model::Dateline>,
    summary: Vec<String>,
}

struct Run<'a> {
    res: &'a Resources,
    options: &'a Options,
    stream: TextStream,
    file: Option<String>,
    head: Head,
    ctx: Context,
    windows: usize,
    done: bool,
    /// Code points and body sentences of the windows analysed so far.
    char_base: usize,
    sentence_base: usize,
    sections: VecDeque<OpenSection>,
    credit: Option<Credit>,
    stats: Stats,
    warnings: Vec<Warning>,
    changed: bool,
    /// `encoding_damage` warnings listed so far, and whether some were left out.
    damage_listed: usize,
    damage_unlisted: bool,
    tables: Tables,
    /// The people by the last word of their name, as `people::find_person` reads them.
    by_surname: HashMap<String, (Vec<Building>, Vec<usize>)>,
    org_index: HashMap<String, usize>,
    place_index: HashMap<PlaceKey<String>, usize>,
    country_index: HashMap<String, usize>,
    mentions: Spill,
    dates: Spill,
    quotes: Spill,
    /// The first error met while writing (returned instead of serde's message).
    error: Option<Error>,
}

impl<'a> Run<'a> {
    /// Opens the run and analyses the first window (the title, dateline and reference date
    /// come before the sections in the output).
    fn start(
        stream: TextStream,
        encoding: Encoding,
        res: &'a Resources,
        options: &'a Options,
        file: Option<String>,
    ) -> Result<Run<'a>, Error> {
        let mut run = Run {
            res,
            options,
            stream,
            warnings: encoding.warnings,
            changed: encoding.changed,
            damage_listed: 0,
            damage_unlisted: false,
            file,
            head: Head::default(),
            ctx: Context {
                date: options.date,
                summary_sentences: options.summary_sentences,
            },
            windows: 0,
            done: false,
            char_base: 0,
            sentence_base: 0,
            sections: VecDeque::new(),
            credit: None,
            stats: Stats {
                paragraphs: 0,
                sentences: 0,
                words: 0,
            },
            tables: Tables::default(),
            by_surname: HashMap::new(),
            org_index: HashMap::new(),
            place_index: HashMap::new(),
            country_index: HashMap::new(),
            mentions: Spill::new("mentions")?,
            dates: Spill::new("dates")?,
            quotes: Spill::new("quotes")?,
            error: None,
        };
        run.load_window()?;
        Ok(run)
    }

    /// Analyses the next window and queues its sections; false at the end of the file.
    fn load_window(&mut self) -> Result<bool, Error> {
        if self.done {
            return Ok(false);
        }
        let Some((bytes, last)) = self.stream.next_window()? else {
            self.finish();
            return Ok(false);
        };
        let first = self.windows == 0;
        self.windows += 1;
        let part = match (first, last) {
            (true, true) => Part::Whole,
            (true, false) => Part::First,
            (false, false) => Part::Middle,
            (false, true) => Part::Last,
        };
        let mut text = input::decode(&bytes, &self.options.decode)?;
        drop(bytes);
        self.changed |= text.changed;
        if first {
            crate::warn_if_not_french(&mut text);
        }
        let doc = parse::parse_part(&text, self.res, part);
        drop(text);
        let chars = doc.chars.char_offset(doc.text.len());
        let analysis = extract::extract(&doc, self.res, &self.ctx);
        drop(doc);
        if first {
            self.ctx.date = analysis
                .reference_date
                .as_deref()
                .and_then(|d| d.parse().ok());
        }
        self.add(analysis, first)?;
        self.char_base += chars;
        if last {
            self.finish();
        }
        Ok(true)
    }

    fn finish(&mut self) {
        if self.done {
            return;
        }
        self.done = true;
        self.changed |= self.stream.changed;
        if self.damage_unlisted {
            self.warnings.push(Warning::new(
                "encoding_damage",
                format!(
                    "more suspect characters than the {MAX_DAMAGE_LISTED} listed (at most {MAX_DAMAGE_LISTED} are listed for a file read in windows)"
                ),
                None,
            ));
        }
        if self.changed {
            // Where `analyze` puts it: after the decoding's warnings, before the analysis's.
            let at = self
                .warnings
                .iter()
                .position(|w| w.kind == "not_french" || w.kind == "date_mismatch")
                .unwrap_or(self.warnings.len());
            self.warnings
                .insert(at, Warning::new("text_changed", crate::TEXT_CHANGED, None));
        }
    }

    /// Takes one window's analysis in: shifts its offsets and sentence indices to the whole
    /// file's, queues its sections, merges its entities, spills its dates and quotes.
    fn add(&mut self, mut a: Analysis, first: bool) -> Result<(), Error> {
        let (chars, sentences) = (self.char_base, self.sentence_base);
        if first {
            self.head = Head {
                reference_date: a.reference_date.take(),
                title: a.title.take(),
                title_span: a.title_span,
                dateline: a.dateline.take(),
                summary: std::mem::take(&mut a.summary),
            };
        }
        self.add_warnings(std::mem::take(&mut a.warnings), first);
        if let Some(mut c) = a.credit.take() {
            c.start += chars;
            c.end += chars;
            self.credit = Some(c);
        }
        self.stats.paragraphs += a.stats.paragraphs;
        self.stats.sentences += a.stats.sentences;
        self.stats.words += a.stats.words;
        for section in a.sections.drain(..) {
            self.sections
                .push_back(shift_section(section, chars, sentences));
        }
        let people = std::mem::take(&mut a.people);
        let person_names = self.merge_people(people, chars, sentences)?;
        let orgs = std::mem::take(&mut a.organizations);
        let org_names = self.merge_orgs(orgs, chars, sentences)?;
        for p in std::mem::take(&mut a.places) {
            self.merge_place(p, chars, sentences)?;
        }
        for c in std::mem::take(&mut a.countries) {
            self.merge_country(c, chars, sentences)?;
        }
        for mut d in a.dates.drain(..) {
            d.start += chars;
            d.end += chars;
            d.sentence = d.sentence.map(|s| s + sentences);
            self.dates.write_record(&date_record(&d))?;
        }
        for mut q in a.quotes.drain(..) {
            shift_quote(&mut q, chars, sentences);
            rename_speaker(&mut q, &person_names, &org_names);
            self.quotes.write_record(&quote_record(&q))?;
        }
        self.sentence_base += a.stats.sentences;
        Ok(())
    }

    /// A window's warnings, offsets shifted; what would repeat in every window is said once.
    fn add_warnings(&mut self, warnings: Vec<Warning>, first: bool) {
        for w in warnings {
            let repeated = w.kind == "normalized_nfc"
                && self.warnings.iter().any(|k| k.kind == "normalized_nfc");
            if repeated || (w.kind == "empty_input" && !first) {
                continue;
            }
            if w.kind == "encoding_damage" {
                // Each window lists its first few suspect characters and counts the rest:
                // the file lists the first few of all windows and says there were more.
                let listed = w.start.is_some() && self.damage_listed < MAX_DAMAGE_LISTED;
                if !listed {
                    self.damage_unlisted = true;
                    continue;
                }
                self.damage_listed += 1;
            }
            self.warnings.push(Warning {
                start: w.start.map(|s| s + self.char_base),
                ..w
            });
        }
    }

    /// Joins each person of a window to the person of earlier windows it names, by the rules
    /// that join the names of one document (`people::find_person`: the same words, an initial
    /// for a first name, a surname alone for the full name mentioned last); the others are new.
    /// Returns the window's names that became another (`Lavrov` → `Sergueï Lavrov`).
    fn merge_people(
        &mut self,
        people: Vec<Person>,
        chars: usize,
        sentences: usize,
    ) -> io::Result<HashMap<String, String>> {
        let mut renamed = HashMap::new();
        for mut p in people {
            let mentions = take_shifted(&mut p.mentions, chars, sentences);
            let references = take_shifted(&mut p.references, chars, sentences);
            let last_seen = mentions.last().map_or(chars, |m| m.start);
            let words: Vec<String> = p.name.split(' ').map(str::to_string).collect();
            let surname = words.last().cloned().unwrap_or_default();
            let group = self.by_surname.entry(surname).or_default();
            let idx = match find_person(&group.0, &words, last_seen) {
                Some(k) => {
                    group.0[k].last_seen = last_seen;
                    let idx = group.1[k];
                    let known = &mut self.tables.people[idx].value;
                    for r in p.roles.drain(..) {
                        if !known.roles.contains(&r) {
                            known.roles.push(r);
                        }
                    }
                    if known.gender.is_none() {
                        known.gender = p.gender.take();
                    }
                    known.quotes += p.quotes;
                    if known.name != p.name {
                        renamed.insert(p.name, known.name.clone());
                    }
                    idx
                }
                None => {
                    group.0.push(Building::named(words, last_seen));
                    let idx = Merged::push_new(&mut self.tables.people, p);
                    group.1.push(idx);
                    idx
                }
            };
            self.tables.people[idx].add(&mut self.mentions, &mentions, &references)?;
        }
        Ok(renamed)
    }

    /// Organisations join by name, case aside (as `group_orgs` groups them in a document).
    fn merge_orgs(
        &mut self,
        orgs: Vec<Organization>,
        chars: usize,
        sentences: usize,
    ) -> io::Result<HashMap<String, String>> {
        let mut renamed = HashMap::new();
        for mut o in orgs {
            let mentions = take_shifted(&mut o.mentions, chars, sentences);
            let references = take_shifted(&mut o.references, chars, sentences);
            let key = o.name.to_lowercase();
            let idx = match self.org_index.get(&key) {
                Some(&idx) => {
                    let known = &mut self.tables.organizations[idx].value;
                    if known.acronym.is_none() {
                        known.acronym = o.acronym.take();
                    }
                    if known.kind.is_none() {
                        known.kind = o.kind.take();
                    }
                    known.quotes += o.quotes;
                    if known.name != o.name {
                        renamed.insert(o.name, known.name.clone());
                    }
                    idx
                }
                None => {
                    let idx = Merged::push_new(&mut self.tables.organizations, o);
                    self.org_index.insert(key, idx);
                    idx
                }
            };
            self.tables.organizations[idx].add(&mut self.mentions, &mentions, &references)?;
        }
        Ok(renamed)
    }

    /// Places join as `places::group` groups them: a country by its code, others by GeoNames
    /// id, else by name.
    fn merge_place(&mut self, mut p: Place, chars: usize, sentences: usize) -> io::Result<()> {
        let mentions = take_shifted(&mut p.mentions, chars, sentences);
        let key =
            PlaceKey::of(&p.kind, p.country.as_deref(), p.geonames_id, &p.name).to_owned_key();
        let idx = match self.place_index.get(&key) {
            Some(&idx) => idx,
            None => {
                let idx = Merged::push_new(&mut self.tables.places, p);
                self.place_index.insert(key, idx);
                idx
            }
        };
        self.tables.places[idx].add(&mut self.mentions, &mentions, &[])
    }

    fn merge_country(&mut self, mut c: Country, chars: usize, sentences: usize) -> io::Result<()> {
        let mentions = take_shifted(&mut c.mentions, chars, sentences);
        let idx = match self.country_index.get(&c.code) {
            Some(&idx) => {
                let known = &mut self.tables.countries[idx].value;
                known.places += c.places;
                known.demonyms += c.demonyms;
                idx
            }
            None => {
                let code = c.code.clone();
                let idx = Merged::push_new(&mut self.tables.countries, c);
                self.country_index.insert(code, idx);
                idx
            }
        };
        self.tables.countries[idx].add(&mut self.mentions, &mentions, &[])
    }

    /// The heading of the next section to write; `None` once every window is done.
    fn next_section(&mut self) -> Result<Option<Heading>, Error> {
        loop {
            if let Some(s) = self.sections.front() {
                return Ok(Some((s.heading.clone(), s.heading_span)));
            }
            if !self.load_window()? {
                return Ok(None);
            }
        }
    }

    /// The next paragraph of the open section; `None` when the section ends (another section
    /// follows, or the file ends). A window that does not open with a heading continues the
    /// section the previous one ended in.
    fn next_paragraph(&mut self) -> Result<Option<Paragraph>, Error> {
        loop {
            let Some(open) = self.sections.front_mut() else {
                return Ok(None);
            };
            if let Some(p) = open.paragraphs.pop_front() {
                return Ok(Some(p));
            }
            if self.sections.len() > 1 || !self.load_window()? {
                self.sections.pop_front();
                return Ok(None);
            }
            if self.sections.len() > 1
                && self.sections[1].heading.is_none()
                && let Some(next) = self.sections.remove(1)
            {
                self.sections[0].paragraphs.extend(next.paragraphs);
            }
        }
    }

    /// The entity's mentions (or references) of one window, read back from the spill.
    fn mention_block(&mut self, of: MentionsOf, block: usize) -> io::Result<Vec<Mention>> {
        self.tables.list(of).read_block(&mut self.mentions, block)
    }

    /// Keeps the first error for [`analyze_file`] and gives serde its message.
    fn fail<E: serde::ser::Error>(&mut self, e: impl Into<Error>) -> E {
        let e = e.into();
        let message = e.to_string();
        self.error.get_or_insert(e);
        E::custom(message)
    }
}

fn shift_section(s: crate::model::Section, chars: usize, sentences: usize) -> OpenSection {
    let paragraphs = s
        .paragraphs
        .into_iter()
        .map(|mut p| {
            for s in &mut p.sentences {
                s.index += sentences;
                s.start += chars;
                s.end += chars;
            }
            p
        })
        .collect();
    OpenSection {
        heading: s.heading,
        heading_span: s.heading_span.map(|sp| shift_span(sp, chars)),
        paragraphs,
    }
}

fn shift_span(s: Span, chars: usize) -> Span {
    Span {
        start: s.start + chars,
        end: s.end + chars,
    }
}

/// Takes `mentions` out of an entity of one window, shifted to the whole file's offsets.
fn take_shifted(mentions: &mut Vec<Mention>, chars: usize, sentences: usize) -> Vec<Mention> {
    let mut taken = std::mem::take(mentions);
    for m in &mut taken {
        m.start += chars;
        m.end += chars;
        m.sentence = m.sentence.map(|s| s + sentences);
    }
    taken
}

fn shift_quote(q: &mut Quote, chars: usize, sentences: usize) {
    q.start += chars;
    q.end += chars;
    q.sentence = q.sentence.map(|s| s + sentences);
    if let Some(m) = &mut q.speaker_mention {
        m.start += chars;
        m.end += chars;
    }
    q.cue_span = q.cue_span.map(|s| shift_span(s, chars));
}

/// A quote's speaker named as the entity its window's speaker was merged into.
fn rename_speaker(q: &mut Quote, people: &HashMap<String, String>, orgs: &HashMap<String, String>) {
    let names = match q.speaker_kind.as_deref() {
        Some("person") => people,
        Some("organization") => orgs,
        _ => return,
    };
    if let Some(merged) = q.speaker.as_ref().and_then(|s| names.get(s)) {
        q.speaker = Some(merged.clone());
    }
}

// ---------------------------------------------------------------------------------------
// Writing: the fields of `Analysis`, in its order, the long ones produced as they are written.

/// The whole document; the sections drive the windows.
struct Output<'r, 'a>(&'r RefCell<Run<'a>>);

impl<'a> Serialize for Output<'_, 'a> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Analysis", 18)?;
        {
            let run = self.0.borrow();
            st.serialize_field("schema_version", SCHEMA_VERSION)?;
            st.serialize_field("file", &run.file)?;
            st.serialize_field("id", &None::<String>)?;
            st.serialize_field("reference_date", &run.head.reference_date)?;
            st.serialize_field("title", &run.head.title)?;
            st.serialize_field("title_span", &run.head.title_span)?;
            st.serialize_field("dateline", &run.head.dateline)?;
        }
        st.serialize_field("sections", &Sections(self.0))?;
        st.serialize_field("credit", &self.0.borrow().credit)?;
        let (people, orgs, places, countries) = {
            let run = self.0.borrow();
            (
                run.tables.people.len(),
                run.tables.organizations.len(),
                run.tables.places.len(),
                run.tables.countries.len(),
            )
        };
        st.serialize_field("people", &Entities(self.0, EntityKind::People, people))?;
        let orgs = Entities(self.0, EntityKind::Organizations, orgs);
        st.serialize_field("organizations", &orgs)?;
        st.serialize_field("places", &Entities(self.0, EntityKind::Places, places))?;
        let countries = Entities(self.0, EntityKind::Countries, countries);
        st.serialize_field("countries", &countries)?;
        st.serialize_field("dates", &Spilled(self.0, Kind::Dates, read_date))?;
        st.serialize_field("quotes", &Spilled(self.0, Kind::Quotes, read_quote))?;
        let run = self.0.borrow();
        st.serialize_field("summary", &run.head.summary)?;
        st.serialize_field("stats", &run.stats)?;
        st.serialize_field("warnings", &run.warnings)?;
        st.end()
    }
}

struct Sections<'r, 'a>(&'r RefCell<Run<'a>>);

impl Serialize for Sections<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(None)?;
        loop {
            let next = self.0.borrow_mut().next_section();
            let (heading, heading_span) = match next {
                Ok(Some(h)) => h,
                Ok(None) => break,
                Err(e) => return Err(self.0.borrow_mut().fail(e)),
            };
            seq.serialize_element(&OneSection {
                run: self.0,
                heading,
                heading_span,
            })?;
        }
        seq.end()
    }
}

/// A section as `model::Section` writes it, its paragraphs pulled from the windows.
struct OneSection<'r, 'a> {
    run: &'r RefCell<Run<'a>>,
    heading: Option<String>,
    heading_span: Option<Span>,
}

impl Serialize for OneSection<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Section", 3)?;
        st.serialize_field("heading", &self.heading)?;
        st.serialize_field("heading_span", &self.heading_span)?;
        st.serialize_field("paragraphs", &Paragraphs(self.run))?;
        st.end()
    }
}

struct Paragraphs<'r, 'a>(&'r RefCell<Run<'a>>);

impl Serialize for Paragraphs<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(None)?;
        loop {
            let next = self.0.borrow_mut().next_paragraph();
            match next {
                Ok(Some(p)) => seq.serialize_element(&p)?,
                Ok(None) => break,
                Err(e) => return Err(self.0.borrow_mut().fail(e)),
            }
        }
        seq.end()
    }
}

#[derive(Debug, Clone, Copy)]
enum EntityKind {
    People,
    Organizations,
    Places,
    Countries,
}

/// Which mentions of which entity.
#[derive(Debug, Clone, Copy)]
struct MentionsOf {
    kind: EntityKind,
    index: usize,
    references: bool,
}

/// The merged entities of one kind, written field by field as their model type writes them
/// (a test compares the bytes with the whole path's), the mentions read back one window's
/// block at a time: the most mentioned entity of a huge file is never held whole.
struct Entities<'r, 'a>(&'r RefCell<Run<'a>>, EntityKind, usize);

impl Serialize for Entities<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.2))?;
        for index in 0..self.2 {
            seq.serialize_element(&Entity {
                run: self.0,
                kind: self.1,
                index,
            })?;
        }
        seq.end()
    }
}

struct Entity<'r, 'a> {
    run: &'r RefCell<Run<'a>>,
    kind: EntityKind,
    index: usize,
}

impl<'r, 'a> Entity<'r, 'a> {
    fn mentions(&self, references: bool) -> LazyMentions<'r, 'a> {
        LazyMentions {
            run: self.run,
            of: MentionsOf {
                kind: self.kind,
                index: self.index,
                references,
            },
        }
    }
}

impl Serialize for Entity<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mentions = self.mentions(false);
        let references = self.mentions(true);
        let count = self.run.borrow().tables.list(mentions.of).count;
        let referenced = self.run.borrow().tables.list(references.of).count;
        match self.kind {
            EntityKind::People => {
                let p = self.run.borrow().tables.people[self.index].value.clone();
                let mut st = s.serialize_struct("Person", 7)?;
                st.serialize_field("name", &p.name)?;
                st.serialize_field("roles", &p.roles)?;
                st.serialize_field("gender", &p.gender)?;
                st.serialize_field("mentions", &mentions)?;
                st.serialize_field("count", &count)?;
                st.serialize_field("quotes", &p.quotes)?;
                end_with_references(st, referenced, &references)
            }
            EntityKind::Organizations => {
                let o = self.run.borrow().tables.organizations[self.index]
                    .value
                    .clone();
                let mut st = s.serialize_struct("Organization", 7)?;
                st.serialize_field("name", &o.name)?;
                st.serialize_field("acronym", &o.acronym)?;
                st.serialize_field("kind", &o.kind)?;
                st.serialize_field("mentions", &mentions)?;
                st.serialize_field("count", &count)?;
                st.serialize_field("quotes", &o.quotes)?;
                end_with_references(st, referenced, &references)
            }
            EntityKind::Places => {
                let p = self.run.borrow().tables.places[self.index].value.clone();
                let mut st = s.serialize_struct("Place", 8)?;
                st.serialize_field("name", &p.name)?;
                st.serialize_field("kind", &p.kind)?;
                st.serialize_field("country", &p.country)?;
                st.serialize_field("geonames_id", &p.geonames_id)?;
                st.serialize_field("lat", &p.lat)?;
                st.serialize_field("lon", &p.lon)?;
                st.serialize_field("mentions", &mentions)?;
                st.serialize_field("count", &count)?;
                st.end()
            }
            EntityKind::Countries => {
                let c = self.run.borrow().tables.countries[self.index].value.clone();
                let mut st = s.serialize_struct("Country", 5)?;
                st.serialize_field("code", &c.code)?;
                st.serialize_field("name", &c.name)?;
                st.serialize_field("places", &c.places)?;
                st.serialize_field("demonyms", &c.demonyms)?;
                st.serialize_field("mentions", &mentions)?;
                st.end()
            }
        }
    }
}

/// Writes an entity's `references` when it has any (the model skips an empty list, as
/// `Person` and `Organization` do), then ends it.
fn end_with_references<S: SerializeStruct>(
    mut st: S,
    referenced: usize,
    references: &impl Serialize,
) -> Result<S::Ok, S::Error> {
    if referenced > 0 {
        st.serialize_field("references", references)?;
    } else {
        st.skip_field("references")?;
    }
    st.end()
}

/// An entity's mentions, read back from the spill one block at a time.
struct LazyMentions<'r, 'a> {
    run: &'r RefCell<Run<'a>>,
    of: MentionsOf,
}

impl Serialize for LazyMentions<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (count, blocks) = {
            let run = self.run.borrow();
            let list = run.tables.list(self.of);
            (list.count, list.blocks.len())
        };
        let mut seq = s.serialize_seq(Some(count))?;
        for block in 0..blocks {
            let read = self.run.borrow_mut().mention_block(self.of, block);
            let mentions = match read {
                Ok(m) => m,
                Err(e) => return Err(self.run.borrow_mut().fail(e)),
            };
            for m in &mentions {
                seq.serialize_element(m)?;
            }
        }
        seq.end()
    }
}

#[derive(Clone, Copy)]
enum Kind {
    Dates,
    Quotes,
}

/// Dates or quotes, read back from their file one at a time.
struct Spilled<'r, 'a, T>(&'r RefCell<Run<'a>>, Kind, fn(&mut Record) -> io::Result<T>);

impl<T: Serialize> Serialize for Spilled<'_, '_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut reader = {
            let mut run = self.0.borrow_mut();
            let spill = match self.1 {
                Kind::Dates => &mut run.dates,
                Kind::Quotes => &mut run.quotes,
            };
            match spill.reader() {
                Ok(r) => r,
                Err(e) => return Err(run.fail(e)),
            }
        };
        let mut seq = s.serialize_seq(None)?;
        let mut bytes = Vec::new();
        loop {
            let item = match next_record(&mut reader, &mut bytes) {
                Ok(false) => break,
                Ok(true) => (self.2)(&mut Record {
                    bytes: &bytes,
                    pos: 0,
                }),
                Err(e) => Err(e),
            };
            match item {
                Ok(item) => seq.serialize_element(&item)?,
                Err(e) => return Err(self.0.borrow_mut().fail(e)),
            }
        }
        seq.end()
    }
}

/// Reads the next record into `bytes`; false at the end of the file.
fn next_record(reader: &mut impl Read, bytes: &mut Vec<u8>) -> io::Result<bool> {
    let mut len = [0u8; 4];
    match reader.read_exact(&mut len) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(false),
        Err(e) => return Err(e),
    }
    bytes.resize(u32::from_le_bytes(len) as usize, 0);
    reader.read_exact(bytes)?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ends(text: &str, size: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut rest = text.as_bytes();
        let mut base = 0;
        while let Some(end) = window_end(rest, size, true) {
            if end == 0 {
                break;
            }
            base += end;
            out.push(base);
            rest = &rest[end..];
        }
        out
    }

    #[test]
    fn windows_cut_at_blank_lines_within_the_size() {
        let text = "aaaa\n\nbbbb\n\ncccc\n\ndddd\n";
        // Each window ends where the next paragraph starts, after its blank line.
        assert_eq!(ends(text, 12), vec![12, 23]);
        assert_eq!(ends(text, 6), vec![6, 12, 18, 23]);
        assert_eq!(ends(text, 100), vec![23]);
    }

    #[test]
    fn a_cut_between_sentences_is_preferred_to_one_beside_a_heading_like_line() {
        // Cutting after `Un intertitre` would make it the last unit of its window, where it
        // could not be read as a heading.
        let text = "Une phrase.\n\nUne autre.\n\nUn intertitre\n\nLa suite.\n";
        let cuts: Vec<Cut> = cut_points(text.as_bytes()).collect();
        let clean: Vec<bool> = cuts.iter().map(|c| c.clean).collect();
        assert_eq!(clean, vec![true, false, false]);
        assert_eq!(window_end(text.as_bytes(), 24, true), Some(13));
        // A clean cut that would leave less than half a window is passed over.
        assert_eq!(window_end(text.as_bytes(), 40, true), Some(40));
    }

    #[test]
    fn a_paragraph_longer_than_the_window_is_its_own_window() {
        let text = "aa\n\nbbbbbbbbbbbbbbbbbbbb\nstill the same paragraph\n\ncc\n";
        let got = ends(text, 8);
        assert_eq!(got, vec![4, 51, text.len()]);
        assert_eq!(
            &text[4..51],
            "bbbbbbbbbbbbbbbbbbbb\nstill the same paragraph\n\n"
        );
    }

    #[test]
    fn a_text_with_no_blank_line_is_one_window() {
        let text = "one line\nanother line\nand a third one without any blank line";
        assert_eq!(ends(text, 10), vec![text.len()]);
        // Not at the end of the file: more text may bring a cut, so wait for it.
        assert_eq!(window_end(text.as_bytes(), 10, false), None);
    }

    #[test]
    fn blank_lines_of_spaces_and_tabs_separate_but_an_indented_line_does_not() {
        let text = "aaaa\n \t \nbbbb\n    cccc\n\ndddd";
        let cuts: Vec<usize> = cut_points(text.as_bytes()).map(|c| c.at).collect();
        assert_eq!(cuts, vec![9, 24]);
    }

    #[test]
    fn no_window_starts_with_a_zero_width_no_break_space() {
        let text = "aaaa\n\n\u{FEFF}bbbb\n\ncccc\n";
        let cuts: Vec<usize> = cut_points(text.as_bytes()).map(|c| c.at).collect();
        assert_eq!(cuts, vec![text.find('c').unwrap()]);
    }

    #[test]
    fn crlf_and_lone_cr_become_lf_across_chunks() {
        let mut pending = false;
        let mut buf = b"a\r\n\r".to_vec();
        assert!(normalize_newlines(&mut buf, 0, &mut pending));
        assert_eq!(buf, b"a\n\n");
        assert!(pending);
        // The LF of the CRLF cut by the chunk's end is dropped; the lone CR becomes LF.
        buf.extend_from_slice(b"\nb\rc");
        normalize_newlines(&mut buf, 3, &mut pending);
        assert_eq!(buf, b"a\n\nb\nc");
        let text = String::from_utf8(buf).unwrap();
        assert_eq!(ends(&text, 3), vec![3, text.len()]);
    }

    #[test]
    fn dates_and_quotes_round_trip_through_their_records() {
        let date = DateMention {
            text: "mardi".to_string(),
            start: 12,
            end: 17,
            sentence: Some(0),
            zone: Zone::Body,
            kind: "DATE".to_string(),
            value: "XXXX-WXX-2".to_string(),
            resolved: Some("2024-03-05".to_string()),
            modifier: None,
        };
        let back = read_date(&mut Record {
            bytes: &date_record(&date),
            pos: 0,
        });
        assert_eq!(back.unwrap(), date);
        let quote = Quote {
            text: "Nous avançons".to_string(),
            start: 1_000_000_000,
            end: 1_000_000_013,
            kind: "full".to_string(),
            zone: Zone::Title,
            speaker: Some("Sergueï Lavrov".to_string()),
            speaker_kind: Some("person".to_string()),
            speaker_mention: Some(SpeakerMention {
                text: "il".to_string(),
                start: 1_000_000_020,
                end: 1_000_000_022,
            }),
            via: Some("inverted".to_string()),
            resolution: None,
            cue: Some("a-t-il déclaré".to_string()),
            cue_span: Some(Span { start: 5, end: 9 }),
            channel: None,
            sentence: None,
        };
        let bytes = quote_record(&quote);
        assert_eq!(
            read_quote(&mut Record {
                bytes: &bytes,
                pos: 0
            })
            .unwrap(),
            quote
        );
        // A truncated record is an error, not a panic.
        let cut = &bytes[..bytes.len() - 3];
        assert!(read_quote(&mut Record { bytes: cut, pos: 0 }).is_err());
    }

    #[test]
    fn mentions_round_trip_through_the_spill() {
        let mut spill = Spill::new("test").unwrap();
        let mention = |text: &str, start, sentence, zone, as_actor| Mention {
            text: text.to_string(),
            start,
            end: start + text.chars().count(),
            sentence,
            zone,
            as_actor,
            range: 0..0,
        };
        let first = vec![
            mention("Lavrov", 3, None, Zone::Title, false),
            mention("Sergueï Lavrov", 300, Some(0), Zone::Body, false),
        ];
        let second = vec![mention(
            "Lavrov",
            70_000_000,
            Some(900_000),
            Zone::Body,
            true,
        )];
        let mut m = Mentions::default();
        m.add(&mut spill, &first).unwrap();
        spill.write(b"other records").unwrap();
        m.add(&mut spill, &second).unwrap();
        assert_eq!(m.texts.len(), 2, "each text is kept once");
        let mut back = m.read_block(&mut spill, 0).unwrap();
        back.extend(m.read_block(&mut spill, 1).unwrap());
        assert!(m.read_block(&mut spill, 2).unwrap().is_empty());
        let want: Vec<Mention> = first.into_iter().chain(second).collect();
        assert_eq!(back, want);
    }
}
