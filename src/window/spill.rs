//! What a windowed run keeps until the end: temporary files, the merged entity tables (their
//! mentions on disk as varint records), dates and quotes as compact records.

use super::*;

/// A temporary file, removed as soon as it is open (on Unix; otherwise when dropped).
pub(super) struct Spill {
    pub(super) writer: BufWriter<File>,
    pub(super) path: PathBuf,
    pub(super) len: u64,
}

impl Spill {
    pub(super) fn new(what: &str) -> io::Result<Spill> {
        static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let path =
            std::env::temp_dir().join(format!("depeche-{what}-{}-{n}.tmp", std::process::id()));
        let file = File::options()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&path)?;
        let _ = std::fs::remove_file(&path);
        Ok(Spill {
            writer: BufWriter::with_capacity(1 << 16, file),
            path,
            len: 0,
        })
    }

    pub(super) fn write(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.writer.write_all(bytes)?;
        self.len += bytes.len() as u64;
        Ok(())
    }

    /// Appends one record: its length, then its bytes.
    pub(super) fn write_record(&mut self, record: &[u8]) -> io::Result<()> {
        let len = u32::try_from(record.len())
            .map_err(|_| io::Error::other("a date or quote of more than 4 GiB"))?;
        self.write(&len.to_le_bytes())?;
        self.write(record)
    }

    /// `len` bytes from `offset`.
    pub(super) fn read_at(&mut self, offset: u64, len: usize) -> io::Result<Vec<u8>> {
        self.writer.flush()?;
        let file = self.writer.get_mut();
        file.seek(SeekFrom::Start(offset))?;
        let mut out = vec![0; len];
        file.read_exact(&mut out)?;
        file.seek(SeekFrom::End(0))?;
        Ok(out)
    }

    /// Everything written, from the start.
    pub(super) fn reader(&mut self) -> io::Result<BufReader<File>> {
        self.writer.flush()?;
        let mut file = self.writer.get_ref().try_clone()?;
        file.seek(SeekFrom::Start(0))?;
        Ok(BufReader::with_capacity(1 << 16, file))
    }
}

impl Drop for Spill {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

pub(super) fn push_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

pub(super) fn read_varint(bytes: &[u8], pos: &mut usize) -> io::Result<u64> {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let b = *bytes
            .get(*pos)
            .ok_or_else(|| io::Error::other("truncated mention record"))?;
        *pos += 1;
        v |= u64::from(b & 0x7F) << shift;
        if b < 0x80 {
            return Ok(v);
        }
    }
    Err(io::Error::other("bad mention record"))
}

pub(super) const ZONES: [Zone; 5] = [
    Zone::Title,
    Zone::Dateline,
    Zone::Heading,
    Zone::Body,
    Zone::Credit,
];

/// The mentions of one entity, kept in the mention file as varint records (about 10 bytes
/// each instead of about 100 in memory); each distinct text is kept once.
#[derive(Debug, Default)]
pub(super) struct Mentions {
    pub(super) texts: Vec<String>,
    pub(super) text_ids: HashMap<String, u64>,
    /// (offset, bytes, mentions) of each window's block of records.
    pub(super) blocks: Vec<(u64, usize, usize)>,
    pub(super) count: usize,
}

impl Mentions {
    pub(super) fn add(&mut self, spill: &mut Spill, mentions: &[Mention]) -> io::Result<()> {
        if mentions.is_empty() {
            return Ok(());
        }
        let mut block = Vec::with_capacity(mentions.len() * 10);
        for m in mentions {
            let id = match self.text_ids.get(&m.text) {
                Some(&id) => id,
                None => {
                    let id = self.texts.len() as u64;
                    self.texts.push(m.text.clone());
                    self.text_ids.insert(m.text.clone(), id);
                    id
                }
            };
            push_varint(&mut block, m.start as u64);
            push_varint(&mut block, (m.end - m.start) as u64);
            push_varint(&mut block, m.sentence.map_or(0, |s| s as u64 + 1));
            push_varint(&mut block, id);
            let zone = ZONES.iter().position(|z| *z == m.zone).unwrap_or(3) as u8;
            block.push(zone | (u8::from(m.as_actor) << 4));
        }
        self.blocks.push((spill.len, block.len(), mentions.len()));
        self.count += mentions.len();
        spill.write(&block)
    }

