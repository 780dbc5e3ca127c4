//! # depeche
//!
//! A fast, rule-based analyzer for French news-wire dispatches (AFP): structure and sentences,
//! people with their roles, organisations, places with their countries, dates (TIMEX3, resolved)
//! and quotes with their speakers.
//!
//! The pipeline is four stages, each one public function:
//! [`input::decode`] → [`parse::parse`] → [`extract::extract`] → [`render::render`].
//! [`Resources`] (lexicons and rules) is built once and shared by reference across threads.
//!
//! ```
//! use depeche::{Options, Resources, analyze};
//!
//! let res = Resources::embedded().unwrap();
//! let text = "PARIS, 3 mars 2024 (AFP) - M. Dupont est arrivé. Il repart demain.\n(AFP)";
//! let a = analyze(text.as_bytes(), &res, &Options::default()).unwrap();
//! assert_eq!(a.dateline.unwrap().place.as_deref(), Some("PARIS"));
//! assert_eq!(a.stats.sentences, 2);
//! assert_eq!(a.credit.unwrap().agency.as_deref(), Some("AFP"));
//! ```

pub mod batch;
pub mod extract;
pub mod input;
pub mod model;
pub mod parse;
pub mod render;
pub mod resources;
pub mod window;

pub use extract::Context;
pub use input::{DecodeError, DecodeOptions};
pub use model::Analysis;
pub use resources::{DataError, Resources};

/// What to do with one input.
#[derive(Debug, Clone)]
pub struct Options {
    pub decode: DecodeOptions,
    /// Publication date (`--date`), overriding the dateline's.
    pub date: Option<jiff::civil::Date>,
    /// Summary sentences besides the lead.
    pub summary_sentences: usize,
    /// Include the analysed text as `"text"`.
    pub include_text: bool,
    /// When and how a large file is analysed in windows (`window/`); the command line
    /// keeps the defaults, tests make them tiny.
    pub windows: window::Windows,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            decode: DecodeOptions::default(),
            date: None,
            summary_sentences: 2,
            include_text: false,
            windows: window::Windows::default(),
        }
    }
}

/// Why one input could not be analysed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Decode(#[from] DecodeError),
    #[error(transparent)]
    Data(#[from] DataError),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// Characters given to language detection: enough to tell French from English or Spanish.
const LANG_SAMPLE_CHARS: usize = 600;

/// French function words that are no words of the other languages the detector knows (not
/// `de`, `la`, `le`, `du`, `des`, `qui`, `sur`, `pas`, `mais`: Spanish, Italian, German, Dutch
/// or Portuguese have them too).
const FRENCH_FUNCTION_WORDS: [&str; 19] = [
    "les", "et", "est", "une", "dans", "pour", "au", "aux", "avec", "ont", "cette", "été", "ils",
    "elle", "sont", "nous", "leur", "aussi", "selon",
];

/// Whether at least one word in twenty of `sample` is one of [`FRENCH_FUNCTION_WORDS`]:
/// prose in another language has next to none, French about one in ten (one in twenty-five at
/// the lowest, in headline-heavy openings, 2026-12 corpora). The trigram detector costs more
/// than a percent of a dispatch's analysis, so it is only asked when they are rare.
fn plainly_french(sample: &str, words: usize) -> bool {
    let function_words = sample
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| is_french_function_word(w))
        .count();
    function_words * 20 >= words
}

/// Whether `word` is one of [`FRENCH_FUNCTION_WORDS`], ASCII case aside. The list's words are
/// 2 to 5 bytes long: a longer or shorter word is turned away before any comparison, and the
/// others are lowered once into a small buffer, not once per listed word.
fn is_french_function_word(word: &str) -> bool {
    const LONGEST: usize = 5;
    if !(2..=LONGEST).contains(&word.len()) {
        return false;
    }
    let mut lower = [0u8; LONGEST];
    for (to, from) in lower.iter_mut().zip(word.bytes()) {
        *to = from.to_ascii_lowercase();
    }
    let lower = &lower[..word.len()];
    FRENCH_FUNCTION_WORDS.iter().any(|f| f.as_bytes() == lower)
}

/// The message of the `text_changed` warning.
pub(crate) const TEXT_CHANGED: &str = "decoding changed the text (BOM, newlines or normalisation): offsets refer to the analysed text (see --include-text)";

