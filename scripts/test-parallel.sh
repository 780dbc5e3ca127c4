#!/usr/bin/env bash
# Exercises the GNU parallel recipe of docs/scale.md:
#
#   parallel --pipe -k -N1000 --block 16M analyze --input jsonl --quiet < in.jsonl > out.jsonl
#
# on a JSON Lines corpus of N articles (default 5000) made from samples/ with
# scripts/make-corpus.sh, and checks: one output line per input line, ids back in input order,
# every line a JSON object, the same bytes as one `analyze --input jsonl` process, and that
# the exit status reports a bad line. Installs GNU parallel with apt-get when it is missing.
#
#   scripts/test-parallel.sh [N]
#
# Env: ANALYZE (default: the release binary, built with cargo wherever its target dir is), JOBS (parallel -j, default
# the number of cores). Prints "N passed, N failed" and exits 1 if any check failed.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-5000}
analyze=${ANALYZE:-}
jobs=${JOBS:-$(nproc)}
passed=0
failed=0
check() { # check NAME COMMAND...: runs COMMAND, counts the result
  local name=$1
  shift
  if "$@"; then
    passed=$((passed + 1))
    echo "ok   $name"
  else
    failed=$((failed + 1))
    echo "FAIL $name"
  fi
}

if ! command -v parallel >/dev/null 2>&1; then
  echo "test-parallel: installing GNU parallel (apt-get)" >&2
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo=sudo
  if ! $sudo apt-get install -y -qq parallel >/dev/null 2>&1; then
    $sudo apt-get update -qq >/dev/null && $sudo apt-get install -y -qq parallel >/dev/null
  fi
fi
if ! parallel --version 2>/dev/null | head -1 | grep -q 'GNU parallel'; then
  echo "test-parallel: GNU parallel is not available" >&2
  echo "0 passed, 1 failed"
  exit 1
fi
parallel --version | head -1 >&2

if [ -z "$analyze" ]; then
  . "$root/scripts/lib.sh"
  analyze=$(depeche_release_bin "$root" test-parallel) || { echo "0 passed, 1 failed"; exit 1; }
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A folder of N dispatches, then one JSON Lines article per file, in sorted path order.
"$root/scripts/make-corpus.sh" "$work/corpus" "$n" >&2 || { echo "0 passed, 1 failed"; exit 1; }
python3 - "$work/corpus" "$work/in.jsonl" <<'PY'
import json, os, sys
root, out = sys.argv[1], sys.argv[2]
with open(out, "w", encoding="utf-8") as fh:
    for d, dirs, files in os.walk(root):
        dirs.sort()
        for f in sorted(files):
            if not f.endswith(".txt"):
                continue
            p = os.path.join(d, f)
            raw = open(p, "rb").read()
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                text = raw.decode("cp1252", errors="replace")  # the Windows-1252 sample
            rel = os.path.relpath(p, root)
            fh.write(json.dumps({"id": rel, "text": text, "source": "test-parallel"},
                                ensure_ascii=False) + "\n")
PY
lines_in=$(wc -l < "$work/in.jsonl")
echo "test-parallel: $lines_in input lines, $(wc -c < "$work/in.jsonl") bytes, parallel -j$jobs" >&2

# 1. The recipe, with --keep-order.
start=$(date +%s.%N)
parallel --pipe -k -N1000 --block 16M -j"$jobs" "$analyze" --input jsonl --quiet \
  < "$work/in.jsonl" > "$work/out.jsonl"
status=$?
end=$(date +%s.%N)
echo "test-parallel: parallel run $(awk "BEGIN{printf \"%.2f\", $end - $start}") s" >&2
check "parallel exits 0" test "$status" -eq 0
lines_out=$(wc -l < "$work/out.jsonl")
check "output lines ($lines_out) = input lines ($lines_in)" test "$lines_out" -eq "$lines_in"

# 2. Ids in input order, every line a JSON object with schema_version and no error.
python3 - "$work/in.jsonl" "$work/out.jsonl" > "$work/ids.txt" <<'PY'
import json, sys
ids_in = [json.loads(l)["id"] for l in open(sys.argv[1], encoding="utf-8")]
ids_out, bad = [], 0
for l in open(sys.argv[2], encoding="utf-8"):
    try:
        o = json.loads(l)
    except ValueError:
        bad += 1
        continue
    if not isinstance(o, dict) or "error" in o or o.get("schema_version") != "1":
        bad += 1
    ids_out.append(o.get("id") if isinstance(o, dict) else None)
print("order", "same" if ids_in == ids_out else "different")
print("bad", bad)
PY
check "ids come back in input order" grep -qx "order same" "$work/ids.txt"
check "every output line is an analysis" grep -qx "bad 0" "$work/ids.txt"

# 3. Same bytes as a single process.
start=$(date +%s.%N)
"$analyze" --input jsonl --quiet < "$work/in.jsonl" > "$work/single.jsonl"
end=$(date +%s.%N)
echo "test-parallel: single process $(awk "BEGIN{printf \"%.2f\", $end - $start}") s" >&2
check "parallel output = single-process output (same bytes)" cmp -s "$work/out.jsonl" "$work/single.jsonl"

# 4. A bad line keeps its place (error record) and the exit status says so.
{ head -n 1500 "$work/in.jsonl"; echo '{"id": "broken", "text": '; tail -n +1501 "$work/in.jsonl"; } > "$work/bad.jsonl"
parallel --pipe -k -N1000 --block 16M -j"$jobs" "$analyze" --input jsonl --quiet \
  < "$work/bad.jsonl" > "$work/bad.out.jsonl"
status=$?
check "a bad line makes parallel exit non-zero ($status)" test "$status" -ne 0
check "a bad line still gives one line out per line in" \
  test "$(wc -l < "$work/bad.out.jsonl")" -eq "$((lines_in + 1))"
check "the bad line's error record is at its place (line 1501)" \
  sh -c "sed -n 1501p '$work/bad.out.jsonl' | grep -q '\"kind\":\"invalid_json\"'"
# Its "line" counts within the chunk one `analyze` process read (1501 - 1000 = 501), not the file.
check "the error record's line is relative to its chunk (501)" \
  sh -c "sed -n 1501p '$work/bad.out.jsonl' | grep -q '\"line\":501'"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
