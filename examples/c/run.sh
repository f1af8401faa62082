#!/usr/bin/env bash
# Builds the C example against include/fastembed.h and the release libfastembed, then runs it on a
# bge-small-en-v1.5 model folder under valgrind (leaks and memory errors fail the run). Used by scripts/test.sh.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="$root/examples/c/target"
mkdir -p "$work"
lib="$root/fastembed-native/rust/target/release"
[ -f "$lib/libfastembed.so" ] || { echo "build libfastembed first (scripts/test.sh does)" >&2; exit 1; }

"$root/scripts/test-model.sh" "$work"

cc -std=c11 -Wall -Wextra -Werror -O1 -g -I "$root/fastembed-native/include" "$root/examples/c/embed.c" \
   -L "$lib" -lfastembed -Wl,-rpath,"$lib" -lm -o "$work/embed"

args=("$work/libonnxruntime.so" "$work/bge-small-en-v1.5" cls 1)
if command -v valgrind >/dev/null && [ "${FASTEMBED_NO_VALGRIND:-}" != 1 ]; then
  # ONNX Runtime keeps process-lifetime singletons (reported as "still reachable"), which are not leaks.
  valgrind --quiet --error-exitcode=3 --leak-check=full --errors-for-leak-kinds=definite \
    --suppressions="$root/examples/c/valgrind.supp" --num-callers=40 \
    --show-leak-kinds=definite "$work/embed" "${args[@]}"
else
  "$work/embed" "${args[@]}"
fi
