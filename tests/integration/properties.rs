//! Properties over arbitrary input: never panic; every span slices to its text; spans are
//! ordered and disjoint.

use depeche::{Options, analyze};
use proptest::prelude::*;

use crate::resources;

fn check_spans(text: &str) -> Result<(), TestCaseError> {
    let a = analyze(
        text.as_bytes(),
        resources(),
        &Options {
            include_text: true,
            ..Options::default()
        },
    )
    .map_err(|e| TestCaseError::fail(e.to_string()))?;
    let analysed: Vec<char> = a.text.as_deref().unwrap_or_default().chars().collect();
    let mut last_end = 0;
    for s in a
        .sections
        .iter()
        .flat_map(|s| &s.paragraphs)
        .flat_map(|p| &p.sentences)
    {
        prop_assert!(s.start < s.end && s.end <= analysed.len());
        prop_assert!(s.start >= last_end, "sentences overlap or are out of order");
        let slice: String = analysed[s.start..s.end].iter().collect();
        prop_assert_eq!(&slice, &s.text);
        last_end = s.end;
    }
    Ok(())
}

/// Text made of the characters that drive the parser's decisions.
fn dispatch_like() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            Just("M. ".to_string()),
            Just(". ".to_string()),
            Just("« ".to_string()),
            Just(" »".to_string()),
            Just("\n".to_string()),
            Just("\n\n".to_string()),
            Just("(AFP) - ".to_string()),
            Just("é".to_string()),
            Just("PARIS, 3 mars 2024 ".to_string()),
            Just("?!… ".to_string()),
            Just("\u{202F}".to_string()),
            Just("\"".to_string()),
            Just("Le ministre ".to_string()),
            Just("J.-L. ".to_string()),
            Just("- ".to_string()),
            "[a-zA-Zéèàç ]{1,12}",
        ],
        0..60,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn spans_slice_to_their_text(text in dispatch_like()) {
        check_spans(&text)?;
    }

    #[test]
    fn arbitrary_strings_never_panic(text in "\\PC{0,200}") {
        check_spans(&text)?;
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let _ = analyze(&bytes, resources(), &Options::default());
    }
}
