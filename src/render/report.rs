//! `--report`: one aggregate document for a whole run — who is quoted, by gender, which
//! organisations and countries, and when — as JSON or as a self-contained HTML page with
//! inline SVG charts.
//!
//! [`Report::add`] folds one analysis in; memory grows with the distinct people,
//! organisations, countries, roles and months, never with the number of articles. Every
//! total is order-independent (sums, and ties broken by name), so the report is the same
//! whatever the thread count or the order the analyses arrive in.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::io::{self, Write};

use schemars::JsonSchema;
use serde::Serialize;

use crate::model::Analysis;
use crate::render::html::esc;

/// Roles listed per person in the report, the most frequent first.
const MAX_ROLES: usize = 8;

/// The running totals of a report.
#[derive(Debug, Default, Clone)]
pub struct Report {
    articles: usize,
    people: HashMap<String, PersonTotals>,
    organizations: HashMap<String, OrgTotals>,
    countries: HashMap<String, CountryTotals>,
    speakers: SpeakersByGender,
    months: BTreeMap<String, MonthTotals>,
}

#[derive(Debug, Default, Clone)]
struct PersonTotals {
    /// Articles that gave the person as `f`, as `m`, and without gender.
    genders: [usize; 3],
    roles: HashMap<String, usize>,
    articles: usize,
    mentions: usize,
    quotes: usize,
}

#[derive(Debug, Default, Clone)]
struct OrgTotals {
    acronym: Option<String>,
    kind: Option<String>,
    articles: usize,
    mentions: usize,
    quotes: usize,
}

#[derive(Debug, Default, Clone)]
struct CountryTotals {
    name: String,
    articles: usize,
    mentions: usize,
}

#[derive(Debug, Default, Clone)]
struct MonthTotals {
    articles: usize,
    events: usize,
}

/// The report document, `analyze --report` (schema: `analyze --schema --report`).
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct ReportDoc {
    /// Articles analysed (failed inputs are not counted).
    pub articles: usize,
    /// People merged across articles by canonical name; by quotes, then mentions (both
    /// descending), then name.
    pub people: Vec<ReportPerson>,
    /// Quotes counted by their speaker: a person's gender in that article, an organisation,
    /// or no speaker at all.
    pub speakers_by_gender: SpeakersByGender,
    /// Distinct quoted people (the `people` entries with quotes) by their merged gender.
    pub distinct_speakers_by_gender: DistinctSpeakers,
    /// By mentions, then articles (descending), then name.
    pub organizations: Vec<ReportOrganization>,
    /// By mentions, then articles (descending), then code.
    pub countries: Vec<ReportCountry>,
    /// Months in order: articles by reference date, and dated events (`dates` of type DATE
    /// whose value names a year and month) by the month they name.
    pub timeline: Vec<ReportMonth>,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct ReportPerson {
    pub name: String,
    /// `f` or `m` when the articles that give a gender agree by majority; null otherwise.
    pub gender: Option<String>,
    /// The most frequent roles (at most 8), then alphabetical.
    pub roles: Vec<String>,
    /// Articles that name the person.
    pub articles: usize,
    /// Name mentions over all articles.
    pub mentions: usize,
    /// Quotes attributed to the person over all articles.
    pub quotes: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, JsonSchema)]
pub struct SpeakersByGender {
    pub f: usize,
    pub m: usize,
    /// Quoted people whose gender is not known.
    pub unknown: usize,
    /// Quotes attributed to an organisation.
    pub organization: usize,
    /// Quotes without a speaker.
    pub unattributed: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, JsonSchema)]
