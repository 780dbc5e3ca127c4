//! `--format html`: one self-contained page per dispatch (no network resource: CSS inline, no
//! script), and the `index.html` that lists the pages of an `--output-dir` batch.
//!
//! The text is rebuilt from the structure (title, dateline, headings, sentences, credit), whose
//! texts are exactly the analysed text at their offsets, so the page needs no `--include-text`.
//! Every marked span carries `data-start`/`data-end`, its code point offsets, so a reader (and
//! the tests) can check that the marked words are the words at those offsets.

use std::cmp::Reverse;
use std::fmt::Write as _;
use std::io::{self, Write};

use crate::model::{Analysis, Paragraph, Quote};

/// What a marked span stands for; the order is the nesting priority for equal spans.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Quote,
    Org,
    Person,
    Place,
    Date,
}

impl Kind {
    fn class(self) -> &'static str {
        match self {
            Kind::Quote => "quote",
            Kind::Org => "org",
            Kind::Person => "per",
            Kind::Place => "loc",
            Kind::Date => "date",
        }
    }
}

/// One span to mark: code point offsets and the entry of the side panel it belongs to.
#[derive(Debug, Clone, Copy)]
struct Mark {
    start: usize,
    end: usize,
    kind: Kind,
    /// Index into the analysis' array for `kind` (people, organizations, places, dates, quotes).
    index: usize,
}

/// All marks of an analysis, sorted so that an enclosing span comes before what it encloses.
fn marks(a: &Analysis) -> Vec<Mark> {
    let mut out = Vec::new();
    let mut push = |start, end, kind, index| {
        if start < end {
            out.push(Mark {
                start,
                end,
                kind,
                index,
            });
        }
    };
    for (i, p) in a.people.iter().enumerate() {
        for m in &p.mentions {
            push(m.start, m.end, Kind::Person, i);
        }
    }
    for (i, o) in a.organizations.iter().enumerate() {
        for m in &o.mentions {
            push(m.start, m.end, Kind::Org, i);
        }
    }
    for (i, p) in a.places.iter().enumerate() {
        for m in &p.mentions {
            push(m.start, m.end, Kind::Place, i);
        }
    }
    for (i, d) in a.dates.iter().enumerate() {
        push(d.start, d.end, Kind::Date, i);
    }
    for (i, q) in a.quotes.iter().enumerate() {
        push(q.start, q.end, Kind::Quote, i);
    }
    out.sort_by_key(|m| (m.start, Reverse(m.end), m.kind));
    out
}

/// A stretch of text rendered as one block: its first code point offset and its characters.
struct Unit {
    start: usize,
    chars: Vec<char>,
}

impl Unit {
    fn of(text: &str, start: usize) -> Unit {
        Unit {
            start,
            chars: text.chars().collect(),
        }
    }

    /// A paragraph from its sentences; the gaps between them (whitespace in the analysed
    /// text) become spaces, so offsets inside the paragraph stay exact.
    fn paragraph(p: &Paragraph, full: Option<&[char]>) -> Option<Unit> {
        let first = p.sentences.first()?;
        let last = p.sentences.last()?;
        if let Some(text) = full
            && last.end <= text.len()
        {
            return Some(Unit {
                start: first.start,
                chars: text[first.start..last.end].to_vec(),
            });
        }
        let mut chars = Vec::with_capacity(last.end - first.start);
        for s in &p.sentences {
            chars.resize(s.start.saturating_sub(first.start), ' ');
            chars.extend(s.text.chars());
        }
        Some(Unit {
            start: first.start,
            chars,
        })
    }

    fn end(&self) -> usize {
        self.start + self.chars.len()
    }
}

pub fn write(a: &Analysis, out: &mut dyn Write) -> io::Result<()> {
    let mut page = String::with_capacity(32 * 1024);
    page_html(a, &mut page);
    out.write_all(page.as_bytes())
}

