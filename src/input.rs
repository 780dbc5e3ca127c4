//! Decoding: bytes → [`Text`]. BOMs, UTF-8 else Windows-1252, binary check, CRLF → LF, NFC,
//! and warnings for what was changed or looks damaged.

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

use crate::model::{CharMap, Text, Warning};

/// How to decode.
#[derive(Debug, Clone, Default)]
pub struct DecodeOptions {
    /// Invalid UTF-8 is an error instead of being read as Windows-1252.
    pub strict_utf8: bool,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DecodeError {
    #[error("binary data (NUL byte at offset {0}), not a text file")]
    Binary(usize),
    #[error("invalid UTF-8 at byte {0} (--strict-utf8)")]
    InvalidUtf8(usize),
    #[error("not text: {0}")]
    NotText(String),
    #[error("too large: {0} bytes of text, the limit is {max} (2 GiB)", max = MAX_TEXT_LEN)]
    TooLarge(usize),
}

/// The longest text analysed: the token layer keeps 31-bit offsets (see
/// `parse::tokens::MAX_TEXT_LEN`).
use crate::parse::tokens::MAX_TEXT_LEN;

/// Below this many characters a text is too short to judge by ratios.
const NOT_TEXT_MIN_CHARS: usize = 64;

/// Refuses what decodes without error but is no text: random or compressed bytes have no NUL
/// often enough to pass the binary check, but give a control character every few dozen bytes
/// (prose has none besides tab and newlines) and few letters.
fn check_is_text(text: &str) -> Result<(), DecodeError> {
    let mut counts = CharCounts::default();
    let bytes = text.as_bytes();
    let mut i = 0;
    // Most of a French dispatch is ASCII: its bytes are classified by table, without decoding
    // them as chars.
    while i < bytes.len() {
        let b = bytes[i];
        let (class, len) = if b.is_ascii() {
            (ASCII_CLASSES[b as usize], 1)
        } else {
            let c = text[i..]
                .chars()
                .next()
                .unwrap_or(char::REPLACEMENT_CHARACTER);
            (char_class(c), c.len_utf8())
        };
        counts.add(class);
        i += len;
    }
    let CharCounts {
        chars,
        controls,
        letters,
        visible,
    } = counts;
    if chars < NOT_TEXT_MIN_CHARS {
        return Ok(());
    }
    // More than 1 % control characters: no editor writes that.
    if controls * 100 > chars {
        return Err(DecodeError::NotText(format!(
            "{controls} control characters in {chars}"
        )));
    }
    // Fewer than one letter in five letters, digits and symbols: not prose, even a table of
    // results.
    if letters * 5 < visible {
        return Err(DecodeError::NotText(format!(
            "only {letters} letters in {visible} visible characters"
        )));
    }
    Ok(())
}

/// What [`check_is_text`] counts a character as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CharClass {
    Control,
    Letter,
    /// Digits and symbols.
    OtherVisible,
    /// Spaces and punctuation.
    Unseen,
}

#[derive(Default)]
struct CharCounts {
    chars: usize,
    controls: usize,
    letters: usize,
    visible: usize,
}

impl CharCounts {
    fn add(&mut self, class: CharClass) {
        self.chars += 1;
        match class {
            CharClass::Control => self.controls += 1,
            CharClass::Letter => {
                self.letters += 1;
                self.visible += 1;
            }
            CharClass::OtherVisible => self.visible += 1,
            CharClass::Unseen => {}
        }
    }
}

fn char_class(c: char) -> CharClass {
    if c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}') {
        CharClass::Control
    } else if c.is_alphabetic() {
        CharClass::Letter
    } else if !c.is_whitespace() && !is_punctuation(c) {
        // Digits and symbols: punctuation is left out, so that a run of guillemets or
        // full stops is odd text, not binary.
        CharClass::OtherVisible
    } else {
        CharClass::Unseen
    }
}

/// [`char_class`] of every ASCII character, computed at compile time.
const ASCII_CLASSES: [CharClass; 128] = {
    let mut table = [CharClass::Unseen; 128];
    let mut b = 0u8;
    while b < 128 {
        table[b as usize] = ascii_class(b);
        b += 1;
    }
    table
};

