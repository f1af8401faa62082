#!/usr/bin/env bash
# Load test of the sample app on 127.0.0.1 with wrk: many more connections than model permits.
#
#   1. queued:   pool of 2, max-wait 60 s — every request waits its turn: all 200, p50/p90/p99 reported.
#   2. shedding: pool of 2, max-wait 100 ms — the overflow is refused with 503 + Retry-After (a problem detail);
#                no other 5xx.
#   In both: no socket errors or timeouts, and the server answered every request wrk sent (its own count of
#   /api/search requests, from /actuator/metrics, minus the ones wrk cut off when time ran out).
#   3. shutdown: SIGTERM while embed requests are in flight — each still gets its 200 and whole result, new
#                connections are refused, and the JVM exits after Tomcat's graceful shutdown, the models closed
#                with the context. Logs and wrk output stay in sample-app/target/load-test.
#
# usage: scripts/load-test.sh [seconds per run, default 30] [connections, default 64]
# Not part of scripts/test.sh (building and starting the app alone takes longer than CI's budget for it).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/setup.sh
source scripts/env.sh
seconds="${1:-30}"
connections="${2:-64}"
# Logs, wrk output and the app's index of this run (the sample's own data folder is left alone).
work="$root/sample-app/target/load-test"
rm -rf "$work" && mkdir -p "$work"
app_pid=""
cleanup() {
  if [ -n "$app_pid" ]; then kill "$app_pid" 2>/dev/null; wait "$app_pid" 2>/dev/null || true; fi
}
trap cleanup EXIT

skip=false
[ -n "$(ls fastembed-native/target/classes/natives/*/libfastembed.* 2>/dev/null)" ] && skip=true
echo "load-test: building the sample app"
scripts/mvn -B -q -ntp -pl sample-app -am -Dmaven.test.skip=true -Dfastembed.native.skip="$skip" package
jar="$root/sample-app/target/fastembed-sample-app.jar"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
base="http://127.0.0.1:$port"

start_app() { # <max-wait> <log> [more app arguments]
  local max_wait="$1" log="$2"
  shift 2
  "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -jar "$jar" --server.address=127.0.0.1 \
    --server.port="$port" --sample.data-dir="$work/data" --fastembed.models.embedded.pool.size=2 \
    --fastembed.models.embedded.pool.max-wait="$max_wait" --fastembed.models.embedded.pool.eager=true "$@" >"$log" 2>&1 &
  app_pid=$!
  for _ in $(seq 1 300); do
    if curl -sf "$base/actuator/health" >/dev/null 2>&1; then return 0; fi
    kill -0 "$app_pid" 2>/dev/null || { echo "the app died while starting:" >&2; tail -30 "$log" >&2; exit 1; }
    sleep 1
  done
  echo "the app did not become healthy in 300 s" >&2
  exit 1
}

stop_app() {
  kill "$app_pid" && wait "$app_pid" || true
  app_pid=""
}

served() { # requests the app has finished for /api/search
  curl -sf "$base/actuator/metrics/http.server.requests?tag=uri:/api/search" |
    python3 -c 'import json,sys; print(int(next(m["value"] for m in json.load(sys.stdin)["measurements"] if m["statistic"]=="COUNT")))' 2>/dev/null ||
    echo 0
}

value() { sed -n "s/^$1 //p" "$2" | head -1; }

failed=0
check() { # <condition description> <true|false>
  if [ "$2" = true ]; then echo "  ok: $1"; else echo "  FAILED: $1"; failed=1; fi
}

