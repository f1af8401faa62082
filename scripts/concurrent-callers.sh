#!/usr/bin/env bash
# Concurrent single-query callers against the sample app, with the merging of single-text calls off and on
# (fastembed.models.<name>.batching.enabled): wrk on GET /api/search (one query embedding per request, the Spring AI
# EmbeddingModel.embed(String) path) at 1, 4, 16 and 64 connections; requests/s and p50/p99 per row, with the load
# average of the machine around each run. Writes bench/results/concurrent-callers.md (override with RESULTS=...);
# logs and wrk output stay in sample-app/target/concurrent-callers.
#
# usage: scripts/concurrent-callers.sh [seconds per run, default 15] [connection counts, default "1 4 16 64"]
# APP_ARGS="--fastembed.models.embedded.plan=single-run" passes more arguments to both apps.
# The app keeps its pool (2 permits) but waits up to 60 s for a permit, so overload shows as latency, not as 503s.
# Both apps run side by side (the idle one costs nothing) and each level is measured off, on, on, off, so a change in
# the machine's load during the run falls on both; each row is the mean of its two runs (requests/s over both runs,
# p50/p99 the mean of the two runs' percentiles).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/setup.sh
source scripts/env.sh
seconds="${1:-15}"
levels="${2:-1 4 16 64}"
results="${RESULTS:-$root/bench/results/concurrent-callers.md}"
work="$root/sample-app/target/concurrent-callers"
rm -rf "$work" && mkdir -p "$work"
app_pid=""
cleanup() {
  for p in $app_pid; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT

skip=false
[ -n "$(ls fastembed-native/target/classes/natives/*/libfastembed.* 2>/dev/null)" ] && skip=true
if [ "${SKIP_BUILD:-false}" != true ]; then
  echo "concurrent-callers: building the sample app"
  rm -f sample-app/target/fastembed-sample-app.jar # else an up-to-date jar keeps libraries built before
  scripts/mvn -B -q -ntp -pl sample-app -am -Dmaven.test.skip=true -Dfastembed.native.skip="$skip" package
fi
jar="$root/sample-app/target/fastembed-sample-app.jar"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
declare -A port pid
port[false]="$(free_port)"
port[true]="$(free_port)"
app_pid=""

start_app() { # <batching false|true>
  local log="$work/app-batching-$1.log" base="http://127.0.0.1:${port[$1]}"
  # shellcheck disable=SC2086 # APP_ARGS is split into arguments on purpose
  "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -jar "$jar" --server.address=127.0.0.1 \
    --server.port="${port[$1]}" --sample.data-dir="$work/data-$1" --fastembed.models.embedded.pool.max-wait=60s \
    --fastembed.models.embedded.pool.eager=true --fastembed.models.embedded.batching.enabled="$1" ${APP_ARGS:-} \
    >"$log" 2>&1 &
  pid[$1]=$!
  app_pid="${pid[false]:-} ${pid[true]:-}"
  for _ in $(seq 1 300); do
    if curl -sf "$base/actuator/health" >/dev/null 2>&1; then return 0; fi
    kill -0 "${pid[$1]}" 2>/dev/null || { echo "the app died while starting:" >&2; tail -30 "$log" >&2; exit 1; }
    sleep 1
  done
  echo "the app did not become healthy in 300 s" >&2
  exit 1
}

value() { sed -n "s/^$1 //p" "$2" | head -1; }
load_average() { cut -d' ' -f1 /proc/loadavg; }

run_wrk() { # <batching> <connections> <out>
  wrk -t"$(( $2 < 2 ? 1 : 2 ))" -c"$2" -d"${seconds}s" --timeout 60s --latency \
    -s "$root/scripts/load/search.lua" "http://127.0.0.1:${port[$1]}" >"$3"
}

start_app false
start_app true
for batching in false true; do # warm-up: JIT, ONNX Runtime's first runs, the lazy parts of the app
  wrk -t2 -c16 -d5s -s "$root/scripts/load/search.lua" "http://127.0.0.1:${port[$batching]}" >/dev/null
done
rows="$work/rows.txt"
: >"$rows"
for connections in $levels; do
  declare -A loads=()
  for round in 1 2; do
    order="false true"; [ "$round" = 2 ] && order="true false"
    for batching in $order; do
      loads[$batching]="${loads[$batching]:-} $(load_average)"
      run_wrk "$batching" "$connections" "$work/batching-$batching-c$connections-$round.wrk"
      loads[$batching]="${loads[$batching]} $(load_average)"
    done
  done
  for batching in false true; do
    a="$work/batching-$batching-c$connections-1.wrk" b="$work/batching-$batching-c$connections-2.wrk"
    line="$(python3 - "$a" "$b" ${loads[$batching]} <<'PY'
import sys
def read(path):
    return dict(line.split(None, 1) for line in open(path) if " " in line)
a, b = read(sys.argv[1]), read(sys.argv[2])
loads = [float(x) for x in sys.argv[3:]]
requests = int(a["requests"]) + int(b["requests"])
rate = requests / (float(a["seconds"]) + float(b["seconds"]))
ok = int(a.get("status_200", 0)) + int(b.get("status_200", 0))
errors = sum(int(d[k]) for d in (a, b) for k in ("errors_connect", "errors_read", "errors_write", "errors_timeout"))
p50 = (float(a["p50_ms"]) + float(b["p50_ms"])) / 2
p99 = (float(a["p99_ms"]) + float(b["p99_ms"])) / 2
print(f"{rate:.1f} {p50:.1f} {p99:.1f} {requests} {requests - ok} {errors} {min(loads):.2f} {max(loads):.2f}")
PY
)"
    echo "$batching $connections $line" >>"$rows"
    set -- $line
    echo "batching $batching, $connections connections: $1 requests/s, p50 $2 ms, p99 $3 ms ($5 not 200, $6 socket errors; load $7..$8)"
  done
