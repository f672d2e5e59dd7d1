#!/usr/bin/env bash
# Soak test of the whole gateway: mixed load for a long time while the process's resources are sampled,
# then a trend verdict and a count of every failure. See docs/PERFORMANCE.md, "Soak".
#
#   scripts/soak.sh --minutes 60                        the measurement (on a quiet machine)
#   scripts/soak.sh --seconds 30 --sample-seconds 2     the short form that scripts/test.sh runs
#
# It starts the upstream simulator (./switchboard simulate) and the gateway with bench/soak/soak.yaml in a
# fresh data directory, creates an inference key through the management API, and for the duration runs
#   chat      non-streamed, wrk -c16 (bench/soak/soak.lua), 1 in 200 told to fail upstream (500, 429, reset)
#   streams   wrk -c4, paced, stalled and plain streams; 1 in 25 told to fail (500, reset or malformed chunk
#             mid-stream, which the gateway turns into an in-band error event)
#   cancels   two curl loops that give up on 2-second paced streams after 0.3-0.7 s
#   keys      every 3 s: create a key, chat with it (200), delete it, chat with it again (401)
# Every answer is counted by status and judged: ok, expected (a failure the upstream was told to cause,
# in the shape the gateway promises for it), or spurious (anything else, socket errors included).
# Every --sample-seconds it appends to samples.csv: elapsed seconds, RSS, heap after GC, threads, open
# fds, open TCP sockets, requests so far, expected and spurious failures, in-band errors, database size.
# At the end it fits a line to each resource series after the warm-up (bench/.../soak/SoakTrends.java)
# and FAILS (exit 1) when a series rises beyond its threshold or when any failure was spurious.
# It writes <out>/summary.md, samples.csv, soak.png (gnuplot), trend.md, the logs, and stops what it
# started. Exit 77 (and a SKIPPED line) when wrk or gnuplot is missing and cannot be installed.
#
# Options:
#   --minutes N | --seconds N    how long the load runs [60 minutes]
#   --sample-seconds N           sampling interval [10]
#   --warmup-minutes N | --warmup-seconds N    left out of the trend fit [the first 20 % of the run]
#   --java-opts "..."            the gateway's JVM flags [$SWITCHBOARD_JAVA_OPTS, else the launcher's:
#                                -XX:+UseG1GC -Xms64m -Xmx128m -XX:ReservedCodeCacheSize=48m -XX:MaxMetaspaceSize=96m]
#   --out DIR                    results [/tmp/switchboard-soak/<timestamp>-<pid>]
#   --keep                       leave the simulator and the gateway running at the end
#   --no-build                   use server/target/switchboard.jar as it is
#   --port N, --sim-port N       the gateway's and the simulator's ports [free ones]
#   --chat-conc N [16]  --stream-conc N [4]  --chat-fault-every N [200]  --stream-fault-every N [25]
#   --key-every SECONDS [3]      --timeout SECONDS [30]: a wrk request without an answer by then is a
#                                spurious failure (latency is bench.sh's business; this is about hangs)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

duration=3600 sample=10 warmup="" keep=0 build=1 out="" port="" sim_port=""
chat_conc=16 stream_conc=4 chat_fault_every=200 stream_fault_every=25 key_every=3 timeout=30
java_opts="${SWITCHBOARD_JAVA_OPTS:--XX:+UseG1GC -Xms64m -Xmx128m -XX:ReservedCodeCacheSize=48m -XX:MaxMetaspaceSize=96m}"
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
whole() { [[ $2 =~ ^[0-9]+$ ]] || { echo "soak.sh: $1 needs a whole number, got '$2'" >&2; exit 2; }; echo "$2"; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --minutes) duration=$(( $(whole "$1" "${2:-}") * 60 )); shift 2 ;;
    --seconds) duration=$(whole "$1" "${2:-}"); shift 2 ;;
    --sample-seconds) sample=$(whole "$1" "${2:-}"); shift 2 ;;
    --warmup-minutes) warmup=$(( $(whole "$1" "${2:-}") * 60 )); shift 2 ;;
    --warmup-seconds) warmup=$(whole "$1" "${2:-}"); shift 2 ;;
    --java-opts) java_opts="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    --no-build) build=0; shift ;;
    --port) port=$(whole "$1" "${2:-}"); shift 2 ;;
    --sim-port) sim_port=$(whole "$1" "${2:-}"); shift 2 ;;
    --chat-conc) chat_conc=$(whole "$1" "${2:-}"); shift 2 ;;
    --stream-conc) stream_conc=$(whole "$1" "${2:-}"); shift 2 ;;
    --chat-fault-every) chat_fault_every=$(whole "$1" "${2:-}"); shift 2 ;;
    --stream-fault-every) stream_fault_every=$(whole "$1" "${2:-}"); shift 2 ;;
    --key-every) key_every=$(whole "$1" "${2:-}"); shift 2 ;;
    --timeout) timeout=$(whole "$1" "${2:-}"); shift 2 ;;
    -h|--help) sed -n '2,36p' "$0"; exit 0 ;;
    *) echo "soak.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