run_wrk() { # <name> <max-wait> ; prints the summary, checks the common properties
  local name="$1" log="$work/$1.log" out="$work/$1.wrk"
  start_app "$2" "$log"
  curl -sf "$base/api/search?q=warm+up&k=1" >/dev/null
  local before after
  before="$(served)"
  wrk -t2 -c"$connections" -d"${seconds}s" --timeout 120s --latency -s "$root/scripts/load/search.lua" "$base" >"$out"
  sleep 3 # let the requests wrk cut off at the deadline finish on the server
  after="$(served)"
  local sent ok s503 total5xx
  sent="$(value requests "$out")"
  ok="$(value status_200 "$out")"; ok="${ok:-0}"
  s503="$(value status_503 "$out")"; s503="${s503:-0}"
  total5xx="$(sed -n 's/^status_5[0-9][0-9] //p' "$out" | awk '{s += $1} END {print s + 0}')"
  local errors
  errors=$(( $(value errors_connect "$out") + $(value errors_read "$out") + $(value errors_write "$out") + $(value errors_timeout "$out") ))
  echo
  echo "== $name: pool 2, max-wait $2, $connections connections, ${seconds} s"
  echo "   requests $sent (200: $ok, 503: $s503, other: $((sent - ok - s503))), socket errors/timeouts $errors"
  echo "   latency p50 $(value p50_ms "$out") ms, p90 $(value p90_ms "$out") ms, p99 $(value p99_ms "$out") ms, max $(value max_ms "$out") ms"
  echo "   server finished $((after - before)) /api/search requests in the same time"
  check "no socket errors or timeouts" "$([ "$errors" -eq 0 ] && echo true || echo false)"
  check "no 5xx other than 503" "$([ "$total5xx" -eq "$s503" ] && echo true || echo false)"
  check "every 503 has Retry-After and an 'overloaded' problem detail" "$([ "$(value bad_503 "$out")" = 0 ] && echo true || echo false)"
  check "every request wrk sent was answered (server count $((after - before)) >= $sent, surplus <= $connections cut off at the deadline)" \
    "$([ $((after - before)) -ge "$sent" ] && [ $((after - before - sent)) -le "$connections" ] && echo true || echo false)"
  check "only 200 and 503 answers" "$([ $((ok + s503)) -eq "$sent" ] && echo true || echo false)"
  LAST_503="$s503"
  stop_app
}

run_wrk queued 60s
check "queued run: no 503 (every request waited its turn)" "$([ "$LAST_503" -eq 0 ] && echo true || echo false)"
run_wrk shedding 100ms
check "shedding run: the overflow was shed with 503" "$([ "$LAST_503" -gt 0 ] && echo true || echo false)"

# ---- graceful shutdown with requests in flight ----
# Spring waits spring.lifecycle.timeout-per-shutdown-phase (30 s by default) for requests in flight, then closes
# their connections; the work under way still finishes before the models are freed, but its answer is lost. The
# sample sets 120 s in its application.yml (an app whose requests can take longer must raise it).
log="$work/shutdown.log"
start_app 60s "$log"
body="$work/embed.json"
python3 - "$body" <<'PY'
import json, sys
text = "A long paragraph about lighthouses, tides, honeybees and bread, repeated to make the model work. " * 12
json.dump({"texts": [text] * 16}, open(sys.argv[1], "w"))
PY
echo
echo "== graceful shutdown: 6 embed requests of 16 long texts in flight (pool of 2), then SIGTERM"
pids=()
for i in 1 2 3 4 5 6; do
  curl -s -o "$work/embed-$i.out" -w '%{http_code}' -H 'Content-Type: application/json' --data-binary "@$body" \
    "$base/api/embed" >"$work/embed-$i.code" &
  pids+=($!)
done
sleep 2
kill -TERM "$app_pid"
sleep 1
refused=false
curl -s -m 5 "$base/api/search?q=after+shutdown" >/dev/null 2>&1 || refused=true
for pid in "${pids[@]}"; do wait "$pid" || true; done
exit_status=0
wait "$app_pid" || exit_status=$?
app_pid=""
all_ok=true
for i in 1 2 3 4 5 6; do
  code="$(cat "$work/embed-$i.code")"
  vectors="$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["embeddings"]))' "$work/embed-$i.out" 2>/dev/null || echo 0)"
  echo "   request $i: HTTP $code, $vectors vectors"
  [ "$code" = 200 ] && [ "$vectors" = 16 ] || all_ok=false
done
echo "   JVM exit status $exit_status"
check "every in-flight request finished with its 16 vectors" "$all_ok"
check "a new request after SIGTERM was refused" "$refused"
check "the JVM exited after a graceful shutdown (status 0 or 143)" "$([ "$exit_status" -eq 0 ] || [ "$exit_status" -eq 143 ] && echo true || echo false)"
check "the log shows the graceful shutdown completing" "$(grep -q 'Graceful shutdown complete' "$log" && echo true || echo false)"

echo
[ "$failed" -eq 0 ] && echo "load-test: all checks passed" || { echo "load-test: some checks FAILED (logs in $work)"; exit 1; }