fn page_html(a: &Analysis, h: &mut String) {
    let marks = marks(a);
    let full: Option<Vec<char>> = a.text.as_ref().map(|t| t.chars().collect());
    let title = a
        .title
        .clone()
        .or_else(|| a.file.clone())
        .or_else(|| a.id.clone())
        .unwrap_or_else(|| "Dépêche".to_string());
    head(h, &title, PAGE_CSS);
    h.push_str("<header class=\"top\">");
    match (&a.title, a.title_span) {
        (Some(t), Some(span)) => {
            h.push_str("<h1>");
            marked(h, &Unit::of(t, span.start), &marks, a);
            h.push_str("</h1>");
        }
        _ => h.push_str("<h1 class=\"untitled\">Dépêche sans titre</h1>"),
    }
    h.push_str("<p class=\"meta\">");
    if let Some(f) = a.file.as_deref().or(a.id.as_deref()) {
        let _ = write!(h, "<span class=\"file\">{}</span>", esc(f));
    }
    if let Some(d) = &a.reference_date {
        let _ = write!(h, " · date de référence <time>{}</time>", esc(d));
    }
    let _ = write!(
        h,
        " · {} phrases, {} mots</p>",
        a.stats.sentences, a.stats.words
    );
    legend(h);
    h.push_str("</header><div class=\"layout\"><main><article>");
    if let Some(d) = &a.dateline {
        h.push_str("<p class=\"dateline\">");
        marked(h, &Unit::of(&d.text, d.start), &marks, a);
        h.push_str("</p>");
    }
    for section in &a.sections {
        if let (Some(text), Some(span)) = (&section.heading, section.heading_span) {
            h.push_str("<h2>");
            marked(h, &Unit::of(text, span.start), &marks, a);
            h.push_str("</h2>");
        }
        for p in &section.paragraphs {
            if let Some(unit) = Unit::paragraph(p, full.as_deref()) {
                h.push_str("<p>");
                marked(h, &unit, &marks, a);
                h.push_str("</p>");
            }
        }
    }
    if let Some(c) = &a.credit {
        h.push_str("<footer class=\"credit\">");
        marked(h, &Unit::of(&c.text, c.start), &marks, a);
        if c.ai_assisted {
            h.push_str(" <span class=\"badge\">rédigé avec l’aide d’une IA</span>");
        }
        h.push_str("</footer>");
    }
    h.push_str("</article></main><aside>");
    panel(h, a);
    h.push_str("</aside></div></body></html>\n");
}

/// The document head with the inline style sheet, and the opening of the body.
fn head(h: &mut String, title: &str, css: &str) {
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{}</title><style>{css}</style></head><body>",
        esc(title)
    );
}

fn legend(h: &mut String) {
    h.push_str(
        "<ul class=\"legend\" aria-label=\"Légende\">\
         <li><span class=\"m per\">personne</span></li>\
         <li><span class=\"m org\">organisation</span></li>\
         <li><span class=\"m loc\">lieu</span></li>\
         <li><span class=\"m date\">date</span></li>\
         <li><span class=\"m quote\">citation</span><sup class=\"spk\">→ locuteur</sup></li>\
         </ul>",
    );
}

/// The unit's text with its marks as nested spans. A mark that straddles the unit's edge or
/// crosses another mark's end cannot nest and is left out (the side panel still lists it).
fn marked(h: &mut String, unit: &Unit, marks: &[Mark], a: &Analysis) {
    let from = marks.partition_point(|m| m.start < unit.start);
    let mut pos = unit.start;
    let mut open: Vec<Mark> = Vec::new();
    for m in &marks[from..] {
        if m.start >= unit.end() {
            break;
        }
        if m.end > unit.end() {
            continue;
        }
        while let Some(top) = open.last().copied() {
            if top.end > m.start {
                break;
            }
            text(h, unit, pos, top.end);
            close(h, top, a);
            pos = top.end;
            open.pop();
        }
        if open.last().is_some_and(|top| m.end > top.end) {
            continue;
        }
        text(h, unit, pos, m.start);
        open_mark(h, m, a);
        pos = m.start;
        open.push(*m);
    }
    while let Some(top) = open.pop() {
        text(h, unit, pos, top.end);
        close(h, top, a);
        pos = top.end;
    }
    text(h, unit, pos, unit.end());
}

fn text(h: &mut String, unit: &Unit, from: usize, to: usize) {
    if to <= from {
        return;
    }
    let slice = &unit.chars[from - unit.start..to - unit.start];
    for &c in slice {
        push_escaped(h, c);
    }
}

