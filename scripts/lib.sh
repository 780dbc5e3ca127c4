# Shared by the scripts (sourced, not run): build the release binary and find where cargo put
# it, so that they work with CARGO_TARGET_DIR or a `[build] target-dir` set (CI), never
# assuming target/release.
#
#   . "$root/scripts/lib.sh"
#   bin=$(depeche_release_bin "$root" eval) || exit 1

# The path of the `analyze` executable in cargo's JSON messages on stdin (the
# compiler-artifact line of the bin target; build scripts have `"executable":null`).
depeche_executable_from_messages() {
  sed -n 's/.*"reason":"compiler-artifact".*"executable":"\([^"]*\/analyze\(\.exe\)\{0,1\}\)".*/\1/p' | tail -n 1
}

# Builds `analyze` with `cargo build --release` in ROOT (a no-op when up to date) and prints
# its path. TAG prefixes the error messages. Compiler diagnostics go to stderr only on failure.
depeche_release_bin() {
  local root=$1 tag=$2 log messages exe
  log=$(mktemp)
  if ! messages=$(cd "$root" && cargo build --release --bin analyze \
      --message-format=json-render-diagnostics 2>"$log"); then
    cat "$log" >&2
    rm -f "$log"
    echo "$tag: cargo build --release failed" >&2
    return 1
  fi
  rm -f "$log"
  exe=$(printf '%s\n' "$messages" | depeche_executable_from_messages)
  if [ -z "$exe" ] || [ ! -x "$exe" ]; then
    echo "$tag: cargo build did not report an analyze executable" >&2
    return 1
  fi
  printf '%s\n' "$exe"
}
