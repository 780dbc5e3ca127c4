//! Continuation: quotes without a frame of their own take the speaker of the reported
//! statement or quote before them in their paragraph, of the paragraph that continues a
//! multi-paragraph quote, or (titles and headings) of the first body quote sharing a word.

use super::*;

/// Passes 2 to 4: fills the speaker of the items pass 1 left without one.
pub(super) fn continue_speakers(ctx: &Ctx, blocks: &[Block], items: &mut [Item], text: &str) {
    // Reported statements (`X a affirmé que …`) per block, for the continuation of speakers.
    let mut events: Vec<Vec<(usize, Option<Who>)>> = vec![Vec::new(); blocks.len()];
    for ci in 0..ctx.cues.len() {
        let cue = &ctx.cues[ci];
        if cue.kind != CueKind::Verb || !cue.que || ctx.in_quote[cue.first] {
            continue;
        }
        let pos = ctx.toks[cue.first].start();
        let bi = blocks
            .partition_point(|b| b.range.start <= pos)
            .saturating_sub(1);
        if blocks.get(bi).is_none_or(|b| b.zone != Zone::Body) {
            continue;
        }
        let spk = ctx.cue_subject(ci);
        if let Some(who) = spk.who {
            events[bi].push((pos, Some(who)));
        }
    }
    for it in items.iter() {
        if let Some(a) = &it.attr
            && !it.naming
            && blocks[it.raw.block].zone == Zone::Body
        {
            events[it.raw.block].push((it.raw.open, a.spk.who));
        }
    }
    for e in &mut events {
        e.sort_by_key(|x| x.0);
    }

    // Pass 2: multi-paragraph quotes take the speaker of the paragraph that continues them;
    // pass 3: quotes without a cue continue the latest speaker.
    let forward_fill = |items: &mut [Item]| {
        for i in (0..items.len()).rev() {
            if items[i].attr.is_none() && items[i].raw.continues {
                let next_block = items[i].raw.block + 1;
                let next = items
                    .get(i + 1)
                    .filter(|n| n.raw.block == next_block)
                    .and_then(|n| n.attr.as_ref())
                    .and_then(|a| a.spk.who);
                if let Some(who) = next {
                    items[i].attr = Some(Attr {
                        spk: Spk {
                            who: Some(who),
                            mention: None,
                        },
                        cue: None,
                        via: Via::Continuation,
                    });
                }
            }
        }
    };
    forward_fill(&mut *items);
    // The latest speaker of each paragraph, from its reported statements and its quotes.
    let mut last_in_block: Vec<Option<(usize, Option<Who>)>> =
        events.iter().map(|e| e.last().copied()).collect();
    let mut run: Option<(usize, Option<Who>)> = None;
    let mut run_block = usize::MAX;
    let mut ev_ptr = 0;
    for item in items.iter_mut() {
        let bi = item.raw.block;
        let open = item.raw.open;
        if bi != run_block {
            run_block = bi;
            run = None;
            ev_ptr = 0;
        }
        while ev_ptr < events[bi].len() && events[bi][ev_ptr].0 < open {
            run = Some(events[bi][ev_ptr]);
            ev_ptr += 1;
        }
        if item.attr.is_none()
            && item.zone == Zone::Body
            && !item.naming
            && before_in_sentence(text, &item.sent_range, open)
            && let Some(spk) = ctx.clause_subject_before(&item.sent_range, open)
        {
            // `X est intervenu, trouvant le « procédé choquant »`: words woven into a clause
            // whose subject is a person are that person's; a new subject breaks the run.
            item.attr = Some(Attr {
                spk,
                cue: None,
                via: Via::Frame,
            });
        }
        if item.attr.is_none() && item.zone == Zone::Body {
            let mut who = run.map(|r| r.1);
            if who.is_none() {
                let para_start = blocks[bi].range.start;
                let before = text[para_start..open].trim_matches(|c| is_space(c) || is_dash(c));
                if before.is_empty() {
                    // A quote paragraph: the previous paragraph's latest speaker.
                    let pb = bi
                        .checked_sub(1)
                        .filter(|&pb| blocks[pb].zone == Zone::Body);
                    who = pb.and_then(|pb| last_in_block[pb]).map(|l| l.1);
                }
            }
            if who.is_none() && item.full && !before_in_sentence(text, &item.sent_range, open) {
                // `Il a demandé la parole. « On ne peut pas accepter cela. »`: a quote that
                // makes a sentence of its own speaks for the previous sentence's subject.
                who = ctx
                    .previous_sentence_subject(open, blocks[bi].range.start)
                    .map(Some);
            }
            if let Some(Some(w)) = who {
                item.attr = Some(Attr {
                    spk: Spk {
                        who: Some(w),
                        mention: None,
                    },
                    cue: None,
                    via: Via::Continuation,
                });
            }
        }
        if let Some(a) = &item.attr
            && !item.naming
        {
            run = Some((open, a.spk.who));
            if last_in_block[bi].is_none_or(|l| l.0 <= open) {
                last_in_block[bi] = run;
            }
        }
    }
    forward_fill(&mut *items);

    // Pass 4: title and headings.
    for i in 0..items.len() {
        if items[i].attr.as_ref().is_some_and(|a| a.spk.who.is_some())
            || items[i].zone == Zone::Body
            || items[i].naming
        {
            continue;
        }
        let words = content_words(&text[items[i].raw.inner.clone()]);
        let section = blocks[items[i].raw.block].section;
        let in_scope = |it: &Item| {
            it.zone == Zone::Body
                && it.raw.open > items[i].raw.open
                && (items[i].zone == Zone::Title || blocks[it.raw.block].section == section)
        };
        let overlapping = items[i + 1..].iter().take(200).find(|it| {
            in_scope(it)
                && it.attr.as_ref().is_some_and(|a| a.spk.who.is_some())
                && content_words(&text[it.raw.inner.clone()])
                    .iter()
                    .any(|w| words.contains(w))
        });
        let next = items[i + 1..].iter().take(200).find(|it| {
            it.zone == Zone::Body
                && it.raw.open > items[i].raw.open
                && it.attr.as_ref().is_some_and(|a| a.spk.who.is_some())
        });
        if let Some(who) = overlapping
            .or(next)
            .and_then(|it| it.attr.as_ref())
            .and_then(|a| a.spk.who)
        {
            let cue = items[i].attr.as_ref().and_then(|a| a.cue.clone());
            items[i].attr = Some(Attr {
                spk: Spk {
                    who: Some(who),
                    mention: None,
                },
                cue,
                via: Via::Continuation,
            });
        }
    }
}
