#!/usr/bin/env bash
# Measures resident memory (RSS) of bge-small-en-v1.5 embedding bursts of 512-token texts, per token budget
# (padded tokens per ONNX Runtime run) and CPU-arena setting, one process per setting (the arena never gives
# memory back, so settings cannot share a process). Prints a Markdown table for docs/reliability.md.
#
# usage: scripts/memory-bounds.sh [texts per burst, default 64] [concurrent callers, default 1]
#   budgets: MEMORY_BUDGETS="512 4096 8192 16384 32768"; arenas: MEMORY_ARENAS="engine on off"
# "engine" is the engine's own pipeline at its defaults (memory pattern off, arena on); "on"/"off" run the
# same steps on a session opened with the CPU arena on or off.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/scripts/env.sh"
texts="${1:-64}"
concurrency="${2:-1}"
budgets="${MEMORY_BUDGETS:-512 4096 8192 16384 32768}"
arenas="${MEMORY_ARENAS:-engine on off}"
cd "$root/fastembed-native/rust"
cargo build --release --offline -q -p fastembed-reliability --bin memory_bounds
tool="$root/fastembed-native/rust/target/release/memory_bounds"

echo "| token budget | rows of 512 tokens per run | arena | callers | RSS after load (MiB) | peak RSS (MiB) | RSS after (MiB) | texts/s |"
echo "|---:|---:|---|---:|---:|---:|---:|---:|"
for budget in $budgets; do
  for arena in $arenas; do
    line="$("$tool" --budget "$budget" --arena "$arena" --texts "$texts" --bursts 1 --concurrency "$concurrency")"
    value() { printf '%s\n' "$line" | tr '\t' '\n' | sed -n "s/^$1=//p"; }
    echo "| $budget | $((budget / 512 > 0 ? budget / 512 : 1)) | $arena | $concurrency | $(value loaded_mib) | $(value peak_mib) | $(value after_mib) | $(value texts_per_s) |"
  done
done