/// The library's front door: bytes in, analysis out.
pub fn analyze(bytes: &[u8], res: &Resources, options: &Options) -> Result<Analysis, Error> {
    let mut text = input::decode(bytes, &options.decode)?;
    if text.changed {
        text.warnings
            .push(model::Warning::new("text_changed", TEXT_CHANGED, None));
    }
    warn_if_not_french(&mut text);
    let doc = parse::parse(&text, res);
    let ctx = Context {
        date: options.date,
        summary_sentences: options.summary_sentences,
    };
    let mut analysis = extract::extract(&doc, res, &ctx);
    if options.include_text {
        analysis.text = Some(text.text);
    }
    Ok(analysis)
}

pub(crate) fn warn_if_not_french(text: &mut model::Text) {
    let sample_end = text
        .text
        .char_indices()
        .nth(LANG_SAMPLE_CHARS)
        .map_or(text.text.len(), |(at, _)| at);
    let sample = &text.text[..sample_end];
    let words = sample.split_whitespace().count();
    if words < 8 || plainly_french(sample, words) {
        return;
    }
    // Only the languages a French newsroom's archive plausibly holds: scoring every profile
    // would cost more than the rest of the analysis.
    static DETECTOR: std::sync::LazyLock<whatlang::Detector> = std::sync::LazyLock::new(|| {
        use whatlang::Lang::*;
        whatlang::Detector::with_allowlist(vec![Fra, Eng, Spa, Deu, Ita, Por, Nld, Ara, Rus])
    });
    if let Some(info) = DETECTOR.detect(sample)
        && info.lang() != whatlang::Lang::Fra
        && info.is_reliable()
    {
        text.warnings.push(model::Warning::new(
            "not_french",
            format!(
                "the text looks like {} rather than French",
                info.lang().eng_name()
            ),
            None,
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn function_words_are_matched_whole_and_ascii_case_aside() {
        for word in ["les", "LES", "Et", "été", "selon", "Selon", "aux"] {
            assert!(is_french_function_word(word), "{word}");
        }
        for word in [
            "le",
            "l",
            "lesquels",
            "ÉTÉ",
            "étés",
            "selons",
            "",
            "a",
            "aussitôt",
        ] {
            assert!(!is_french_function_word(word), "{word}");
        }
        // The same answers as comparing with every listed word, on every word of the lists'
        // neighbourhood: prefixes, suffixes and case variants.
        for f in FRENCH_FUNCTION_WORDS {
            for w in [
                f.to_string(),
                f.to_uppercase(),
                format!("{f}s"),
                f.chars().skip(1).collect(),
            ] {
                let slow = FRENCH_FUNCTION_WORDS
                    .iter()
                    .any(|g| g.eq_ignore_ascii_case(&w));
                assert_eq!(is_french_function_word(&w), slow, "{w}");
            }
        }
    }

    fn not_french_warning(body: &str) -> bool {
        let mut text = input::decode(body.as_bytes(), &Default::default()).unwrap();
        warn_if_not_french(&mut text);
        text.warnings.iter().any(|w| w.kind == "not_french")
    }

    const FOREIGN: [&str; 5] = [
        "The minister said on Tuesday that the government would not change its plans for the \
         northern railway, despite protests from farmers and local councils over the route.",
        "El ministro dijo el martes que el gobierno no cambiará sus planes para el ferrocarril \
         del norte, a pesar de las protestas de los agricultores y de los ayuntamientos.",
        "Il ministro ha detto martedì che il governo non cambierà i suoi piani per la ferrovia \
         del nord, nonostante le proteste degli agricoltori e dei comuni della zona.",
        "Der Minister sagte am Dienstag, die Regierung werde ihre Pläne für die nördliche \
         Eisenbahn trotz der Proteste von Landwirten und Gemeinden nicht ändern.",
        "O ministro disse na terça-feira que o governo não vai mudar os seus planos para a \
         ferrovia do norte, apesar dos protestos dos agricultores e das câmaras municipais.",
    ];

    #[test]
    fn foreign_prose_is_not_plainly_french_and_gets_the_warning() {
        for text in FOREIGN {
            let words = text.split_whitespace().count();
            assert!(!plainly_french(text, words), "{text}");
            assert!(not_french_warning(text), "{text}");
        }
    }

    #[test]
    fn french_prose_skips_the_detector_and_gets_no_warning() {
        let text = "Le ministre a déclaré mardi que le gouvernement ne changerait pas ses plans \
                    pour la ligne du nord, malgré les protestations des agriculteurs et des élus \
                    locaux, qui contestent le tracé depuis des mois.";
        assert!(plainly_french(text, text.split_whitespace().count()));
        assert!(!not_french_warning(text));
    }
}
