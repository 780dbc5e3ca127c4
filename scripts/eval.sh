#!/usr/bin/env bash
# Accuracy of `analyze` on the shared gold corpora, beside the best peer of each corpus.
#
#   scripts/eval.sh [--check BASELINE] [--json OUT] [--write-baseline] [-v] [EVAL_DIR]
#
# EVAL_DIR defaults to ../shared/eval (relative to the project root). Builds the release
# binary first (`cargo build --release`, a no-op when it is up to date, found through cargo's JSON
# messages so that CARGO_TARGET_DIR works: scripts/lib.sh; set
# DEPECHE_BIN=path to use another binary and skip the build), then runs scripts/eval.py
# (python3, stdlib only), which prints one table task | corpus | measure | depeche | best peer.
#   --json OUT        write every figure as {"task/corpus/measure": value}
#   --write-baseline  write them into eval/baseline.json (raise the baseline)
#   --check BASELINE  exit 1 when a gated figure is more than 0.005 below BASELINE
#                     (keys containing "seed" are reported, never gated)
# A missing EVAL_DIR is not an error: the script says so and exits 0 ("skipped").
set -euo pipefail

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; }

here=$(pwd)
root=$(cd "$(dirname "$0")/.." && pwd)
abspath() { case "$1" in /*) printf '%s\n' "$1" ;; *) printf '%s/%s\n' "$here" "$1" ;; esac; }

args=()
eval_dir=""
while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --check|--json)
      [ $# -ge 2 ] || { echo "eval.sh: $1 needs a file" >&2; exit 2; }
      args+=("$1" "$(abspath "$2")"); shift 2 ;;
    --check=*|--json=*) args+=("${1%%=*}" "$(abspath "${1#*=}")"); shift ;;
    --write-baseline|-v|--verbose) args+=("$1"); shift ;;
    -*) echo "eval.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
    *) [ -z "$eval_dir" ] || { echo "eval.sh: one EVAL_DIR only" >&2; exit 2; }
       eval_dir=$(abspath "$1"); shift ;;
  esac
done

cd "$root"
[ -n "$eval_dir" ] || eval_dir="$root/../shared/eval"
if [ ! -d "$eval_dir" ]; then
  echo "eval: $eval_dir not found (the shared gold corpora are not beside the project): skipped"
  exit 0
fi

if [ -n "${DEPECHE_BIN:-}" ]; then
  bin=$DEPECHE_BIN
else
  . "$root/scripts/lib.sh"
  bin=$(depeche_release_bin "$root" eval) || exit 1
fi
[ -x "$bin" ] || { echo "eval: $bin is not an executable" >&2; exit 1; }

exec python3 "$root/scripts/eval.py" --bin "$bin" "${args[@]+"${args[@]}"}" "$eval_dir"
