#!/usr/bin/env bash
# Warm-up of the gateway: how soon after its start it answers, and how soon it reaches full speed, for
# several JVM set-ups (docs/PERFORMANCE.md, "Warm-up").
#
#   scripts/warmup.sh                          every variant, 5 trials each, 30 s of load per trial (~15 min)
#   scripts/warmup.sh --variants "default aot" --reps 3 --seconds 20
#
# Upstream: the load harness's nginx mock (../shared/bench), with bench/config/bench.yaml, as in
# scripts/bench.sh. Once, before the trials: a start in a new data directory with the books on (credits
# enforced, a large grant, a key with a spend and a rate limit, through the admin API as bench.sh does),
# stopped again; that database is the template every trial starts over (a restart, the common case).
# Each trial copies it, spawns the gateway as the launcher does (java, the launcher's flags, -jar) plus
# the variant's flags, and bench/warmup.py records the ms from the spawn until /health answers and
# until a chat completion with the key answers 200, then drives chat at concurrency 64 with h2load
# for --seconds and counts the answers per one-second window: the steady rate is the median of the
# last 10 windows, t90 the end of the first window at 90 % of it (in seconds of load, and since the
# spawn). Trials go round the variants in turn, so a busy spell of the machine hits them alike.
#
# Variants (--variants, in this order by default):
#   default   the launcher's flags alone, no cache
#   c1        + -XX:TieredStopAtLevel=1 (C1 only: compiles sooner, runs slower)
#   cds       + a dynamic AppCDS archive (-XX:SharedArchiveFile -XX:+AutoCreateSharedArchive), made first by
#             scripts/aot-cache.sh --cds (the same training run as the AOT cache); works on JDK 19+
#   aot       + the JDK 25 AOT cache (-XX:AOTCache), made first by scripts/aot-cache.sh, as scripts/build.sh does
#   NAME=FLAGS  any other flags, comma-separated, e.g. aot-c1=-XX:AOTCache=@AOT@,-XX:TieredStopAtLevel=1
#             (@AOT@ and @CDS@ stand for the two files this run made)
#
# Options:
#   --variants "..."   [default c1 cds aot]      --reps N       trials per variant [5]
#   --seconds S        load per trial, >= 10 [30]; 0: start and first answer only
#   --conc N           connections [64]         --port N       the gateway's port [8090]
#   --java-opts "..."  the base flags [the launcher's defaults]
#   --out DIR          [/tmp/switchboard-warmup/<timestamp>]: results.jsonl, summary.md, one directory per trial
#   --no-build         use server/target as it is
#   --no-phases        skip the start's breakdown: after the trials, one start per variant with the JVM's
#                      class-loading log, read by bench/startup_phases.py (phases.md)
#   --harness DIR      the load harness [$SWITCHBOARD_BENCH_HARNESS, else ../shared/bench]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

variants="default c1 cds aot" reps=5 seconds=30 conc=64 port=8090 out="" build=1 phases=1
harness="${SWITCHBOARD_BENCH_HARNESS:-$ROOT/../shared/bench}"
java_opts="$(sed -n 's/^DEFAULT_OPTS="\(.*\)"$/\1/p' "$ROOT/switchboard")"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --variants) variants="$2"; shift 2 ;;
    --reps) reps="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --conc) conc="$2"; shift 2 ;;
    --port) port="$2"; shift 2 ;;
    --java-opts) java_opts="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    --no-phases) phases=0; shift ;;
    --harness) harness="$2"; shift 2 ;;
    -h|--help) sed -n '2,38p' "$0"; exit 0 ;;
    *) echo "warmup.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
log() { echo "warmup: $*" >&2; }
for c in h2load python3 curl jq; do command -v "$c" >/dev/null || { log "$c is missing (apt-get install -y nghttp2-client python3 curl jq)"; exit 1; }; done
MOCK="$harness/mock-upstream/mock.sh"
[[ -x $MOCK ]] || { log "no mock at $MOCK (--harness DIR)"; exit 1; }
out="${out:-/tmp/switchboard-warmup/$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$out" && out="$(cd "$out" && pwd)"
source "$ROOT/scripts/jdk.sh"
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
JAR="$ROOT/server/target/switchboard.jar"
CONFIG="$ROOT/bench/config/bench.yaml"
BODY="$out/chat.json"
jq -c '.model = "bench/chat"' "$harness/bodies/chat.json" > "$BODY"   # the harness's body, our model (as bench.sh)
ADMIN="sk-sb-v1-warmup-admin-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"