fn open_mark(h: &mut String, m: &Mark, a: &Analysis) {
    let _ = write!(
        h,
        "<span class=\"m {}\" data-start=\"{}\" data-end=\"{}\"",
        m.kind.class(),
        m.start,
        m.end
    );
    let tip = match m.kind {
        Kind::Person => {
            let p = &a.people[m.index];
            match p.roles.first() {
                Some(r) => format!("Personne : {} — {r}", p.name),
                None => format!("Personne : {}", p.name),
            }
        }
        Kind::Org => format!("Organisation : {}", a.organizations[m.index].name),
        Kind::Place => {
            let p = &a.places[m.index];
            match &p.country {
                Some(c) => format!("Lieu : {} ({}, {c})", p.name, p.kind),
                None => format!("Lieu : {} ({})", p.name, p.kind),
            }
        }
        Kind::Date => {
            let d = &a.dates[m.index];
            format!(
                "Date {} : {}",
                d.kind,
                d.resolved.as_deref().unwrap_or(&d.value)
            )
        }
        Kind::Quote => {
            let q = &a.quotes[m.index];
            let _ = write!(h, " id=\"q-{}\"", m.index);
            match &q.speaker {
                Some(s) => format!("Citation de {s}"),
                None => "Citation, locuteur inconnu".to_string(),
            }
        }
    };
    let _ = write!(h, " title=\"{}\">", esc(&tip));
}

/// Closes a mark; a quote is followed by a link to its speaker in the side panel.
fn close(h: &mut String, m: Mark, a: &Analysis) {
    h.push_str("</span>");
    if m.kind == Kind::Quote {
        let q = &a.quotes[m.index];
        match speaker_anchor(a, q) {
            Some((anchor, name)) => {
                let _ = write!(
                    h,
                    "<sup class=\"spk\"><a href=\"#{anchor}\">→ {}</a></sup>",
                    esc(name)
                );
            }
            None => h.push_str("<sup class=\"spk\">→ ?</sup>"),
        }
    }
}

/// The side-panel anchor and name of a quote's speaker.
fn speaker_anchor<'a>(a: &'a Analysis, q: &Quote) -> Option<(String, &'a str)> {
    let name = q.speaker.as_deref()?;
    if q.speaker_kind.as_deref() == Some("organization") {
        let i = a.organizations.iter().position(|o| o.name == name)?;
        Some((format!("org-{i}"), &a.organizations[i].name))
    } else {
        let i = a.people.iter().position(|p| p.name == name)?;
        Some((format!("per-{i}"), &a.people[i].name))
    }
}

fn panel(h: &mut String, a: &Analysis) {
    let _ = write!(h, "<h2>Personnes <small>({})</small></h2>", a.people.len());
    h.push_str("<ul class=\"ents\">");
    for (i, p) in a.people.iter().enumerate() {
        let gender = match p.gender.as_deref() {
            Some("f") => "femme",
            Some("m") => "homme",
            _ => "genre inconnu",
        };
        let _ = write!(
            h,
            "<li id=\"per-{i}\"><span class=\"m per\">{}</span> <span class=\"g\">{gender}</span>",
            esc(&p.name)
        );
        if !p.roles.is_empty() {
            let _ = write!(
                h,
                "<br><span class=\"role\">{}</span>",
                esc(&p.roles.join(" ; "))
            );
        }
        let _ = write!(
            h,
            "<br><span class=\"n\">{} mention{}, {} citation{}</span>",
            p.count,
            plural(p.count),
            p.quotes,
            plural(p.quotes)
        );
        quote_links(h, a, "person", &p.name);
        h.push_str("</li>");
    }
    h.push_str("</ul>");
    let _ = write!(
        h,
        "<h2>Organisations <small>({})</small></h2><ul class=\"ents\">",
        a.organizations.len()
    );
    for (i, o) in a.organizations.iter().enumerate() {
        let _ = write!(
            h,
            "<li id=\"org-{i}\"><span class=\"m org\">{}</span>",
            esc(&o.name)
        );
        if let Some(acr) = o.acronym.as_deref().filter(|acr| *acr != o.name) {
            let _ = write!(h, " ({})", esc(acr));
        }
        if let Some(k) = &o.kind {
            let _ = write!(h, " <span class=\"g\">{}</span>", esc(k));
        }
        let _ = write!(
            h,
            "<br><span class=\"n\">{} mention{}",
            o.count,
            plural(o.count)
        );
        if o.quotes > 0 {
            let _ = write!(h, ", {} citation{}", o.quotes, plural(o.quotes));
        }
        h.push_str("</span>");
        quote_links(h, a, "organization", &o.name);
        h.push_str("</li>");
    }
    h.push_str("</ul>");
    let _ = write!(
        h,
        "<h2>Lieux <small>({})</small></h2><ul class=\"ents\">",
        a.places.len()
    );
    for p in &a.places {
        let _ = write!(
            h,
            "<li><span class=\"m loc\">{}</span> <span class=\"g\">{}</span>",
            esc(&p.name),
            esc(&p.kind)
        );
        if let Some(code) = &p.country {
            let country = a
                .countries
                .iter()
                .find(|c| &c.code == code)
                .map(|c| c.name.as_str());
            match country {
                Some(name) if name != p.name => {
                    let _ = write!(h, " — {} ({})", esc(name), esc(code));
                }
                _ => {
                    let _ = write!(h, " — {}", esc(code));
                }
            }
        }
        let _ = write!(
            h,
            "<br><span class=\"n\">{} mention{}</span></li>",
            p.count,
            plural(p.count)
        );
    }
    h.push_str("</ul>");
    let _ = write!(
        h,
        "<h2>Dates <small>({})</small></h2><ul class=\"ents\">",
        a.dates.len()
    );
    for d in &a.dates {
        let _ = write!(
            h,
            "<li><span class=\"m date\">{}</span> → <code>{}</code>",
            esc(&d.text),
            esc(d.resolved.as_deref().unwrap_or(&d.value))
        );
        let _ = write!(h, " <span class=\"g\">{}", esc(&d.kind));
        if let Some(m) = &d.modifier {
            let _ = write!(h, ", {}", esc(m));
        }
        if d.resolved.is_none() {
            h.push_str(", non résolue");
        }
        h.push_str("</span></li>");
    }
    h.push_str("</ul>");
    let unattributed = a.quotes.iter().filter(|q| q.speaker.is_none()).count();
    if unattributed > 0 {
        let _ = write!(
            h,
            "<h2>Citations sans locuteur <small>({unattributed})</small></h2><p class=\"qlinks\">"
        );
        for (i, q) in a.quotes.iter().enumerate() {
            if q.speaker.is_none() {
                let _ = write!(h, "<a href=\"#q-{i}\">[{}]</a> ", i + 1);
            }
        }
        h.push_str("</p>");
    }
}