(( duration >= 10 && sample >= 1 )) || { echo "soak.sh: the run needs at least 10 s and samples at least 1 s apart" >&2; exit 2; }
warmup=${warmup:-$(( duration / 5 ))}
(( (duration - warmup) / sample >= 3 )) || {
  echo "soak.sh: the trend needs at least 3 samples after the warm-up; shorten --sample-seconds or the warm-up" >&2; exit 2; }
out="${out:-/tmp/switchboard-soak/$(date +%Y%m%d-%H%M%S)-$$}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
RUN="$out/run"
JAR="$ROOT/server/target/switchboard.jar"
log() { echo "soak: $*" >&2; }

# ---------- prerequisites: exit 77 (skipped) when they cannot be had ----------
prerequisites() {
  local missing=() c
  for c in wrk gnuplot curl awk; do command -v "$c" >/dev/null || missing+=("$c"); done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    log "installing ${missing[*]}: apt-get install -y wrk gnuplot-nox curl"
    if apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk gnuplot-nox curl >/dev/null 2>&1; then
      return 0
    fi
    log "SKIPPED: apt-get could not install ${missing[*]}"
  else
    log "SKIPPED: ${missing[*]} missing and this is not root with apt-get (as root: apt-get install -y wrk gnuplot-nox curl)"
  fi
  exit 77
}

# A port nothing answers on; the soak must not collide with a gateway or benchmark already running.
free_port() {
  local p
  for _ in $(seq 50); do
    p=$(( 20000 + RANDOM % 20000 ))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return 0; }
  done
  log "no free port found"; exit 1
}

