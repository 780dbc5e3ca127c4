//! The readable summary: header, counts, sections, entity blocks, summary; 80 columns.

use std::io::{self, Write};

use crate::model::Analysis;

const WIDTH: usize = 80;

struct Style {
    color: bool,
}

impl Style {
    fn paint(&self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
    fn bold(&self, s: &str) -> String {
        self.paint("1", s)
    }
    fn dim(&self, s: &str) -> String {
        self.paint("2", s)
    }
    fn heading(&self, s: &str) -> String {
        self.paint("1;36", s)
    }
}

pub fn write(a: &Analysis, color: bool, out: &mut dyn Write) -> io::Result<()> {
    let st = Style { color };
    let headline = a
        .title
        .clone()
        .or_else(|| super::first_sentence(a))
        .unwrap_or_else(|| "(empty dispatch)".to_string());
    for line in wrap(&headline, WIDTH) {
        writeln!(out, "{}", st.bold(&line))?;
    }
    if let Some(name) = a.file.as_deref().or(a.id.as_deref()) {
        writeln!(out, "{}", st.dim(name))?;
    }
    if let Some(d) = &a.dateline {
        writeln!(out, "Dateline: {}", d.text)?;
    }
    if let Some(date) = &a.reference_date {
        writeln!(out, "Date: {date}")?;
    }
    if let Some(c) = &a.credit {
        let ai = if c.ai_assisted { " (AI-assisted)" } else { "" };
        writeln!(
            out,
            "Credit: {}{ai}",
            c.agency.as_deref().unwrap_or(&c.text)
        )?;
    }
    writeln!(
        out,
        "{} sections, {} paragraphs, {} sentences, {} words",
        a.sections.len(),
        a.stats.paragraphs,
        a.stats.sentences,
        a.stats.words
    )?;

    writeln!(out)?;
    writeln!(out, "{}", st.heading("Sections"))?;
    for (i, s) in a.sections.iter().enumerate() {
        let n: usize = s.paragraphs.iter().map(|p| p.sentences.len()).sum();
        let name = s.heading.as_deref().unwrap_or("(lead)");
        let label = format!("{}. {}", i + 1, name);
        writeln!(
            out,
            "  {} {}",
            truncate(&label, WIDTH - 20),
            st.dim(&format!("({n} sentences)"))
        )?;
    }

    if !a.people.is_empty() {
        block(
            out,
            &st,
            "People",
            a.people.iter().map(|p| {
                let mut line = format!("{} ×{}", p.name, p.count);
                if !p.roles.is_empty() {
                    line.push_str(&format!(" — {}", p.roles.join("; ")));
                }
                if p.quotes > 0 {
                    line.push_str(&format!(" [{} quotes]", p.quotes));
                }
                line
            }),
        )?;
    }
    if !a.organizations.is_empty() {
        block(
            out,
            &st,
            "Organisations",
            a.organizations.iter().map(|o| match &o.acronym {
                Some(acr) if acr != &o.name => format!("{} ({acr}) ×{}", o.name, o.count),
                _ => format!("{} ×{}", o.name, o.count),
            }),
        )?;
    }
    if !a.places.is_empty() {
        block(
            out,
            &st,
            "Places",
            a.places.iter().map(|p| {
                let country = p
                    .country
                    .as_deref()
                    .map(|c| format!(", {c}"))
                    .unwrap_or_default();
                format!("{} ({}{country}) ×{}", p.name, p.kind, p.count)
            }),
        )?;
    }
    if !a.countries.is_empty() {
        block(
            out,
            &st,
            "Countries",
            a.countries.iter().map(|c| {
                format!(
                    "{} {} ({} place mentions, {} adjectives)",
                    c.code, c.name, c.places, c.demonyms
                )
            }),
        )?;
    }
    if !a.dates.is_empty() {
        block(
            out,
            &st,
            "Dates",
            a.dates.iter().map(|d| {
                let resolved = d.resolved.as_deref().unwrap_or(&d.value);
                let m = d
                    .modifier
                    .as_deref()
                    .map(|m| format!(" {m}"))
                    .unwrap_or_default();
                format!("{} → {} {resolved}{m}", d.text, d.kind)
            }),
        )?;
    }
    if !a.quotes.is_empty() {
        block(
            out,
            &st,
            "Quotes",
            a.quotes.iter().map(|q| {
                let who = q.speaker.as_deref().unwrap_or("?");
                let cue = q
                    .cue
                    .as_deref()
                    .map(|c| format!(" ({c})"))
                    .unwrap_or_default();
                format!("{who}{cue}: « {} »", q.text)
            }),
        )?;
    }
    if !a.summary.is_empty() {
        block(out, &st, "Summary", a.summary.iter().cloned())?;
    }
    if !a.warnings.is_empty() {
        block(
            out,
            &st,
            "Warnings",
            a.warnings.iter().map(|w| {
                let at = w.start.map(|s| format!(" at {s}")).unwrap_or_default();
                format!("{}{at}: {}", w.kind, w.message)
            }),
        )?;
    }
    Ok(())
}

fn block(
    out: &mut dyn Write,
    st: &Style,
    title: &str,
    lines: impl Iterator<Item = String>,
) -> io::Result<()> {
    writeln!(out)?;
    writeln!(out, "{}", st.heading(title))?;
    for line in lines {
        for (i, l) in wrap(&line, WIDTH - 4).into_iter().enumerate() {
            let bullet = if i == 0 { "- " } else { "  " };
            writeln!(out, "  {bullet}{l}")?;
        }
    }
    Ok(())
}

/// Greedy word wrap by characters.
fn wrap(s: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut cur = String::new();
    for word in s.split_whitespace() {
        if !cur.is_empty() && cur.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut cur));
        }
        if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(word);
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines
}

fn truncate(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(width.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_respects_width() {
        let lines = wrap(&"mot ".repeat(50), 20);
        assert!(lines.iter().all(|l| l.chars().count() <= 20));
        assert_eq!(lines.join(" "), "mot ".repeat(50).trim());
    }
}