/// [`char_class`] for ASCII, in the `const` subset of the byte methods.
const fn ascii_class(b: u8) -> CharClass {
    if b.is_ascii_control() && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0C) {
        CharClass::Control
    } else if b.is_ascii_alphabetic() {
        CharClass::Letter
    } else if !b.is_ascii_whitespace() && !b.is_ascii_punctuation() && !b.is_ascii_control() {
        CharClass::OtherVisible
    } else {
        CharClass::Unseen
    }
}

/// ASCII and typographic punctuation of French text.
fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation()
        || matches!(
            c,
            '«' | '»'
                | '…'
                | '–'
                | '—'
                | '‘'
                | '’'
                | '“'
                | '”'
                | '„'
                | '‹'
                | '›'
                | '•'
                | '·'
                | '¡'
                | '¿'
        )
}

/// Characters that, in French text, betray a wrong decoding somewhere upstream.
///
/// `ę` (Polish e-ogonek) stands where `ê` was meant (`męme`), the Latin-1 reading of UTF-8
/// (`Ã©`, `Ã¨`, `â€™`) and the replacement character mean the bytes were mangled before us.
const DAMAGE_MARKERS: &[(&str, &str)] = &[
    ("ę", "'ę' where French has 'ê' (e.g. 'męme')"),
    ("Ã©", "UTF-8 read as Latin-1 ('Ã©' for 'é')"),
    ("Ã¨", "UTF-8 read as Latin-1 ('Ã¨' for 'è')"),
    ("Ã ", "UTF-8 read as Latin-1 ('Ã ' for 'à')"),
    ("Ãª", "UTF-8 read as Latin-1 ('Ãª' for 'ê')"),
    ("Ã§", "UTF-8 read as Latin-1 ('Ã§' for 'ç')"),
    ("Ã´", "UTF-8 read as Latin-1 ('Ã´' for 'ô')"),
    ("â€", "UTF-8 read as Windows-1252 ('â€™' for '’')"),
    (
        "\u{FFFD}",
        "replacement character: bytes lost before decoding",
    ),
];

/// Decodes raw bytes into normalised text. Only binary input and `--strict-utf8` fail.
pub fn decode(bytes: &[u8], options: &DecodeOptions) -> Result<Text, DecodeError> {
    // Refused before decoding when the bytes alone are over the limit (UTF-16 halves, the
    // other encodings do not shrink), and again on the decoded text.
    if bytes.len() / 2 > MAX_TEXT_LEN {
        return Err(DecodeError::TooLarge(bytes.len()));
    }
    let mut warnings = Vec::new();
    let mut changed = false;
    let (raw, encoding): (String, &'static str) =
        if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
            changed = true;
            (utf8_or_1252(rest, options, &mut warnings)?, "UTF-8")
        } else if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
            let enc = if bytes[0] == 0xFF {
                encoding_rs::UTF_16LE
            } else {
                encoding_rs::UTF_16BE
            };
            let (text, had_errors) = enc.decode_with_bom_removal(bytes);
            if had_errors {
                warnings.push(Warning::new(
                    "invalid_utf16",
                    "invalid UTF-16 sequences were replaced by U+FFFD",
                    None,
                ));
            }
            changed = true;
            (text.into_owned(), enc.name())
        } else {
            if let Some(pos) = memchr::memchr(0, bytes) {
                return Err(DecodeError::Binary(pos));
            }
            let text = utf8_or_1252(bytes, options, &mut warnings)?;
            let enc = if warnings.iter().any(|w| w.kind == "decoded_windows_1252") {
                "windows-1252"
            } else {
                "UTF-8"
            };
            (text, enc)
        };
    if raw.contains('\0') {
        return Err(DecodeError::Binary(raw.find('\0').unwrap_or(0)));
    }
    check_is_text(&raw)?;
    let mut text = normalize_newlines(raw, &mut changed);
    if is_nfc_quick(text.chars()) != IsNormalized::Yes {
        let nfc: String = text.nfc().collect();
        if nfc != text {
            warnings.push(Warning::new(
                "normalized_nfc",
                "the text was normalised to NFC; offsets refer to the normalised text",
                None,
            ));
            changed = true;
            text = nfc;
        }
    }
    if text.trim().is_empty() {
        warnings.push(Warning::new("empty_input", "the input holds no text", None));
    }
    if text.len() > MAX_TEXT_LEN {
        return Err(DecodeError::TooLarge(text.len()));
    }
    report_damage(&text, &mut warnings);
    Ok(Text {
        text,
        warnings,
        encoding,
        changed,
    })
}

