#!/usr/bin/env bash
# Load benchmark of the whole gateway: Switchboard beside the direct mock and beside Portkey, with the
# shared load harness (../shared/bench: nginx mock, wrk/h2load/curl, compare.sh). See docs/PERFORMANCE.md.
#
#   scripts/bench.sh                 full run (compare.sh defaults: 10 s per scenario, 3 reps, medians; ~20 min)
#   scripts/bench.sh --quick         smoke run: 1 rep of 3 s per scenario (~3 min); figures are indicative only
#
# It installs what is missing (apt, as root), starts the mock, builds and starts Switchboard with
# bench/config/bench.yaml in a fresh data directory, creates an inference key, starts Portkey, then runs
#   1. compare.sh direct switchboard     added latency = Switchboard - direct mock, per scenario
#   2. compare.sh portkey switchboard    the two gateways in one run
#   3. (--slow) paced streams at c=64, direct vs Switchboard
#   4. a first-event probe: time to the first SSE event, not just the first header byte
# and writes <out>/summary.md (both tables, the goals, the machine). It stops what it started.
#
# Options:
#   --quick            --duration 3 --reps 1 --warmup 2 --rate 200 --ttfb 30 (probe: 50 streams)
#   --no-direct        skip run 1            --no-portkey     skip run 2 (no Node.js needed)
#   --slow             add run 3             --no-probe       skip run 4 (needs python3)
#   --out DIR          results [/tmp/switchboard-bench/results/<timestamp>]
#   --port N           Switchboard's port [8080]
#   --java-opts "..."  JVM flags [$SWITCHBOARD_JAVA_OPTS, else the launcher's defaults:
#                      -XX:+UseG1GC -Xms64m -Xmx128m -XX:ReservedCodeCacheSize=48m -XX:MaxMetaspaceSize=96m]
#   --no-build         use server/target/switchboard.jar as it is
#   --keep             leave the mock, Switchboard and Portkey running at the end
#   --harness DIR      the load harness [$SWITCHBOARD_BENCH_HARNESS, else ../shared/bench]
#   -- ARGS            passed to every compare.sh run (e.g. -- --conc "1 64" --reps 5)
# Environment: SWITCHBOARD_BENCH_KEY_BODY is the body of the bench key's POST /keys (default: a spend
# limit and a request rate limit far above the load; credits are enforced with a large grant, unless
# SWITCHBOARD_CREDITS_ENFORCE=false); the management key is left in $SWITCHBOARD_BENCH_RUN/admin.
# SWITCHBOARD_BENCH_CLASSPATH is put before the jar on the class path (e.g. a directory
# holding catalog/bundled-catalog.yaml). Everything runs on loopback; every load run is bounded.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

quick=0 direct=1 portkey=1 slow=0 probe=1 build=1 keep=0 port=8080 out=""
harness="${SWITCHBOARD_BENCH_HARNESS:-$ROOT/../shared/bench}"
java_opts="${SWITCHBOARD_JAVA_OPTS:--XX:+UseG1GC -Xms64m -Xmx128m -XX:ReservedCodeCacheSize=48m -XX:MaxMetaspaceSize=96m}"
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
extra=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) quick=1; shift ;;
    --no-direct) direct=0; shift ;;
    --no-portkey) portkey=0; shift ;;
    --slow) slow=1; shift ;;
    --no-probe) probe=0; shift ;;
    --no-build) build=0; shift ;;
    --keep) keep=1; shift ;;
    --out) out="$2"; shift 2 ;;
    --port) port="$2"; shift 2 ;;
    --java-opts) java_opts="$2"; shift 2 ;;
    --harness) harness="$2"; shift 2 ;;
    -h|--help) sed -n '2,33p' "$0"; exit 0 ;;
    --) shift; extra=("$@"); break ;;
    *) echo "bench.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
harness="$(cd "$harness" 2>/dev/null && pwd)" || { echo "bench.sh: load harness not found (--harness DIR)" >&2; exit 1; }
[[ -x $harness/compare.sh && -x $harness/load.sh ]] || { echo "bench.sh: $harness has no compare.sh/load.sh" >&2; exit 1; }
out="${out:-/tmp/switchboard-bench/results/$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

export SWITCHBOARD_BENCH_RUN="${SWITCHBOARD_BENCH_RUN:-/tmp/switchboard-bench}"
export SWITCHBOARD_BENCH_PORT="$port"
RUN="$SWITCHBOARD_BENCH_RUN"
TARGET="$ROOT/bench/targets/switchboard.env"
CONFIG="$ROOT/bench/config/bench.yaml"
JAR="$ROOT/server/target/switchboard.jar"
MOCK="$harness/mock-upstream/mock.sh"
PORTKEY="$harness/peers/portkey.sh"
PORTKEY_PIDFILE=/tmp/bench-work/portkey.pid
log() { echo "bench: $*" >&2; }

