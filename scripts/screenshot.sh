#!/usr/bin/env bash
# Render the seed's HTML page and the report over the samples (or a generated corpus) in
# headless Chromium, into PNG files, at desktop (1280 px) and phone (390 px) widths.
#
#   scripts/screenshot.sh [OUT_DIR]        (OUT_DIR defaults to target/screenshots)
#
# DEPECHE_BIN picks the binary (default: target/release/analyze, built if missing);
# CORPUS=N makes the report over N generated dispatches (scripts/make-corpus.sh) instead of
# samples/. Skips cleanly (exit 0, one line) when no chromium is installed.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/target/screenshots}
browser=""
for b in chromium chromium-browser google-chrome; do
  if command -v "$b" > /dev/null 2>&1; then browser=$b; break; fi
done
if [ -z "$browser" ]; then
  echo "screenshot.sh: no chromium found, skipped (apt-get install chromium)"
  exit 0
fi
. "$root/scripts/lib.sh"
if [ -n "${DEPECHE_BIN:-}" ]; then
  bin=$DEPECHE_BIN
else
  bin=$(depeche_release_bin "$root" screenshot) || exit 1
fi
mkdir -p "$out"
out=$(cd "$out" && pwd)
cd "$root"
"$bin" --format html --date 2025-07-12 samples/afp-lavrov-wonsan.txt > "$out/seed.html"
if [ -n "${CORPUS:-}" ]; then
  corpus=$(mktemp -d)
  trap 'rm -rf "$corpus"' EXIT
  scripts/make-corpus.sh "$corpus" "$CORPUS" > /dev/null
  "$bin" --report --format html --quiet "$corpus" > "$out/report.html"
else
  "$bin" --report --format html --quiet samples/*.txt > "$out/report.html"
fi
shot() { # page width height png
  # A fresh profile each time: no state shared with a desktop browser; no network needed.
  local profile
  profile=$(mktemp -d)
  timeout 120 "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars \
    --user-data-dir="$profile" --window-size="$2,$3" --screenshot="$out/$4" \
    "file://$out/$1" > /dev/null 2>&1 || { rm -rf "$profile"; echo "screenshot.sh: $browser failed on $1" >&2; return 1; }
  rm -rf "$profile"
  [ -s "$out/$4" ] || { echo "screenshot.sh: no $4 written" >&2; return 1; }
  echo "$out/$4"
}
shot seed.html 1280 2000 seed-1280.png
shot seed.html 390 2400 seed-390.png
shot report.html 1280 2400 report-1280.png
shot report.html 390 2400 report-390.png
