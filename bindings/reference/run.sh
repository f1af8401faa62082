#!/usr/bin/env bash
# Prepares what the C example and the Go binding's tests run on, in bindings/reference/target: the
# bge-small-en-v1.5 model folder and libonnxruntime.so (scripts/test-model.sh), and reference.json plus
# tiny-cross-encoder/, tiny-image-model/, tiny-colpali/ and images/ from BindingReference.java, which computes
# the expected results without the fastembed engine. The Java step reruns whenever anything it derives from is
# newer than its output.
# usage: bindings/reference/run.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
here="$root/bindings/reference"
out="$here/target"
tiny_onnx="$root/fastembed-native/src/test/java/dev/fastembed/testing/TinyOnnx.java"
murmur3="$root/fastembed-native/src/test/java/dev/fastembed/testing/Murmur3.java"
"$root/scripts/test-model.sh" "$out"

fresh=true
for output in reference.json tiny-cross-encoder/model.onnx tiny-image-model/model.onnx \
              tiny-image-model/preprocessor_config.json tiny-colpali/model.onnx \
              tiny-colpali/preprocessor_config.json; do
  [ -f "$out/$output" ] || fresh=false
done
for input in "$here/BindingReference.java" "$here/pom.xml" "$tiny_onnx" "$murmur3" "$out/bge-small-en-v1.5/model.onnx" \
             "$out/bge-small-en-v1.5/tokenizer.json"; do
  [ "$fresh" = true ] && [ "$input" -nt "$out/reference.json" ] && fresh=false
done
[ "$fresh" = true ] && exit 0

source "$root/scripts/env.sh" # JDK 25
# The class path comes from the pom; the program is compiled and run with plain javac/java. TinyOnnx (the
# project's test-graph writer) builds the reference cross-encoder, image model and ColPali-like model; Murmur3
# gives the BM25 indices.
"$root/scripts/mvn" -B -ntp -q -f "$here/pom.xml" dependency:build-classpath \
  -Dmdep.outputFile="$out/reference.classpath" >&2
classpath="$(cat "$out/reference.classpath")"
rm -rf "$out/classes"
javac -d "$out/classes" -cp "$classpath" "$here/BindingReference.java" "$tiny_onnx" "$murmur3"
java --enable-native-access=ALL-UNNAMED -cp "$out/classes:$classpath" dev.fastembed.bindingreference.BindingReference \
  "$out/bge-small-en-v1.5" "$out" "$out/reference.json.part"
mv "$out/reference.json.part" "$out/reference.json"
