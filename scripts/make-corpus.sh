#!/usr/bin/env bash
# Write N varied dispatches into DIR, for benchmarks (folder throughput, peak memory).
#
#   scripts/make-corpus.sh DIR N [SEED]       (SEED defaults to 7)
#
# Copy i is made from samples/*.txt file number i mod (number of samples), in sorted order:
# its body paragraphs (a heading travels with the paragraph under it) are shuffled, with the
# first paragraph (title, dateline, lead) and the last one (credit) kept in place; sometimes
# one paragraph is dropped; numbers get other digits (years stay plausible years); some
# capitalised names are swapped with other names of the same text or of a small list.
# Deterministic for a given SEED and samples/. A Windows-1252 sample stays Windows-1252;
# samples with NUL bytes or nothing but spaces are left out. Files go to DIR/000/d00000.txt,
# 100 per folder, LF or CRLF as in the sample. DIR is created; existing files in it are overwritten, others left alone.
set -euo pipefail
if [ $# -lt 2 ]; then
  awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0" >&2
  exit 2
fi
root=$(cd "$(dirname "$0")/.." && pwd)
exec python3 - "$root/samples" "$1" "$2" "${3:-7}" <<'PY'
import glob, os, random, re, sys

samples_dir, out_dir, n, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]

sources = []
for path in sorted(glob.glob(os.path.join(samples_dir, "*.txt"))):
    raw = open(path, "rb").read()
    if b"\0" in raw:
        continue
    try:
        text, enc = raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        try:
            text, enc = raw.decode("cp1252"), "cp1252"  # kept in its encoding
        except UnicodeDecodeError:
            continue
    if not text.strip():
        continue
    crlf = "\r\n" in text
    sources.append((text.replace("\r\n", "\n").replace("\r", "\n"), crlf, enc))
if not sources:
    sys.exit(f"make-corpus: no usable UTF-8 text in {samples_dir}/*.txt")

UPPER = "A-ZÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸŒÆ"
LOWER = "a-zàâäçéèêëîïôöùûüÿœæñ"
NAME = re.compile(rf"(?<![\w-])[{UPPER}][{LOWER}]+(?:-[{UPPER}][{LOWER}]+)*(?![\w-])")
NUMBER = re.compile(r"\d+")
EXTRA_NAMES = ["Martin", "Durand", "Lefebvre", "Moreau", "Fournier", "Girard", "Bonnet",
               "Lambert", "Fontaine", "Rousseau", "Mercier", "Diallo", "Traoré", "Nguyen",
               "Kowalski", "Schneider", "Rossi", "García", "Lyon", "Dakar", "Varsovie", "Tunis"]


def is_heading(line):
    s = line.strip()
    return 0 < len(s.split()) <= 12 and s[-1] not in ".!?:;,»\")…"


def units(text):
    """Paragraph units: blank-line blocks when the text has them, else lines; a heading is
    glued to the unit that follows it."""
    if re.search(r"\n[ \t]*\n", text.strip()):
        parts, sep = [p for p in re.split(r"\n[ \t]*\n", text.strip("\n"))], "\n\n"
    else:
        parts, sep = text.strip("\n").split("\n"), "\n"
    out, pending = [], []
    for p in parts:
        if is_heading(p) and "\n" not in p:
            pending.append(p)
            continue
        out.append(sep.join(pending + [p]))
        pending = []
    if pending:
        out.append(sep.join(pending))
    return out, sep


STOP = set("""Le La Les Un Une Des Du De Au Aux Il Ils Elle Elles On Ce Cet Cette Ces Son Sa Ses
Leur Leurs Nous Vous Je En Dans Pour Par Sur Sous Avec Sans Selon Mais Et Ou Donc Or Ni Car
Si Quand Lors Depuis Après Avant Entre Vers Chez Contre Note Dès Puis Ainsi Alors Aussi Cela
Ceci Tout Tous Toute Toutes Plus Moins Très Bien Non Oui Une Deux Trois""".split())


def names_of(text):
    pool = []
    for m in NAME.finditer(text):
        start = m.start()
        before = text[max(0, start - 3):start]
        if start == 0 or before.endswith("\n") or re.search(r"([.!?:»(\-–]|«)\s*$", before):
            continue  # sentence, line, quote or parenthesis start: may be an ordinary word
        if len(m.group(0)) < 3 or m.group(0) in STOP:
            continue
        if m.group(0) not in pool:
            pool.append(m.group(0))
    return pool


def vary(text, rng):
    us, sep = units(text)
    if len(us) > 3:
        head, body, tail = us[:1], us[1:-1], us[-1:]
        rng.shuffle(body)
        if len(body) > 3 and rng.random() < 0.3:
            body.pop(rng.randrange(len(body)))
        us = head + body + tail
    text = sep.join(us) + "\n"
    pool = names_of(text)
    if pool:
        k = max(1, len(pool) // 3)
        chosen = rng.sample(pool, min(k, len(pool)))
        targets = [rng.choice(pool + EXTRA_NAMES) for _ in chosen]
        mapping = {a: b for a, b in zip(chosen, targets) if a != b}
        if mapping:
            rx = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, sorted(mapping, key=len, reverse=True))) + r")(?![\w-])")
            text = rx.sub(lambda m: mapping[m.group(1)], text)

    def num(m):
        s = m.group(0)
        if len(s) == 4 and s[:2] in ("19", "20"):
            return str(rng.randrange(1990, 2030))
        if len(s) == 1:
            return str(rng.randrange(1, 10))
        if len(s) == 2 and int(s) <= 31:  # a day of the month, perhaps
            return str(rng.randrange(10, 29))
        return str(rng.randrange(1, 10)) + "".join(str(rng.randrange(10)) for _ in s[1:])
    return NUMBER.sub(num, text)


total = 0
for i in range(n):
    text, crlf, enc = sources[i % len(sources)]
    rng = random.Random(f"{seed}:{i}")
    out = vary(text, rng)
    if crlf:
        out = out.replace("\n", "\r\n")
    sub = os.path.join(out_dir, f"{i // 100:03d}")
    os.makedirs(sub, exist_ok=True)
    data = out.encode(enc, errors="replace")
    with open(os.path.join(sub, f"d{i:05d}.txt"), "wb") as fh:
        fh.write(data)
    total += len(data)
print(f"make-corpus: {n} dispatches, {total} bytes, from {len(sources)} samples, in {out_dir}")
PY