fn utf8_or_1252(
    bytes: &[u8],
    options: &DecodeOptions,
    warnings: &mut Vec<Warning>,
) -> Result<String, DecodeError> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_string()),
        Err(e) if options.strict_utf8 => Err(DecodeError::InvalidUtf8(e.valid_up_to())),
        Err(e) => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            warnings.push(Warning::new(
                "decoded_windows_1252",
                format!(
                    "invalid UTF-8 at byte {}: the file was read as Windows-1252",
                    e.valid_up_to()
                ),
                None,
            ));
            Ok(text.into_owned())
        }
    }
}

/// CRLF and lone CR become LF.
fn normalize_newlines(text: String, changed: &mut bool) -> String {
    if !text.contains('\r') {
        return text;
    }
    *changed = true;
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// Reports each kind of encoding damage once per occurrence cluster, with its offset.
fn report_damage(text: &str, warnings: &mut Vec<Warning>) {
    const MAX_PER_KIND: usize = 5;
    if !has_damage_marker(text) {
        return;
    }
    let chars = CharMap::new(text);
    for (marker, why) in DAMAGE_MARKERS {
        for (n, (pos, _)) in text.match_indices(marker).enumerate() {
            if n == MAX_PER_KIND {
                let total = text.matches(marker).count();
                warnings.push(Warning::new(
                    "encoding_damage",
                    format!("{total} occurrences of {marker:?} in all; only the first {MAX_PER_KIND} are listed"),
                    None,
                ));
                break;
            }
            let word = word_around(text, pos);
            warnings.push(Warning::new(
                "encoding_damage",
                format!("suspect character in {word:?}: {why}"),
                Some(chars.char_offset(pos)),
            ));
        }
    }
}

/// Whether any of [`DAMAGE_MARKERS`] occurs: one pass over the bytes that can start one,
/// instead of a search per marker and a `CharMap` for texts that have none (almost all).
fn has_damage_marker(text: &str) -> bool {
    let bytes = text.as_bytes();
    let [a, b, c] = DAMAGE_MARKER_LEAD_BYTES;
    memchr::memchr3_iter(a, b, c, bytes).any(|pos| {
        DAMAGE_MARKERS
            .iter()
            .any(|(marker, _)| bytes[pos..].starts_with(marker.as_bytes()))
    })
}

/// The first bytes of the UTF-8 of every marker in [`DAMAGE_MARKERS`] (`ę`, `Ã`/`â`, U+FFFD).
const DAMAGE_MARKER_LEAD_BYTES: [u8; 3] = [0xC4, 0xC3, 0xEF];

fn word_around(text: &str, pos: usize) -> &str {
    let start = text[..pos]
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_whitespace())
        .map_or(0, |(i, c)| i + c.len_utf8());
    let end = text[pos..]
        .find(|c: char| c.is_whitespace())
        .map_or(text.len(), |i| pos + i);
    &text[start..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A text the token layer cannot address is refused with its size and the limit (the
    /// decode path itself needs a 2 GiB input, too large for a test).
    #[test]
    fn too_large_names_the_size_and_the_limit() {
        let message = DecodeError::TooLarge(3_000_000_000).to_string();
        assert_eq!(
            message,
            format!("too large: 3000000000 bytes of text, the limit is {MAX_TEXT_LEN} (2 GiB)")
        );
    }

    fn dec(b: &[u8]) -> Text {
        decode(b, &DecodeOptions::default()).unwrap()
    }

    #[test]
    fn damage_markers_start_with_a_lead_byte() {
        for (marker, _) in DAMAGE_MARKERS {
            assert!(
                DAMAGE_MARKER_LEAD_BYTES.contains(&marker.as_bytes()[0]),
                "{marker:?}"
            );
        }
    }

    #[test]
    fn ascii_classes_agree_with_char_class() {
        for b in 0..128u8 {
            assert_eq!(ASCII_CLASSES[b as usize], char_class(b as char), "byte {b}");
        }
    }

    #[test]
    fn utf8_bom_is_removed() {
        assert_eq!(dec(b"\xEF\xBB\xBFabc").text, "abc");
    }

    #[test]
    fn utf16le_with_bom_is_decoded() {
        let bytes = [0xFF, 0xFE, b'h', 0, 0xE9, 0];
        let t = dec(&bytes);
        assert_eq!(t.text, "hé");
        assert_eq!(t.encoding, "UTF-16LE");
    }

    #[test]
    fn windows_1252_fallback_warns() {
        let t = dec(b"caf\xe9 \x93ok\x94");
        assert_eq!(t.text, "café “ok”");
        assert_eq!(t.warnings[0].kind, "decoded_windows_1252");
    }

    #[test]
    fn strict_utf8_rejects_invalid() {
        let err = decode(b"caf\xe9", &DecodeOptions { strict_utf8: true });
        assert_eq!(err.unwrap_err(), DecodeError::InvalidUtf8(3));
    }

    #[test]
    fn nul_bytes_are_binary() {
        assert_eq!(
            decode(b"%PDF\0\x01", &DecodeOptions::default()).unwrap_err(),
            DecodeError::Binary(4)
        );
    }

    #[test]
    fn random_bytes_without_nul_are_not_text() {
        // A fixed pseudo-random sequence (xorshift), NUL bytes replaced.
        let mut x: u32 = 0x9E37_79B9;
        let bytes: Vec<u8> = (0..4096)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                (x as u8).max(1)
            })
            .collect();
        assert!(matches!(
            decode(&bytes, &DecodeOptions::default()),
            Err(DecodeError::NotText(_))
        ));
    }

    #[test]
    fn figures_and_a_stray_control_character_are_still_text() {
        let mut table =
            "Résultats du 1er tour : 12 345 voix (23,4 %), 9 876 voix (18,1 %).\n".repeat(3);
        table.push('\x07');
        assert!(decode(table.as_bytes(), &DecodeOptions::default()).is_ok());
        for odd in ["«".repeat(500), ".!?…".repeat(200), "M. ".repeat(300)] {
            assert!(decode(odd.as_bytes(), &DecodeOptions::default()).is_ok());
        }
        let digits = "0123456789 ".repeat(50);
        assert!(matches!(
            decode(digits.as_bytes(), &DecodeOptions::default()),
            Err(DecodeError::NotText(_))
        ));
    }

    #[test]
    fn crlf_and_cr_become_lf() {
        assert_eq!(dec(b"a\r\nb\rc").text, "a\nb\nc");
    }

    #[test]
    fn nfd_is_composed() {
        let t = dec("e\u{301}t\u{e9}".as_bytes());
        assert_eq!(t.text, "été");
        assert!(t.warnings.iter().any(|w| w.kind == "normalized_nfc"));
    }

    #[test]
    fn encoding_damage_is_reported_not_changed() {
        let t = dec("la RPDC détermine elle-męme les formes".as_bytes());
        assert!(t.text.contains("męme"));
        let w = t
            .warnings
            .iter()
            .find(|w| w.kind == "encoding_damage")
            .unwrap();
        assert_eq!(w.start, Some(24));
        assert!(w.message.contains("elle-męme"));
    }

    #[test]
    fn clean_french_has_no_warning() {
        assert!(
            dec("Le président a déclaré « même » à Noël.".as_bytes())
                .warnings
                .is_empty()
        );
    }

    #[test]
    fn empty_input_warns() {
        assert_eq!(dec(b"  \n ").warnings[0].kind, "empty_input");
    }
}