if [[ $quick == 1 ]]; then
  common=(--duration 3 --reps 1 --warmup 2 --rate 200 --ttfb 30)
  probe_n=50
else
  common=()
  probe_n=200
fi

# ---------- prerequisites ----------
prerequisites() {
  local missing=()
  for c in nginx wrk h2load hey jq curl; do command -v "$c" >/dev/null || missing+=("$c"); done
  [[ -f /usr/lib/nginx/modules/ngx_http_echo_module.so ]] || missing+=(echo-module)
  if [[ ${#missing[@]} -gt 0 ]]; then
    local packages="nginx libnginx-mod-http-echo wrk nghttp2-client hey jq curl"
    if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
      log "installing ${missing[*]}: apt-get install -y $packages"
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $packages >/dev/null
    else
      log "missing ${missing[*]}; run as root: apt-get install -y $packages"; exit 1
    fi
  fi
  if [[ $portkey == 1 ]] && ! command -v npm >/dev/null; then
    log "Portkey needs Node.js 20+ and npm (or use --no-portkey)"; exit 1
  fi
  if [[ $probe == 1 ]] && ! command -v python3 >/dev/null; then
    log "python3 missing: the first-event probe is skipped"; probe=0
  fi
}

# ---------- what this script started, stopped on exit ----------
started_mock=0 started_portkey=0 sb_pid=""
cleanup() {
  local rc=$?
  if [[ $keep == 1 ]]; then
    log "--keep: left running (Switchboard pid ${sb_pid:-none}, $RUN/switchboard.pid)"; return $rc
  fi
  stop_switchboard
  [[ $started_portkey == 1 ]] && "$PORTKEY" stop >&2 || true
  [[ $started_mock == 1 ]] && "$MOCK" stop >&2 || true
  return $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

stop_switchboard() {
  [[ -n $sb_pid ]] || return 0
  if kill -0 "$sb_pid" 2>/dev/null; then
    kill "$sb_pid"                                 # SIGTERM: the shutdown hook drains the generation log
    for _ in $(seq 150); do kill -0 "$sb_pid" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$sb_pid" 2>/dev/null && { log "Switchboard did not stop in 30 s; killing $sb_pid"; kill -KILL "$sb_pid"; }
  fi
  rm -f "$RUN/switchboard.pid"
  sb_pid=""
}

start_mock() {
  if "$MOCK" status >/dev/null 2>&1; then log "mock already running; using it"; else "$MOCK" start >&2; started_mock=1; fi
}

start_switchboard() {
  if curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/" 2>/dev/null; then
    log "something already listens on 127.0.0.1:$port (--port N)"; exit 1
  fi
  source "$ROOT/scripts/jdk.sh"
  if [[ $build == 1 ]]; then "$ROOT/scripts/build.sh" >&2; fi
  [[ -f $JAR ]] || { log "$JAR missing (drop --no-build)"; exit 1; }
  rm -rf "$RUN/data" && mkdir -p "$RUN/data"
  local admin; admin="sk-sb-v1-bench-admin-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
  # shellcheck disable=SC2086  # java_opts is a list of flags
  SWITCHBOARD_CREDITS_ENFORCE="${SWITCHBOARD_CREDITS_ENFORCE:-true}" SWITCHBOARD_ADMIN_KEY="$admin" "$JAVA_HOME/bin/java" $java_opts \
    -cp "${SWITCHBOARD_BENCH_CLASSPATH:+$SWITCHBOARD_BENCH_CLASSPATH:}$JAR" dev.switchboard.server.cli.Main \
    serve --config "$CONFIG" --port "$port" --data-dir "$RUN/data" > "$RUN/switchboard.log" 2>&1 < /dev/null &
  sb_pid=$!
  echo "$sb_pid" > "$RUN/switchboard.pid"
  for _ in $(seq 300); do
    curl -fs -o /dev/null --max-time 1 "http://127.0.0.1:$port/health" && break
    kill -0 "$sb_pid" 2>/dev/null || { log "Switchboard exited at start:"; tail -20 "$RUN/switchboard.log" >&2; sb_pid=""; exit 1; }
    sleep 0.1
  done
  # The books on, as in production: credits enforced (a grant far beyond the run), and the key with a
  # spend limit and a request rate limit far above what the load reaches, so every request is
  # authenticated, reserved against both, rate-limited, settled and recorded.
  curl -fsS -X POST -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
    -d '{"amount":1000000,"id":"bench-grant"}' "http://127.0.0.1:$port/api/v1/credits/grants" >/dev/null \
    || { log "could not grant the bench credits"; exit 1; }
  local key key_body='{"name":"bench","limit":1000000,"rate_limit":{"requests_per_minute":10000000}}'
  key_body=${SWITCHBOARD_BENCH_KEY_BODY:-$key_body}
  key=$(curl -fsS -X POST -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
    -d "$key_body" "http://127.0.0.1:$port/api/v1/keys" | jq -r .key)
  [[ $key == sk-* ]] || { log "could not create an inference key"; exit 1; }
  (umask 077; echo "$key" > "$RUN/key"; echo "$admin" > "$RUN/admin")
  log "Switchboard pid $sb_pid on :$port, idle RSS $(awk '/VmRSS/{print int($2/1024)}' /proc/$sb_pid/status) MB, JVM flags: $java_opts"
}

start_portkey() {
  if "$PORTKEY" status >/dev/null 2>&1; then log "Portkey already running; using it"
  else "$PORTKEY" start >&2; started_portkey=1; fi
}

# The harness unchanged (symlinks), with its bodies re-pointed at Switchboard's bench models: only
# "model" differs. compare.sh finds its files next to itself, so it runs against these bodies.
overlay() { # dir stream-model
  local dir="$1" model="$2" f
  rm -rf "$dir" && mkdir -p "$dir/bodies"
  for f in compare.sh load.sh wrk-post.lua targets mock-upstream peers README.md; do
    [[ -e $harness/$f ]] && ln -s "$harness/$f" "$dir/$f"
  done
  jq -c '.model = "bench/chat"' "$harness/bodies/chat.json" > "$dir/bodies/chat.json"
  jq -c --arg m "$model" '.model = $m' "$harness/bodies/chat-stream.json" > "$dir/bodies/chat-stream.json"
  [[ -f $harness/bodies/messages.json ]] && cp "$harness/bodies/messages.json" "$dir/bodies/"
  return 0
}

compare() { # name compare.sh-args...
  local name="$1"; shift
  log "=== $name ==="
  "$RUN/harness/compare.sh" "$@" --out "$out/$name" 2>&1 | tee "$out/$name.log"
}

first_event_probe() {
  local body="$RUN/harness/bodies/chat-stream.json" key; key=$(cat "$RUN/key")
  {
    python3 "$ROOT/bench/first_event.py" -n "$probe_n" -H 'Authorization: Bearer sk-mock' \
      http://127.0.0.1:18080/stream/v1/chat/completions "$body" | sed 's/^FIRST-EVENT/FIRST-EVENT target=direct/'
    python3 "$ROOT/bench/first_event.py" -n "$probe_n" -H "Authorization: Bearer $key" \
      "http://127.0.0.1:$port/api/v1/chat/completions" "$body" | sed 's/^FIRST-EVENT/FIRST-EVENT target=switchboard/'
  } | tee "$out/first-event.txt"
}

# ---------- run ----------
prerequisites
start_mock
start_switchboard
[[ $portkey == 1 ]] && start_portkey
overlay "$RUN/harness" bench/stream
{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)  mode: $([[ $quick == 1 ]] && echo 'quick (smoke)' || echo full)"
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo), kernel $(uname -r)"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "jdk: $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)  flags: $java_opts"
  echo "switchboard: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$ROOT" diff --quiet 2>/dev/null || echo ' (uncommitted changes)'), config bench/config/bench.yaml"
  echo "compare.sh options: ${common[*]} ${extra[*]}"
} | tee "$out/machine.txt" >&2

