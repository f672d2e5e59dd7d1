#!/usr/bin/env bash
# Where the gateway's time goes under load, with the books on: starts the nginx mock and the gateway
# (through scripts/bench.sh: credits enforced with a large grant; the bench key with a spend limit and
# a request rate limit far above the load) with a JFR recording (profile settings), a GC log and a safepoint log, drives chat at
# concurrency 1 and 64 and streams at 16 with wrk, stops the gateway (which writes the recording), and
# prints JFR's views of the hot spots: GC pauses, safepoints, hot methods, allocation, contention,
# pinned virtual threads, socket I/O. See docs/PERFORMANCE.md, "Where the tail comes from".
#
#   scripts/profile.sh [--seconds N] [--out DIR] [--java-opts "..."]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/jdk.sh"
seconds=20
out="/tmp/switchboard-profile/$(date +%Y%m%d-%H%M%S)"
java_opts="-XX:+UseG1GC -Xms64m -Xmx128m -XX:ReservedCodeCacheSize=48m -XX:MaxMetaspaceSize=96m"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --java-opts) java_opts="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
mkdir -p "$out"
out="$(cd "$out" && pwd)"
harness="$(cd "${SWITCHBOARD_BENCH_HARNESS:-$ROOT/../shared/bench}" && pwd)"
run=/tmp/switchboard-bench/run-profile
log() { echo "profile: $*" >&2; }
cleanup() {
  [[ -f $run/switchboard.pid ]] && kill "$(cat "$run/switchboard.pid")" 2>/dev/null || true
  [[ ${started_mock:-0} == 1 ]] && "$harness/mock-upstream/mock.sh" stop >&2 || true
}
trap cleanup EXIT
if "$harness/mock-upstream/mock.sh" status >/dev/null 2>&1; then started_mock=0; else "$harness/mock-upstream/mock.sh" start >&2; started_mock=1; fi

opts="$java_opts -XX:StartFlightRecording=settings=profile,filename=$out/gateway.jfr,dumponexit=true"
opts+=" -Xlog:gc*,safepoint:file=$out/gc.log:uptime,level,tags"
SWITCHBOARD_BENCH_RUN="$run" "$ROOT/scripts/bench.sh" --harness "$harness" --port 8080 --keep --no-direct --no-portkey --no-probe \
  --java-opts "$opts" --out "$out/start" >&2 || true
[[ -s $run/key ]] || { log "the gateway did not start"; exit 1; }
key="$(cat "$run/key")"
jq -c '.model = "bench/chat"' "$harness/bodies/chat.json" > "$out/chat.json"
jq -c '.model = "bench/stream"' "$harness/bodies/chat-stream.json" > "$out/stream.json"
load() { # name connections body-file
  local start; start="$(date +%s.%N)"
  wrk -t1 -c"$2" -d"${seconds}s" --latency -s "$harness/wrk-post.lua" \
    -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
    http://127.0.0.1:8080/api/v1/chat/completions -- "$3" POST "$1" > "$out/wrk-$1.txt" 2>&1 || true
  printf '%s\t%s\t%s\t%s\n' "$1" "$start" "$(date +%s.%N)" "$(awk '/requests in/{print $1}' "$out/wrk-$1.txt")" >> "$out/phases.tsv"
  log "$1: $(grep -E 'Requests/sec' "$out/wrk-$1.txt" | tr -s ' ') p99 $(awk '/ 99%/{print $2}' "$out/wrk-$1.txt")"
}
load warmup 16 "$out/chat.json"
load chat-c1 1 "$out/chat.json"
load chat-c64 64 "$out/chat.json"
load stream-c16 16 "$out/stream.json"
pid="$(cat "$run/switchboard.pid")"
kill "$pid"; while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
rm -f "$run/switchboard.pid"
for view in gc-pauses gc-pause-phases safepoints hot-methods allocation-by-site contention-by-site pinned-threads socket-reads-by-host thread-count; do
  echo "== $view" >> "$out/views.txt"
  "$JAVA_HOME/bin/jfr" view --width 160 "$view" "$out/gateway.jfr" >> "$out/views.txt" 2>&1 || true
done
# Bytes allocated per request in each phase: the heap used before each collection minus the heap
# used after the one before it, summed over the phase (JFR's jdk.GCHeapSummary), over its requests.
"$JAVA_HOME/bin/jfr" print --json --events jdk.GCHeapSummary "$out/gateway.jfr" > "$out/heap.json"
python3 "$ROOT/scripts/alloc_per_request.py" "$out/heap.json" "$out/phases.tsv" | tee "$out/allocation.txt" >&2
log "recording $out/gateway.jfr, GC log $out/gc.log, JFR views $out/views.txt"
