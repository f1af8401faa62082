#!/usr/bin/env bash
# Where TextEmbedding spends CPU time around ONNX Runtime: runs the "fastembed" contender of the benchmark in
# embed mode under perf (software cpu-clock sampling, so it works where hardware counters are not exposed)
# and sums self time by component. Run scripts/bench.sh (or --quick) first: it builds the class path jar and
# the corpus this uses.
#   bench/profile.sh [contender] [passes]     default: fastembed 1
#   BENCH_WORK=/tmp/bench-long bench/profile.sh fastembed-auto   on the work folder of a `bench.sh --work` run
# Needs perf (Debian: linux-perf). Output: <work>/profile-<contender>.txt
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/env.sh
contender="${1:-fastembed}"
passes="${2:-1}"
work="${BENCH_WORK:-bench/target/bench}"
[ -f "$work/classpath.jar" ] || { echo "run scripts/bench.sh --quick first" >&2; exit 1; }
command -v perf >/dev/null || { echo "perf not found: apt-get install linux-perf" >&2; exit 1; }

data="$work/perf-$contender.data"
# The JIT writes /tmp/perf-<pid>.map at exit so perf can name compiled Java methods.
perf record -q -e cpu-clock -F 499 -o "$data" -- \
  "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit \
  -cp "$work/classpath.jar" dev.fastembed.bench.Child embed "$contender" "$work/corpus.txt" "$work/models" \
  "$work/profile-$contender.properties" "$passes" 32 20 0 >/dev/null

report="$work/profile-$contender.txt"
perf report -i "$data" --no-children --sort dso,sym --stdio -g none 2>/dev/null \
  | grep -E '^ +[0-9.]+%' > "$report.symbols"
# Components, by library and symbol name (self time, all threads).
awk '
  { pct = $1; sub("%", "", pct); line = $0 }
  /libonnxruntime/ && /(WorkerLoop|Spin|spin|ThreadPool|futex|Schedule)/ { add("ORT thread pool (spin/wait/schedule)", pct); next }
  /libonnxruntime/                      { add("ORT compute (inside Run)", pct); next }
  /libfastembed/ && /(tokeniz|normaliz|WordPiece|wordpiece|pre_token|regex|unicode|Encoding|vocab|added_token)/ { add("engine: tokenization", pct); next }
  /libfastembed/ && /(TokenBatch|session::)/ { add("engine: input tensors", pct); next }
  /libfastembed/ && /(pool|l2_normalize)/ { add("engine: pooling + normalize", pct); next }
  /libfastembed/ && /(batching|plan)/    { add("engine: batch planning", pct); next }
  /libfastembed/                        { add("engine: other (" $NF ")", pct); next }
  /libc\.so|libc-/ && /(memcpy|memmove|memset)/ { add("libc memcpy/memset", pct); next }
  /libc\.so|libc-/ && /(malloc|free|realloc|cfree|_int_)/ { add("libc malloc/free", pct); next }
  /libc\.so|libc-/                      { add("libc other", pct); next }
  /libjvm/                              { add("JVM (GC, JIT, runtime)", pct); next }
  /perf-[0-9]+\.map|\[JIT\]|jitted/      { add("Java (compiled)", pct); next }
  /\[kernel/                            { add("kernel", pct); next }
  { add("other: " $2, pct) }
  function add(k, v) { total[k] += v }
  END { for (k in total) printf "%6.2f%%  %s\n", total[k], k }
' "$report.symbols" | sort -rn > "$report"
echo "samples: $(perf report -i "$data" --stdio 2>/dev/null | grep -m1 -oE 'of event .cpu-clock.*|Samples: [0-9KM]+' || true)" >> "$report"
cat "$report"
echo "per-symbol detail: $report.symbols"
