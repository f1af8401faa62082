#!/usr/bin/env bash
# The benchmark of issue 9: every contender in a JVM of its own, same corpus, same model files, one run.
#   scripts/bench.sh           full run (2,000 texts, 3 timed passes; about an hour on 2 cores)
#   scripts/bench.sh --quick   smoke test of the harness (200 texts, 1 pass)
#   scripts/bench.sh --only fastembed,langchain4j   a subset (ids: see BenchMain.RUNS)
#   scripts/bench.sh --texts 1000 --passes 1 --warm 64   a shorter run (e.g. on a busy machine)
#   scripts/bench.sh --corpus long --results bench/results/long   the long-text corpus (mean near 100 tokens)
# Profile of one contender afterwards: bench/profile.sh fastembed (needs perf).
# Extra Maven flags go in BENCH_MAVEN_ARGS, e.g. BENCH_MAVEN_ARGS=-Dfastembed.native.skip=true to reuse the
# last engine build. Writes bench/results/RESULTS.md and bench/results/throughput-memory.png.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/env.sh

# One reactor run, so the class path points at the modules just built, not at older installed jars.
# shellcheck disable=SC2086
mvn -q -B -Pbench -pl bench -am -DskipTests ${BENCH_MAVEN_ARGS:-} package dependency:build-classpath \
  -Dmdep.outputFile=target/runtime.classpath -Dmdep.includeScope=runtime
classpath="bench/target/classes:$(cat bench/target/runtime.classpath)"
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Djava.awt.headless=true \
  -cp "$classpath" dev.fastembed.bench.BenchMain "$@"
