#!/usr/bin/env bash
# Slow streams: N concurrent paced streams through the gateway, and the same N straight from the
# upstream simulator (the baseline), with the harness in bench/ (dev.switchboard.bench.streams.SlowStreams).
# Each stream asks the simulator for one content event per interval (10 a second by default) for the
# stream's length; the harness records every event's delay against that schedule, the time to first
# byte, how each stream ended, and the target process's RSS, threads and open files every second.
# See docs/PERFORMANCE.md, "Slow streams".
#
#   scripts/streams.sh                                  1,000 streams of 60 s at 100 ms, both targets
#   scripts/streams.sh --streams 10000 --ramp-per-second 1000
#   scripts/streams.sh --streams 200 --seconds 20       a short look
#
# It builds the gateway and the harness (mvn package, profile jmh), raises its open-file limit to
# the hard limit (and tries to raise the hard limit when the gateway would need more), starts the
# simulator and the gateway (bench/config/streams.yaml, a fresh data directory, an inference key
# made through POST /api/v1/keys), runs the harness against the simulator and then the gateway
# (each run after a warm-up of its own), prints the added delay (gateway minus direct) and the gateway's peaks, and stops what it
# started. Results: <out>/summary.md, per run LABEL.json, LABEL.tsv, LABEL-samples.tsv.
#
# Options:
#   --streams N            concurrent streams [1000]
#   --seconds S            stream length [60]
#   --interval-ms I        between events, dividing 1000 [100]
#   --ramp-per-second R    streams opened per second [500]
#   --java-opts "..."      the gateway's JVM flags [$SWITCHBOARD_JAVA_OPTS, else the launcher's defaults:
#                          -XX:+UseG1GC -Xms64m -Xmx128m -XX:ReservedCodeCacheSize=48m -XX:MaxMetaspaceSize=96m]
#   --sim-java-opts "..."  the simulator's [-XX:+UseG1GC -Xms256m -Xmx1g]
#   --harness-java-opts "..."  the harness's [-XX:+UseZGC -Xms1g -Xmx1g: pauses far below a millisecond,
#                          as its own pauses delay its clock readings; a serial young collection with
#                          10,000 streams' buffers live took 0.8 s on the loaded 2-core machine]
#   --port N               the gateway's port [8290]
#   --sim-port N           the simulator's port [18290]
#   --out DIR              results [/tmp/switchboard-streams/results/<timestamp>]
#   --no-direct            skip the baseline (then no added delay is printed)
#   --no-warmup            skip the warm-up: before each measured run the harness runs and drops
#                          min(N, 200) streams of 20 events to the same target, in its own process
#   --no-build             use server/target/switchboard.jar and bench/target/benchmarks.jar as they are
#   --keep                 leave the simulator and the gateway running at the end
# Environment: SWITCHBOARD_STREAMS_RUN is the working directory [/tmp/switchboard-streams]; the
# gateway's settings can be given as usual (e.g. SWITCHBOARD_SERVER_MAX_CONNECTIONS).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

streams=1000 seconds=60 interval=100 ramp=500 port=8290 sim_port=18290 out=""
direct=1 warmup=1 build=1 keep=0
java_opts="${SWITCHBOARD_JAVA_OPTS:--XX:+UseG1GC -Xms64m -Xmx128m -XX:ReservedCodeCacheSize=48m -XX:MaxMetaspaceSize=96m}"
sim_opts="-XX:+UseG1GC -Xms256m -Xmx1g"
harness_opts="-XX:+UseZGC -Xms1g -Xmx1g"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --streams) streams="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --interval-ms) interval="$2"; shift 2 ;;
    --ramp-per-second) ramp="$2"; shift 2 ;;
    --java-opts) java_opts="$2"; shift 2 ;;
    --sim-java-opts) sim_opts="$2"; shift 2 ;;
    --harness-java-opts) harness_opts="$2"; shift 2 ;;
    --port) port="$2"; shift 2 ;;
    --sim-port) sim_port="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --no-direct) direct=0; shift ;;
    --no-warmup) warmup=0; shift ;;
    --no-build) build=0; shift ;;
    --keep) keep=1; shift ;;
    -h|--help) sed -n '2,38p' "$0"; exit 0 ;;
    *) echo "streams.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
for n in "$streams" "$seconds" "$interval" "$port" "$sim_port"; do
  [[ $n =~ ^[1-9][0-9]*$ ]] || { echo "streams.sh: not a positive whole number: $n" >&2; exit 2; }
done
(( 1000 % interval == 0 )) || { echo "streams.sh: --interval-ms must divide 1000" >&2; exit 2; }

RUN="${SWITCHBOARD_STREAMS_RUN:-/tmp/switchboard-streams}"
out="${out:-$RUN/results/$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$out" "$RUN"
out="$(cd "$out" && pwd)"
JAR="$ROOT/server/target/switchboard.jar"
BENCH_JAR="$ROOT/bench/target/benchmarks.jar"
log() { echo "streams: $*" >&2; }

