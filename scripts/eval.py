#!/usr/bin/env python3
"""Score `analyze` on every gold corpus of the shared evaluation folder (stdlib only).

Normally started through scripts/eval.sh, which builds the binary first:

    python3 scripts/eval.py --bin target/release/analyze [--json OUT] [--check BASELINE]
                            [--write-baseline] [--verbose] [EVAL_DIR]

For each gold corpus it writes an input JSON Lines file in a temporary folder
({"id", "text", "date"?}: `date` is the corpus's `dct`; the seed uses 2025-07-12, its
`dct_assumed_for_resolution`), runs `analyze --input jsonl --quiet` on it, converts the
output into the format of the corpus's scorer, runs the scorer from EVAL_DIR/tools with
--json and prints one table: task | corpus | measure | depeche | best peer.

The gold files are read only here and by the scorers; nothing from them is written
outside the temporary folder.

--json OUT        write every figure as {"task/corpus/measure": value} (sorted, 4 decimals)
--write-baseline  same, into eval/baseline.json
--check BASELINE  exit 1 if a gated figure is more than 0.005 below BASELINE; figures whose
                  key contains "seed" are reported, never gated (the seed moves in 0.02 steps)
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

TOLERANCE = 0.005
SEED_DATE = "2025-07-12"  # seed-gold-dates-quotes.json: dct_assumed_for_resolution

# --------------------------------------------------------------------------- corpora
# Sentence corpora scored with tools/score_sentences.py (fr-hard-cases.jsonl is not a corpus).
SENTENCE_CORPORA = ["gsd-test", "gsd-dev", "sequoia-test", "sequoia-dev", "partut-test", "pud-test"]

# (corpus key, gold file, extra scorer flags)
ENTITY_RUNS = [
    ("sequoia-ne", "entities/sequoia-ne.jsonl", []),
    ("sequoia-annodis", "entities/sequoia-ne.jsonl", ["--filter", "annodis"]),
    ("sequoia-frwiki", "entities/sequoia-ne.jsonl", ["--filter", "frwiki"]),
    ("sequoia-europar", "entities/sequoia-ne.jsonl", ["--filter", "Europar"]),
    ("hipe-test", "entities/hipe2020-fr.jsonl", ["--filter", "/test/"]),
    ("seed", "entities/seed-afp-lavrov-wonsan.jsonl", []),
]
ENTITY_FLAGS = ["--labels", "PER,LOC,ORG", "--alt"]
ENTITY_LABELS = ["PER", "LOC", "ORG", "micro"]

DATE_RUNS = [
    ("ftib-dev", "dates/ftib-1.1.jsonl", ["--doc-filter", "^1999"]),
    ("ftib-test", "dates/ftib-1.1.jsonl", ["--doc-filter", "^200[23]"]),
    ("ftib-all", "dates/ftib-1.1.jsonl", []),
    ("afp-style", "dates/afp-style-suite.jsonl", []),
    ("seed", "seed-gold-dates-quotes.json", ["--value-field", "value_resolved"]),
]

QUOTE_RUNS = [("seed", "seed-gold-dates-quotes.json", [])]

# Real articles (people, places, organisations, quotes with speakers), scored per article by
# tools/score_articles.py GOLD_DIR PRED_DIR: texts/<id>.txt, gold/<id>.json (article_date).
ARTICLE_CORPORA = ["articles"]
ARTICLE_MEASURES = [("people", "f1"), ("places", "f1"), ("organizations", "f1"),
                    ("quotes", "f1"), ("quotes", "speaker_acc"), ("quotes", "kind_acc"),
                    ("quotes", "attributed_f1")]

# --------------------------------------------------------------------------- peers
# Best peer figure per key, as (value, who): from the corpus READMEs in EVAL_DIR, except the
# entity peers, rescored with --alt by scripts/peer-entities.sh (see below):
#  sentences/README.md "Peer baselines" table (boundary F1, fully correct docs in
#    parentheses); best of the 8 peers per column. Hard cases: same README ("pysbd passes 20
#    of 30, Moses 21"), i.e. on all 30 cases, while we skip 24 and 25 (28 cases).
#  entities: entities/README.md "Peer baselines (spaCy 3.8.18 ...)" scores spaCy WITHOUT --alt
#    in its per-label and lenient columns, and we score with --alt; on Sequoia that flatters
#    us by up to 0.08 (spaCy md LOC strict 0.597 -> 0.651, ORG 0.601 -> 0.662). So the entity
#    peers below are spaCy rescored with --alt (scripts/peer-entities.sh): EVAL_DIR/tools/peer_entities.py
#    (same models and pipeline as the README: `peer_entities.py GOLD --model fr_core_news_md
#    --out SYS`, OMP_NUM_THREADS=1; it reproduces the README's no-alt table to the digit), then
#    `score_entities.py GOLD SYS --labels PER,LOC,ORG --alt [--filter ...]` (2026-12-01). They
#    equal the README's "micro F1 strict --alt" column and the --alt figures quoted in issues 3
#    and 4 (md PER 0.787, ORG 0.662, LOC 0.651 on Sequoia). On HIPE and the seed --alt changes
#    nothing, so those equal the README table.
#  dates/README.md "Measured peer: dateparser 1.5.0" (FTiB all / dev / test paragraphs,
#    afp-style-suite bullet list, the seed paragraph: its "resolved-value accuracy").
#  quotes/README.md: no French peer on this gold (Radar de Parité's 81.7 is on other data).
PEERS = {
    # sentences/README.md, Peer baselines
    "sentences/gsd-test/boundary_f1": (0.965, "pysbd"),
    "sentences/gsd-dev/boundary_f1": (0.981, "Moses"),
    "sentences/sequoia-test/boundary_f1": (0.930, "spaCy sm senter"),
    "sentences/sequoia-dev/boundary_f1": (0.961, "spaCy md"),
    "sentences/partut-test/boundary_f1": (0.985, "pysbd"),
    "sentences/pud-test/boundary_f1": (0.993, "Moses"),
    "sentences/gsd-test/docs_correct": (0.69, "Moses"),
    "sentences/gsd-dev/docs_correct": (0.74, "Moses"),
    "sentences/sequoia-test/docs_correct": (0.46, "spaCy sm"),
    "sentences/sequoia-dev/docs_correct": (0.56, "spaCy sm senter"),
    "sentences/partut-test/docs_correct": (0.82, "spaCy sm senter"),
    "sentences/pud-test/docs_correct": (0.98, "Moses"),
    "sentences/hard-cases/pass_rate": (0.700, "Moses 21/30, all 30"),
    # entities: spaCy 3.8.18 fr_core_news_sm / md 3.8.0 full pipeline, scored like us (--alt);
    # best of sm / md per cell. See the comment above the dict.
    "entities/sequoia-ne/PER_strict_f1": (0.787, "spaCy md"),
    "entities/sequoia-ne/PER_lenient_f1": (0.883, "spaCy md"),
    "entities/sequoia-ne/LOC_strict_f1": (0.651, "spaCy md"),
    "entities/sequoia-ne/LOC_lenient_f1": (0.747, "spaCy md"),
    "entities/sequoia-ne/ORG_strict_f1": (0.662, "spaCy md"),
    "entities/sequoia-ne/ORG_lenient_f1": (0.740, "spaCy md"),
    "entities/sequoia-ne/micro_strict_f1": (0.709, "spaCy md"),
    "entities/sequoia-ne/micro_lenient_f1": (0.800, "spaCy md"),
    "entities/sequoia-annodis/PER_strict_f1": (0.759, "spaCy md"),
    "entities/sequoia-annodis/PER_lenient_f1": (0.878, "spaCy md"),
    "entities/sequoia-annodis/LOC_strict_f1": (0.706, "spaCy md"),
    "entities/sequoia-annodis/LOC_lenient_f1": (0.795, "spaCy md"),
    "entities/sequoia-annodis/ORG_strict_f1": (0.479, "spaCy md"),
    "entities/sequoia-annodis/ORG_lenient_f1": (0.647, "spaCy md"),
    "entities/sequoia-annodis/micro_strict_f1": (0.684, "spaCy md"),
    "entities/sequoia-annodis/micro_lenient_f1": (0.797, "spaCy md"),
    "entities/sequoia-frwiki/PER_strict_f1": (0.869, "spaCy md"),
    "entities/sequoia-frwiki/PER_lenient_f1": (0.920, "spaCy md"),
    "entities/sequoia-frwiki/LOC_strict_f1": (0.614, "spaCy md"),
    "entities/sequoia-frwiki/LOC_lenient_f1": (0.709, "spaCy md"),
    "entities/sequoia-frwiki/ORG_strict_f1": (0.595, "spaCy md"),
    "entities/sequoia-frwiki/ORG_lenient_f1": (0.677, "spaCy md"),
    "entities/sequoia-frwiki/micro_strict_f1": (0.734, "spaCy md"),
    "entities/sequoia-frwiki/micro_lenient_f1": (0.804, "spaCy md"),
    "entities/sequoia-europar/PER_strict_f1": (0.287, "spaCy md"),
    "entities/sequoia-europar/PER_lenient_f1": (0.644, "spaCy md"),
    "entities/sequoia-europar/LOC_strict_f1": (0.652, "spaCy md"),
    "entities/sequoia-europar/LOC_lenient_f1": (0.768, "spaCy md"),
    "entities/sequoia-europar/ORG_strict_f1": (0.836, "spaCy md"),
    "entities/sequoia-europar/ORG_lenient_f1": (0.876, "spaCy md"),
    "entities/sequoia-europar/micro_strict_f1": (0.661, "spaCy md"),
    "entities/sequoia-europar/micro_lenient_f1": (0.794, "spaCy md"),
    "entities/hipe-test/PER_strict_f1": (0.469, "spaCy sm"),
    "entities/hipe-test/PER_lenient_f1": (0.741, "spaCy md"),
    "entities/hipe-test/LOC_strict_f1": (0.646, "spaCy md"),
    "entities/hipe-test/LOC_lenient_f1": (0.745, "spaCy md"),
    "entities/hipe-test/ORG_strict_f1": (0.363, "spaCy md"),
    "entities/hipe-test/ORG_lenient_f1": (0.415, "spaCy md"),
    "entities/hipe-test/micro_strict_f1": (0.546, "spaCy md"),
    "entities/hipe-test/micro_lenient_f1": (0.709, "spaCy md"),
    "entities/seed/PER_strict_f1": (0.857, "spaCy md"),
    "entities/seed/PER_lenient_f1": (1.000, "spaCy md"),
    "entities/seed/LOC_strict_f1": (0.826, "spaCy md"),
    "entities/seed/LOC_lenient_f1": (0.957, "spaCy md"),
    "entities/seed/ORG_strict_f1": (0.625, "spaCy sm"),
    "entities/seed/ORG_lenient_f1": (0.625, "spaCy sm/md"),
    "entities/seed/micro_strict_f1": (0.778, "spaCy md"),
    "entities/seed/micro_lenient_f1": (0.911, "spaCy md"),
    # dates/README.md, Measured peer: dateparser 1.5.0
    "dates/ftib-all/strict_f1": (0.299, "dateparser"),
    "dates/ftib-all/lenient_f1": (0.683, "dateparser"),
    "dates/ftib-all/value_accuracy": (0.516, "dateparser"),
    "dates/ftib-all/value_f1": (0.352, "dateparser"),
    "dates/ftib-all/type_f1": (0.511, "dateparser"),
    "dates/ftib-all/strict_value_f1": (0.212, "dateparser"),
    "dates/ftib-dev/lenient_f1": (0.658, "dateparser"),
    "dates/ftib-dev/value_f1": (0.329, "dateparser"),
    "dates/ftib-test/lenient_f1": (0.712, "dateparser"),
    "dates/ftib-test/value_f1": (0.379, "dateparser"),
    "dates/afp-style/strict_f1": (0.157, "dateparser"),
    "dates/afp-style/lenient_f1": (0.787, "dateparser"),
    "dates/afp-style/value_accuracy": (0.600, "dateparser"),
    "dates/afp-style/value_f1": (0.472, "dateparser"),
    "dates/seed/strict_f1": (0.333, "dateparser"),
    "dates/seed/lenient_f1": (0.778, "dateparser"),
    "dates/seed/value_accuracy": (0.857, "dateparser"),
    # articles/README.md: spaCy md entity F1; quotes: Radar de Parité measured here
    # (issue 13: 0.167 of the dev set's speech quotes attributed correctly)
    "articles/articles/people_f1": (0.851, "spaCy md"),
    "articles/articles/places_f1": (0.732, "spaCy md"),
    "articles/articles/organizations_f1": (0.561, "spaCy md"),
    "articles/articles/quotes_speaker_acc": (0.167, "Radar de Parité"),
}


# --------------------------------------------------------------------------- helpers
def read_docs(path):
    """Gold documents of a JSONL file, or of a single JSON object / list (the seed gold)."""
    with open(path, encoding="utf-8") as fh:
        data = fh.read()
    if path.endswith(".json"):
        obj = json.loads(data)
        return obj if isinstance(obj, list) else [obj]
    return [json.loads(line) for line in data.splitlines() if line.strip()]


def write_jsonl(path, rows):
    with open(path, "w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")


class Analyzer:
    """Runs `analyze --input jsonl` once per gold file (cached) and keeps the output by id."""

    def __init__(self, binary, tmp):
        self.binary, self.tmp, self.cache, self.notes = binary, tmp, {}, []
        self.seconds = 0.0

    def run_articles(self, folder, name):
        """Analyse every texts/<id>.txt of an articles corpus with its gold article_date and
        write one <id>.json per article into a fresh folder; returns that folder."""
        texts, gold = os.path.join(folder, "texts"), os.path.join(folder, "gold")
        docs = []
        for fn in sorted(os.listdir(texts)):
            if not fn.endswith(".txt"):
                continue
            aid = fn[:-4]
            with open(os.path.join(texts, fn), encoding="utf-8") as fh:
                d = {"id": aid, "text": fh.read()}
            gp = os.path.join(gold, aid + ".json")
            if os.path.exists(gp):
                with open(gp, encoding="utf-8") as fh:
                    date = json.load(fh).get("article_date")
                if date:
                    d["dct"] = date
            docs.append(d)
        fake = os.path.join(self.tmp, name + "-articles.jsonl")
        self.cache.pop(fake, None)
        write_jsonl(fake, docs)
        _, out = self.run(fake)
        pred = os.path.join(self.tmp, name + "-pred")
        os.makedirs(pred, exist_ok=True)
        for aid, o in out.items():
            with open(os.path.join(pred, aid + ".json"), "w", encoding="utf-8") as fh:
                json.dump(o, fh, ensure_ascii=False)
        return pred

    def run(self, gold_path, default_date=None):
        if gold_path in self.cache:
            return self.cache[gold_path]
        docs = read_docs(gold_path)
        rows = []
        for d in docs:
            row = {"id": str(d["id"]), "text": d["text"]}
            date = d.get("dct") or d.get("dct_assumed_for_resolution") or default_date
            if date:
                row["date"] = date
            rows.append(row)
        stem = re.sub(r"[^A-Za-z0-9_.-]", "_", os.path.basename(gold_path))
        inp = os.path.join(self.tmp, stem + ".in.jsonl")
        write_jsonl(inp, rows)
        t0 = time.perf_counter()
        with open(inp, "rb") as fin:
            proc = subprocess.run([self.binary, "--input", "jsonl", "--quiet"], stdin=fin,
                                  capture_output=True)
        self.seconds += time.perf_counter() - t0
        out, failed = {}, 0
        for line in proc.stdout.decode("utf-8").splitlines():
            if not line.strip():
                continue
            o = json.loads(line)
            if "error" in o and "sections" not in o:
                failed += 1
                continue
            out[str(o.get("id"))] = o
        name = os.path.basename(gold_path)
        if proc.returncode != 0 or failed or len(out) != len(rows):
            err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
            self.notes.append(f"analyze on {name}: exit {proc.returncode}, {len(out)}/{len(rows)} "
                              f"documents analysed, {failed} error records"
                              + (f"; stderr: {err[0][:200]}" if err else ""))
        self.cache[gold_path] = (docs, out)
        return docs, out


def span(x):
    if isinstance(x, dict) and x.get("start") is not None and x.get("end") is not None:
        return [int(x["start"]), int(x["end"])]
    return None


# --------------------------------------------------------------------------- converters
def to_sentences(o):
    """Every span of the document in text order: title, dateline, headings, body sentences,
    credit. The UD gold texts are plain sentence lists, so a title or heading detected there
    is still a sentence for the scorer."""
    spans = []
    for s in (span(o.get("title_span")), span(o.get("dateline")), span(o.get("credit"))):
        if s:
            spans.append(s)
    for sec in o.get("sections") or []:
        h = span(sec.get("heading_span"))
        if h:
            spans.append(h)
        for par in sec.get("paragraphs") or []:
            for sent in par.get("sentences") or []:
                s = span(sent)
                if s:
                    spans.append(s)
    spans.sort()
    return spans


ENTITY_FIELDS = [("people", "PER"), ("places", "LOC"), ("organizations", "ORG")]


def to_entities(o):
    ents, seen = [], set()
    for field, label in ENTITY_FIELDS:
        for ent in o.get(field) or []:
            for m in ent.get("mentions") or []:
                s = span(m)
                if not s or (s[0], s[1], label) in seen:
                    continue
                seen.add((s[0], s[1], label))
                e = {"start": s[0], "end": s[1], "label": label}
                if isinstance(m.get("text"), str):
                    e["text"] = m["text"]
                ents.append(e)
    ents.sort(key=lambda e: (e["start"], e["end"], e["label"]))
    return ents


def to_timexes(o):
    out = []
    for d in o.get("dates") or []:
        s = span(d)
        if not s:
            continue
        value = d.get("resolved") if d.get("resolved") is not None else d.get("value")
        out.append({"start": s[0], "end": s[1], "type": d.get("type"), "value": value,
                    "mod": d.get("mod")})
    return out


def to_quotes(o):
    out = []
    for q in o.get("quotes") or []:
        s = span(q)
        if not s:
            continue
        speaker = q.get("speaker")
        if isinstance(speaker, dict):  # tolerate {"name": ...}
            speaker = speaker.get("name")
        out.append({"start": s[0], "end": s[1], "text": q.get("text"), "speaker": speaker,
                    "cue": q.get("cue"), "kind": q.get("kind")})
    return out


def system_file(tmp, name, docs, out, field, convert):
    path = os.path.join(tmp, name)
    rows = []
    for d in docs:
        o = out.get(str(d["id"]))
        if o is not None:
            rows.append({"id": str(d["id"]), field: convert(o)})
    write_jsonl(path, rows)
    return path


# --------------------------------------------------------------------------- scorers
def run_scorer(cmd):
    proc = subprocess.run(cmd, capture_output=True, text=True)
    return proc.returncode, proc.stdout, proc.stderr


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("eval_dir", nargs="?", default="../shared/eval")
    ap.add_argument("--bin", default="target/release/analyze")
    ap.add_argument("--json", dest="json_out")
    ap.add_argument("--check")
    ap.add_argument("--write-baseline", action="store_true")
    ap.add_argument("--verbose", "-v", action="store_true", help="show scorer warnings in full")
    a = ap.parse_args()

    ev = a.eval_dir
    if not os.path.isdir(ev):
        print(f"eval: {ev} not found (the shared gold corpora are not beside the project): skipped")
        return 0
    baseline = None
    if a.check:  # read first: --write-baseline may rewrite the same file
        with open(a.check, encoding="utf-8") as fh:
            baseline = json.load(fh)
    tools = os.path.join(ev, "tools")
    t_start = time.perf_counter()
    figures, notes, errors = {}, [], []
    order = []  # keys in display order

    def put(key, value):
        figures[key] = float(value)
        order.append(key)

    with tempfile.TemporaryDirectory(prefix="depeche-eval-") as tmp:
        an = Analyzer(a.bin, tmp)
        jobs = []  # (kind, corpus, cmd)

        # sentences
        sent_sys = []
        for c in SENTENCE_CORPORA:
            gold = os.path.join(ev, "sentences", f"fr-{c}.jsonl")
            if not os.path.exists(gold):
                notes.append(f"sentences/{c}: {gold} missing, not scored")
                continue
            docs, out = an.run(gold)
            sys_path = system_file(tmp, f"sent-{c}.sys.jsonl", docs, out, "sentences", to_sentences)
            sent_sys.append(sys_path)
            jobs.append(("sentences", c, [sys.executable, os.path.join(tools, "score_sentences.py"),
                                          gold, sys_path, "--json"]))
        hard = os.path.join(ev, "sentences", "fr-hard-cases.jsonl")
        if sent_sys and os.path.exists(hard):
            jobs.append(("hard", "hard-cases", [sys.executable, os.path.join(tools, "check_hard_cases.py"),
                                               hard, *sent_sys, "--skip", "24,25"]))
        # entities
        for c, rel, flags in ENTITY_RUNS:
            gold = os.path.join(ev, rel)
            if not os.path.exists(gold):
                notes.append(f"entities/{c}: {gold} missing, not scored")
                continue
            docs, out = an.run(gold)
            sys_path = system_file(tmp, f"ent-{os.path.basename(rel)}.sys.jsonl", docs, out,
                                   "entities", to_entities)
            jobs.append(("entities", c, [sys.executable, os.path.join(tools, "score_entities.py"),
                                         gold, sys_path, *ENTITY_FLAGS, *flags, "--json"]))
        # dates
        for c, rel, flags in DATE_RUNS:
            gold = os.path.join(ev, rel)
            if not os.path.exists(gold):
                notes.append(f"dates/{c}: {gold} missing, not scored")
                continue
            docs, out = an.run(gold, SEED_DATE if "seed" in c else None)
            sys_path = system_file(tmp, f"dates-{os.path.basename(rel)}.sys.jsonl", docs, out,
                                   "timexes", to_timexes)
            jobs.append(("dates", c, [sys.executable, os.path.join(tools, "score_dates.py"),
                                      gold, sys_path, *flags, "--json"]))
        # quotes
        for c, rel, flags in QUOTE_RUNS:
            gold = os.path.join(ev, rel)
            if not os.path.exists(gold):
                notes.append(f"quotes/{c}: {gold} missing, not scored")
                continue
            docs, out = an.run(gold, SEED_DATE)
            sys_path = system_file(tmp, f"quotes-{os.path.basename(rel)}.sys.jsonl", docs, out,
                                   "quotes", to_quotes)
            jobs.append(("quotes", c, [sys.executable, os.path.join(tools, "score_quotes.py"),
                                       gold, sys_path, *flags, "--json"]))

        # real articles
        for c in ARTICLE_CORPORA:
            folder = os.path.join(ev, c)
            if not os.path.isdir(os.path.join(folder, "texts")):
                notes.append(f"articles/{c}: {folder}/texts missing, not scored")
                continue
            pred = an.run_articles(folder, c)
            jobs.append(("articles", c, [sys.executable, os.path.join(tools, "score_articles.py"),
                                         os.path.join(folder, "gold"), pred, "--json"]))

        with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
            results = list(pool.map(lambda j: run_scorer(j[2]), jobs))
        notes = an.notes + notes

        hard_fail_lines = []
        for (kind, c, cmd), (rc, stdout, stderr) in zip(jobs, results):
            warn = [l for l in stderr.splitlines() if l.strip()]
            if kind == "hard":
                m = re.search(r"(\d+) passed, (\d+) failed(?: \((\d+) not run\))?", stdout)
                if not m:
                    errors.append(f"check_hard_cases.py failed (exit {rc}): {stderr.strip()[:300]}")
                    continue
                p, f, nr = int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)
                put("sentences/hard-cases/pass_rate", p / (p + f + nr) if p + f + nr else 0.0)
                hard_summary = f"{p} passed, {f} failed" + (f", {nr} not run" if nr else "")
                notes.insert(0, f"hard cases (check_hard_cases.py --skip 24,25): {hard_summary}")
                hard_fail_lines = [l for l in stdout.splitlines() if l.startswith("case ")]
                continue
            try:
                r = json.loads(stdout)
            except json.JSONDecodeError:
                errors.append(f"{os.path.basename(cmd[1])} on {kind}/{c} failed (exit {rc}): "
                              f"{stderr.strip()[:300]}")
                continue
            if warn:
                shown = warn if a.verbose else warn[:2]
                notes.append(f"{kind}/{c} scorer: " + " | ".join(w[:200] for w in shown))
            pre = f"{kind}/{c}/"
            if kind == "sentences":
                o = r["overall"]
                put(pre + "boundary_f1", o["f1"])
                put(pre + "sentence_f1", o["sent_f1"])
                put(pre + "docs_correct", o["doc_accuracy"])
                if r.get("missing_ids"):
                    notes.append(f"{pre}: {r['missing_ids']} gold documents missing from the output")
            elif kind == "entities":
                for lab in ENTITY_LABELS:
                    src = r["micro"] if lab == "micro" else r["labels"][lab]
                    put(pre + f"{lab}_strict_f1", src["strict"]["f1"])
                    put(pre + f"{lab}_lenient_f1", src["lenient"]["f1"])
            elif kind == "dates":
                put(pre + "strict_f1", r["strict"]["f1"])
                put(pre + "lenient_f1", r["lenient"]["f1"])
                put(pre + "value_accuracy", r["value_accuracy"])
                put(pre + "value_f1", r["value_f1"])
                put(pre + "type_f1", r["type_f1"])
                put(pre + "strict_value_f1", r["strict_value"]["f1"])
            elif kind == "articles":
                for field, measure in ARTICLE_MEASURES:
                    put(pre + f"{field}_{measure}", r[field][measure])
                put(pre + "title_acc", r["title_acc"])
            elif kind == "quotes":
                put(pre + "exact_f1", r["exact"]["f1"])
                put(pre + "cov0.3_f1", r["cov0.3"]["f1"])
                put(pre + "cov0.8_f1", r["cov0.8"]["f1"])
                put(pre + "speaker_accuracy", r["speaker_accuracy_loose"])
                put(pre + "speaker_accuracy_strict", r["speaker_accuracy_strict"])
                put(pre + "cue_accuracy", r["cue_accuracy"])
                put(pre + "attributed_f1", r["attributed"]["f1"])

    # ---------------------------------------------------------------- table
    rows = [("task", "corpus", "measure", "depeche", "best peer")]
    for key in order:
        task, corpus, measure = key.split("/", 2)
        peer = PEERS.get(key)
        if peer:
            ptxt = f"{peer[0]:.3f} {peer[1]}"
        else:
            ptxt = "—"
        rows.append((task, corpus, measure, f"{figures[key]:.3f}", ptxt))
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    for n, r in enumerate(rows):
        print("| " + " | ".join(c.ljust(widths[i]) if i != 3 else c.rjust(widths[i])
                                for i, c in enumerate(r)) + " |")
        if n == 0:
            print("|" + "|".join("-" * (w + 2) if i != 3 else "-" * (w + 1) + ":"
                                 for i, w in enumerate(widths)) + "|")
    print()
    print("Fractions, 3 decimals. Entities: score_entities.py --labels PER,LOC,ORG --alt, spaCy"
          " peers rescored the same way (entities/README.md's columns are without --alt)."
          " Hard cases: peers on all 30, we skip 24 and 25."
          " Dates: system value = resolved, else value. Seed rows are reported, never gated.")
    for n in notes:
        print("note: " + n)
    for l in hard_fail_lines:
        print("  " + l)
    print(f"eval: {len(figures)} figures in {time.perf_counter() - t_start:.1f} s"
          f" (analyze {an.seconds:.2f} s)")

    rounded = {k: round(v, 4) for k, v in sorted(figures.items())}
    outs = []
    if a.json_out:
        outs.append(a.json_out)
    if a.write_baseline:
        outs.append(os.path.join("eval", "baseline.json"))
    for path in outs:
        d = os.path.dirname(path)
        if d:
            os.makedirs(d, exist_ok=True)
        with open(path, "w", encoding="utf-8") as fh:
            json.dump(rounded, fh, indent=1, sort_keys=True)
            fh.write("\n")
        print(f"eval: figures written to {path}")

    status = 0
    if errors:
        for e in errors:
            print("error: " + e, file=sys.stderr)
        status = 1
    if a.check:
        status = max(status, check(rounded, baseline, a.check))
    return status


def check(current, base, baseline_path):
    drops, seed_moves, missing, gains = [], [], [], 0
    for key, b in sorted(base.items()):
        gated = "seed" not in key
        if key not in current:
            (missing if gated else seed_moves).append(f"{key}: in the baseline ({b:.4f}), not measured")
            continue
        cur = current[key]
        if cur < b - TOLERANCE - 1e-9:
            (drops if gated else seed_moves).append(f"{key}: {b:.4f} -> {cur:.4f} ({cur - b:+.4f})")
        elif cur > b + TOLERANCE + 1e-9:
            gains += 1
    new = [k for k in current if k not in base]
    print(f"check against {baseline_path}: {len(base)} baseline figures, tolerance {TOLERANCE}")
    for s in seed_moves:
        print("  seed (not gated): " + s)
    if new:
        print(f"  {len(new)} figures not in the baseline (not gated): " + ", ".join(new[:10])
              + (" ..." if len(new) > 10 else ""))
    if gains:
        print(f"  {gains} figures above the baseline by more than {TOLERANCE}: raise it with"
              " scripts/eval.sh --write-baseline")
    if drops or missing:
        print(f"check FAILED: {len(drops)} gated figures dropped more than {TOLERANCE}"
              + (f", {len(missing)} missing" if missing else ""))
        for s in drops + missing:
            print("  " + s)
        return 1
    print("check passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
