//! A compact serialisation of the Thompson NFAs of the date rules' capture regexes, so that the
//! build script can compile them once and the binary only replays their states. Parsing and
//! compiling a rule's regex (about 1 KB once its fragments are expanded) costs about a million
//! instructions, replaying its states a few tens of thousands; a short dispatch fires about ten
//! rules. regex-automata cannot serialise an NFA itself, but its public `thompson::Builder`
//! rebuilds one state for state: every state of a built NFA is one builder state, added in the
//! same order, so the state ids, and therefore the NFA, come out the same (the test
//! `replayed_nfas_equal_the_compiled_ones` compares them for every rule).
//!
//! Format: little-endian `u32` words. A header (states, anchored start, unanchored start,
//! pattern start, UTF-8 flag, group count), the group names (length in bytes, then the bytes
//! packed four to a word; `u32::MAX` for an unnamed group), then one record per state: a tag
//! and its fields.

use regex_automata::nfa::thompson::{self, NFA, State, Transition};
use regex_automata::util::look::Look;
use regex_automata::util::primitives::{PatternID, StateID};

const BYTE_RANGE: u32 = 0;
const SPARSE: u32 = 1;
const LOOK: u32 = 2;
const CAPTURE_START: u32 = 3;
const CAPTURE_END: u32 = 4;
const UNION: u32 = 5;
const FAIL: u32 = 6;
const MATCH: u32 = 7;
const UNNAMED: u32 = u32::MAX;

/// The words of `nfa`, a one-pattern NFA; `None` for what the format does not hold (several
/// patterns, dense or reverse states).
#[allow(dead_code)] // Called by build.rs (through `patterns::capture_codes`) and the tests.
pub fn encode(nfa: &NFA) -> Option<Vec<u32>> {
    if nfa.pattern_len() != 1 || nfa.is_reverse() {
        return None;
    }
    let pid = PatternID::ZERO;
    let groups = nfa.group_info().group_len(pid);
    let mut out = vec![
        nfa.states().len() as u32,
        nfa.start_anchored().as_u32(),
        nfa.start_unanchored().as_u32(),
        nfa.start_pattern(pid)?.as_u32(),
        u32::from(nfa.is_utf8()),
        groups as u32,
    ];
    for g in 0..groups {
        match nfa.group_info().to_name(pid, g) {
            Some(name) => {
                out.push(name.len() as u32);
                out.extend(name.as_bytes().chunks(4).map(|c| {
                    let mut word = [0u8; 4];
                    word[..c.len()].copy_from_slice(c);
                    u32::from_le_bytes(word)
                }));
            }
            None => out.push(UNNAMED),
        }
    }
    for state in nfa.states() {
        encode_state(state, &mut out)?;
    }
    Some(out)
}

#[allow(dead_code)]
fn encode_state(state: &State, out: &mut Vec<u32>) -> Option<()> {
    let transition = |t: &Transition| [u32::from(t.start), u32::from(t.end), t.next.as_u32()];
    match state {
        State::ByteRange { trans } => {
            out.push(BYTE_RANGE);
            out.extend(transition(trans));
        }
        State::Sparse(sparse) => {
            out.extend([SPARSE, sparse.transitions.len() as u32]);
            out.extend(sparse.transitions.iter().flat_map(transition));
        }
        State::Look { look, next } => out.extend([LOOK, look.as_repr(), next.as_u32()]),
        State::Capture {
            next,
            group_index,
            slot,
            ..
        } => {
            let tag = if slot.as_usize() % 2 == 0 {
                CAPTURE_START
            } else {
                CAPTURE_END
            };
            out.extend([tag, next.as_u32(), group_index.as_u32()]);
        }
        State::BinaryUnion { alt1, alt2 } => out.extend([UNION, 2, alt1.as_u32(), alt2.as_u32()]),
        State::Union { alternates } => {
            out.extend([UNION, alternates.len() as u32]);
            out.extend(alternates.iter().map(|s| s.as_u32()));
        }
        State::Fail => out.push(FAIL),
        State::Match { .. } => out.push(MATCH),
        State::Dense(_) => return None,
    }
    Some(())
}

