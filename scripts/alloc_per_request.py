#!/usr/bin/env python3
"""Bytes the gateway allocated per request in each load phase, from a JFR recording's heap summaries.

Usage: alloc_per_request.py HEAP_JSON PHASES_TSV
HEAP_JSON is `jfr print --json --events jdk.GCHeapSummary`; PHASES_TSV has lines
"name<TAB>start epoch s<TAB>end epoch s<TAB>requests". Between two collections the heap grows by
exactly what was allocated (nothing is freed outside a collection), so each interval's allocation is
the heap used before a collection minus the heap used after the previous one; an interval is counted
in the phase that holds its end. Used by scripts/profile.sh.
"""
import datetime
import json
import sys


def epoch(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def main(heap_json, phases_tsv):
    events = json.load(open(heap_json))["recording"]["events"]
    summaries = sorted(
        ((epoch(e["values"]["startTime"]), e["values"]["when"], e["values"]["heapUsed"]) for e in events),
        key=lambda s: s[0])
    intervals = []  # (time of the collection, bytes allocated since the previous collection)
    after = None
    for time, when, used in summaries:
        if when == "Before GC" and after is not None:
            intervals.append((time, used - after))
        elif when == "After GC":
            after = used
    for line in open(phases_tsv):
        name, start, end, requests = line.rstrip("\n").split("\t")
        start, end, requests = float(start), float(end), int(requests or 0)
        allocated = sum(b for t, b in intervals if start <= t <= end)
        collections = sum(1 for t, _ in intervals if start <= t <= end)
        per = allocated / requests if requests else 0
        print(f"{name}: {requests} requests, {collections} collections, "
              f"{allocated / 1e6:.0f} MB allocated, {per / 1024:.1f} KiB per request")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
