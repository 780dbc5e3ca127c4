#!/usr/bin/env bash
# Runs the Spark recipe of docs/scale.md for real, in PySpark local mode: a JSON Lines corpus
# as an RDD of lines, piped through `analyze --input jsonl --quiet` with RDD.pipe, then checks
# that there is one output line per input line and that each one is a JSON object with an id.
#
#   scripts/spark-demo.sh [N]        N articles (default 2000), made from samples/
#
# Needs: python3 (with venv), a Java 17 runtime (JAVA_HOME, else the java on PATH), network
# access to PyPI the first time: PySpark (~300 MB) goes into a venv under
# $HOME/.cache/depeche-spark-venv and is reused afterwards. Env: PYSPARK_VERSION (3.5.7),
# ANALYZE (default: the release binary, built with cargo wherever its target dir is), SPARK_PARTITIONS (4).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-2000}
version=${PYSPARK_VERSION:-3.5.7}
venv=${SPARK_VENV:-$HOME/.cache/depeche-spark-venv}
partitions=${SPARK_PARTITIONS:-4}
if [ -z "${ANALYZE:-}" ]; then
  . "$root/scripts/lib.sh"
  ANALYZE=$(depeche_release_bin "$root" spark-demo) || exit 1
fi
analyze=$ANALYZE
analyze=$(cd "$(dirname "$analyze")" && pwd)/$(basename "$analyze")

if [ -z "${JAVA_HOME:-}" ]; then
  for d in /usr/lib/jvm/java-17-openjdk-amd64 /usr/lib/jvm/java-17-openjdk*; do
    if [ -x "$d/bin/java" ]; then export JAVA_HOME=$d; break; fi
  done
fi
java_bin=${JAVA_HOME:+$JAVA_HOME/bin/}java
"$java_bin" -version 2>&1 | head -1 | sed 's/^/spark-demo: java: /' >&2

if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import pyspark, sys; sys.exit(pyspark.__version__ != '$version')" 2>/dev/null; then
  echo "spark-demo: installing pyspark==$version into $venv (first run: ~300 MB from PyPI)" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --upgrade pip
  "$venv/bin/pip" install --quiet "pyspark==$version"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$root/scripts/make-corpus.sh" "$work/corpus" "$n" >&2
python3 - "$work/corpus" "$work/in.jsonl" <<'PY'
import json, os, sys
root, out = sys.argv[1], sys.argv[2]
with open(out, "w", encoding="utf-8") as fh:
    for d, _, files in sorted(os.walk(root)):
        for f in sorted(files):
            if f.endswith(".txt"):
                p = os.path.join(d, f)
                raw = open(p, "rb").read()
                try:
                    text = raw.decode("utf-8-sig")
                except UnicodeDecodeError:
                    text = raw.decode("cp1252", errors="replace")  # the Windows-1252 sample
                fh.write(json.dumps({"id": os.path.relpath(p, root), "text": text}, ensure_ascii=False) + "\n")
PY

cat > "$work/demo.py" <<'PY'
import json, sys, time
from pyspark import SparkConf, SparkContext

analyze, path, partitions = sys.argv[1], sys.argv[2], int(sys.argv[3])
conf = SparkConf().setMaster(f"local[{partitions}]").setAppName("depeche-spark-demo") \
    .set("spark.ui.enabled", "false").set("spark.ui.showConsoleProgress", "false")
sc = SparkContext(conf=conf)
sc.setLogLevel("ERROR")
started = time.time()
lines = sc.textFile("file://" + path, minPartitions=partitions)
n_in = lines.count()
# The recipe: each partition's lines go to one `analyze` process on its stdin, one output line
# per input line comes back, in the partition's order.
out = lines.pipe(analyze + " --input jsonl --quiet").cache()

def check(line):
    try:
        obj = json.loads(line)
    except ValueError:
        return ("not_json", None)
    if not isinstance(obj, dict) or "id" not in obj:
        return ("no_id", None)
    return ("error_record" if "error" in obj else "ok", obj["id"])

checked = out.map(check).cache()
n_out = checked.count()
kinds = dict(checked.map(lambda r: (r[0], 1)).reduceByKey(lambda a, b: a + b).collect())
ids_in = lines.map(lambda l: json.loads(l)["id"]).collect()
ids_out = checked.map(lambda r: r[1]).collect()
people = out.flatMap(lambda l: [p["name"] for p in json.loads(l).get("people", [])]) \
    .map(lambda n: (n, 1)).reduceByKey(lambda a, b: a + b) \
    .takeOrdered(3, key=lambda kv: -kv[1])
secs = time.time() - started
sc.stop()

failures = []
if n_out != n_in:
    failures.append(f"{n_out} output lines for {n_in} input lines")
if kinds.get("ok", 0) != n_in:
    failures.append(f"line kinds {kinds}")
if ids_out != ids_in:
    failures.append("ids not in input order")
print(f"spark-demo: {n_in} lines in, {n_out} out, kinds {kinds}, ids in order: {ids_out == ids_in}, "
      f"{partitions} partitions, {secs:.1f} s; most named: {people}")
if failures:
    print("spark-demo: FAILED: " + "; ".join(failures))
    sys.exit(1)
print("spark-demo: OK")
PY

PYSPARK_PYTHON="$venv/bin/python" "$venv/bin/python" "$work/demo.py" "$analyze" "$work/in.jsonl" "$partitions"