pub struct DistinctSpeakers {
    pub f: usize,
    pub m: usize,
    pub unknown: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct ReportOrganization {
    /// The acronym (`ONU`), null when none is known.
    pub code: Option<String>,
    pub name: String,
    /// As in the per-article `organizations[].kind`.
    pub kind: Option<String>,
    pub articles: usize,
    pub mentions: usize,
    pub quotes: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct ReportCountry {
    /// ISO 3166-1 alpha-2.
    pub code: String,
    pub name: String,
    pub articles: usize,
    /// Place and demonym mentions (`places + demonyms` of the per-article `countries`).
    pub mentions: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct ReportMonth {
    /// `YYYY-MM`.
    pub month: String,
    /// Articles whose reference date is in this month.
    pub articles: usize,
    /// Date expressions, over all articles, that name this month.
    pub events: usize,
}

impl Report {
    pub fn new() -> Report {
        Report::default()
    }

    /// Folds one article in.
    pub fn add(&mut self, a: &Analysis) {
        self.articles += 1;
        for p in &a.people {
            let t = self.people.entry(p.name.clone()).or_default();
            t.genders[match p.gender.as_deref() {
                Some("f") => 0,
                Some("m") => 1,
                _ => 2,
            }] += 1;
            for r in &p.roles {
                *t.roles.entry(r.clone()).or_default() += 1;
            }
            t.articles += 1;
            t.mentions += p.count;
            t.quotes += p.quotes;
        }
        for o in &a.organizations {
            let t = self.organizations.entry(o.name.clone()).or_default();
            keep_least(&mut t.acronym, o.acronym.as_deref());
            keep_least(&mut t.kind, o.kind.as_deref());
            t.articles += 1;
            t.mentions += o.count;
            t.quotes += o.quotes;
        }
        for c in &a.countries {
            let t = self
                .countries
                .entry(c.code.clone())
                .or_insert_with(|| CountryTotals {
                    name: c.name.clone(),
                    ..CountryTotals::default()
                });
            t.articles += 1;
            t.mentions += c.places + c.demonyms;
        }
        self.add_speakers(a);
        if let Some(month) = a.reference_date.as_deref().and_then(month_of) {
            self.months.entry(month.to_string()).or_default().articles += 1;
        }
        for d in &a.dates {
            if d.kind != "DATE" {
                continue;
            }
            if let Some(month) = month_of(d.resolved.as_deref().unwrap_or(&d.value)) {
                self.months.entry(month.to_string()).or_default().events += 1;
            }
        }
    }

    fn add_speakers(&mut self, a: &Analysis) {
        for q in &a.quotes {
            let s = &mut self.speakers;
            match (q.speaker.as_deref(), q.speaker_kind.as_deref()) {
                (None, _) => s.unattributed += 1,
                (Some(_), Some("organization")) => s.organization += 1,
                (Some(name), _) => {
                    let gender = a
                        .people
                        .iter()
                        .find(|p| p.name == name)
                        .and_then(|p| p.gender.as_deref());
                    match gender {
                        Some("f") => s.f += 1,
                        Some("m") => s.m += 1,
                        _ => s.unknown += 1,
                    }
                }
            }
        }
    }

    /// The document, sorted as documented.
    pub fn finish(&self) -> ReportDoc {
        let mut people: Vec<ReportPerson> = self
            .people
            .iter()
            .map(|(name, t)| ReportPerson {
                name: name.clone(),
                gender: merged_gender(t.genders),
                roles: top_roles(&t.roles),
                articles: t.articles,
                mentions: t.mentions,
                quotes: t.quotes,
            })
            .collect();
        people.sort_by(|a, b| {
            (b.quotes, b.mentions)
                .cmp(&(a.quotes, a.mentions))
                .then_with(|| a.name.cmp(&b.name))
        });
        let mut distinct = DistinctSpeakers::default();
        for p in people.iter().filter(|p| p.quotes > 0) {
            match p.gender.as_deref() {
                Some("f") => distinct.f += 1,
                Some("m") => distinct.m += 1,
                _ => distinct.unknown += 1,
            }
        }
        let mut organizations: Vec<ReportOrganization> = self
            .organizations
            .iter()
            .map(|(name, t)| ReportOrganization {
                code: t.acronym.clone(),
                name: name.clone(),
                kind: t.kind.clone(),
                articles: t.articles,
                mentions: t.mentions,
                quotes: t.quotes,
            })
            .collect();
        organizations.sort_by(|a, b| {
            (b.mentions, b.articles)
                .cmp(&(a.mentions, a.articles))
                .then_with(|| a.name.cmp(&b.name))
        });
        let mut countries: Vec<ReportCountry> = self
            .countries
            .iter()
            .map(|(code, t)| ReportCountry {
                code: code.clone(),
                name: t.name.clone(),
                articles: t.articles,
                mentions: t.mentions,
            })
            .collect();
        countries.sort_by(|a, b| {
            (b.mentions, b.articles)
                .cmp(&(a.mentions, a.articles))
                .then_with(|| a.code.cmp(&b.code))
        });
        let timeline = self
            .months
            .iter()
            .map(|(month, t)| ReportMonth {
                month: month.clone(),
                articles: t.articles,
                events: t.events,
            })
            .collect();
        ReportDoc {
            articles: self.articles,
            people,
            speakers_by_gender: self.speakers.clone(),
            distinct_speakers_by_gender: distinct,
            organizations,
            countries,
            timeline,
        }
    }
}

/// Keeps the alphabetically least value seen: the same whatever order articles come in.
fn keep_least(slot: &mut Option<String>, value: Option<&str>) {
    if let Some(v) = value
        && slot.as_deref().is_none_or(|s| v < s)
    {
        *slot = Some(v.to_string());
    }
}

fn merged_gender([f, m, _]: [usize; 3]) -> Option<String> {
    match f.cmp(&m) {
        std::cmp::Ordering::Greater => Some("f".to_string()),
        std::cmp::Ordering::Less => Some("m".to_string()),
        std::cmp::Ordering::Equal => None,
    }
}

fn top_roles(roles: &HashMap<String, usize>) -> Vec<String> {
    let mut v: Vec<(&String, &usize)> = roles.iter().collect();
    v.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
    v.into_iter()
        .take(MAX_ROLES)
        .map(|(r, _)| r.clone())
        .collect()
}

/// `YYYY-MM` of a value that starts with a four-digit year and a month (`2025-07-12`,
/// `2024-08`, `2025-07-12T10:00`), else None (`XXXX-06`, `2025`, `P1Y`, `2025-W28`).
fn month_of(value: &str) -> Option<&str> {
    let b = value.as_bytes();
    let ok = b.len() >= 7
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && (b.len() == 7 || !b[7].is_ascii_digit())
        && matches!(
            &value[5..7],
            "01" | "02" | "03" | "04" | "05" | "06" | "07" | "08" | "09" | "10" | "11" | "12"
        );
    ok.then(|| &value[..7])
}

pub fn write_json(doc: &ReportDoc, pretty: bool, out: &mut dyn Write) -> io::Result<()> {
    crate::render::json::write_value(doc, pretty, out)
}

/// Bars of the charts; the labels carry every figure, colour only groups.
const BAR: &str = "#3b6ea8";
const GENDER_COLOURS: [(&str, &str); 5] = [
    ("femmes", "#b0407a"),
    ("hommes", "#2f6db5"),
    ("genre inconnu", "#7a7a7a"),
    ("organisations", "#8a3ab9"),
    ("sans locuteur", "#b8b8b8"),
];
/// People, organisations and countries listed in the tables of the HTML report.
const TABLE_ROWS: usize = 40;
/// Bars of the top-speakers and countries charts.
const CHART_ROWS: usize = 15;

pub fn write_html(doc: &ReportDoc, out: &mut dyn Write) -> io::Result<()> {
    let mut h = String::with_capacity(64 * 1024);
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Rapport sur {n} dépêche{s}</title><style>{REPORT_CSS}</style></head><body>\
         <header><h1>Rapport sur {n} dépêche{s}</h1><p class=\"meta\">{q} citations, \
         {p} personnes, {o} organisations, {c} pays</p></header><main>",
        n = doc.articles,
        s = if doc.articles > 1 { "s" } else { "" },
        q = total_quotes(&doc.speakers_by_gender),
        p = doc.people.len(),
        o = doc.organizations.len(),
        c = doc.countries.len(),
    );
    gender_section(&mut h, doc);
    let speakers: Vec<(String, usize, &str)> = doc
        .people
        .iter()
        .filter(|p| p.quotes > 0)
        .take(CHART_ROWS)
        .map(|p| {
            let (label, colour) = match p.gender.as_deref() {
                Some("f") => ("f", GENDER_COLOURS[0].1),
                Some("m") => ("m", GENDER_COLOURS[1].1),
                _ => ("?", GENDER_COLOURS[2].1),
            };
            (format!("{} ({label})", p.name), p.quotes, colour)
        })
        .collect();
    section(&mut h, "Personnes les plus citées", "citations", |h| {
        hbar_chart(h, "Personnes les plus citées", &speakers)
    });
    section(
        &mut h,
        "Chronologie",
        "articles par mois de publication",
        |h| timeline_chart(h, &doc.timeline),
    );
    let countries: Vec<(String, usize, &str)> = doc
        .countries
        .iter()
        .take(CHART_ROWS)
        .map(|c| {
            (
                format!("{} ({}, {} art.)", c.name, c.code, c.articles),
                c.mentions,
                BAR,
            )
        })
        .collect();
    section(&mut h, "Pays", "mentions de lieux et d’adjectifs", |h| {
        hbar_chart(h, "Pays", &countries)
    });
    tables(&mut h, doc);
    h.push_str("</main></body></html>\n");
    out.write_all(h.as_bytes())
}

fn total_quotes(s: &SpeakersByGender) -> usize {
    s.f + s.m + s.unknown + s.organization + s.unattributed
}

fn section(h: &mut String, title: &str, unit: &str, body: impl FnOnce(&mut String)) {
    let _ = write!(
        h,
        "<section><h2>{} <small>({})</small></h2>",
        esc(title),
        esc(unit)
    );
    body(h);
    h.push_str("</section>");
}

fn gender_section(h: &mut String, doc: &ReportDoc) {
    let s = &doc.speakers_by_gender;
    let values = [s.f, s.m, s.unknown, s.organization, s.unattributed];
    let total = total_quotes(s);
    let rows: Vec<(String, usize, &str)> = GENDER_COLOURS
        .iter()
        .zip(values)
        .map(|((label, colour), n)| (format!("{label} — {}", percent(n, total)), n, *colour))
        .collect();
    section(
        h,
        "Citations selon le genre du locuteur",
        "citations",
        |h| {
            hbar_chart(h, "Citations selon le genre du locuteur", &rows);
            let d = &doc.distinct_speakers_by_gender;
            let _ = write!(
                h,
                "<p>Personnes citées distinctes : {} femmes, {} hommes, {} de genre inconnu \
             ({} de femmes parmi celles dont le genre est connu).</p>",
                d.f,
                d.m,
                d.unknown,
                percent(d.f, d.f + d.m)
            );
        },
    );
}

fn percent(n: usize, total: usize) -> String {
    if total == 0 {
        "0 %".to_string()
    } else {
        format!("{:.0} %", 100.0 * n as f64 / total as f64)
    }
}

/// Horizontal bars, one per row: the label on the left, the bar, the value after it.
fn hbar_chart(h: &mut String, title: &str, rows: &[(String, usize, &str)]) {
    if rows.is_empty() {
        h.push_str("<p class=\"empty\">Aucune donnée.</p>");
        return;
    }
    h.push_str("<div class=\"wide\">");
    hbars(h, title, rows, Dims::WIDE);
    h.push_str("</div><div class=\"narrow\">");
    hbars(h, title, rows, Dims::NARROW);
    h.push_str("</div>");
}

/// A chart's geometry in SVG user units (about pixels at its width): one for a desktop
/// window and one for a phone, the style sheet showing the one that fits, so the labels stay
/// readable at both widths.
#[derive(Clone, Copy)]
struct Dims {
    label_w: usize,
    bar_w: usize,
    clip: usize,
    /// Timeline: width, and how many month labels at most.
    width: usize,
    month_labels: usize,
}

impl Dims {
    const WIDE: Dims = Dims {
        label_w: 300,
        bar_w: 380,
        clip: 42,
        width: 740,
        month_labels: 10,
    };
    const NARROW: Dims = Dims {
        label_w: 165,
        bar_w: 145,
        clip: 20,
        width: 350,
        month_labels: 4,
    };
}

fn hbars(h: &mut String, title: &str, rows: &[(String, usize, &str)], dims: Dims) {
    const ROW: usize = 26;
    let (label_w, bar_w) = (dims.label_w, dims.bar_w);
    let max = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1);
    let height = rows.len() * ROW + 8;
    let _ = write!(
        h,
        "<svg class=\"chart\" viewBox=\"0 0 {w} {height}\" role=\"img\" aria-label=\"{t}\" \
        ><title>{t}</title>",
        w = label_w + bar_w + 60,
        t = esc(title)
    );
    for (i, (label, value, colour)) in rows.iter().enumerate() {
        let y = i * ROW + 4;
        let w = (value * bar_w).div_ceil(max).max(usize::from(*value > 0));
        let _ = write!(
            h,
            "<text x=\"{lx}\" y=\"{ty}\" text-anchor=\"end\">{label}</text>\
             <rect x=\"{label_w}\" y=\"{y}\" width=\"{w}\" height=\"{bh}\" fill=\"{colour}\">\
             <title>{label} : {value}</title></rect>\
             <text x=\"{vx}\" y=\"{ty}\">{value}</text>",
            lx = label_w - 8,
            ty = y + 15,
            bh = ROW - 6,
            vx = label_w + w + 6,
            label = esc(&clip(label, dims.clip)),
        );
    }
    h.push_str("</svg>");
}

/// Vertical bars of articles per month, with the month under every few bars.
fn timeline_chart(h: &mut String, months: &[ReportMonth]) {
    let months = continuous_months(months);
    if months.is_empty() {
        h.push_str("<p class=\"empty\">Aucune dépêche datée.</p>");
        return;
    }
    h.push_str("<div class=\"wide\">");
    timeline_bars(h, &months, Dims::WIDE);
    h.push_str("</div><div class=\"narrow\">");
    timeline_bars(h, &months, Dims::NARROW);
    h.push_str("</div>");
}

fn timeline_bars(h: &mut String, months: &[(String, usize)], dims: Dims) {
    let w_total = dims.width;
    const H: usize = 200;
    const BASE: usize = 170;
    let n = months.len();
    // Narrow bars even for a few months: a bar's width is not a quantity.
    let slot = ((w_total - 40) as f64 / n as f64).min(48.0);
    let max = months.iter().map(|m| m.1).max().unwrap_or(1).max(1);
    let every = n.div_ceil(dims.month_labels);
    let _ = write!(
        h,
        "<svg class=\"chart\" viewBox=\"0 0 {w_total} {H}\" role=\"img\" \
         aria-label=\"Articles par mois\">\
         <title>Articles par mois</title>\
         <line x1=\"30\" y1=\"{BASE}\" x2=\"{w_total}\" y2=\"{BASE}\" stroke=\"#999\"/>\
         <text x=\"26\" y=\"24\" text-anchor=\"end\">{max}</text>\
         <text x=\"26\" y=\"{BASE}\" text-anchor=\"end\">0</text>"
    );
    for (i, m) in months.iter().enumerate() {
        let bh = (m.1 * (BASE - 20)).div_ceil(max);
        let x = 34.0 + i as f64 * slot;
        let _ = write!(
            h,
            "<rect x=\"{x:.1}\" y=\"{}\" width=\"{:.1}\" height=\"{bh}\" fill=\"{BAR}\">\
             <title>{} : {} article{}</title></rect>",
            BASE - bh,
            (slot * 0.8).max(1.0),
            m.0,
            m.1,
            plural(m.1)
        );
        if i % every == 0 {
            let _ = write!(
                h,
                "<text x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                x + slot * 0.4,
                BASE + 18,
                m.0
            );
        }
    }
    h.push_str("</svg>");
}

fn plural(n: usize) -> &'static str {
    if n > 1 { "s" } else { "" }
}

