#!/usr/bin/env bash
# Issue 20's Spark bench: texts/s of FastEmbedTransformer on local[1] and local[2] vs the plain Java API, same
# texts and model (bge-small-en-v1.5), each in a JVM of its own. Prints a Markdown table.
#   bench/spark-bench.sh [TEXTS]      (default 1000 paragraphs of /usr/share/common-licenses)
# Extra Maven flags in BENCH_MAVEN_ARGS, e.g. -Dfastembed.native.skip=true to reuse the last engine build.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/env.sh
texts="${1:-1000}"
# shellcheck disable=SC2086
scripts/mvn -q -B -ntp -pl fastembed-spark -am -DskipTests ${BENCH_MAVEN_ARGS:-} test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >&2
root="$PWD"
classpath="$root/fastembed-spark/target/test-classes:$root/fastembed-spark/target/classes:$(cat fastembed-spark/target/bench.classpath)"
opens=()
for p in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util java.util.concurrent \
         java.util.concurrent.atomic sun.nio.ch sun.nio.cs sun.util.calendar; do
  opens+=("--add-opens=java.base/$p=ALL-UNNAMED")
done
echo "| run | texts | seconds | texts/s | peak RSS |"
echo "|---|---:|---:|---:|---:|"
for mode in java 'local[1]' 'local[2]'; do
  (cd fastembed-spark && "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED "${opens[@]}" \
    --sun-misc-unsafe-memory-access=allow -Xmx2g -cp "$classpath" dev.fastembed.spark.SparkBench "$mode" "$texts" \
    2>/dev/null | grep '^|')
done