    /// The mentions of one block (one window's), in text order.
    pub(super) fn read_block(&self, spill: &mut Spill, block: usize) -> io::Result<Vec<Mention>> {
        let Some(&(offset, len, count)) = self.blocks.get(block) else {
            return Ok(Vec::new());
        };
        let bytes = spill.read_at(offset, len)?;
        let mut out = Vec::with_capacity(count);
        let mut pos = 0;
        for _ in 0..count {
            let start = read_varint(&bytes, &mut pos)? as usize;
            let end = start + read_varint(&bytes, &mut pos)? as usize;
            let sentence = read_varint(&bytes, &mut pos)?.checked_sub(1);
            let text = self
                .texts
                .get(read_varint(&bytes, &mut pos)? as usize)
                .cloned()
                .unwrap_or_default();
            let flags = *bytes
                .get(pos)
                .ok_or_else(|| io::Error::other("truncated mention record"))?;
            pos += 1;
            out.push(Mention {
                text,
                start,
                end,
                sentence: sentence.map(|s| s as usize),
                zone: ZONES[usize::from(flags & 0x0F).min(4)],
                as_actor: flags & 0x10 != 0,
                range: 0..0,
            });
        }
        Ok(out)
    }
}

/// The entities merged so far, in order of first mention.
#[derive(Default)]
pub(super) struct Tables {
    pub(super) people: Vec<Merged<Person>>,
    pub(super) organizations: Vec<Merged<Organization>>,
    pub(super) places: Vec<Merged<Place>>,
    pub(super) countries: Vec<Merged<Country>>,
}

impl Tables {
    /// The mentions (or references) of one entity.
    pub(super) fn list(&self, of: MentionsOf) -> &Mentions {
        let i = of.index;
        match of.kind {
            EntityKind::People => self.people[i].list(of.references),
            EntityKind::Organizations => self.organizations[i].list(of.references),
            EntityKind::Places => self.places[i].list(of.references),
            EntityKind::Countries => self.countries[i].list(of.references),
        }
    }
}

impl<T> Merged<T> {
    /// Appends `value` to `table` as a new entity with no mentions yet; its index.
    pub(super) fn push_new(table: &mut Vec<Merged<T>>, value: T) -> usize {
        table.push(Merged {
            value,
            mentions: Mentions::default(),
            references: Mentions::default(),
        });
        table.len() - 1
    }

    /// Adds one window's mentions and references of this entity to the spill.
    pub(super) fn add(
        &mut self,
        spill: &mut Spill,
        mentions: &[Mention],
        references: &[Mention],
    ) -> io::Result<()> {
        self.mentions.add(spill, mentions)?;
        self.references.add(spill, references)
    }

    pub(super) fn list(&self, references: bool) -> &Mentions {
        if references {
            &self.references
        } else {
            &self.mentions
        }
    }
}

/// An entity merged across windows: its fields, its mentions and references in the spill.
pub(super) struct Merged<T> {
    pub(super) value: T,
    pub(super) mentions: Mentions,
    pub(super) references: Mentions,
}

// ---------------------------------------------------------------------------------------
// Dates and quotes as records: a number is a varint (an `Option` of one is 0 for `None`,
// else the number plus one), a string its length then its bytes (an `Option` of one is a
// byte 0 or 1 first), a zone one byte. Writing them as JSON and parsing them back cost
// twice as many instructions.

pub(super) fn put_usize(out: &mut Vec<u8>, n: usize) {
    push_varint(out, n as u64);
}

pub(super) fn put_opt_usize(out: &mut Vec<u8>, n: Option<usize>) {
    push_varint(out, n.map_or(0, |n| n as u64 + 1));
}

pub(super) fn put_str(out: &mut Vec<u8>, s: &str) {
    put_usize(out, s.len());
    out.extend_from_slice(s.as_bytes());
}

pub(super) fn put_opt_str(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        None => out.push(0),
        Some(s) => {
            out.push(1);
            put_str(out, s);
        }
    }
}

pub(super) fn put_zone(out: &mut Vec<u8>, zone: Zone) {
    out.push(ZONES.iter().position(|z| *z == zone).unwrap_or(3) as u8);
}

pub(super) fn put_opt_span(out: &mut Vec<u8>, span: Option<Span>) {
    out.push(u8::from(span.is_some()));
    if let Some(span) = span {
        put_usize(out, span.start);
        put_usize(out, span.end);
    }
}

/// A record being read.
pub(super) struct Record<'b> {
    pub(super) bytes: &'b [u8],
    pub(super) pos: usize,
}

