#!/usr/bin/env bash
# Fuzzes the tokenizer and the C ABI for a while (the same targets CI runs briefly, with many more cases):
# random tokenizer.json configurations and mutated real ones, random options JSON and text buffers through
# the ffi functions. Rounds of fresh random cases run until the time is up; the first failure stops it and
# prints how to replay it (proptest also saves failing cases under crates/reliability/proptest-regressions).
#
# usage: scripts/fuzz.sh [seconds, default 600]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/scripts/env.sh"
seconds="${1:-600}"
cd "$root/fastembed-native/rust"
cargo build --profile ci --offline -p fastembed-reliability --tests

end=$((SECONDS + seconds))
round=0
while [ "$SECONDS" -lt "$end" ]; do
  round=$((round + 1))
  base=$(( (RANDOM << 15 | RANDOM) * 1000 + 1 ))
  printf '\n==> fuzz round %d (mutation seeds from %d), %d s left\n' "$round" "$base" "$((end - SECONDS))"
  PROPTEST_CASES=500 FUZZ_SEEDS=300 FUZZ_SEED_BASE="$base" \
    cargo test --profile ci --offline -q -p fastembed-reliability --test tokenizer_fuzz --test ffi_fuzz
done
echo "fuzz: $round rounds without a failure"
