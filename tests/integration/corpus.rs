//! Runs every row of tests/corpus/dates.tsv (Duckling-style example table) and prints
//! `N passed, N failed`; fails if any row failed.
use depeche::extract::dates::find_dates;
use depeche::resources::Resources;

const CORPUS: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/corpus/dates.tsv"
));

fn render(text: &str, reference: Option<jiff::civil::Date>, rules: &Resources) -> String {
    let out = find_dates(rules, text, reference);
    if out.is_empty() {
        return "NONE".to_string();
    }
    out.iter()
        .map(|t| {
            let mut s = format!(
                "{} => {} {} {}",
                &text[t.start..t.end],
                t.kind,
                t.value,
                t.resolved.as_deref().unwrap_or("-")
            );
            if let Some(m) = t.modifier {
                s.push(' ');
                s.push_str(m);
            }
            s
        })
        .collect::<Vec<_>>()
        .join(" ; ")
}

#[test]
fn corpus_rows() {
    let rules = Resources::embedded().unwrap();
    let (mut passed, mut failed, mut negatives) = (0, 0, 0);
    for (n, line) in CORPUS.lines().enumerate() {
        if line.starts_with('#') || line.starts_with("reference_date\t") || line.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        assert_eq!(cols.len(), 3, "line {}: expected 3 columns", n + 1);
        let reference = if cols[0] == "-" {
            None
        } else {
            Some(
                cols[0]
                    .parse()
                    .unwrap_or_else(|e| panic!("line {}: bad date: {e}", n + 1)),
            )
        };
        if cols[2] == "NONE" {
            negatives += 1;
        }
        let got = render(cols[1], reference, &rules);
        if got == cols[2] {
            passed += 1;
        } else {
            failed += 1;
            println!(
                "FAIL line {}: {}\n  expected: {}\n  got:      {}",
                n + 1,
                cols[1],
                cols[2],
                got
            );
        }
    }
    println!("dates corpus: {passed} passed, {failed} failed ({negatives} must-not-match rows)");
    println!("{passed} passed, {failed} failed");
    assert!(passed + failed >= 120, "corpus too small");
    assert!(negatives >= 25, "too few must-not-match rows");
    assert_eq!(failed, 0, "{failed} corpus rows failed");
}

/// Runs a `text<TAB>expected` table through the library and prints `N passed, N failed`.
fn run_table(name: &str, table: &str, render: impl Fn(&depeche::Analysis) -> String) {
    let res = crate::resources();
    let (mut passed, mut failed) = (0, 0);
    for (n, line) in table.lines().enumerate() {
        if line.starts_with('#') || line.starts_with("text\t") || line.trim().is_empty() {
            continue;
        }
        let (text, expected) = line
            .split_once('\t')
            .unwrap_or_else(|| panic!("{name}:{}: two columns", n + 1));
        let a = depeche::analyze(text.as_bytes(), res, &depeche::Options::default()).unwrap();
        let got = render(&a);
        let got = if got.is_empty() {
            "NONE".to_string()
        } else {
            got
        };
        if got == expected {
            passed += 1;
        } else {
            failed += 1;
            eprintln!(
                "{name}:{}: {text}\n  expected: {expected}\n  got:      {got}",
                n + 1
            );
        }
    }
    println!("{name}: {passed} passed, {failed} failed");
    assert_eq!(failed, 0, "{name}: {failed} rows failed");
}

#[test]
fn people_table() {
    let table = include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/corpus/people.tsv"
    ));
    run_table("people.tsv", table, |a| {
        a.people
            .iter()
            .map(|p| {
                let mut s = p.name.clone();
                if let Some(r) = p.roles.first() {
                    s.push('=');
                    s.push_str(r);
                }
                if let Some(g) = &p.gender {
                    s.push('/');
                    s.push_str(g);
                }
                s
            })
            .collect::<Vec<_>>()
            .join(" | ")
    });
}

#[test]
fn places_table() {
    let table = include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/corpus/places.tsv"
    ));
    run_table("places.tsv", table, |a| {
        a.places
            .iter()
            .map(|p| format!("{}:{}", p.name, p.country.as_deref().unwrap_or("-")))
            .collect::<Vec<_>>()
            .join(" | ")
    });
}

#[test]
fn orgs_table() {
    let table = include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/corpus/orgs.tsv"
    ));
    run_table("orgs.tsv", table, |a| {
        a.organizations
            .iter()
            .map(|o| o.name.clone())
            .collect::<Vec<_>>()
            .join(" | ")
    });
}

/// Issue 12: a person named after a town, a US president whose surname is a Japanese town, and
/// two West African names whose first names no lexicon has: four people, one place.
#[test]
fn unseen_names_and_no_false_places() {
    let text = "À Niamey, Barack Obama a salué Florence Vannier. Ousseini Tamboura, député \
                nigérien, a rappelé l'accord, et Issoufou Sangaré a affirmé que le projet \
                avancerait. Obama a conclu.";
    let a = depeche::analyze(
        text.as_bytes(),
        crate::resources(),
        &depeche::Options::default(),
    )
    .unwrap();
    let people: Vec<&str> = a.people.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        people,
        [
            "Barack Obama",
            "Florence Vannier",
            "Ousseini Tamboura",
            "Issoufou Sangaré"
        ]
    );
    let obama = &a.people[0];
    assert_eq!(obama.count, 2, "the lone `Obama` is the president");
    let places: Vec<&str> = a.places.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(places, ["Niamey"]);
}
