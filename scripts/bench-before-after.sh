#!/usr/bin/env bash
# Before/after load comparison of two versions of Switchboard, in one run of the shared harness:
# REF (a commit, default HEAD~1) built in a temporary worktree and started on :8081 as
# "switchboard-before", the working tree started on :8080 as "switchboard", both with the launcher's
# JVM flags in front of the harness's nginx mock, then
#   compare.sh switchboard-before switchboard  (chat c=1 and c=64, stream c=16, 100 sequential streams)
# The table's "added" columns are after - before. See docs/PERFORMANCE.md.
#
#   scripts/bench-before-after.sh [REF] [-- compare.sh args]    e.g. -- --reps 5 --duration 10
# Results go to /tmp/switchboard-bench/before-after/<timestamp>. Everything it starts is stopped.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ref="HEAD~1"
if [[ $# -gt 0 && $1 != -- ]]; then ref="$1"; shift; fi
[[ ${1:-} == -- ]] && shift
extra=("$@")
harness="$(cd "${SWITCHBOARD_BENCH_HARNESS:-$ROOT/../shared/bench}" && pwd)"
out="/tmp/switchboard-bench/before-after/$(date +%Y%m%d-%H%M%S)"
before_tree="$(mktemp -d /tmp/switchboard-before.XXXXXX)"
mkdir -p "$out"
log() { echo "bench-before-after: $*" >&2; }

cleanup() {
  for run in /tmp/switchboard-bench/run-before /tmp/switchboard-bench/run-after; do
    [[ -f $run/switchboard.pid ]] && kill "$(cat "$run/switchboard.pid")" 2>/dev/null || true
  done
  sleep 2
  git -C "$ROOT" worktree remove --force "$before_tree" 2>/dev/null || rm -rf "$before_tree"
  [[ ${started_mock:-0} == 1 ]] && "$harness/mock-upstream/mock.sh" stop >&2 || true
}
trap cleanup EXIT

if "$harness/mock-upstream/mock.sh" status >/dev/null 2>&1; then started_mock=0; else "$harness/mock-upstream/mock.sh" start >&2; started_mock=1; fi
git -C "$ROOT" worktree add --detach "$before_tree" "$ref" >&2
before_commit="$(git -C "$before_tree" rev-parse --short HEAD)"
after_commit="$(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet || echo '+changes')"

# Each tree starts its own gateway with its own bench.sh (which builds it), running no comparison.
start() { # tree port run-dir
  SWITCHBOARD_BENCH_RUN="$3" "$1/scripts/bench.sh" --harness "$harness" --port "$2" --keep --no-direct --no-portkey --no-probe \
    --out "$out/start-$(basename "$3")" >&2 || true   # its summary of no comparison may fail; the gateway runs
  [[ -s $3/key ]] || { log "the gateway of $1 did not start"; exit 1; }
}
start "$before_tree" 8081 /tmp/switchboard-bench/run-before
start "$ROOT" 8080 /tmp/switchboard-bench/run-after

# The harness with bodies naming the bench models (as scripts/bench.sh makes it).
overlay="$out/harness"
mkdir -p "$overlay/bodies"
for f in compare.sh load.sh wrk-post.lua targets mock-upstream peers; do ln -s "$harness/$f" "$overlay/$f"; done
jq -c '.model = "bench/chat"' "$harness/bodies/chat.json" > "$overlay/bodies/chat.json"
jq -c '.model = "bench/stream"' "$harness/bodies/chat-stream.json" > "$overlay/bodies/chat-stream.json"

{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)  before: $ref ($before_commit) on :8081  after: $after_commit on :8080"
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), kernel $(uname -r)"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$out/machine.txt" >&2

key_before="$(cat /tmp/switchboard-bench/run-before/key)"
key_after="$(cat /tmp/switchboard-bench/run-after/key)"
"$overlay/compare.sh" --conc "1 64" --stream-conc 16 --rate "" --ttfb 100 \
  --hdr-a "Authorization: Bearer $key_before" --pidfile-a /tmp/switchboard-bench/run-before/switchboard.pid \
  --chat-path-a /api/v1/chat/completions --stream-path-a /api/v1/chat/completions \
  --hdr-b "Authorization: Bearer $key_after" --pidfile-b /tmp/switchboard-bench/run-after/switchboard.pid \
  --chat-path-b /api/v1/chat/completions --stream-path-b /api/v1/chat/completions \
  "${extra[@]}" --out "$out/compare" \
  switchboard-before=http://127.0.0.1:8081 switchboard=http://127.0.0.1:8080 2>&1 | tee "$out/compare.log"
log "results: $out/compare/table.md"
