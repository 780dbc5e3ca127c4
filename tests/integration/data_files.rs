//! Every data file: sorted where it says so, NFC, parseable.

use unicode_normalization::UnicodeNormalization;

#[test]
fn data_files_are_nfc_and_have_no_crlf() {
    for (name, contents) in depeche::resources::EMBEDDED {
        assert!(!contents.contains('\r'), "{name} has CR characters");
        let nfc: String = contents.nfc().collect();
        assert!(nfc == *contents, "{name} is not NFC");
    }
}

#[test]
fn edited_data_dir_is_loaded_and_errors_name_file_and_line() {
    let dir = std::env::temp_dir().join(format!("depeche-data-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("parse")).unwrap();
    std::fs::write(dir.join("parse/months.tsv"), "janvier\t1\nbrumaire\t13\n").unwrap();
    let err = depeche::Resources::from_dir(&dir)
        .err()
        .expect("bad month number is refused");
    assert_eq!(
        err.to_string(),
        "parse/months.tsv:2: month number 1-12 expected, found \"13\""
    );
    std::fs::write(dir.join("parse/months.tsv"), "brumaire\t11\n").unwrap();
    let res = depeche::Resources::from_dir(&dir).unwrap();
    assert_eq!(res.months.get("brumaire"), Some(&11));
    std::fs::remove_dir_all(&dir).unwrap();
}
