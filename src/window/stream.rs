//! Decoding a large file in a stream: the encoding settled before any output, the text
//! read in chunks with newlines normalised, and cut into windows at blank lines.

use super::*;

/// How the whole file is read, settled by [`prescan`] before any output.
#[derive(Debug)]
pub(super) struct Encoding {
    /// `None` for UTF-8, taken as is.
    pub(super) decoder: Option<&'static encoding_rs::Encoding>,
    /// Bytes of a UTF-8 BOM to skip before decoding.
    pub(super) skip: usize,
    /// The file opens with a BOM (UTF-8 or UTF-16).
    pub(super) bom: bool,
    pub(super) warnings: Vec<Warning>,
    /// The BOM or the encoding changed the text (so offsets do not index the raw file).
    pub(super) changed: bool,
}

/// Reads the whole file once, as `input::decode` would judge it: a UTF-16 BOM selects UTF-16;
/// otherwise a NUL byte is binary data, and invalid UTF-8 anywhere makes the whole file
/// Windows-1252 (or an error with `--strict-utf8`).
pub(super) fn prescan(file: &mut File, options: &DecodeOptions) -> Result<Encoding, Error> {
    let mut head = [0u8; 3];
    let n = read_full(file, &mut head)?;
    let head = &head[..n];
    file.seek(SeekFrom::Start(0))?;
    if head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF") {
        let enc = if head[0] == 0xFF {
            encoding_rs::UTF_16LE
        } else {
            encoding_rs::UTF_16BE
        };
        return prescan_utf16(file, enc);
    }
    let skip = if head == b"\xEF\xBB\xBF" { 3 } else { 0 };
    let mut buf = vec![0u8; READ_CHUNK];
    // The bytes not validated yet (a char cut by the end of the previous chunk, then this
    // chunk), and the file offset of the first of them.
    let mut pending: Vec<u8> = Vec::new();
    let mut pending_at = skip;
    let mut offset = 0usize;
    let mut invalid_at: Option<usize> = None;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        let chunk = &buf[..n];
        if let Some(pos) = memchr::memchr(0, chunk) {
            return Err(DecodeError::Binary(offset + pos).into());
        }
        if invalid_at.is_none() {
            let begin = if offset == 0 { skip.min(n) } else { 0 };
            pending.extend_from_slice(&chunk[begin..]);
            match std::str::from_utf8(&pending) {
                Ok(_) => {
                    pending_at += pending.len();
                    pending.clear();
                }
                Err(e) if e.error_len().is_none() => {
                    pending_at += e.valid_up_to();
                    pending.drain(..e.valid_up_to());
                }
                // Offsets after the BOM, as `input::decode` gives them.
                Err(e) => invalid_at = Some(pending_at + e.valid_up_to() - skip),
            }
        }
        offset += n;
    }
    if invalid_at.is_none() && !pending.is_empty() {
        invalid_at = Some(pending_at - skip);
    }
    let mut warnings = Vec::new();
    let decoder = match invalid_at {
        None => None,
        Some(pos) if options.strict_utf8 => return Err(DecodeError::InvalidUtf8(pos).into()),
        Some(pos) => {
            warnings.push(Warning::new(
                "decoded_windows_1252",
                format!("invalid UTF-8 at byte {pos}: the file was read as Windows-1252"),
                None,
            ));
            Some(encoding_rs::WINDOWS_1252)
        }
    };
    Ok(Encoding {
        decoder,
        skip,
        bom: skip > 0,
        warnings,
        changed: skip > 0,
    })
}