/// Links from a side-panel entry to the quotes it spoke.
fn quote_links(h: &mut String, a: &Analysis, kind: &str, name: &str) {
    let mut first = true;
    for (i, q) in a.quotes.iter().enumerate() {
        let theirs = q.speaker.as_deref() == Some(name)
            && (q.speaker_kind.as_deref() == Some("organization")) == (kind == "organization");
        if theirs {
            if first {
                h.push_str("<br><span class=\"qlinks\">citations :");
                first = false;
            }
            let _ = write!(h, " <a href=\"#q-{i}\">[{}]</a>", i + 1);
        }
    }
    if !first {
        h.push_str("</span>");
    }
}

fn plural(n: usize) -> &'static str {
    if n > 1 { "s" } else { "" }
}

fn push_escaped(h: &mut String, c: char) {
    match c {
        '&' => h.push_str("&amp;"),
        '<' => h.push_str("&lt;"),
        '>' => h.push_str("&gt;"),
        '"' => h.push_str("&quot;"),
        '\'' => h.push_str("&#39;"),
        _ => h.push(c),
    }
}

/// `s` escaped for HTML text and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        push_escaped(&mut out, c);
    }
    out
}

/// One line of the `index.html` of an `--output-dir` batch.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct IndexEntry {
    /// The page's path relative to the index, with `/` separators.
    pub href: String,
    pub title: String,
    pub date: Option<String>,
    pub people: usize,
    pub quotes: usize,
}

impl IndexEntry {
    pub fn new(a: &Analysis, href: String) -> IndexEntry {
        let title = a
            .title
            .clone()
            .or_else(|| super::first_sentence(a))
            .unwrap_or_else(|| href.clone());
        IndexEntry {
            href,
            title,
            date: a.reference_date.clone(),
            people: a.people.len(),
            quotes: a.quotes.len(),
        }
    }
}

/// The index page: the entries sorted by path.
pub fn write_index(entries: &mut [IndexEntry], out: &mut dyn Write) -> io::Result<()> {
    entries.sort();
    let mut h = String::with_capacity(256 + entries.len() * 200);
    head(&mut h, "Dépêches", PAGE_CSS);
    let _ = write!(
        h,
        "<header class=\"top\"><h1>Dépêches <small>({})</small></h1></header>\
         <main class=\"index\"><table><thead><tr><th>dépêche</th><th>date</th>\
         <th>personnes</th><th>citations</th></tr></thead><tbody>",
        entries.len()
    );
    for e in entries.iter() {
        let _ = write!(
            h,
            "<tr><td><a href=\"{}\">{}</a><br><small>{}</small></td><td>{}</td>\
             <td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            esc(&e.href),
            esc(&e.title),
            esc(&e.href),
            esc(e.date.as_deref().unwrap_or("—")),
            e.people,
            e.quotes
        );
    }
    h.push_str("</tbody></table></main></body></html>\n");
    out.write_all(h.as_bytes())
}

