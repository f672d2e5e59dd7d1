#!/usr/bin/env bash
# HTTP/1.1 against HTTP/2 (h2c) from the gateway to its upstream: the same gateway, simulator and load,
# once with the provider's http_version "1.1" and once with "2" (set through the environment variable
# SWITCHBOARD_PROVIDERS_SIMULATOR_PACED_HTTP_VERSION over bench/config/streams.yaml). For each it measures
#   1. chat throughput: non-streaming chat completions at 16 concurrent clients (hey), requests a second;
#   2. N paced streams open at once (the slow-stream harness, dev.switchboard.bench.streams.SlowStreams):
#      how many completed, and the gateway's peak open files and RSS while they were open.
# Over HTTP/1.1 each open stream holds a client socket and an upstream socket; over HTTP/2 the upstream
# side is a few connections, so the open files should fall by about N. It prints a table and writes it
# to <out>/summary.md. Figures from a loaded or small machine are indicative only.
#
#   scripts/bench-http2.sh                       chat 20 s, 2,000 streams of 30 s, per version
#   scripts/bench-http2.sh --quick               smoke run of about 20 s per version: chat 4 s, 200 streams of 6 s
#   scripts/bench-http2.sh --streams 9000 --ramp-per-second 1000
#
# Options:
#   --quick                --chat-seconds 4 --streams 200 --seconds 6
#   --chat-seconds S       length of the chat run [20]
#   --streams N            paced streams open at once [2000]
#   --seconds S            length of each stream, one event per 100 ms [30]
#   --ramp-per-second R    streams opened per second [500]
#   --java-opts "..."      the gateway's JVM flags [$SWITCHBOARD_JAVA_OPTS, else the launcher's defaults]
#   --port N               the gateway's port [8291]
#   --sim-port N           the simulator's port [18291]
#   --out DIR              results [/tmp/switchboard-http2/results/<timestamp>]
#   --no-build             use server/target/switchboard.jar and bench/target/benchmarks.jar as they are
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

chat_seconds=20 streams=2000 seconds=30 ramp=500 port=8291 sim_port=18291 out="" build=1
java_opts="${SWITCHBOARD_JAVA_OPTS:-}"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) chat_seconds=4 streams=200 seconds=6; shift ;;
    --chat-seconds) chat_seconds="$2"; shift 2 ;;
    --streams) streams="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --ramp-per-second) ramp="$2"; shift 2 ;;
    --java-opts) java_opts="$2"; shift 2 ;;
    --port) port="$2"; shift 2 ;;
    --sim-port) sim_port="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n '2,27p' "$0"; exit 0 ;;
    *) echo "bench-http2.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
for n in "$chat_seconds" "$streams" "$seconds" "$ramp" "$port" "$sim_port"; do
  [[ $n =~ ^[1-9][0-9]*$ ]] || { echo "bench-http2.sh: not a positive whole number: $n" >&2; exit 2; }
done
command -v hey > /dev/null || { echo "bench-http2.sh: needs hey (apt-get install hey)" >&2; exit 1; }

RUN="${SWITCHBOARD_HTTP2_RUN:-/tmp/switchboard-http2}"
out="${out:-$RUN/results/$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$out" "$RUN"
out="$(cd "$out" && pwd)"
JAR="$ROOT/server/target/switchboard.jar"
BENCH_JAR="$ROOT/bench/target/benchmarks.jar"
log() { echo "bench-http2: $*" >&2; }