started_mock=0 sb_pid=""
cleanup() {
  if [[ -n $sb_pid ]] && kill -0 "$sb_pid" 2>/dev/null; then kill "$sb_pid"; wait "$sb_pid" 2>/dev/null || true; fi
  if [[ $started_mock == 1 ]]; then "$MOCK" stop >&2 || true; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/" 2>/dev/null; then log "something listens on :$port (--port N)"; exit 1; fi
if "$MOCK" status >/dev/null 2>&1; then log "mock already running; using it"; else "$MOCK" start >&2; started_mock=1; fi
if [[ $build == 1 ]]; then "$ROOT/scripts/build.sh" >&2; fi
[[ -f $JAR ]] || { log "$JAR missing (drop --no-build)"; exit 1; }

gateway() { # data-dir extra-flags...: the command line of a trial, as the launcher runs the gateway
  local data="$1"; shift
  # shellcheck disable=SC2086  # java_opts is a list of flags
  echo env SWITCHBOARD_CREDITS_ENFORCE=true SWITCHBOARD_ADMIN_KEY="$ADMIN" "$JAVA_HOME/bin/java" $java_opts "$@" \
    -jar "$JAR" serve --config "$CONFIG" --port "$port" --data-dir "$data"
}

# ---------- the template database: books on, a key ----------
make_template() {
  local data="$out/template/data"
  mkdir -p "$data"
  # shellcheck disable=SC2046
  $(gateway "$data") > "$out/template/gateway.log" 2>&1 < /dev/null &
  sb_pid=$!
  for _ in $(seq 600); do
    curl -fs -o /dev/null --max-time 1 "http://127.0.0.1:$port/health" && break
    kill -0 "$sb_pid" 2>/dev/null || { log "the gateway exited at start:"; tail -20 "$out/template/gateway.log" >&2; exit 1; }
    sleep 0.1
  done
  curl -fsS -X POST -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
    -d '{"amount":1000000,"id":"warmup-grant"}' "http://127.0.0.1:$port/api/v1/credits/grants" >/dev/null
  KEY=$(curl -fsS -X POST -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
    -d '{"name":"warmup","limit":1000000,"rate_limit":{"requests_per_minute":10000000}}' \
    "http://127.0.0.1:$port/api/v1/keys" | jq -r .key)
  [[ $KEY == sk-* ]] || { log "could not create an inference key"; exit 1; }
  (umask 077; echo "$KEY" > "$out/template/key"; echo "$ADMIN" > "$out/template/admin")
  kill "$sb_pid"; wait "$sb_pid" 2>/dev/null || true; sb_pid=""
}

flags_of() { # variant -> its extra flags
  case "$1" in
    default) echo "" ;;
    c1) echo "-XX:TieredStopAtLevel=1" ;;
    cds) echo "-XX:SharedArchiveFile=$out/switchboard.jsa -XX:+AutoCreateSharedArchive" ;;
    aot) echo "-XX:AOTCache=$out/switchboard.aot" ;;
    *=*) local f="${1#*=}"; f="${f//@AOT@/$out/switchboard.aot}"; f="${f//@CDS@/$out/switchboard.jsa}"; echo "${f//,/ }" ;;
    *) return 1 ;;
  esac
}
for variant in $variants; do flags_of "$variant" >/dev/null || { log "unknown variant $variant (see --help)"; exit 2; }; done

{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "jdk: $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)  base flags: $java_opts"
  echo "switchboard: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$ROOT" diff --quiet 2>/dev/null || echo ' (uncommitted changes)')"
  echo "trials: $reps per variant, ${seconds} s of chat at c=$conc each, over a copied database (restart)"
} | tee "$out/machine.txt" >&2

make_template
# The caches are trained as scripts/build.sh trains the shipped one, once, before any trial.
# A cache already in --out DIR is used again.
case " $variants " in *" cds "*|*@CDS@*) [[ -s $out/switchboard.jsa ]] || "$ROOT/scripts/aot-cache.sh" --cds --out "$out/switchboard.jsa" --java-opts "$java_opts" ;; esac
case " $variants " in *" aot "*|*@AOT@*) [[ -s $out/switchboard.aot ]] || "$ROOT/scripts/aot-cache.sh" --out "$out/switchboard.aot" --java-opts "$java_opts" ;; esac

for rep in $(seq "$reps"); do
  for variant in $variants; do
    name="${variant%%=*}"
    dir="$out/$name/$rep"
    rm -rf "$dir" && mkdir -p "$dir" && cp -a "$out/template/data" "$dir/data"
    # shellcheck disable=SC2046
    python3 "$ROOT/bench/warmup.py" trial --port "$port" --key "$KEY" --body "$BODY" --seconds "$seconds" \
      --conc "$conc" --out "$dir" --variant "$name" --trial "$rep" -- $(gateway "$dir/data" $(flags_of "$variant")) \
      | tee -a "$out/results.jsonl" | jq -c '{variant, trial, listen_ms, first_answer_ms, steady_rps, t90_spawn_s, error}' >&2
    rm -rf "$dir/data"
  done
done

python3 "$ROOT/bench/warmup.py" summary "$out/results.jsonl" | tee "$out/summary.md"

# ---------- where the start goes: one start per variant with the class-loading log ----------
if [[ $phases == 1 ]]; then
  for variant in $variants; do
    name="${variant%%=*}"
    dir="$out/phases/$name"
    rm -rf "$dir" && mkdir -p "$dir" && cp -a "$out/template/data" "$dir/data"
    # shellcheck disable=SC2046
    python3 "$ROOT/bench/warmup.py" trial --port "$port" --key "$KEY" --body "$BODY" --seconds 0 --out "$dir" \
      --variant "$name" -- $(gateway "$dir/data" $(flags_of "$variant") "-Xlog:class+load=info:file=$dir/classes.log:uptime") \
      > "$dir/result.json"
    rm -rf "$dir/data"
    {
      echo; echo "### $name (listen $(jq .listen_ms "$dir/result.json") ms, first answer $(jq .first_answer_ms "$dir/result.json") ms; one start, with the class-loading log on)"; echo
      python3 "$ROOT/bench/startup_phases.py" "$dir/classes.log" "$(jq .listen_ms "$dir/result.json")" "$(jq .first_answer_ms "$dir/result.json")"
    } | tee -a "$out/phases.md"
  done
fi
log "results: $out (summary.md, results.jsonl, per trial gateway.log and h2load.log)"
