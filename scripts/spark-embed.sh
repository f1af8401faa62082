#!/usr/bin/env bash
# Embeds the text column of a JSONL or Parquet file with Apache Spark and writes Parquet with the vectors:
#   scripts/spark-embed.sh IN OUT [--model NAME | --model-dir DIR | --model-path FILE --tokenizer-path FILE]
#                                 [--kind dense|sparse] [--input-col text] [--batch-size 256] [--master URL] ...
# Runs dev.fastembed.spark.EmbedJob on local[*] unless --master says otherwise (`--help` lists the options).
# Builds the fastembed-spark module and what it needs first (tests skipped; SPARK_EMBED_SKIP_BUILD=1 skips it)
# and runs it with JDK 25 on the module's class path, Spark included. For a cluster, see README "Spark".
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ -z "${SPARK_EMBED_SKIP_BUILD:-}" ]; then
  bash "$root/scripts/setup.sh"
fi
source "$root/scripts/env.sh"

classpath_file="$root/fastembed-spark/target/spark-embed.classpath"
jar="$root/fastembed-spark/target/fastembed-spark-0.1.0-SNAPSHOT.jar"
if [ -z "${SPARK_EMBED_SKIP_BUILD:-}" ] || [ ! -f "$classpath_file" ] || [ ! -f "$jar" ]; then
  echo "spark-embed: building fastembed-spark and what it needs (the first build compiles the Rust engine)" >&2
  # includeScope=compile keeps provided (Spark) and drops test dependencies.
  "$root/scripts/mvn" -B -q -ntp -f "$root/pom.xml" -pl fastembed-spark -am -Dmaven.test.skip=true \
    package dependency:build-classpath -Dmdep.includeScope=compile -Dmdep.outputFile="$classpath_file" >&2
fi

# Spark on JDK 25 needs these opens (spark-submit adds them itself); the engine needs native access.
opens=()
for p in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util java.util.concurrent \
         java.util.concurrent.atomic sun.nio.ch sun.nio.cs sun.util.calendar; do
  opens+=("--add-opens=java.base/$p=ALL-UNNAMED")
done
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED "${opens[@]}" \
  --sun-misc-unsafe-memory-access=allow -Djdk.reflect.useDirectMethodHandle=false -Dio.netty.tryReflectionSetAccessible=true \
  ${SPARK_EMBED_JAVA_OPTS:-} -cp "$jar:$(cat "$classpath_file")" dev.fastembed.spark.EmbedJob "$@"
