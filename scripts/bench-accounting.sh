#!/usr/bin/env bash
# The cost of the books on the hot path, in one run of the shared harness: the working tree started
# twice, "accounting-off" on :8081 (a key without limits, credits metered only) and "accounting-on" on
# :8080 (credits enforced with a large grant, the bench key with a spend limit and a request rate limit
# far above what the load reaches), then
#   compare.sh accounting-off accounting-on   (chat c=1 and c=64, stream c=16, 100 sequential streams)
# See docs/PERFORMANCE.md.
#
#   scripts/bench-accounting.sh [-- compare.sh args]    e.g. -- --reps 3
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[[ ${1:-} == -- ]] && shift
extra=("$@")
harness="$(cd "${SWITCHBOARD_BENCH_HARNESS:-$ROOT/../shared/bench}" && pwd)"
out="/tmp/switchboard-bench/accounting/$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
log() { echo "bench-accounting: $*" >&2; }
on_key_body='{"name":"bench","limit":1000000,"rate_limit":{"requests_per_minute":10000000}}'

cleanup() {
  for run in /tmp/switchboard-bench/run-off /tmp/switchboard-bench/run-on; do
    [[ -f $run/switchboard.pid ]] && kill "$(cat "$run/switchboard.pid")" 2>/dev/null || true
  done
  [[ ${started_mock:-0} == 1 ]] && "$harness/mock-upstream/mock.sh" stop >&2 || true
}
trap cleanup EXIT

if "$harness/mock-upstream/mock.sh" status >/dev/null 2>&1; then started_mock=0; else "$harness/mock-upstream/mock.sh" start >&2; started_mock=1; fi
start() { # port run-dir [env...]
  local port=$1 run=$2; shift 2
  env "$@" SWITCHBOARD_BENCH_RUN="$run" "$ROOT/scripts/bench.sh" --harness "$harness" --port "$port" --keep --no-direct \
    --no-portkey --no-probe --out "$out/start-$(basename "$run")" >&2 || true
  [[ -s $run/key ]] || { log "the gateway on :$port did not start"; exit 1; }
}
start 8081 /tmp/switchboard-bench/run-off SWITCHBOARD_CREDITS_ENFORCE=false SWITCHBOARD_BENCH_KEY_BODY='{"name":"bench"}'
start 8080 /tmp/switchboard-bench/run-on SWITCHBOARD_CREDITS_ENFORCE=true SWITCHBOARD_BENCH_KEY_BODY="$on_key_body"
curl -fsS -H "Authorization: Bearer $(cat /tmp/switchboard-bench/run-on/key)" http://127.0.0.1:8080/api/v1/key \
  | jq -c '.data | {limit, limit_remaining, rate_limit}' >&2

overlay="$out/harness"
mkdir -p "$overlay/bodies"
for f in compare.sh load.sh wrk-post.lua targets mock-upstream peers; do ln -s "$harness/$f" "$overlay/$f"; done
jq -c '.model = "bench/chat"' "$harness/bodies/chat.json" > "$overlay/bodies/chat.json"
jq -c '.model = "bench/stream"' "$harness/bodies/chat-stream.json" > "$overlay/bodies/chat-stream.json"
{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)  commit: $(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet || echo '+changes')"
  echo "off (:8081): credits metered, key without limits; on (:8080): credits enforced, key with limit and rate limit"
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), kernel $(uname -r)"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$out/machine.txt" >&2
"$overlay/compare.sh" --conc "1 64" --stream-conc 16 --rate "" --ttfb 100 \
  --hdr-a "Authorization: Bearer $(cat /tmp/switchboard-bench/run-off/key)" --pidfile-a /tmp/switchboard-bench/run-off/switchboard.pid \
  --chat-path-a /api/v1/chat/completions --stream-path-a /api/v1/chat/completions \
  --hdr-b "Authorization: Bearer $(cat /tmp/switchboard-bench/run-on/key)" --pidfile-b /tmp/switchboard-bench/run-on/switchboard.pid \
  --chat-path-b /api/v1/chat/completions --stream-path-b /api/v1/chat/completions \
  "${extra[@]}" --out "$out/compare" \
  accounting-off=http://127.0.0.1:8081 accounting-on=http://127.0.0.1:8080 2>&1 | tee "$out/compare.log"
log "results: $out/compare/table.md"