ulimit -n "$(ulimit -Hn)"
sim_pid="" gw_pid=""
stop_pid() { # pid name
  local pid="$1"
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill "$pid"
  for _ in $(seq 150); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.2; done
  log "$2 did not stop in 30 s; killing $pid"; kill -KILL "$pid" 2>/dev/null || true
}
cleanup() {
  local rc=$?
  stop_pid "$gw_pid" gateway
  stop_pid "$sim_pid" simulator
  return $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM
listening() { (exec 3<> "/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

source "$ROOT/scripts/jdk.sh"
if [[ $build == 1 ]]; then
  log "building the gateway and the harness (mvn package, profile jmh) ..."
  (cd "$ROOT" && mvn -B -q -Dstyle.color=never -Pjmh -DskipTests -pl server,bench -am package)
fi
[[ -f $JAR && -f $BENCH_JAR ]] || { log "$JAR or $BENCH_JAR missing (drop --no-build)"; exit 1; }

start_simulator() {
  listening "$sim_port" && { log "something already listens on 127.0.0.1:$sim_port (--sim-port N)"; exit 1; }
  "$ROOT/switchboard" simulate --port "$sim_port" > "$out/simulator.log" 2>&1 < /dev/null &
  sim_pid=$!
  for _ in $(seq 300); do
    curl -fs -o /dev/null --max-time 1 "http://127.0.0.1:$sim_port/v1/models" && return 0
    kill -0 "$sim_pid" 2>/dev/null || { log "the simulator exited at start"; sim_pid=""; exit 1; }
    sleep 0.1
  done
  log "the simulator did not start"; exit 1
}

# start_gateway VERSION: a gateway whose upstream provider speaks VERSION; sets gw_pid and writes $RUN/key
start_gateway() {
  local version="$1" admin key
  listening "$port" && { log "something already listens on 127.0.0.1:$port (--port N)"; exit 1; }
  rm -rf "$RUN/data" && mkdir -p "$RUN/data"
  admin="sk-sb-v1-http2-admin-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
  SWITCHBOARD_ADMIN_KEY="$admin" SWITCHBOARD_JAVA_OPTS="$java_opts" \
    SWITCHBOARD_STREAMS_UPSTREAM="http://127.0.0.1:$sim_port/v1" \
    SWITCHBOARD_PROVIDERS_SIMULATOR_PACED_HTTP_VERSION="$version" \
    "$ROOT/switchboard" serve --config "$ROOT/bench/config/streams.yaml" --port "$port" --data-dir "$RUN/data" \
    > "$out/gateway-$version.log" 2>&1 < /dev/null &
  gw_pid=$!
  for _ in $(seq 600); do
    curl -fs -o /dev/null --max-time 1 "http://127.0.0.1:$port/health" && break
    kill -0 "$gw_pid" 2>/dev/null || { log "the gateway exited at start:"; tail -20 "$out/gateway-$version.log" >&2; gw_pid=""; exit 1; }
    sleep 0.1
  done
  key=$(curl -fsS -X POST -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
    -d '{"name":"http2 bench"}' "http://127.0.0.1:$port/api/v1/keys" | sed -n 's/.*"key" *: *"\([^"]*\)".*/\1/p')
  [[ $key == sk-* ]] || { log "could not create an inference key"; exit 1; }
  (umask 077; echo "$key" > "$RUN/key")
}

# chat SECONDS: requests a second of non-streaming chat at c=16
chat() {
  hey -z "${1}s" -c 16 -m POST -T application/json -H "Authorization: Bearer $(cat "$RUN/key")" \
    -d '{"model":"bench/paced","messages":[{"role":"user","content":"hi"}]}' \
    "http://127.0.0.1:$port/api/v1/chat/completions" > "$out/chat-$2.txt"
  awk '/Requests\/sec/ { printf "%.0f", $2 }' "$out/chat-$2.txt"
}

# fig FILE NAME: one figure of a result TSV, by its column name
fig() { awk -F'\t' -v k="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == k) c = i } NR == 2 { print (c ? $c : "-") }' "$1"; }

rows=()
start_simulator
for version in 1.1 2; do
  start_gateway "$version"
  log "HTTP/$version upstream: gateway pid $gw_pid, warming up ..."
  chat 2 "warmup-$version" > /dev/null
  rps="$(chat "$chat_seconds" "$version")"
  log "HTTP/$version upstream: chat c=16 $rps req/s; now $streams paced streams of $seconds s ..."
  rc=0
  "$JAVA_HOME/bin/java" -XX:+UseZGC -Xms1g -Xmx1g -cp "$BENCH_JAR" dev.switchboard.bench.streams.SlowStreams \
    --url "http://127.0.0.1:$port/api/v1" --key-file "$RUN/key" --pid "$gw_pid" --interval-ms 100 \
    --ramp-per-second "$ramp" --label "streams-$version" --out "$out" --warmup-streams 0 \
    --streams "$streams" --seconds "$seconds" > "$out/streams-$version.txt" || rc=$?
  [[ $rc == 0 || $rc == 3 ]] || { log "the harness failed ($rc) on HTTP/$version"; exit 1; }
  f="$out/streams-$version.tsv"
  rows+=("| $version | $rps | $(fig "$f" completed)/$streams | $(fig "$f" errors) | $(fig "$f" fds_peak) | $(fig "$f" rss_peak_mb) | $(fig "$f" rss_start_mb) |")
  stop_pid "$gw_pid" gateway; gw_pid=""
done

{
  echo "## Upstream HTTP/1.1 against HTTP/2 (h2c): chat at c=16 for ${chat_seconds} s; $streams paced streams of ${seconds} s"
  echo
  echo "- $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), open-file limit $(ulimit -Sn)"
  echo "- switchboard $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?'), gateway JVM flags: ${java_opts:-launcher defaults}"
  echo
  echo "| upstream HTTP | chat req/s | streams completed | stream errors | peak open files | peak RSS MB | RSS at start MB |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  printf '%s\n' "${rows[@]}"
} | tee "$out/summary.md"
log "results: $out (summary.md, chat-*.txt, streams-*.tsv, gateway-*.log)"