# ---------- open files: a stream holds a client socket and an upstream socket in the gateway ----------
raise_fd_limit() {
  local hard need
  hard="$(ulimit -Hn)"
  need=$((2 * streams + 1024))
  if [[ $hard != unlimited && $hard -lt $need ]]; then
    if ulimit -Hn "$need" 2> "$RUN/ulimit.err"; then
      log "raised the hard open-file limit from $hard to $need"
    else
      log "cannot raise the hard open-file limit from $hard to $need: $(sed 's/^.*: //' "$RUN/ulimit.err") (it needs CAP_SYS_RESOURCE); the gateway needs about $need for $streams streams (a client and an upstream socket each), so expect failures past about $(( (hard - 1024) / 2 )) streams"
    fi
  fi
  ulimit -n "$(ulimit -Hn)"
  log "open-file limit: soft $(ulimit -Sn), hard $(ulimit -Hn) (fs.nr_open $(cat /proc/sys/fs/nr_open 2>/dev/null || echo '?'))"
  local range; range="$(cat /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null | tr '\t' ' ')"
  log "ephemeral ports: $range (each run takes one per stream; sockets of the previous run may be in TIME_WAIT)"
}

# ---------- what this script started, stopped on exit ----------
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
  if [[ $keep == 1 ]]; then
    log "--keep: left running: gateway pid ${gw_pid:-none} on :$port, simulator pid ${sim_pid:-none} on :$sim_port"; return $rc
  fi
  stop_pid "$gw_pid" gateway
  stop_pid "$sim_pid" simulator
  return $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