done
curl -sf "http://127.0.0.1:${port[true]}/actuator/health/fastembed/embedded" >"$work/health-batching-true.json" 2>/dev/null || true
for batching in false true; do kill "${pid[$batching]}" && wait "${pid[$batching]}" || true; done
app_pid=""

python3 - "$rows" "$results" "$seconds" "$work" <<'PY'
import json, os, platform, subprocess, sys, datetime
rows_file, results, seconds, work = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
app_args = os.environ.get("APP_ARGS", "").strip()
app_args = f"APP_ARGS=\"{app_args}\"" if app_args else ""
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
           f"commit {commit}; `{app_args + ' ' if app_args else ''}scripts/concurrent-callers.sh {seconds}`.")
# The app under test and wrk load the machine themselves (2-3 on 2 cores at 16+ connections): only well above
# that was other work running.
shared = max(loads) > 2 * cores
out.append(f"Load average (1 min) around the runs, this run's own processes included: {min(loads):.1f} to "
           f"{max(loads):.1f}"
           + (f" — above twice the {cores} cores: **the machine was shared with other work**, so absolute numbers "
              "are low and noisy; the ratios of rows run close together are the point." if shared else "."))
out.append("")
out.append("The sample app (bge-small-en-v1.5 fp32 from the class path, pool of 2 permits, max-wait 60 s), "
           f"`wrk --latency` for {seconds} s per run, two runs per cell (order off, on, on, off; both apps up side by "
           "side), on `GET /api/search?k=3&q=...` (10 different questions, one "
           "query embedding and one Lucene vector search per request), after a 5 s warm-up at 16 connections. "
           "`batching.enabled=false` is the behaviour before merging (each request one engine call, taking turns for "
           "the cores); `true` merges the queries that arrive while a call runs (window 0, at most 64).")
out.append("")
out.append("| connections | requests/s off | requests/s on | × | p50 off | p50 on | p99 off | p99 on | not 200 / socket errors (off, on) | load avg during (off, on) |")
out.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for c in sorted({r[1] for r in rows}, key=int):
    off, on = by.get(("false", c)), by.get(("true", c))
    if not off or not on:
        continue
    ratio = float(on[2]) / float(off[2]) if float(off[2]) else float("nan")
    out.append(f"| {c} | {off[2]} | {on[2]} | {ratio:.2f}× | {off[3]} ms | {on[3]} ms | {off[4]} ms | {on[4]} ms | "
               f"{off[6]}/{off[7]}, {on[6]}/{on[7]} | {off[8]}–{off[9]}, {on[8]}–{on[9]} |")
batching = merged()
if batching and batching.get("mergedCalls"):
    out.append("")
    out.append(f"With merging on, the model's health details counted {batching['mergedCalls']:,} merged engine calls "
               f"carrying {batching['mergedInputs']:,} queries (mean {batching['mergedInputs'] / batching['mergedCalls']:.1f} "
               "per merged call; warm-up and all rows together; lone calls are not counted).")
open(results, "w").write("\n".join(out) + "\n")
print("\n".join(out))
PY
echo "concurrent-callers: results in ${results#"$root"/}"
