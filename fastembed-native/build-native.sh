#!/usr/bin/env bash
# Builds the Rust engine (libfastembed) offline and copies it to the folder given as $1,
# from where Maven packs it into the jar. Called by Maven in generate-resources.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:?usage: build-native.sh <output-folder>}"

# rustup's cargo (1.95) is preferred over Debian's older rustc.
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:/root/.cargo/bin:$PATH"
if ! command -v cargo >/dev/null 2>&1; then
  echo "fastembed: cargo not found. Install Rust (rustup, cargo >= 1.87) or run scripts/setup.sh." >&2
  exit 1
fi
if [ ! -d /usr/share/cargo/registry ]; then
  echo "fastembed: /usr/share/cargo/registry is missing: the Rust dependencies come from Debian's librust-*-dev packages. Run scripts/setup.sh." >&2
  exit 1
fi

cd "$here/rust"
cargo build --release --offline -p fastembed-ffi
mkdir -p "$out"
case "$(uname -s)" in
  Darwin) lib=libfastembed.dylib ;;
  *) lib=libfastembed.so ;;
esac
cp -f "target/release/$lib" "$out/$lib"
