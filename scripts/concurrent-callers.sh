#!/usr/bin/env bash
# Concurrent single-query callers against the sample app, with the merging of single-text calls off and on
# (fastembed.models.<name>.batching.enabled): wrk on GET /api/search (one query embedding per request, the Spring AI
# EmbeddingModel.embed(String) path) at 1, 4, 16 and 64 connections; requests/s and p50/p99 per row, with the load
# average of the machine around each run. Writes bench/results/concurrent-callers.md (override with RESULTS=...);
# logs and wrk output stay in sample-app/target/concurrent-callers.
#
# usage: scripts/concurrent-callers.sh [seconds per run, default 20] [connection counts, default "1 4 16 64"]
# The app keeps its pool (2 permits) but waits up to 60 s for a permit, so overload shows as latency, not as 503s.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/setup.sh
source scripts/env.sh
seconds="${1:-20}"
levels="${2:-1 4 16 64}"
results="${RESULTS:-$root/bench/results/concurrent-callers.md}"
work="$root/sample-app/target/concurrent-callers"
rm -rf "$work" && mkdir -p "$work"
app_pid=""
cleanup() {
  if [ -n "$app_pid" ]; then kill "$app_pid" 2>/dev/null; wait "$app_pid" 2>/dev/null || true; fi
}
trap cleanup EXIT

skip=false
[ -n "$(ls fastembed-native/target/classes/natives/*/libfastembed.* 2>/dev/null)" ] && skip=true
if [ "${SKIP_BUILD:-false}" != true ]; then
  echo "concurrent-callers: building the sample app"
  scripts/mvn -B -q -ntp -pl sample-app -am -Dmaven.test.skip=true -Dfastembed.native.skip="$skip" package
fi
jar="$root/sample-app/target/fastembed-sample-app.jar"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
base="http://127.0.0.1:$port"

start_app() { # <batching on|off> <log>
  "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -jar "$jar" --server.address=127.0.0.1 \
    --server.port="$port" --sample.data-dir="$work/data" --fastembed.models.embedded.pool.max-wait=60s \
    --fastembed.models.embedded.pool.eager=true --fastembed.models.embedded.batching.enabled="$1" >"$2" 2>&1 &
  app_pid=$!
  for _ in $(seq 1 300); do
    if curl -sf "$base/actuator/health" >/dev/null 2>&1; then return 0; fi
    kill -0 "$app_pid" 2>/dev/null || { echo "the app died while starting:" >&2; tail -30 "$2" >&2; exit 1; }
    sleep 1
  done
  echo "the app did not become healthy in 300 s" >&2
  exit 1
}

stop_app() {
  kill "$app_pid" && wait "$app_pid" || true
  app_pid=""
}

value() { sed -n "s/^$1 //p" "$2" | head -1; }
load_average() { cut -d' ' -f1 /proc/loadavg; }

rows="$work/rows.txt"
: >"$rows"
for batching in false true; do
  start_app "$batching" "$work/app-batching-$batching.log"
  # Warm-up: JIT, ONNX Runtime's first runs, and the lazy parts of the app.
  wrk -t2 -c16 -d5s -s "$root/scripts/load/search.lua" "$base" >/dev/null
  for connections in $levels; do
    out="$work/batching-$batching-c$connections.wrk"
    before="$(load_average)"
    wrk -t"$(( connections < 2 ? 1 : 2 ))" -c"$connections" -d"${seconds}s" --timeout 60s --latency \
      -s "$root/scripts/load/search.lua" "$base" >"$out"
    after="$(load_average)"
    requests="$(value requests "$out")"
    ok="$(value status_200 "$out")"; ok="${ok:-0}"
    rate="$(python3 -c "print(f'{$requests / $(value seconds "$out"):.1f}')")"
    errors=$(( $(value errors_connect "$out") + $(value errors_read "$out") + $(value errors_write "$out") + $(value errors_timeout "$out") ))
    echo "$batching $connections $rate $(value p50_ms "$out") $(value p99_ms "$out") $requests $((requests - ok)) $errors $before $after" >>"$rows"
    echo "batching $batching, $connections connections: $rate requests/s, p50 $(value p50_ms "$out") ms, p99 $(value p99_ms "$out") ms ($((requests - ok)) not 200, $errors socket errors; load $before -> $after)"
  done
  curl -sf "$base/actuator/health/fastembed/embedded" >"$work/health-batching-$batching.json" 2>/dev/null || true
  stop_app
done

python3 - "$rows" "$results" "$seconds" "$work" <<'PY'
import json, os, platform, subprocess, sys, datetime
rows_file, results, seconds, work = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
rows = [line.split() for line in open(rows_file) if line.strip()]
by = {(r[0], r[1]): r for r in rows}
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "unknown CPU")
commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
loads = [float(x) for r in rows for x in (r[8], r[9])]
cores = os.cpu_count()
def merged():
    try:
        return json.load(open(os.path.join(work, "health-batching-true.json")))["details"]["batching"]
    except Exception:
        return None
out = []
out.append("# Concurrent single-query callers: merging single-text calls off vs on\n")
out.append(f"Run {datetime.datetime.now(datetime.timezone.utc).isoformat(timespec='seconds')} on {cpu}, {cores} cores; "
           f"commit {commit}; `scripts/concurrent-callers.sh {seconds}`.")
shared = max(loads) > cores
out.append(f"Load average (1 min) around the runs: {min(loads):.1f} to {max(loads):.1f}"
           + (f" — above the {cores} cores: **the machine was shared with other work**, so absolute numbers are low "
              "and noisy; the ratios of rows run close together are the point." if shared else "."))
out.append("")
out.append("The sample app (bge-small-en-v1.5 fp32 from the class path, pool of 2 permits, max-wait 60 s), "
           f"`wrk --latency` for {seconds} s per row on `GET /api/search?k=3&q=...` (10 different questions, one "
           "query embedding and one Lucene vector search per request), after a 5 s warm-up at 16 connections. "
           "`batching.enabled=false` is the behaviour before merging (each request one engine call, taking turns for "
           "the cores); `true` merges the queries that arrive while a call runs (window 0, at most 64).")
out.append("")
out.append("| connections | requests/s off | requests/s on | × | p50 off | p50 on | p99 off | p99 on | not 200 / socket errors (off, on) | load avg (off, on) |")
out.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for c in sorted({r[1] for r in rows}, key=int):
    off, on = by.get(("false", c)), by.get(("true", c))
    if not off or not on:
        continue
    ratio = float(on[2]) / float(off[2]) if float(off[2]) else float("nan")
    out.append(f"| {c} | {off[2]} | {on[2]} | {ratio:.2f}× | {off[3]} ms | {on[3]} ms | {off[4]} ms | {on[4]} ms | "
               f"{off[6]}/{off[7]}, {on[6]}/{on[7]} | {off[8]}→{off[9]}, {on[8]}→{on[9]} |")
batching = merged()
if batching and batching.get("mergedCalls"):
    out.append("")
    out.append(f"With merging on, the model's health details counted {batching['mergedCalls']:,} merged engine calls "
               f"carrying {batching['mergedTexts']:,} queries (mean {batching['mergedTexts'] / batching['mergedCalls']:.1f} "
               "per merged call; warm-up and all rows together; lone calls are not counted).")
open(results, "w").write("\n".join(out) + "\n")
print("\n".join(out))
PY
echo "concurrent-callers: results in ${results#"$root"/}"