/// A UTF-16 file: decoded once to find NUL characters and invalid sequences.
pub(super) fn prescan_utf16(
    file: &mut File,
    enc: &'static encoding_rs::Encoding,
) -> Result<Encoding, Error> {
    let mut decoder = enc.new_decoder_with_bom_removal();
    let mut buf = vec![0u8; READ_CHUNK];
    let mut text = String::new();
    let mut decoded = 0usize;
    let mut replaced = false;
    loop {
        let n = file.read(&mut buf)?;
        text.clear();
        text.reserve(decoder.max_utf8_buffer_length(n).unwrap_or(4 * n + 16));
        let (_, _, had_errors) = decoder.decode_to_string(&buf[..n], &mut text, n == 0);
        replaced |= had_errors;
        if let Some(pos) = text.find('\0') {
            return Err(DecodeError::Binary(decoded + pos).into());
        }
        decoded += text.len();
        if n == 0 {
            break;
        }
    }
    let mut warnings = Vec::new();
    if replaced {
        warnings.push(Warning::new(
            "invalid_utf16",
            "invalid UTF-16 sequences were replaced by U+FFFD",
            None,
        ));
    }
    Ok(Encoding {
        decoder: Some(enc),
        skip: 0,
        bom: true,
        warnings,
        changed: true,
    })
}

