#!/usr/bin/env bash
# Counts spurious failures over a long, sustained load: the gateway with the books on (as
# scripts/bench.sh starts it) in front of the harness's nginx mock, which never fails, driven by two wrk
# processes at once, chat and streams, with bench/spurious/spurious.lua judging every answer. Afterwards
# the gateway is stopped (SIGTERM drains its generation log) and the generation records are counted:
# every request answered 200 must have left exactly one. See docs/PERFORMANCE.md, "Spurious failures".
#
#   scripts/spurious.sh [--minutes N] [--chat-conc N] [--stream-conc N] [--no-build]
#     defaults: 30 minutes, chat c=48, streams c=16 (10 million requests take about 10,000,000 / rate seconds)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
minutes=30 chat_conc=48 stream_conc=16 build=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --minutes) minutes="$2"; shift 2 ;;
    --chat-conc) chat_conc="$2"; shift 2 ;;
    --stream-conc) stream_conc="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "spurious.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
harness="$(cd "${SWITCHBOARD_BENCH_HARNESS:-$ROOT/../shared/bench}" && pwd)"
out="/tmp/switchboard-spurious/$(date +%Y%m%d-%H%M%S)"
run=/tmp/switchboard-spurious/run
mkdir -p "$out" "$run"
log() { echo "spurious: $*" >&2; }

cleanup() {
  if [[ -f $run/switchboard.pid ]]; then kill "$(cat "$run/switchboard.pid")" 2>/dev/null || true; fi
  [[ ${started_mock:-0} == 1 ]] && "$harness/mock-upstream/mock.sh" stop >&2 || true
}
trap cleanup EXIT

if "$harness/mock-upstream/mock.sh" status >/dev/null 2>&1; then started_mock=0; else "$harness/mock-upstream/mock.sh" start >&2; started_mock=1; fi
flags=(--harness "$harness" --port 8090 --keep --no-direct --no-portkey --no-probe --out "$out/start")
[[ $build == 0 ]] && flags+=(--no-build)
SWITCHBOARD_BENCH_RUN="$run" "$ROOT/scripts/bench.sh" "${flags[@]}" >&2 || true
[[ -s $run/key ]] || { log "the gateway did not start"; exit 1; }
pid="$(cat "$run/switchboard.pid")"

jq -c '.model = "bench/chat"' "$harness/bodies/chat.json" > "$out/chat.json"
jq -c '.model = "bench/stream"' "$harness/bodies/chat-stream.json" > "$out/stream.json"
{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)  commit: $(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet || echo '+changes')"
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), kernel $(uname -r)"
  echo "load: $minutes minutes, chat c=$chat_conc, streams c=$stream_conc; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$out/machine.txt" >&2

url=http://127.0.0.1:8090/api/v1/chat/completions
lua="$ROOT/bench/spurious/spurious.lua"
wrk -t1 -c"$chat_conc" -d"${minutes}m" --timeout 30s -s "$lua" "$url" -- chat "$out/chat.json" "$run/key" \
  > "$out/chat.txt" 2> "$out/chat.err" &
chat_pid=$!
wrk -t1 -c"$stream_conc" -d"${minutes}m" --timeout 30s -s "$lua" "$url" -- stream "$out/stream.json" "$run/key" \
  > "$out/stream.txt" 2> "$out/stream.err" &
stream_pid=$!
wait "$chat_pid" "$stream_pid"
grep -h '^SPURIOUS' "$out/chat.txt" "$out/stream.txt" | tee "$out/summary.txt"

# Stop the gateway the way an operator does and count what it recorded.
kill "$pid"
for _ in $(seq 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
rm -f "$run/switchboard.pid"
answered=$(awk '/^SPURIOUS/ { for (i = 1; i <= NF; i++) if ($i ~ /^ok=/) { sub("ok=", "", $i); n += $i } } END { print n + 0 }' "$out/summary.txt")
records=$(sqlite3 "$run/data/switchboard.db" 'SELECT count(*) FROM generations' 2>/dev/null || echo "?")
echo "SPURIOUS-RECORDS answered_ok=$answered generation_records=$records" | tee -a "$out/summary.txt"
log "results: $out"
