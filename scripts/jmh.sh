#!/usr/bin/env bash
# Builds and runs the JMH benchmarks of the hot path (module bench/). See docs/PERFORMANCE.md.
#
#   scripts/jmh.sh                      quick run of every benchmark: -f 1 -wi 3 -i 5 -w 1s -r 1s, -prof gc
#   scripts/jmh.sh --full               the annotations' settings: 2 forks, 5 x 1 s warm-up, 10 x 1 s measured
#   scripts/jmh.sh StreamRelay -i 20    only benchmarks matching a regexp; JMH options override the quick ones
#   scripts/jmh.sh --no-build -- -l     list the benchmarks without rebuilding
# Options:
#   --full        use the settings in the benchmark annotations instead of the quick ones
#   --no-gc       leave out the GC profiler (allocation per operation)
#   --no-build    reuse bench/target/benchmarks.jar
#   --out DIR     where results go (default /tmp/switchboard-jmh/<timestamp>): jmh.txt, jmh.json, table.md
#   --            everything after it goes to JMH as is
# Other arguments are passed to JMH too (benchmark regexps, -p name=value, -prof ...).
# The reactor build (scripts/test.sh) only compiles the benchmarks and checks their fixtures; it never
# runs them. Benchmarks are not tests: nothing here passes or fails on a number.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/jdk.sh"

quick=(-f 1 -wi 3 -i 5 -w 1s -r 1s)
gc=(-prof gc)
build=1
out=""
args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --full) quick=(); shift ;;
    --no-gc) gc=(); shift ;;
    --no-build) build=0; shift ;;
    --out) out="$2"; shift 2 ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    --) shift; args+=("$@"); break ;;
    *) args+=("$1"); shift ;;
  esac
done
out="${out:-/tmp/switchboard-jmh/$(date +%Y%m%d-%H%M%S)}"
JAR="$ROOT/bench/target/benchmarks.jar"

if [[ $build == 1 || ! -f $JAR ]]; then
  echo "jmh: building $JAR ..." >&2
  (cd "$ROOT" && mvn -B -q -Pjmh -DskipTests -pl bench -am package)
fi
# JMH refuses a repeated option: a quick default gives way to the same option given on the command line
settings=()
for ((i = 0; i < ${#quick[@]}; i += 2)); do
  given=0
  for a in "${args[@]+"${args[@]}"}"; do [[ $a == "${quick[i]}" ]] && given=1; done
  [[ $given == 1 ]] || settings+=("${quick[i]}" "${quick[i + 1]}")
done
mkdir -p "$out"
{
  echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "# $("$JAVA_HOME/bin/java" -version 2>&1 | head -1), load average: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "# jmh ${settings[*]} ${gc[*]} ${args[*]}"
} | tee "$out/header.txt"
"$JAVA_HOME/bin/java" -jar "$JAR" "${settings[@]+"${settings[@]}"}" "${gc[@]+"${gc[@]}"}" -rf json -rff "$out/jmh.json" "${args[@]+"${args[@]}"}" 2>&1 | tee "$out/jmh.txt"
# the markdown table docs/PERFORMANCE.md uses: score with its 99.9 % error, and bytes allocated per operation
if [[ -s $out/jmh.json ]] && command -v jq >/dev/null; then
  {
    echo "| benchmark | params | score | allocated B/op |"
    echo "|---|---|---:|---:|"
    jq -r '.[] | [(.benchmark | sub("^dev\\.switchboard\\."; "")),
        ((.params // {}) | to_entries | map("\(.key)=\(.value)") | join(", ")),
        (.primaryMetric.score * 100 | round / 100), (.primaryMetric.scoreError | if type == "number" then (. * 100 | round / 100) else "?" end),
        .primaryMetric.scoreUnit, (.secondaryMetrics["gc.alloc.rate.norm"].score // null | if . == null then "-" else round end)]
      | "| `\(.[0])` | \(.[1]) | \(.[2]) ± \(.[3]) \(.[4]) | \(.[5]) |"' "$out/jmh.json"
  } > "$out/table.md"
fi
echo "jmh: results in $out (jmh.txt, jmh.json, table.md)" >&2