/// Reads until `buf` is full or the end of the file; the number of bytes read.
pub(super) fn read_full(file: &mut File, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match file.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

/// The file as UTF-8 text with LF newlines, cut into windows of whole paragraphs.
pub(super) struct TextStream {
    pub(super) file: File,
    pub(super) decoder: Option<encoding_rs::Decoder>,
    pub(super) skip: usize,
    pub(super) size: usize,
    /// Decoded text not yet given out as a window.
    pub(super) buf: Vec<u8>,
    pub(super) raw: Vec<u8>,
    pub(super) pending_cr: bool,
    pub(super) eof: bool,
    /// A window was given out.
    pub(super) started: bool,
    /// A CR was turned into LF.
    pub(super) changed: bool,
}

impl TextStream {
    pub(super) fn new(file: File, encoding: &Encoding, size: usize) -> TextStream {
        TextStream {
            file,
            decoder: encoding.decoder.map(|e| e.new_decoder_with_bom_removal()),
            skip: encoding.skip,
            size: size.max(1),
            // The first window's `input::decode` removes one BOM from its start, as it does
            // for a whole file: the stream gives it the file's BOM as UTF-8, and a U+FEFF
            // after it stays.
            buf: if encoding.bom {
                b"\xEF\xBB\xBF".to_vec()
            } else {
                Vec::new()
            },
            raw: vec![0; READ_CHUNK],
            pending_cr: false,
            eof: false,
            started: false,
            changed: false,
        }
    }

    /// The next window, and whether it is the last one; `None` at the end.
    pub(super) fn next_window(&mut self) -> io::Result<Option<(Vec<u8>, bool)>> {
        self.fill_past(self.size)?;
        let end = loop {
            // The first window holds two paragraphs at least: a title is only a title when
            // text follows it, and the dateline opens the paragraph after it.
            let keep = match self.started {
                true => 0,
                false => cut_points(&self.buf).next().map_or(0, |c| c.at),
            };
            let size = self.size.saturating_sub(keep);
            if let Some(end) = window_end(&self.buf[keep..], size, self.eof) {
                break keep + end;
            }
            // A paragraph longer than the window: read on, doubling, so the scans for its
            // end stay linear.
            self.fill_past(self.buf.len() * 2)?;
        };
        if end == 0 {
            return Ok(None);
        }
        self.started = true;
        let rest = self.buf.split_off(end);
        let window = std::mem::replace(&mut self.buf, rest);
        self.fill_past(self.size)?;
        let last = self.eof && self.buf.is_empty();
        Ok(Some((window, last)))
    }

    /// Reads until more than `len` bytes of text are buffered or the file ends.
    pub(super) fn fill_past(&mut self, len: usize) -> io::Result<()> {
        while !self.eof && self.buf.len() <= len {
            self.read_chunk()?;
        }
        Ok(())
    }

    pub(super) fn read_chunk(&mut self) -> io::Result<()> {
        let n = self.file.read(&mut self.raw)?;
        if n == 0 {
            self.eof = true;
        }
        let from = self.buf.len();
        let skip = self.skip.min(n);
        self.skip -= skip;
        let raw = &self.raw[skip..n];
        match &mut self.decoder {
            Some(dec) => {
                let need = dec.max_utf8_buffer_length(raw.len()).unwrap_or(4 * n + 16);
                self.buf.resize(from + need, 0);
                let (_, _, written, _) = dec.decode_to_utf8(raw, &mut self.buf[from..], n == 0);
                self.buf.truncate(from + written);
            }
            None => self.buf.extend_from_slice(raw),
        }
        self.changed |= normalize_newlines(&mut self.buf, from, &mut self.pending_cr);
        Ok(())
    }
}

/// CRLF and lone CR become LF in `buf[from..]`, as `input::decode` does; `pending_cr` carries
/// a CR that ended the previous chunk (its LF, at the start of this one, is dropped). Whether
/// anything changed.
pub(super) fn normalize_newlines(buf: &mut Vec<u8>, from: usize, pending_cr: &mut bool) -> bool {
    if !*pending_cr && memchr::memchr(b'\r', &buf[from..]).is_none() {
        return false;
    }
    let mut changed = false;
    let mut w = from;
    for r in from..buf.len() {
        let b = buf[r];
        if *pending_cr && b == b'\n' {
            *pending_cr = false;
            continue;
        }
        *pending_cr = b == b'\r';
        buf[w] = if b == b'\r' {
            changed = true;
            b'\n'
        } else {
            b
        };
        w += 1;
    }
    buf.truncate(w);
    changed
}

/// Where windows may start: the start of each line that is not blank and follows a blank line
/// (spaces and tabs only). Paragraph-sized units never span a blank line, so a window cut
/// there holds whole units. A cut is `clean` when the lines on both sides of the blank end
/// like a sentence: neither can then be a heading, which a window could not see as one (a
/// heading must follow a paragraph and be followed by text in the same window).
pub(super) fn cut_points(text: &[u8]) -> impl Iterator<Item = Cut> + '_ {
    let mut pos = 0;
    let mut prev_blank = false;
    let mut prev_text_ends_sentence = false;
    std::iter::from_fn(move || {
        while pos < text.len() {
            let start = pos;
            let end = memchr::memchr(b'\n', &text[pos..]).map_or(text.len(), |i| pos + i);
            pos = end + 1;
            let line = &text[start..end];
            let blank = line.iter().all(|&b| b == b' ' || b == b'\t');
            // `input::decode` would take a U+FEFF that opens a window for a BOM and drop it.
            let cut = prev_blank && !blank && !line.starts_with(b"\xEF\xBB\xBF");
            prev_blank = blank;
            if blank {
                continue;
            }
            let ends_sentence = std::str::from_utf8(line).is_ok_and(layout::ends_like_sentence);
            let clean = prev_text_ends_sentence && ends_sentence;
            prev_text_ends_sentence = ends_sentence;
            if cut {
                return Some(Cut { at: start, clean });
            }
        }
        None
    })
}

/// A place where a window may start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Cut {
    pub(super) at: usize,
    pub(super) clean: bool,
}

/// The end of the first window of `text` (LF newlines): the last clean cut point within
/// `size` bytes (if it leaves at least half of them), else the last cut point within, else
/// the first one after (an overlong paragraph is its own window), else the whole text once
/// the file has ended (`at_eof`). `None` when more text must be read to know.
pub(super) fn window_end(text: &[u8], size: usize, at_eof: bool) -> Option<usize> {
    if text.len() <= size {
        return at_eof.then_some(text.len());
    }
    let (mut within, mut clean_within) = (None, None);
    for cut in cut_points(text) {
        if cut.at > size {
            return Some(best_within(clean_within, within, size).unwrap_or(cut.at));
        }
        within = Some(cut.at);
        if cut.clean {
            clean_within = Some(cut.at);
        }
    }
    best_within(clean_within, within, size).or(at_eof.then_some(text.len()))
}

pub(super) fn best_within(clean: Option<usize>, any: Option<usize>, size: usize) -> Option<usize> {
    clean.filter(|&c| c >= size / 2).or(any)
}
