#!/usr/bin/env bash
# Builds the C example against include/fastembed.h and the release libfastembed, then runs it on a
# bge-small-en-v1.5 model folder and a cross-encoder folder under valgrind (leaks and memory errors fail the
# run). Used by scripts/test.sh.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="$root/examples/c/target"
mkdir -p "$work"
lib="$root/fastembed-native/rust/target/release"
[ -f "$lib/libfastembed.so" ] || { echo "build libfastembed first (scripts/test.sh does)" >&2; exit 1; }

# The model folder, ONNX Runtime and a small cross-encoder (no real reranker ships in the local Maven repository).
"$root/bindings/reference/run.sh"
models="$root/bindings/reference/target"

cc -std=c11 -Wall -Wextra -Werror -O1 -g -I "$root/fastembed-native/include" "$root/examples/c/embed.c" \
   -L "$lib" -lfastembed -Wl,-rpath,"$lib" -lm -o "$work/embed"

args=("$models/libonnxruntime.so" "$models/bge-small-en-v1.5" "$models/tiny-cross-encoder")
if command -v valgrind >/dev/null && [ "${FASTEMBED_NO_VALGRIND:-}" != 1 ]; then
  # ONNX Runtime keeps process-lifetime singletons (reported as "still reachable"), which are not leaks.
  valgrind --quiet --error-exitcode=3 --leak-check=full --errors-for-leak-kinds=definite \
    --suppressions="$root/examples/c/valgrind.supp" --num-callers=40 \
    --show-leak-kinds=definite "$work/embed" "${args[@]}"
else
  "$work/embed" "${args[@]}"
fi

# Failing calls of every kind, each error freed as the header says: an error object, handle or result left
# unfreed would be a "definitely lost" leak. The second run forgets one error on purpose; valgrind must see it.
cc -std=c11 -Wall -Wextra -Werror -O1 -g -I "$root/fastembed-native/include" "$root/examples/c/failing_calls.c" \
   -L "$lib" -lfastembed -Wl,-rpath,"$lib" -o "$work/failing_calls"
failing=("$models/libonnxruntime.so" "$models/bge-small-en-v1.5" "$work")
if command -v valgrind >/dev/null && [ "${FASTEMBED_NO_VALGRIND:-}" != 1 ]; then
  leaks=(valgrind --quiet --error-exitcode=3 --leak-check=full --errors-for-leak-kinds=definite
         --suppressions="$root/examples/c/valgrind.supp" --num-callers=40 --show-leak-kinds=definite)
  # The deliberate panic's backtrace is slow to symbolize under valgrind and says nothing here.
  env -u RUST_BACKTRACE "${leaks[@]}" "$work/failing_calls" "${failing[@]}" 3 2> >(grep -v "deliberate panic\|panicked at\|RUST_BACKTRACE" >&2)
  status=0
  env -u RUST_BACKTRACE FAILING_CALLS_LEAK_ONE=1 "${leaks[@]}" "$work/failing_calls" "${failing[@]}" 1 >/dev/null 2>&1 || status=$?
  [ "$status" -eq 3 ] || { echo "valgrind did not report the error left unfreed on purpose (status $status)" >&2; exit 1; }
  echo "failing_calls: valgrind reports an error left unfreed on purpose, as it should"
else
  "$work/failing_calls" "${failing[@]}" 3
fi