impl Record<'_> {
    pub(super) fn usize(&mut self) -> io::Result<usize> {
        Ok(read_varint(self.bytes, &mut self.pos)? as usize)
    }

    pub(super) fn opt_usize(&mut self) -> io::Result<Option<usize>> {
        Ok(read_varint(self.bytes, &mut self.pos)?
            .checked_sub(1)
            .map(|n| n as usize))
    }

    pub(super) fn byte(&mut self) -> io::Result<u8> {
        let b = *self
            .bytes
            .get(self.pos)
            .ok_or_else(|| io::Error::other("truncated record"))?;
        self.pos += 1;
        Ok(b)
    }

    pub(super) fn string(&mut self) -> io::Result<String> {
        let len = self.usize()?;
        let bytes = self
            .bytes
            .get(self.pos..self.pos.saturating_add(len))
            .ok_or_else(|| io::Error::other("truncated record"))?;
        self.pos += len;
        String::from_utf8(bytes.to_vec()).map_err(|e| io::Error::other(e.to_string()))
    }

    pub(super) fn opt_string(&mut self) -> io::Result<Option<String>> {
        match self.byte()? {
            0 => Ok(None),
            _ => self.string().map(Some),
        }
    }

    pub(super) fn zone(&mut self) -> io::Result<Zone> {
        Ok(ZONES[usize::from(self.byte()?).min(4)])
    }

    pub(super) fn opt_span(&mut self) -> io::Result<Option<Span>> {
        match self.byte()? {
            0 => Ok(None),
            _ => Ok(Some(Span {
                start: self.usize()?,
                end: self.usize()?,
            })),
        }
    }
}

pub(super) fn date_record(d: &DateMention) -> Vec<u8> {
    let mut out = Vec::with_capacity(64);
    put_str(&mut out, &d.text);
    put_usize(&mut out, d.start);
    put_usize(&mut out, d.end);
    put_opt_usize(&mut out, d.sentence);
    put_zone(&mut out, d.zone);
    put_str(&mut out, &d.kind);
    put_str(&mut out, &d.value);
    put_opt_str(&mut out, d.resolved.as_deref());
    put_opt_str(&mut out, d.modifier.as_deref());
    out
}

pub(super) fn read_date(r: &mut Record) -> io::Result<DateMention> {
    Ok(DateMention {
        text: r.string()?,
        start: r.usize()?,
        end: r.usize()?,
        sentence: r.opt_usize()?,
        zone: r.zone()?,
        kind: r.string()?,
        value: r.string()?,
        resolved: r.opt_string()?,
        modifier: r.opt_string()?,
    })
}

pub(super) fn quote_record(q: &Quote) -> Vec<u8> {
    let mut out = Vec::with_capacity(256);
    put_str(&mut out, &q.text);
    put_usize(&mut out, q.start);
    put_usize(&mut out, q.end);
    put_str(&mut out, &q.kind);
    put_zone(&mut out, q.zone);
    put_opt_str(&mut out, q.speaker.as_deref());
    put_opt_str(&mut out, q.speaker_kind.as_deref());
    out.push(u8::from(q.speaker_mention.is_some()));
    if let Some(m) = &q.speaker_mention {
        put_str(&mut out, &m.text);
        put_usize(&mut out, m.start);
        put_usize(&mut out, m.end);
    }
    put_opt_str(&mut out, q.via.as_deref());
    put_opt_str(&mut out, q.resolution.as_deref());
    put_opt_str(&mut out, q.cue.as_deref());
    put_opt_span(&mut out, q.cue_span);
    put_opt_str(&mut out, q.channel.as_deref());
    put_opt_usize(&mut out, q.sentence);
    out
}

pub(super) fn read_quote(r: &mut Record) -> io::Result<Quote> {
    Ok(Quote {
        text: r.string()?,
        start: r.usize()?,
        end: r.usize()?,
        kind: r.string()?,
        zone: r.zone()?,
        speaker: r.opt_string()?,
        speaker_kind: r.opt_string()?,
        speaker_mention: match r.byte()? {
            0 => None,
            _ => Some(SpeakerMention {
                text: r.string()?,
                start: r.usize()?,
                end: r.usize()?,
            }),
        },
        via: r.opt_string()?,
        resolution: r.opt_string()?,
        cue: r.opt_string()?,
        cue_span: r.opt_span()?,
        channel: r.opt_string()?,
        sentence: r.opt_usize()?,
    })
}