/// Every month from the first to the last month with articles, zeros included, so the
/// axis is time; `(YYYY-MM, articles)`.
fn continuous_months(months: &[ReportMonth]) -> Vec<(String, usize)> {
    let index = |m: &str| -> Option<i64> {
        let y: i64 = m.get(..4)?.parse().ok()?;
        let mo: i64 = m.get(5..7)?.parse().ok()?;
        Some(y * 12 + mo - 1)
    };
    let counts: BTreeMap<i64, usize> = months
        .iter()
        .filter(|m| m.articles > 0)
        .filter_map(|m| Some((index(&m.month)?, m.articles)))
        .collect();
    let (Some(&first), Some(&last)) = (counts.keys().next(), counts.keys().next_back()) else {
        return Vec::new();
    };
    (first..=last)
        .map(|i| {
            (
                format!("{:04}-{:02}", i / 12, i % 12 + 1),
                counts.get(&i).copied().unwrap_or(0),
            )
        })
        .collect()
}

fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max - 1).collect();
        t.push('…');
        t
    }
}

fn tables(h: &mut String, doc: &ReportDoc) {
    section(
        h,
        "Personnes",
        "les plus citées puis les plus nommées",
        |h| {
            h.push_str(
                "<div class=\"scroll\"><table><thead><tr><th>nom</th><th>genre</th><th class=\"roles\">rôles</th>\
             <th class=\"num\">articles</th><th class=\"num\">mentions</th>\
             <th class=\"num\">citations</th></tr></thead><tbody>",
            );
            for p in doc.people.iter().take(TABLE_ROWS) {
                let _ = write!(
                    h,
                    "<tr><td>{}</td><td>{}</td><td class=\"roles\">{}</td><td class=\"num\">{}</td>\
                 <td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                    esc(&p.name),
                    p.gender.as_deref().unwrap_or("?"),
                    esc(&p
                        .roles
                        .iter()
                        .take(3)
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(" ; ")),
                    p.articles,
                    p.mentions,
                    p.quotes
                );
            }
            h.push_str("</tbody></table></div>");
        },
    );
    section(h, "Organisations", "les plus nommées", |h| {
        h.push_str(
            "<div class=\"scroll\"><table><thead><tr><th>nom</th><th>sigle</th><th>type</th>\
             <th class=\"num\">articles</th><th class=\"num\">mentions</th>\
             <th class=\"num\">citations</th></tr></thead><tbody>",
        );
        for o in doc.organizations.iter().take(TABLE_ROWS) {
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td>\
                 <td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                esc(&o.name),
                esc(o.code.as_deref().unwrap_or("")),
                esc(o.kind.as_deref().unwrap_or("")),
                o.articles,
                o.mentions,
                o.quotes
            );
        }
        h.push_str("</tbody></table></div>");
    });
}

