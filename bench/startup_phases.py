#!/usr/bin/env python3
"""Where the gateway's start goes, from the JVM's class-loading log (docs/PERFORMANCE.md, "Warm-up").

  java -Xlog:class+load=info:file=classes.log:uptime ... -jar server/target/switchboard.jar serve ...
  startup_phases.py classes.log LISTEN_MS FIRST_ANSWER_MS

Each phase of the start is marked by the first class that only it loads (in the order Main and
Gateway.start run); a phase lasts until the next marker. For each phase it prints when it began
(JVM uptime), how long it lasted, and how many classes it loaded, from jars and from a CDS archive or
AOT cache. LISTEN_MS and FIRST_ANSWER_MS (from bench/warmup.py: ms from the spawn until /health, and
until the first chat completion, answered) close the start and then the first request. It is a
coarse picture: class loading is most of what a start does, and the markers are where its steps
begin, but a phase also holds whatever else its step does (I/O, SQL, the JIT on other threads).
"""
import re
import sys

PHASES = [
    ("JVM boot (the JDK's own classes)", None),
    ("command line (picocli, logging)", "dev.switchboard.server.cli.Main"),
    ("configuration and catalog (YAML)", "dev.switchboard.core.config.ConfigLoader"),
    ("Gateway.start: the journal", "dev.switchboard.core.generation.GenerationJournal"),
    ("storage: SQLite, HikariCP, schema check", "dev.switchboard.core.storage.StorageOptions"),
    ("keys, BYOK, generation log, provider clients", "dev.switchboard.core.keys.KeyRegistry"),
    ("routing: endpoints, metrics, pipeline", "dev.switchboard.core.catalog.Catalog"),
    ("Helidon web server build and start", "io.helidon.webserver.WebServer"),
    ("after the server started (keys, banner)", "dev.switchboard.core.keys.CreatedKey"),
]
LINE = re.compile(r"^\[(\d+\.\d+)s\].*?\s(\S+) source: (.*)$")


def from_jar(source):
    return "jar" in source or source.startswith("file:")


def main():
    rows = []
    with open(sys.argv[1]) as log:
        for line in log:
            m = LINE.match(line.strip())
            if m:
                rows.append((float(m.group(1)) * 1000, m.group(2), m.group(3)))
    listen, answered = float(sys.argv[2]), float(sys.argv[3])
    started = [r for r in rows if r[0] <= listen]
    bounds = [(PHASES[0][0], 0)]
    for label, marker in PHASES[1:]:
        at = next((i for i, r in enumerate(started) if r[1] == marker), None)
        if at is not None and at > bounds[-1][1]:
            bounds.append((label, at))
    print("| phase | from ms | lasted ms | classes | of which read from a jar |")
    print("|---|---:|---:|---:|---:|")
    for n, (label, at) in enumerate(bounds):
        until = bounds[n + 1][1] if n + 1 < len(bounds) else len(started)
        began = started[at][0] if n > 0 else 0.0
        stop = started[until][0] if until < len(started) else listen
        phase(label, began, stop, started[at:until])
    phase("the first chat completion (after /health)", listen, answered, rows[len(started):])
    shared = sum(1 for r in rows if "shared" in r[2] or "AOT" in r[2])
    print(f"\n{len(rows)} classes by the first answer; {shared} from a CDS archive or AOT cache "
          f"(the JDK's own included), {sum(1 for r in rows if from_jar(r[2]))} read from jars. "
          f"Tokenizer (jtokkit) classes: {sum(1 for r in rows if r[1].startswith('com.knuddels.'))}; "
          f"Flyway classes: {sum(1 for r in rows if r[1].startswith('org.flywaydb.'))}.")


def phase(label, began, stop, loaded):
    jars = sum(1 for r in loaded if from_jar(r[2]))
    print(f"| {label} | {began:.0f} | {stop - began:.0f} | {len(loaded)} | {jars} |")

if __name__ == "__main__":
    main()
