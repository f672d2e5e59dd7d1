#!/usr/bin/env bash
# Makes the gateway's ahead-of-time cache (JDK 25+: JEP 483 classes loaded and linked, JEP 515 method
# profiles; one training run, JEP 514) from a short training run, next to the jar:
#   server/target/switchboard.aot        the cache, passed by the launcher as -XX:AOTCache
#   server/target/switchboard.aot.stamp  what it was made from (scripts/aot-stamp.sh)
# scripts/build.sh runs it after every build. The training run starts the built gateway with the
# launcher's JVM flags, without provider credentials (so its built-in simulator answers), in a
# temporary data directory on a free loopback port; scripts/aot-training.py sends it a grant, a key
# creation and a few seconds of chat, streams and errors; SIGTERM stops it and the JVM writes the cache
# as it exits. Took 25 to 58 s on two busy cores; expect about 15 s on quiet ones (not yet measured).
#
#   scripts/aot-cache.sh [--out FILE] [--cds] [--seconds S] [--java-opts "..."]
#     --out FILE        where to write [server/target/switchboard.aot]; the stamp is written only there
#     --cds             a dynamic AppCDS archive instead (-XX:SharedArchiveFile -XX:+AutoCreateSharedArchive;
#                       any JDK 19+): for scripts/warmup.sh's comparison
#     --seconds S       training traffic [$SWITCHBOARD_AOT_TRAINING_SECONDS, else 5]
#     --java-opts "..." training flags [the launcher's defaults]
# Exits 1 with one line saying why when no cache was made (old JDK, no python3, the run failed).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/jdk.sh"
source "$ROOT/scripts/aot-stamp.sh"
TARGET="$ROOT/server/target"
JAR="$TARGET/switchboard.jar"
out="$TARGET/switchboard.aot" cds=0 seconds="${SWITCHBOARD_AOT_TRAINING_SECONDS:-5}"
java_opts="$(sed -n 's/^DEFAULT_OPTS="\(.*\)"$/\1/p' "$ROOT/switchboard")"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --cds) cds=1; shift ;;
    --seconds) seconds="$2"; shift 2 ;;
    --java-opts) java_opts="$2"; shift 2 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "aot-cache.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
fail() { echo "aot-cache: $*" >&2; exit 1; }
[[ -f $JAR && -d $TARGET/libs ]] || fail "no $JAR (build first)"
command -v python3 >/dev/null || fail "python3 is missing (it sends the training traffic)"
if [[ $cds == 1 ]]; then
  record=(-XX:SharedArchiveFile="$out" -XX:+AutoCreateSharedArchive)
else
  [[ $(aot_jdk_version "$JAVA_HOME") ]] && aot_stamp "$JAVA_HOME" "$TARGET" >/dev/null \
    || fail "$JAVA_HOME is not JDK 25 or newer ($(aot_jdk_version "$JAVA_HOME" || true)): no AOT cache"
  record=(-XX:AOTCacheOutput="$out")
fi

work="$(mktemp -d /tmp/switchboard-aot.XXXXXX)"
pid=""
cleanup() {
  if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
admin="sk-sb-v1-aot-training-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
stamped=0
[[ $cds == 0 && $out == "$TARGET/switchboard.aot" ]] && stamped=1
if [[ $stamped == 1 && -s $out && -f $out.stamp ]] && [[ "$(cat "$out.stamp")" == "$(aot_stamp "$JAVA_HOME" "$TARGET")" ]]; then
  echo "aot-cache: $out is up to date" >&2; exit 0
fi
rm -f "$out"
[[ $stamped == 1 ]] && rm -f "$out.stamp"
started=$(date +%s%N)
# No provider credentials and no configuration from this environment: the built-in simulator answers.
# shellcheck disable=SC2086  # java_opts is a list of flags
env -i PATH="$PATH" HOME="$work" MALLOC_ARENA_MAX=2 SWITCHBOARD_ADMIN_KEY="$admin" \
  "$JAVA_HOME/bin/java" $java_opts "${record[@]}" -jar "$JAR" \
  serve --port "$port" --data-dir "$work/data" > "$work/gateway.log" 2>&1 < /dev/null &
pid=$!
trained=0
python3 "$ROOT/scripts/aot-training.py" --port "$port" --admin "$admin" --seconds "$seconds" 2>"$work/training.log" && trained=1
kill -TERM "$pid" 2>/dev/null || true
# The JVM writes the cache as it exits (for the AOT cache, in a second JVM it starts for that).
for _ in $(seq 600); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$pid" 2>/dev/null; then fail "the training run did not stop within 60 s"; fi
wait "$pid" 2>/dev/null || true
pid=""
if [[ $trained != 1 ]]; then
  tail -5 "$work/training.log" "$work/gateway.log" >&2 || true
  rm -f "$out"
  fail "the training run failed (above)"
fi
[[ -s $out ]] || { tail -20 "$work/gateway.log" >&2; fail "the JVM wrote no cache (its output is above)"; }
if [[ $stamped == 1 ]]; then aot_stamp "$JAVA_HOME" "$TARGET" > "$out.stamp"; fi
echo "aot-cache: $out ($(( $(stat -c %s "$out") / 1048576 )) MB) in $(( ($(date +%s%N) - started) / 1000000 )) ms; $(tail -1 "$work/training.log")" >&2
