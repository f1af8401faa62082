#!/usr/bin/env bash
# Tests of scripts/check-setup.sh: it passes on the real lists and fails, naming the culprit, on a crate no
# package provides, on a crate whose package setup does not pull in, and on a missing tool package.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
lock="$here/../fastembed-native/rust/Cargo.lock"
passed=0 failed=0

# expect_failure NAME PATTERN ARGS...: the check must exit non-zero and print PATTERN.
expect_failure() {
  local name="$1" pattern="$2"; shift 2
  if out="$(bash "$here/check-setup.sh" "$@" 2>&1)"; then
    echo "FAIL $name: the check passed"; failed=$((failed + 1))
  elif ! grep -qF -- "$pattern" <<<"$out"; then
    echo "FAIL $name: no '$pattern' in: $out"; failed=$((failed + 1))
  else
    echo "ok   $name"; passed=$((passed + 1))
  fi
}

if bash "$here/check-setup.sh" >/dev/null; then
  echo "ok   the project's own lists pass"; passed=$((passed + 1))
else
  echo "FAIL the project's own lists do not pass"; failed=$((failed + 1))
fi

cp "$lock" "$work/made-up.lock"
printf '\n[[package]]\nname = "made-up-crate"\nversion = "9.9.9"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\n' >> "$work/made-up.lock"
expect_failure "a lock entry no package provides" "crate made-up-crate 9.9.9: /usr/share/cargo/registry/made-up-crate-9.9.9 is missing" --lock "$work/made-up.lock"

grep -vx 'librust-proptest+default-dev' "$here/packages.txt" > "$work/no-proptest-defaults.txt"
expect_failure "proptest without its default features" "crate quick-error" --packages "$work/no-proptest-defaults.txt"

grep -vx 'wrk' "$here/packages.txt" > "$work/no-wrk.txt"
expect_failure "a tool whose package is not listed" "cmd wrk: provided by wrk" --packages "$work/no-wrk.txt"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
