#!/usr/bin/env bash
# The spaCy entity peers of scripts/eval.py, rescored the way eval.sh scores analyze.
#
#   scripts/peer-entities.sh [EVAL_DIR]
#
# entities/README.md in EVAL_DIR (default ../shared/eval) scores spaCy without --alt in its
# per-label columns; eval.sh scores analyze with --alt. This runs EVAL_DIR/tools/peer_entities.py
# (spaCy fr_core_news_sm and _md, full pipeline, OMP_NUM_THREADS=1) on every entity gold file
# and prints strict/lenient F1 per label and micro with and without --alt, for the subsets that
# eval.sh reports. It uses the peers' venv of scripts/bench.sh (run that once first, or set
# DEPECHE_BENCH_VENV). System files go to a temporary folder. A few minutes.
set -euo pipefail
here=$(pwd)
root=$(cd "$(dirname "$0")/.." && pwd)
ev=${1:-$root/../shared/eval}
case "$ev" in /*) ;; *) [ $# -ge 1 ] && ev="$here/$ev" ;; esac
py=${DEPECHE_BENCH_VENV:-$HOME/.cache/depeche-bench-venv}/bin/python
[ -d "$ev" ] || { echo "peer-entities: $ev not found: skipped"; exit 0; }
[ -x "$py" ] || { echo "peer-entities: no venv at $py; run scripts/bench.sh once" >&2; exit 1; }
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for m in sm md; do
  for g in sequoia-ne hipe2020-fr seed-afp-lavrov-wonsan; do
    echo "peer-entities: fr_core_news_$m on $g" >&2
    "$py" "$ev/tools/peer_entities.py" "$ev/entities/$g.jsonl" --model "fr_core_news_$m" \
      --out "$tmp/$m-$g.jsonl" --runs 0 >/dev/null
  done
done
python3 - "$ev" "$tmp" <<'PY'
import json, subprocess, sys
ev, tmp = sys.argv[1], sys.argv[2]
runs = [("sequoia-ne", "sequoia-ne", None), ("sequoia-annodis", "sequoia-ne", "annodis"),
        ("sequoia-frwiki", "sequoia-ne", "frwiki"), ("sequoia-europar", "sequoia-ne", "Europar"),
        ("hipe-test", "hipe2020-fr", "/test/"), ("seed", "seed-afp-lavrov-wonsan", None)]
print("| model | corpus | scoring | PER s/l | LOC s/l | ORG s/l | micro s/l |")
print("|---|---|---|---|---|---|---|")
for m in ("sm", "md"):
    for key, gold, flt in runs:
        for alt in ([], ["--alt"]):
            cmd = [sys.executable, f"{ev}/tools/score_entities.py", f"{ev}/entities/{gold}.jsonl",
                   f"{tmp}/{m}-{gold}.jsonl", "--labels", "PER,LOC,ORG", "--json", *alt]
            if flt:
                cmd += ["--filter", flt]
            r = json.loads(subprocess.run(cmd, capture_output=True, text=True, check=True).stdout)
            cells = [r["labels"][l] for l in ("PER", "LOC", "ORG")] + [r["micro"]]
            print(f"| {m} | {key} | {'--alt' if alt else 'no alt'} | " + " | ".join(
                f"{c['strict']['f1']:.3f} / {c['lenient']['f1']:.3f}" for c in cells) + " |")
PY