listening() { (exec 3<> "/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

build() {
  source "$ROOT/scripts/jdk.sh"
  if [[ $build == 1 ]]; then
    log "building the gateway and the harness (mvn package, profile jmh) ..."
    (cd "$ROOT" && mvn -B -q -Dstyle.color=never -Pjmh -DskipTests -pl server,bench -am package)
  fi
  [[ -f $JAR && -f $BENCH_JAR ]] || { log "$JAR or $BENCH_JAR missing (drop --no-build)"; exit 1; }
}

start_simulator() {
  listening "$sim_port" && { log "something already listens on 127.0.0.1:$sim_port (--sim-port N)"; exit 1; }
  SWITCHBOARD_JAVA_OPTS="$sim_opts" "$ROOT/switchboard" simulate --port "$sim_port" > "$out/simulator.log" 2>&1 < /dev/null &
  sim_pid=$!  # the launcher execs the JVM
  for _ in $(seq 300); do
    curl -fs -o /dev/null --max-time 1 "http://127.0.0.1:$sim_port/v1/models" && break
    kill -0 "$sim_pid" 2>/dev/null || { log "the simulator exited at start:"; tail -5 "$out/simulator.log" >&2; sim_pid=""; exit 1; }
    sleep 0.1
  done
  log "simulator pid $sim_pid on :$sim_port, JVM flags: $sim_opts"
}

start_gateway() {
  listening "$port" && { log "something already listens on 127.0.0.1:$port (--port N)"; exit 1; }
  rm -rf "$RUN/data" && mkdir -p "$RUN/data"
  local admin key; admin="sk-sb-v1-streams-admin-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
  SWITCHBOARD_ADMIN_KEY="$admin" SWITCHBOARD_JAVA_OPTS="$java_opts" \
    SWITCHBOARD_STREAMS_UPSTREAM="http://127.0.0.1:$sim_port/v1" \
    "$ROOT/switchboard" serve --config "$ROOT/bench/config/streams.yaml" --port "$port" --data-dir "$RUN/data" \
    > "$out/gateway.log" 2>&1 < /dev/null &
  gw_pid=$!  # the launcher execs the JVM, so this is the gateway's own pid
  for _ in $(seq 600); do
    curl -fs -o /dev/null --max-time 1 "http://127.0.0.1:$port/health" && break
    kill -0 "$gw_pid" 2>/dev/null || { log "the gateway exited at start:"; tail -20 "$out/gateway.log" >&2; gw_pid=""; exit 1; }
    sleep 0.1
  done
  key=$(curl -fsS -X POST -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
    -d '{"name":"slow streams"}' "http://127.0.0.1:$port/api/v1/keys" | sed -n 's/.*"key" *: *"\([^"]*\)".*/\1/p')
  [[ $key == sk-* ]] || { log "could not create an inference key"; exit 1; }
  (umask 077; echo "$key" > "$RUN/key"; echo "sk-simulator" > "$RUN/direct-key")
  log "gateway pid $gw_pid on :$port, idle RSS $(awk '/VmRSS/{print int($2/1024)}' "/proc/$gw_pid/status") MB, open-file limit $(awk '/open files/{print $4}' "/proc/$gw_pid/limits"), JVM flags: $java_opts"
}

# harness LABEL URL KEY-FILE PID STREAMS EVENTS-ARG...
harness() {
  local label="$1" url="$2" keyfile="$3" pid="$4"; shift 4
  local rc=0
  # shellcheck disable=SC2086  # a list of flags
  "$JAVA_HOME/bin/java" $harness_opts -cp "$BENCH_JAR" dev.switchboard.bench.streams.SlowStreams \
    --url "$url" --key-file "$keyfile" --pid "$pid" --interval-ms "$interval" --ramp-per-second "$ramp" \
    --label "$label" --out "$out" --warmup-streams "$warmup_streams" "$@" | tee -a "$out/summary-lines.txt" || rc=$?
  [[ $rc == 0 || $rc == 3 ]] || { log "the harness failed ($rc) on $label"; exit 1; }
}

# fig FILE NAME: one figure of a result TSV, by its column name
fig() { awk -F'\t' -v k="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == k) c = i } NR == 2 { print (c ? $c : "-") }' "$1"; }
added() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-") print "-"; else printf "%+.3f", a - b }'; }

summary() {
  local targets=() t
  [[ $direct == 1 ]] && targets+=(direct)
  targets+=(gateway)
  echo "## Slow streams: $streams streams of ${seconds} s, one event per $interval ms, opened at $ramp/s"
  echo
  cat "$out/machine.txt"
  echo
  echo "| target | opened | completed | errors (connect / non-2xx / in-band / early close / no [DONE] / missing events / timeout / malformed) | content events | delay p50 ms | p90 | p99 | p99.9 | max | TTFB p50 ms | p99 | peak RSS MB | peak threads | peak fds | CPU % |"
  echo "|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  for t in "${targets[@]}"; do
    local f="$out/$t.tsv" kinds=""
    for k in connect non_2xx in_band_error early_close missing_done missing_events timeout malformed; do
      kinds+="${kinds:+ / }$(fig "$f" "errors_$k")"
    done
    echo "| $t | $(fig "$f" opened) | $(fig "$f" completed) | $(fig "$f" errors) ($kinds) | $(fig "$f" content_events)/$(fig "$f" content_expected) | $(fig "$f" delay_p50_ms) | $(fig "$f" delay_p90_ms) | $(fig "$f" delay_p99_ms) | $(fig "$f" delay_p999_ms) | $(fig "$f" delay_max_ms) | $(fig "$f" ttfb_p50_ms) | $(fig "$f" ttfb_p99_ms) | $(fig "$f" rss_peak_mb) | $(fig "$f" threads_peak) | $(fig "$f" fds_peak) | $(fig "$f" cpu_pct) |"
  done
  echo
  if [[ $direct == 1 ]]; then
    local g="$out/gateway.tsv" d="$out/direct.tsv"
    echo "Added by the gateway (gateway − direct): event delay p50 $(added "$(fig "$g" delay_p50_ms)" "$(fig "$d" delay_p50_ms)") ms, p99 $(added "$(fig "$g" delay_p99_ms)" "$(fig "$d" delay_p99_ms)") ms, p99.9 $(added "$(fig "$g" delay_p999_ms)" "$(fig "$d" delay_p999_ms)") ms; time to first byte p50 $(added "$(fig "$g" ttfb_p50_ms)" "$(fig "$d" ttfb_p50_ms)") ms, p99 $(added "$(fig "$g" ttfb_p99_ms)" "$(fig "$d" ttfb_p99_ms)") ms."
  fi
  echo "Gateway peaks: RSS $(fig "$out/gateway.tsv" rss_peak_mb) MB (at rest $(fig "$out/gateway.tsv" rss_start_mb) MB), $(fig "$out/gateway.tsv" threads_peak) threads, $(fig "$out/gateway.tsv" fds_peak) open files (limit $(ulimit -Sn))."
  echo "Harness: $(fig "$out/gateway.tsv" harness_cpu_s) s CPU, $(fig "$out/gateway.tsv" harness_gc_count) collections taking $(fig "$out/gateway.tsv" harness_gc_ms) ms in the gateway run (its own pauses delay its clock readings)."
}

# ---------- run ----------
raise_fd_limit
build
{
  echo "- date: $(date -u +%Y-%m-%dT%H:%M:%SZ), load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo), kernel $(uname -r)"
  echo "- jdk: $("$JAVA_HOME/bin/java" -version 2>&1 | head -1); gateway flags: $java_opts; simulator: $sim_opts; harness: $harness_opts"
  echo "- switchboard: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$ROOT" diff --quiet 2>/dev/null || echo ' (uncommitted changes)'), config bench/config/streams.yaml; open-file limit $(ulimit -Sn)"
} > "$out/machine.txt"
cat "$out/machine.txt" >&2
start_simulator
start_gateway
warmup_streams=0
[[ $warmup == 1 ]] && warmup_streams=$(( streams < 200 ? streams : 200 ))
if [[ $direct == 1 ]]; then
  harness direct "http://127.0.0.1:$sim_port/v1" "$RUN/direct-key" "$sim_pid" --streams "$streams" --seconds "$seconds"
  sleep 2
fi
harness gateway "http://127.0.0.1:$port/api/v1" "$RUN/key" "$gw_pid" --streams "$streams" --seconds "$seconds"
summary | tee "$out/summary.md"
log "results: $out (summary.md; per run LABEL.json, LABEL.tsv, LABEL-samples.tsv; gateway.log, simulator.log)"