# ---------- what this script started, stopped on exit ----------
sim_pid="" sb_pid="" loads=()
stop_pid() { # pid name
  [[ -n $1 ]] && kill -0 "$1" 2>/dev/null || return 0
  kill "$1" 2>/dev/null || true
  for _ in $(seq 150); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.2; done
  log "$2 did not stop in 30 s; killing $1"; kill -KILL "$1" 2>/dev/null || true
}
cleanup() {
  local rc=$? p
  touch "$RUN/stop" 2>/dev/null || true
  for p in "${loads[@]}"; do kill "$p" 2>/dev/null || true; done
  if [[ $keep == 1 ]]; then
    log "--keep: left running: gateway pid ${sb_pid:-none} on :$port, simulator pid ${sim_pid:-none} on :$sim_port"
    return $rc
  fi
  stop_pid "$sb_pid" gateway     # SIGTERM: the shutdown hook drains the generation log
  stop_pid "$sim_pid" simulator
  return $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start_processes() {
  source "$ROOT/scripts/jdk.sh"
  if [[ $build == 1 ]]; then "$ROOT/scripts/build.sh" >&2; fi
  [[ -f $JAR ]] || { log "$JAR missing (drop --no-build)"; exit 1; }
  port=${port:-$(free_port)} sim_port=${sim_port:-$(free_port)}
  rm -rf "$RUN" && mkdir -p "$RUN/data" "$RUN/progress"
  "$JAVA_HOME/bin/java" -XX:+UseG1GC -Xmx256m -jar "$JAR" simulate --port "$sim_port" \
    > "$out/simulator.log" 2>&1 < /dev/null &
  sim_pid=$!
  local admin; admin="sk-sb-v1-soak-admin-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
  # The GC log is where "heap after GC" comes from (sample_heap); one file, never rotated.
  # shellcheck disable=SC2086  # java_opts is a list of flags
  SWITCHBOARD_SOAK_SIM_PORT="$sim_port" SWITCHBOARD_ADMIN_KEY="$admin" "$JAVA_HOME/bin/java" $java_opts \
    "-Xlog:gc:file=$out/gc.log::filecount=0" -jar "$JAR" \
    serve --config "$ROOT/bench/soak/soak.yaml" --port "$port" --data-dir "$RUN/data" \
    > "$out/gateway.log" 2>&1 < /dev/null &
  sb_pid=$!
  for _ in $(seq 300); do
    curl -fs -o /dev/null --max-time 1 "http://127.0.0.1:$port/health" && break
    kill -0 "$sb_pid" 2>/dev/null || { log "the gateway exited at start:"; tail -20 "$out/gateway.log" >&2; sb_pid=""; exit 1; }
    sleep 0.1
  done
  kill -0 "$sim_pid" 2>/dev/null || { log "the simulator exited at start:"; tail -20 "$out/simulator.log" >&2; sim_pid=""; exit 1; }
  (umask 077; echo "$admin" > "$RUN/admin")
  new_key soak > "$RUN/key.json" || { log "could not create an inference key"; exit 1; }
  (umask 077; json_field key < "$RUN/key.json" > "$RUN/key")
  log "gateway pid $sb_pid on :$port, simulator pid $sim_pid on :$sim_port, JVM flags: $java_opts"
}

API() { echo "http://127.0.0.1:$port/api/v1$1"; }
json_field() { grep -o "\"$1\":\"[^\"]*\"" | head -1 | cut -d'"' -f4; }
new_key() { # name; prints the response, fails unless 201
  local body
  body=$(curl -sS --max-time 10 -w '\n%{http_code}' -X POST -H "Authorization: Bearer $(cat "$RUN/admin")" \
    -H 'Content-Type: application/json' -d "{\"name\":\"$1\"}" "$(API /keys)") || return 1
  [[ ${body##*$'\n'} == 201 ]] || return 1
  echo "${body%$'\n'*}"
}

# ---------- the load besides wrk: cancelled streams and key churn, counted like soak.lua ----------
# Each loop keeps its counts in an associative array c (requests, ok, spurious, inband, status_NNN), which
# the functions it calls update (bash scoping is dynamic), and writes them after every step.
# The loops run in subshells that must outlive any one failed command (a curl, a file that vanished
# between readdir and stat): no errexit, no pipefail there.
progress() { # file
  local k line=""
  for k in "${!c[@]}"; do line+="$k=${c[$k]} "; done
  echo "$line" > "$1.tmp" && mv "$1.tmp" "$1"
}
count() { # key [n]
  c[$1]=$(( ${c[$1]:-0} + ${2:-1} ))
}
spurious() { # source what
  count spurious
  echo "$(date -u +%H:%M:%S) SOAK-SPURIOUS source=$1 $2" >> "$out/spurious.log"
}
CANCEL_BODY='{"model":"soak/chat","stream":true,"messages":[{"role":"user","content":"cancel me"}],"simulator":{"output_tokens":40,"tokens_per_second":20}}'
cancel_loop() { # id
  set +e +o pipefail
  declare -A c=([requests]=0 [ok]=0 [spurious]=0 [inband]=0)
  local tmp="$RUN/cancel-$1.body" code rc errors
  while [[ ! -e $RUN/stop ]]; do
    rc=0
    code=$(curl -sS -o "$tmp" -w '%{http_code}' --max-time "0.$(( 3 + RANDOM % 5 ))" \
      -H "Authorization: Bearer $(cat "$RUN/key")" -H 'Content-Type: application/json' -d "$CANCEL_BODY" \
      "$(API /chat/completions)" 2>/dev/null) || rc=$?
    errors=$(grep -o '"finish_reason":"error"' "$tmp" 2>/dev/null | wc -l)
    count requests; count "status_$code"; count inband "$errors"
    # Given up on (curl exit 28) after the status line or before it: a cancellation, if what came was clean.
    if [[ $rc == 28 && ($code == 200 || $code == 000) && $errors == 0 ]]; then
      count ok
    elif [[ $rc == 0 && $code == 200 && $errors == 0 ]] && grep -q 'data: \[DONE\]' "$tmp"; then
      count ok                # finished before the client gave up: slow, not wrong
    else
      spurious cancel "curl_exit=$rc status=$code body=$(head -c 300 "$tmp" | tr '\n' ' ')"
    fi
    progress "$RUN/progress/cancel-$1"
  done
}
key_step() { # expected-status curl-args...: one management or chat call, counted; fails unless as expected
  local want=$1 code; shift
  code=$(curl -sS -o "$RUN/key-step.body" -w '%{http_code}' --max-time 10 "$@" 2>/dev/null) || true
  count requests; count "status_$code"
  if [[ $code == "$want" ]]; then count ok; return 0; fi
  spurious keys "want=$want status=$code $(head -c 300 "$RUN/key-step.body" | tr '\n' ' ')"
  return 1
}
key_loop() { # every $key_every s: create a key, use it (200), delete it, use it again (401)
  set +e +o pipefail
  declare -A c=([requests]=0 [ok]=0 [spurious]=0)
  local i=0 key hash admin chat json=(-H 'Content-Type: application/json')
  admin=(-H "Authorization: Bearer $(cat "$RUN/admin")")
  chat=(-d '{"model":"soak/chat","messages":[{"role":"user","content":"new key"}]}' "$(API /chat/completions)")
  while [[ ! -e $RUN/stop ]]; do
    i=$((i + 1))
    if key_step 201 -X POST "${admin[@]}" "${json[@]}" -d "{\"name\":\"soak-churn-$i\"}" "$(API /keys)"; then
      key=$(json_field key < "$RUN/key-step.body") hash=$(json_field hash < "$RUN/key-step.body")
      key_step 200 -H "Authorization: Bearer $key" "${json[@]}" "${chat[@]}"
      key_step 200 -X DELETE "${admin[@]}" "$(API "/keys/$hash")" &&
        key_step 401 -H "Authorization: Bearer $key" "${json[@]}" "${chat[@]}"
    fi
    progress "$RUN/progress/keys"
    sleep "$key_every"
  done
}

# ---------- sampling ----------
counts_of() { # glob...: the progress files' lines, leaving out those being written (*.tmp) and a wrk
  local f       # thread's own (NAME.N) once wrk has written the total of its threads (NAME.final)
  for f in "$@"; do
    [[ $f == *.tmp || ! -f $f ]] && continue
    [[ $f =~ \.[0-9]+$ && -f ${f%.*}.final ]] && continue
    cat "$f" 2>/dev/null || true
  done
  return 0
}
totals() { # requests ok expected spurious inband, over every progress file
  counts_of "$RUN"/progress/* | awk '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); t[kv[1]] += kv[2] } }
    END { printf "%d %d %d %d %d\n", t["requests"], t["ok"], t["expected"], t["spurious"], t["inband"] }'
}
tcp_sockets() { # the process's TCP sockets in any state (listening ones included), by inode
  find "/proc/$sb_pid/fd" -lname 'socket:*' -printf '%l\n' 2>/dev/null | tr -dc '0-9\n' |
    awk 'NR == FNR { own[$1]; next } FNR > 1 && ($10 in own) { n++ } END { print n + 0 }' - \
      "/proc/$sb_pid/net/tcp" "/proc/$sb_pid/net/tcp6"
}
gc_lines=0 heap="NA"
# Heap after GC: the lowest "after" size of the collections logged since the last sample (-Xlog:gc, whose
# lines end in "before->after(capacity) time" for every collector), the previous value when none ran.
# The JVM writes these lines anyway; reading them costs no safepoint and no attach, unlike jcmd or jstat,
# and "after a collection" is the live data plus what the collection left, not a sawtooth's random phase.
sample_heap() {
  local lines; lines=$(wc -l < "$out/gc.log" 2>/dev/null || echo 0)
  local low; low=$(awk -v from="$gc_lines" -v to="$lines" 'NR > from && NR <= to && match($0, /->[0-9]+[KMG]/) {
      v = substr($0, RSTART + 2, RLENGTH - 3) + 0; u = substr($0, RSTART + RLENGTH - 1, 1)
      mb = u == "K" ? v / 1024 : u == "G" ? v * 1024 : v
      if (!seen || mb < low) { low = mb; seen = 1 }
    } END { if (seen) printf "%.1f", low }' "$out/gc.log" 2>/dev/null)
  gc_lines=$lines
  heap=${low:-$heap}
}
sample() { # elapsed-seconds
  local rss threads fds tcp db
  rss=$(awk '/^VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$sb_pid/status")
  threads=$(awk '/^Threads/ { print $2 }' "/proc/$sb_pid/status")
  fds=$(find "/proc/$sb_pid/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)
  tcp=$(tcp_sockets)
  db=$(du -sk "$RUN/data" 2>/dev/null | awk '{ printf "%.1f", $1 / 1024 }')
  sample_heap
  read -r requests ok expected spur inband <<< "$(totals)"
  echo "$1,$rss,$heap,$threads,$fds,$tcp,$requests,$expected,$spur,$inband,$db" >> "$out/samples.csv"
}
sampler() { # samples every $sample seconds from the start of the load until the stop file
  set +e +o pipefail
  local start=$1 next=0 now
  echo "elapsed_s,rss_mb,heap_after_gc_mb,threads,fds,tcp,requests,expected_failures,spurious_failures,inband_errors,db_mb" \
    > "$out/samples.csv"
  while [[ ! -e $RUN/stop ]]; do
    now=$(awk -v a="$EPOCHREALTIME" -v b="$start" 'BEGIN { printf "%d", a - b }')
    # Not at or after the end: the load may be over by then, and its sockets with it.
    if (( now >= next && now < duration )); then sample "$now"; next=$(( next + sample )); fi
    sleep 0.2
  done
}

# ---------- run ----------
prerequisites
start_processes
{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo), kernel $(uname -r)"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "jdk: $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)  flags: $java_opts"
  echo "switchboard: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$ROOT" diff --quiet 2>/dev/null || echo ' (uncommitted changes)'), config bench/soak/soak.yaml"
  echo "run: ${duration} s, samples every ${sample} s, warm-up ${warmup} s; chat c=$chat_conc (1 in $chat_fault_every faulted), streams c=$stream_conc (1 in $stream_fault_every faulted), 2 cancel loops, key churn every ${key_every} s"
} | tee "$out/machine.txt" >&2

free_mb=$(df -Pm "$RUN" | awk 'NR == 2 { print $4 }')
if (( free_mb < duration * 8 )); then
  log "WARNING: $free_mb MB free where the database grows; at full speed it can take some 8 MB a second"
fi
start=$EPOCHREALTIME
sampler "$start" & loads+=($!)
LUA="$ROOT/bench/soak/soak.lua"
wrk -t1 -c"$chat_conc" -d"${duration}s" --timeout "${timeout}s" -s "$LUA" "$(API /chat/completions)" -- \
  chat "$RUN/key" "$RUN/progress/chat" "$chat_fault_every" > "$out/wrk-chat.txt" 2> "$out/wrk-chat.err" & loads+=($!)
wrk -t1 -c"$stream_conc" -d"${duration}s" --timeout "${timeout}s" -s "$LUA" "$(API /chat/completions)" -- \
  stream "$RUN/key" "$RUN/progress/stream" "$stream_fault_every" > "$out/wrk-stream.txt" 2> "$out/wrk-stream.err" & loads+=($!)
wrks=("${loads[@]:1:2}")
cancel_loop 1 & loads+=($!)
cancel_loop 2 & loads+=($!)
key_loop & loads+=($!)
log "load running for ${duration} s; samples in $out/samples.csv"
wait "${wrks[@]}" || true
touch "$RUN/stop"
for p in "${loads[@]}"; do wait "$p" 2>/dev/null || true; done
loads=()
gateway_alive=1
kill -0 "$sb_pid" 2>/dev/null || gateway_alive=0

# ---------- results ----------
source_counts() { # label files...: one Markdown row of summed counts, statuses last
  local label=$1; shift
  counts_of "$@" | awk -v label="$label" '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); t[kv[1]] += kv[2] } }
    END {
      s = ""; for (k in t) if (k ~ /^status_/) s = s (s == "" ? "" : ", ") substr(k, 8) ": " t[k]
      printf "| %s | %d | %d | %d | %d | %d | %s |\n", label, t["requests"], t["ok"], t["expected"], t["spurious"], t["inband"], (s == "" ? "-" : s)
    }'
}
read -r requests ok expected spur inband <<< "$(totals)"
grep -h '^SOAK-SPURIOUS' "$out"/wrk-*.err >> "$out/spurious.log" 2>/dev/null || true
curl -s --max-time 5 "http://127.0.0.1:$port/metrics" > "$out/metrics.txt" || true
gateway_errors=$(awk '/^switchboard_chat_errors_total/ && /provider="sim"/ { n += $2 } END { printf "%d", n }' "$out/metrics.txt")
cancelled=$(awk '/^switchboard_chat_cancelled_total/ { n += $2 } END { printf "%d", n }' "$out/metrics.txt")
records="?"
if [[ $keep == 0 ]]; then
  stop_pid "$sb_pid" gateway; sb_pid=""
  if command -v python3 >/dev/null; then
    records=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from generations').fetchone()[0])" \
      "$RUN/data/switchboard.db" 2>/dev/null || echo "?")
  fi
fi

trend_rc=0
"$JAVA_HOME/bin/java" "$ROOT/bench/src/main/java/dev/switchboard/bench/soak/SoakTrends.java" \
  "$out/samples.csv" "$warmup" "$out/trend.md" || trend_rc=$?

plot() {
  local panel="" c title
  for c in "2:RSS (MB)" "3:heap after GC (MB)" "4:threads" "5:open file descriptors" "6:open TCP sockets"; do
    title=${c#*:}
    panel+="stats [${warmup}:*] '$out/samples.csv' using 1:${c%%:*} nooutput name 'S'
set title '$title'
plot '$out/samples.csv' using 1:${c%%:*} with linespoints pt 7 ps 0.4 lc rgb '#1f77b4' notitle, \\
     (x >= $warmup ? S_intercept + S_slope * x : 1/0) with lines lw 2 lc rgb '#d62728' title 'fit after warm-up'
"
  done
  gnuplot <<GP
set terminal pngcairo size 1400,1500 font 'sans,10'
set output '$out/soak.png'
set datafile separator ','
set datafile missing 'NA'
set datafile columnheaders
set xlabel 'seconds'
set grid
set key top left
set arrow from $warmup, graph 0 to $warmup, graph 1 nohead dt 2 lc rgb '#888888'
set multiplot layout 4,2 title 'Switchboard soak, $(date -u +%F) (dashed: end of the warm-up)'
$panel
set title 'requests per second (between samples)'
prev_t = 0; prev_r = 0
plot '$out/samples.csv' using 1:(dt = \$1 - prev_t, dr = \$7 - prev_r, prev_t = \$1, prev_r = \$7, dt > 0 ? dr / dt : 1/0) \
  with linespoints pt 7 ps 0.4 lc rgb '#2ca02c' notitle
set title 'failures so far'
plot '$out/samples.csv' using 1:8 with lines lw 2 lc rgb '#ff7f0e' title 'expected (upstream told to fail)', \
     '' using 1:9 with lines lw 2 lc rgb '#d62728' title 'spurious', \
     '' using 1:10 with lines lw 1 dt 2 lc rgb '#9467bd' title 'in-band error events'
unset multiplot
GP
}
rm -f "$out/soak.png"
plot 2> "$out/gnuplot.err" || true

verdict=PASS reasons=()
[[ $gateway_alive == 1 ]] || { verdict=FAIL; reasons+=("the gateway exited during the run (see gateway.log)"); }
for f in chat stream; do
  [[ -f $RUN/progress/$f.final ]] || { verdict=FAIL; reasons+=("wrk ($f) did not finish (see wrk-$f.err)"); }
done
[[ $spur == 0 ]] || { verdict=FAIL; reasons+=("$spur spurious failures (see spurious.log)"); }
[[ $gateway_errors == 0 ]] || { verdict=FAIL; reasons+=("the gateway counted $gateway_errors errors on the clean provider (metrics.txt)"); }
rows=$(( $(wc -l < "$out/samples.csv") - 1 ))
(( rows * sample * 10 >= duration * 7 )) || { verdict=FAIL; reasons+=("only $rows samples of $(( duration / sample )) (see $out)"); }
[[ -s $out/soak.png ]] || { verdict=FAIL; reasons+=("no plot (see gnuplot.err)"); }
[[ $trend_rc == 0 ]] || { verdict=FAIL; reasons+=("$(tail -1 "$out/trend.md" 2>/dev/null || echo 'the trends could not be judged')"); }
{
  echo "# Soak, $(date -u +%F)"
  echo
  joined=$(printf '%s; ' "${reasons[@]}")
  echo "**Verdict: $verdict**${reasons[*]:+: ${joined%; }}"
  echo
  sed 's/^/    /' "$out/machine.txt"
  echo
  echo "## Requests"
  echo
  echo "| load | requests | ok | expected failures | spurious failures | in-band error events | statuses |"
  echo "|---|---:|---:|---:|---:|---:|---|"
  source_counts "chat (wrk -c$chat_conc)" "$RUN"/progress/chat.*
  source_counts "streams (wrk -c$stream_conc)" "$RUN"/progress/stream.*
  source_counts "cancelled streams (curl)" "$RUN"/progress/cancel-*
  source_counts "key churn (management API)" "$RUN"/progress/keys
  echo "| **all** | **$requests** | **$ok** | **$expected** | **$spur** | **$inband** | |"
  echo
  echo "Expected failures are answers to requests that told the upstream to fail (500, 429, a reset or a"
  echo "malformed chunk), in the shape the gateway promises: 502 or 429 with the provider's code, or an"
  echo "in-band error event before \`[DONE]\` once a stream has started. Spurious is every other failure,"
  echo "socket errors and timeouts included; it must be 0, and so must the gateway's own count of errors on"
  echo "the clean provider: $gateway_errors (client cancellations, counted apart: $cancelled). Generation records"
  echo "stored: $records."
  echo "Gateway log lines at WARNING or SEVERE: $(grep -cE '^[0-9T:.-]+ (WARNING|SEVERE) ' "$out/gateway.log" || true) (gateway.log)."
  echo
  echo "wrk:"
  echo
  grep -h '^SOAK-WRK' "$out/wrk-chat.txt" "$out/wrk-stream.txt" | sed 's/^/    /' || true
  echo
  echo "## Resources after the warm-up ($warmup s of $duration s)"
  echo
  cat "$out/trend.md" 2>/dev/null || echo "(no trend table: see the output above)"
  echo
  echo "A series FAILS when its least-squares line over the samples after the warm-up rises by more than"
  echo "5 % of its mean and more than its floor (RSS 16 MB, heap after GC 8 MB, threads 8, fds 16, TCP"
  echo "sockets 16); memory only over a window of 5 minutes or more. See"
  echo "bench/src/main/java/dev/switchboard/bench/soak/SoakTrends.java. Samples: samples.csv, plot: soak.png."
} > "$out/summary.md"
cat "$out/summary.md"
# The database grows by some 0.5 KB a request (tens of GB in an hour at full speed): kept for a look
# after a failure or with --keep, removed otherwise.
if [[ $verdict == PASS && $keep == 0 ]]; then rm -rf "$RUN/data"; else log "the gateway's data: $RUN/data"; fi
log "results: $out (summary.md, samples.csv, soak.png)"
[[ $verdict == PASS ]]
