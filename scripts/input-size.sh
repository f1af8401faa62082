#!/usr/bin/env bash
# Time and peak resident memory of embedding one text of 1 KB ... 50 MB with bge-small-en-v1.5 (512 tokens
# kept), one process per size and script; prints the Markdown table of docs/reliability.md ("Input size").
#
# usage: scripts/input-size.sh            sizes: INPUT_SIZES="1024 65536 1048576 10485760 52428800"
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/scripts/env.sh"
sizes="${INPUT_SIZES:-1024 65536 1048576 10485760 52428800}"
cd "$root/fastembed-native/rust"
cargo build --release --offline -q -p fastembed-reliability --bin input_size
tool="$root/fastembed-native/rust/target/release/input_size"

echo "| text | bytes | RSS before the call (MiB) | peak RSS growth in the call (MiB) | embed (ms) | tokenize as a pair (ms) |"
echo "|---|---:|---:|---:|---:|---:|"
for script in latin cjk; do
  for size in $sizes; do
    line="$("$tool" --bytes "$size" --script "$script")"
    value() { printf '%s\n' "$line" | tr '\t' '\n' | sed -n "s/^$1=//p"; }
    echo "| $script | $(value bytes) | $(value before_mib) | $(value peak_growth_mib) | $(value embed_ms) | $(value pair_ms) |"
  done
done
