#!/usr/bin/env bash
# Regenerates include/fastembed.h from the ffi crate with cbindgen. With --check, fails if the checked-in
# header differs from what the sources generate.
set -euo pipefail
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:/root/.cargo/bin:$PATH"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
crate="$here/rust/crates/ffi"
header="$here/include/fastembed.h"
command -v cbindgen >/dev/null || { echo "cbindgen not found: run scripts/setup.sh" >&2; exit 1; }
generated="$(mktemp)"
trap 'rm -f "$generated"' EXIT
# Run from the workspace so cargo metadata sees .cargo/config.toml (offline Debian sources).
(cd "$here/rust" && cbindgen --quiet --config "$crate/cbindgen.toml" --crate fastembed-ffi --output "$generated" "$crate")
if [ "${1:-}" = "--check" ]; then
  if ! diff -u "$header" "$generated"; then
    echo "include/fastembed.h is out of date: run fastembed-native/generate-header.sh" >&2
    exit 1
  fi
  echo "include/fastembed.h matches the ffi crate"
else
  cp "$generated" "$header"
fi