/// Colours checked for contrast on white (text stays black on light tints); each kind also
/// has its own underline style and a small label, so colour is never the only cue.
pub const PAGE_CSS: &str = r#"
:root{--per:#1f5fbf;--per-bg:#e3edfb;--org:#8a3ab9;--org-bg:#f2e6f9;--loc:#1d7a3a;--loc-bg:#e2f4e7;--date:#a85a00;--date-bg:#fdf0dc;--quote:#b3261e;--quote-bg:#fff6d6;--ink:#1b1b1b;--muted:#5b5b5b;--line:#d9d9d9}
*{box-sizing:border-box}
body{margin:0;overflow-wrap:break-word;font:17px/1.6 Georgia,"DejaVu Serif",serif;color:var(--ink);background:#fafaf7}
header.top{padding:1rem 1.5rem;background:#fff;border-bottom:1px solid var(--line)}
h1{font-size:1.6rem;line-height:1.25;margin:.2rem 0 .4rem}
h1.untitled{color:var(--muted);font-style:italic}
h2{font-size:1.15rem;margin:1.4rem 0 .4rem}
.meta{margin:.2rem 0;color:var(--muted);font:14px/1.4 system-ui,sans-serif}
.legend{list-style:none;padding:0;margin:.6rem 0 0;display:flex;flex-wrap:wrap;gap:.4rem 1rem;font:14px/1.8 system-ui,sans-serif}
.layout{display:grid;grid-template-columns:minmax(0,1fr) 22rem;gap:1.5rem;max-width:80rem;margin:0 auto;padding:1rem 1.5rem}
main article{background:#fff;border:1px solid var(--line);border-radius:6px;padding:.5rem 1.5rem 1rem}
.dateline{font-variant:small-caps;font-weight:bold;color:var(--muted)}
.credit{margin-top:1rem;padding-top:.5rem;border-top:1px solid var(--line);font-size:.9rem;color:var(--muted)}
.badge{font:12px system-ui,sans-serif;background:#eee;border:1px solid #bbb;border-radius:3px;padding:0 .3rem}
aside{font:14px/1.45 system-ui,sans-serif}
aside h2{font-size:1rem;border-bottom:2px solid var(--line);padding-bottom:.2rem}
aside h2:first-child{margin-top:0}
aside small{color:var(--muted);font-weight:normal}
.ents{list-style:none;padding:0;margin:0}
.ents li{padding:.35rem 0;border-bottom:1px solid #eee}
.ents li:target{background:#fffbe0}
.g,.role,.n{color:var(--muted)}
.role{font-style:italic}
.m{border-radius:3px;padding:0 .1em;text-underline-offset:.22em;text-decoration-thickness:2px}
.m::after{font:bold 10px/1 system-ui,sans-serif;vertical-align:super;margin-left:.15em;letter-spacing:.03em}
.per{background:var(--per-bg);text-decoration:underline solid var(--per)}
.per::after{content:"PER";color:var(--per)}
.org{background:var(--org-bg);text-decoration:underline double var(--org)}
.org::after{content:"ORG";color:var(--org)}
.loc{background:var(--loc-bg);text-decoration:underline dotted var(--loc)}
.loc::after{content:"LIEU";color:var(--loc)}
.date{background:var(--date-bg);text-decoration:underline dashed var(--date)}
.date::after{content:"DATE";color:var(--date)}
.quote{background:var(--quote-bg);font-style:italic;text-decoration:none;border-bottom:2px solid var(--quote)}
.quote::after{content:none}
.quote .m{font-style:normal}
.spk{font:12px system-ui,sans-serif;margin-left:.15em}
.spk a{color:var(--quote)}
.qlinks a{color:var(--quote)}
aside .m::after{content:none}
main.index{max-width:60rem;margin:1rem auto;padding:0 1rem;font:15px/1.4 system-ui,sans-serif}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{text-align:left;padding:.4rem .5rem;border-bottom:1px solid #e5e5e5;vertical-align:top}
td.num,th.num{text-align:right}
@media (max-width:900px){.layout{grid-template-columns:minmax(0,1fr);padding:.5rem}main article{padding:.25rem .9rem .8rem}body{font-size:16px}header.top{padding:.8rem}}
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(esc("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&#39;");
    }
}
