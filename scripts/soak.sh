#!/usr/bin/env bash
# Soak test: embeds on bge-small-en-v1.5 for the given time from two threads (varied batches and texts, now
# and then a tokenizer or model loaded and closed and a failing call), sampling the C allocator's bytes in use,
# the Java heap and resident memory every 2 s; fails if one grows after warm-up by more than its bound (16 MiB,
# 16 MiB, 96 MiB; -Dsoak.maxMallocGrowthMiB / -Dsoak.maxHeapGrowthMiB / -Dsoak.maxRssGrowthMiB through
# SOAK_JAVA_OPTS). Samples go to fastembed-native/target/soak.csv. scripts/test.sh runs a 45 s version.
#
# usage: scripts/soak.sh [seconds, default 600]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/scripts/env.sh"
seconds="${1:-600}"
cd "$root"
# Reuse the engine already built into target/classes (mvn verify does it); build it otherwise.
skip=false
[ -n "$(ls fastembed-native/target/classes/natives/*/libfastembed.* 2>/dev/null)" ] && skip=true
scripts/mvn -q -B -ntp -pl fastembed-native -Dfastembed.native.skip="$skip" test-compile \
  dependency:build-classpath -Dmdep.outputFile=target/soak.classpath -Dmdep.includeScope=test
cd fastembed-native
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED ${SOAK_JAVA_OPTS:-} \
  -cp "target/test-classes:target/classes:$(cat target/soak.classpath)" \
  dev.fastembed.reliability.Soak "$seconds" target/soak.csv