/// Little-endian bytes of `words`.
#[allow(dead_code)]
pub fn to_bytes(words: &[u32]) -> Vec<u8> {
    words.iter().flat_map(|w| w.to_le_bytes()).collect()
}

/// Reads words from little-endian bytes.
struct Reader<'a> {
    bytes: &'a [u8],
}

impl Reader<'_> {
    fn word(&mut self) -> Result<u32, String> {
        let (head, rest) = self
            .bytes
            .split_first_chunk::<4>()
            .ok_or("truncated NFA code")?;
        self.bytes = rest;
        Ok(u32::from_le_bytes(*head))
    }

    fn state(&mut self) -> Result<StateID, String> {
        let w = self.word()?;
        StateID::new(w as usize).map_err(|e| e.to_string())
    }

    fn byte(&mut self) -> Result<u8, String> {
        u8::try_from(self.word()?).map_err(|e| e.to_string())
    }

    fn transition(&mut self) -> Result<Transition, String> {
        Ok(Transition {
            start: self.byte()?,
            end: self.byte()?,
            next: self.state()?,
        })
    }
}

/// The NFA that [`encode`] wrote as `bytes` (little-endian words).
pub fn decode(bytes: &[u8]) -> Result<NFA, String> {
    let mut r = Reader { bytes };
    let states = r.word()?;
    let (anchored, unanchored, pattern_start) = (r.state()?, r.state()?, r.state()?);
    let utf8 = r.word()? == 1;
    let mut names = Vec::new();
    for _ in 0..r.word()? {
        let len = r.word()?;
        if len == UNNAMED {
            names.push(None);
            continue;
        }
        let mut name = Vec::with_capacity(len as usize);
        for _ in 0..len.div_ceil(4) {
            name.extend(r.word()?.to_le_bytes());
        }
        name.truncate(len as usize);
        let name = String::from_utf8(name).map_err(|e| e.to_string())?;
        names.push(Some(std::sync::Arc::<str>::from(name)));
    }
    let mut b = thompson::Builder::new();
    b.set_utf8(utf8);
    b.start_pattern().map_err(|e| e.to_string())?;
    for _ in 0..states {
        add_state(&mut b, &mut r, &names)?;
    }
    if !r.bytes.is_empty() {
        return Err("trailing bytes after the NFA code".to_string());
    }
    b.finish_pattern(pattern_start).map_err(|e| e.to_string())?;
    b.build(anchored, unanchored).map_err(|e| e.to_string())
}

fn add_state(
    b: &mut thompson::Builder,
    r: &mut Reader,
    names: &[Option<std::sync::Arc<str>>],
) -> Result<StateID, String> {
    let added = match r.word()? {
        BYTE_RANGE => b.add_range(r.transition()?),
        SPARSE => {
            let n = r.word()?;
            let transitions = (0..n).map(|_| r.transition()).collect::<Result<_, _>>()?;
            b.add_sparse(transitions)
        }
        LOOK => {
            let look = Look::from_repr(r.word()?).ok_or("unknown look-around")?;
            let next = r.state()?;
            b.add_look(next, look)
        }
        CAPTURE_START => {
            let (next, group) = (r.state()?, r.word()?);
            let name = names.get(group as usize).cloned().flatten();
            b.add_capture_start(next, group, name)
        }
        CAPTURE_END => {
            let (next, group) = (r.state()?, r.word()?);
            b.add_capture_end(next, group)
        }
        UNION => {
            let n = r.word()?;
            let alternates = (0..n).map(|_| r.state()).collect::<Result<_, _>>()?;
            b.add_union(alternates)
        }
        FAIL => b.add_fail(),
        MATCH => b.add_match(),
        tag => return Err(format!("unknown NFA state tag {tag}")),
    };
    added.map_err(|e| e.to_string())
}