const REPORT_CSS: &str = r#"
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,"DejaVu Sans",sans-serif;color:#1b1b1b;background:#fafaf7}
header{padding:1rem 1.5rem;background:#fff;border-bottom:1px solid #d9d9d9}
h1{margin:.2rem 0;font-size:1.6rem}
.meta{margin:0;color:#5b5b5b}
main{max-width:64rem;margin:0 auto;padding:1rem 1.5rem}
section{background:#fff;border:1px solid #d9d9d9;border-radius:6px;padding:.5rem 1rem 1rem;margin:0 0 1rem}
h2{font-size:1.15rem;margin:.5rem 0}
h2 small{color:#5b5b5b;font-weight:normal}
svg.chart{width:100%;height:auto;display:block;font:13px system-ui,"DejaVu Sans",sans-serif;fill:#1b1b1b}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #e5e5e5;vertical-align:top}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.empty{color:#5b5b5b;font-style:italic}
svg.chart{max-width:60rem}
.narrow{display:none}
@media (max-width:700px){main{padding:.5rem}section{padding:.4rem .6rem .8rem}.wide{display:none}.narrow{display:block}.roles{display:none}th,td{padding:.3rem .25rem}}
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_of_takes_only_year_and_month() {
        assert_eq!(month_of("2025-07-12"), Some("2025-07"));
        assert_eq!(month_of("2024-08"), Some("2024-08"));
        assert_eq!(month_of("XXXX-06"), None);
        assert_eq!(month_of("2025"), None);
        assert_eq!(month_of("2025-W28"), None);
        assert_eq!(month_of("2025-13"), None);
        assert_eq!(month_of("20250-01"), None);
    }

    #[test]
    fn gender_needs_a_majority() {
        assert_eq!(merged_gender([2, 1, 5]).as_deref(), Some("f"));
        assert_eq!(merged_gender([0, 1, 0]).as_deref(), Some("m"));
        assert_eq!(merged_gender([1, 1, 0]), None);
        assert_eq!(merged_gender([0, 0, 3]), None);
    }

    #[test]
    fn least_value_wins_whatever_the_order() {
        let mut a = None;
        keep_least(&mut a, Some("b"));
        keep_least(&mut a, None);
        keep_least(&mut a, Some("a"));
        assert_eq!(a.as_deref(), Some("a"));
    }
}
