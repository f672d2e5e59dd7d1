#!/usr/bin/env bash
# Writes the markdown summary of a scripts/bench.sh results directory to stdout: the goals table
# (medians of the direct-vs-switchboard run), then each compare.sh table, the first-event probe and the
# generation-record check. Can be rerun on old results: scripts/bench-summary.sh DIR > DIR/summary.md
set -euo pipefail
dir="${1:?usage: bench-summary.sh RESULTS_DIR}"

# median of column $3 for scenario $1 and target $2 in results.tsv ($4); "-" when absent
median() {
  awk -F'\t' -v s="$1" -v t="$2" -v c="$3" 'NR > 1 && ($2 == s || (s == "ttfb" && $2 ~ /^ttfb:/)) && $3 == t && $c != "" && $c != "-" { v[++n] = $c }
    END { if (!n) { print "-"; exit } for (i = 2; i <= n; i++) { x = v[i]; for (j = i - 1; j >= 1 && v[j] + 0 > x + 0; j--) v[j + 1] = v[j]; v[j + 1] = x }
          print (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2 }' "$4"
}
diff_of() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-") print "-"; else printf "%.3f", a - b }'; }
# verdict measured op limit -> PASS/FAIL/-
verdict() { awk -v m="$1" -v op="$2" -v l="$3" 'BEGIN { if (m == "-" || l == "-") { print "-"; exit }
  ok = (op == "<=") ? (m + 0 <= l + 0) : (m + 0 >= l + 0); print ok ? "PASS" : "FAIL" }'; }

echo "# Switchboard load benchmark"
echo
[[ -f $dir/machine.txt ]] && sed 's/^/- /' "$dir/machine.txt" && echo
grep -q 'quick (smoke)' "$dir/machine.txt" 2>/dev/null && { echo "**Quick mode: one short repetition per scenario. Indicative only; not for the record.**"; echo; }

run1="$dir/direct-vs-switchboard/results.tsv"
if [[ -f $run1 ]]; then
  add_p50=$(diff_of "$(median chat:1 switchboard 5 "$run1")" "$(median chat:1 direct 5 "$run1")")
  add_p99=$(diff_of "$(median chat:1 switchboard 7 "$run1")" "$(median chat:1 direct 7 "$run1")")
  rps64=$(median chat:64 switchboard 4 "$run1")
  add_ttfb=$(diff_of "$(median ttfb switchboard 14 "$run1")" "$(median ttfb direct 14 "$run1")")
  rss=$(cat "$dir"/*/results.tsv | awk -F'\t' '$3 == "switchboard" && $12 ~ /^[0-9]+$/ && $12 > m { m = $12 } END { print m ? m : "-" }')
  bad=$(cat "$dir"/*/results.tsv | awk -F'\t' '$3 == "switchboard" { e += $9 + $10 } END { print e + 0 }')
  add_event="-"
  if [[ -f $dir/first-event.txt ]]; then
    ev() { grep "target=$1 " "$dir/first-event.txt" | grep -o 'event_p50_ms=[0-9.]*' | cut -d= -f2; }
    add_event=$(diff_of "$(ev switchboard)" "$(ev direct)")
  fi
  echo "## Goals (medians of the direct-vs-switchboard run; added = Switchboard - direct mock)"
  echo
  echo "| measure | issue requires | project goal | measured | issue | project |"
  echo "|---|---:|---:|---:|:-:|:-:|"
  echo "| added p50, chat c=1 (ms) | <= 0.3 | <= 0.1 | $add_p50 | $(verdict "$add_p50" "<=" 0.3) | $(verdict "$add_p50" "<=" 0.1) |"
  echo "| added p99, chat c=1 (ms) | - | <= 0.3 | $add_p99 | - | $(verdict "$add_p99" "<=" 0.3) |"
  echo "| req/s, chat c=64 | >= 5000 | >= 15000 | $rps64 | $(verdict "$rps64" ">=" 5000) | $(verdict "$rps64" ">=" 15000) |"
  echo "| added TTFB p50, sequential streams (ms; first response byte, compare.sh) | <= 1 | <= 0.2 | $add_ttfb | $(verdict "$add_ttfb" "<=" 1) | $(verdict "$add_ttfb" "<=" 0.2) |"
  echo "| added time to first SSE event p50 (ms; probe) | <= 1 | <= 0.2 | $add_event | $(verdict "$add_event" "<=" 1) | $(verdict "$add_event" "<=" 0.2) |"
  echo "| peak RSS, all runs (MB) | - | <= 128 | $rss | - | $(verdict "$rss" "<=" 128) |"
  echo "| errors + non-2xx, all Switchboard runs | 0 | 0 | $bad | $(verdict "$bad" "<=" 0) | $(verdict "$bad" "<=" 0) |"
  echo
fi

for run in direct-vs-switchboard portkey-vs-switchboard slow-direct-vs-switchboard; do
  [[ -f $dir/$run/table.md ]] || continue
  echo "## $run"
  echo
  sed -n '1,2p' "$dir/$run/header.txt" | sed 's/^# /    /'
  echo
  cat "$dir/$run/table.md"
  echo
done

if [[ -f $dir/first-event.txt ]]; then
  echo "## First SSE event (bench/first_event.py, sequential streams on one connection)"
  echo
  echo "| target | first byte p50 / p99 ms | first event p50 / p99 ms | whole stream p50 / p99 ms | errors |"
  echo "|---|---:|---:|---:|---:|"
  while read -r line; do
    f() { grep -o " $1=[^ ]*" <<<"$line" | cut -d= -f2; }
    echo "| $(f target) | $(f headers_p50_ms) / $(f headers_p99_ms) | $(f event_p50_ms) / $(f event_p99_ms) | $(f total_p50_ms) / $(f total_p99_ms) | $(f errors) |"
  done < "$dir/first-event.txt"
  echo
fi
[[ -f $dir/records.txt ]] && { echo "Generation record: $(cat "$dir/records.txt")"; echo; }
echo "Raw data: */results.tsv (every run), */raw/ (load-generator output), */header.txt (versions, idle and final RSS)."