[[ $direct == 1 ]] && compare direct-vs-switchboard "${common[@]}" "${extra[@]}" direct "$TARGET"
[[ $portkey == 1 ]] && compare portkey-vs-switchboard "${common[@]}" "${extra[@]}" portkey "$TARGET"
if [[ $slow == 1 ]]; then
  overlay "$RUN/harness" bench/slow
  # later options win in compare.sh: the quick settings first, then this run's own scenario list
  SWITCHBOARD_BENCH_SLOW=1 compare slow-direct-vs-switchboard "${common[@]}" --conc "" --stream-conc "" --rate "" \
    --ttfb 0 --slow-conc 64 "${extra[@]}" direct "$TARGET"
  overlay "$RUN/harness" bench/stream
fi
[[ $probe == 1 ]] && first_event_probe

# Generation records: every request the gateway answered must be in the store once it has drained.
sent=$(cat "$out"/*/raw/lines.txt 2>/dev/null | grep 'label=switchboard ' | grep -o ' requests=[0-9]*' | awk -F= '{ n += $2 } END { print n + 0 }')
if [[ $keep == 0 ]]; then
  stop_switchboard
  stored=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from generations').fetchone()[0])" "$RUN/data/switchboard.db" 2>/dev/null || echo "?")
  echo "generation records stored: $stored (load-generator requests counted: $sent, plus smoke checks and probe streams)" | tee "$out/records.txt" >&2
fi

# ---------- summary ----------
"$ROOT/scripts/bench-summary.sh" "$out" | tee "$out/summary.md"
log "results: $out (summary.md, per-run results.tsv and table.md)"
