#!/usr/bin/env python3
"""One warm-up trial of the gateway (loopback only), for scripts/warmup.sh.

  warmup.py trial --port P --key KEY --body FILE --seconds 30 --conc 64 --out DIR -- JAVA ARGS...
  warmup.py summary RESULTS.jsonl

`trial` spawns the command (a gateway over an existing database, whose inference key is KEY) and
records, from the moment of the spawn:
  listen_ms        until GET /health answers 200;
  first_answer_ms  until a chat completion with the key answers 200 (asked as soon as it listens);
then drives chat at --conc connections for --seconds with h2load (HTTP/1.1, one thread, a per-request
log), counts the answers with status 200 per one-second window from the start of the load, and
derives
  steady_rps       the median of the last 10 windows;
  t90_load_s       the end of the first window that reached 90 % of steady_rps, in seconds of load;
  t90_spawn_s      the same instant in seconds since the spawn (what the issue's goal counts).
It then stops the gateway with SIGTERM (its shutdown hook drains the books) and prints one JSON line.

`summary` prints, per variant, the medians over the trials of a results file (one JSON line each).
"""
import argparse
import http.client
import json
import os
import signal
import statistics
import subprocess
import sys
import time

POLL_S = 0.005


def request(port, method, path, body=None, headers=None, timeout=5.0):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def wait_until(port, method, path, body, headers, process, deadline):
    """Seconds (time.time()) at which the request first answered 200, or None if the process died."""
    while time.time() < deadline:
        if process.poll() is not None:
            return None
        try:
            if request(port, method, path, body, headers) == 200:
                return time.time()
        except (OSError, http.client.HTTPException):
            pass
        time.sleep(POLL_S)
    return None


def load(args, out_dir):
    """Runs h2load; returns (wall-clock start of the load, path of its per-request log)."""
    log = os.path.join(out_dir, "h2load.log")
    cmd = ["h2load", "--h1", "-t", "1", "-c", str(args.conc), "-D", str(args.seconds), "-N", "10",
           "-d", args.body, "-H", "Content-Type: application/json", "-H", f"Authorization: Bearer {args.key}",
           f"--log-file={log}", f"http://127.0.0.1:{args.port}/api/v1/chat/completions"]
    started = time.time()
    with open(os.path.join(out_dir, "h2load.out"), "w") as sink:
        subprocess.run(cmd, stdout=sink, stderr=subprocess.STDOUT, timeout=args.seconds + 60, check=False)
    return started, log


def windows(log, started, seconds):
    """Answers with status 200 per one-second window of the load, by the time each answer ended."""
    counts = [0] * seconds
    others = 0
    with open(log) as rows:
        for row in rows:
            cols = row.split("\t")
            if len(cols) < 3:
                continue
            ended = int(cols[0]) / 1e6 + int(cols[2]) / 1e6 - started
            if cols[1] != "200":
                others += 1
            elif 0 <= ended < seconds:
                counts[int(ended)] += 1
    return counts, others


def stop(process, grace_s=30):
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(grace_s)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            return "killed"
    return "exit %d" % process.returncode


def peak_rss_mb(pid):
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) // 1024
    except OSError:
        pass
    return None


def trial(args):
    os.makedirs(args.out, exist_ok=True)
    body = open(args.body, "rb").read()
    chat_headers = {"Content-Type": "application/json", "Authorization": f"Bearer {args.key}"}
    result = {"variant": args.variant, "trial": args.trial}
    with open(os.path.join(args.out, "gateway.log"), "w") as log:
        spawned = time.time()
        process = subprocess.Popen(args.command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        try:
            deadline = spawned + 60
            listening = wait_until(args.port, "GET", "/health", None, None, process, deadline)
            answered = listening and wait_until(
                args.port, "POST", "/api/v1/chat/completions", body, chat_headers, process, deadline)
            if not answered:
                result["error"] = "the gateway did not answer (see %s/gateway.log)" % args.out
                return result
            result["listen_ms"] = round((listening - spawned) * 1000)
            result["first_answer_ms"] = round((answered - spawned) * 1000)
            if args.seconds > 0:
                started, h2log = load(args, args.out)
                counts, others = windows(h2log, started, args.seconds)
                steady = statistics.median(counts[-10:])
                reached = next((i for i, c in enumerate(counts) if steady > 0 and c >= 0.9 * steady), None)
                result.update({
                    "load_start_s": round(started - spawned, 3),
                    "steady_rps": steady,
                    "t90_load_s": None if reached is None else reached + 1,
                    "t90_spawn_s": None if reached is None else round(started - spawned + reached + 1, 2),
                    "non200": others,
                    "windows": counts,
                })
            result["peak_rss_mb"] = peak_rss_mb(process.pid)
        finally:
            result["stop"] = stop(process)
    return result


def median_of(trials, key):
    values = [t[key] for t in trials if t.get(key) is not None]
    return statistics.median(values) if values else None


def summary(path):
    trials = {}
    with open(path) as rows:
        for row in rows:
            if row.strip():
                t = json.loads(row)
                trials.setdefault(t["variant"], []).append(t)
    keys = ["listen_ms", "first_answer_ms", "steady_rps", "t90_load_s", "t90_spawn_s", "peak_rss_mb"]
    print("| variant | trials | " + " | ".join(keys) + " | early windows (median req/s, s 1-10) |")
    print("|---|---:|" + "---:|" * len(keys) + "---|")
    for variant, ts in trials.items():
        ok = [t for t in ts if "error" not in t]
        cells = [str(median_of(ok, k)) for k in keys]
        early = []
        for i in range(10):
            ws = [t["windows"][i] for t in ok if len(t.get("windows", [])) > i]
            early.append(str(round(statistics.median(ws))) if ws else "-")
        print(f"| {variant} | {len(ok)}/{len(ts)} | " + " | ".join(cells) + " | " + " ".join(early) + " |")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="mode", required=True)
    t = sub.add_parser("trial")
    t.add_argument("--port", type=int, required=True)
    t.add_argument("--key", required=True)
    t.add_argument("--body", required=True)
    t.add_argument("--seconds", type=int, default=30)
    t.add_argument("--conc", type=int, default=64)
    t.add_argument("--out", required=True)
    t.add_argument("--variant", default="-")
    t.add_argument("--trial", type=int, default=0)
    t.add_argument("command", nargs=argparse.REMAINDER)
    s = sub.add_parser("summary")
    s.add_argument("results")
    args = parser.parse_args()
    if args.mode == "summary":
        summary(args.results)
        return
    if args.command and args.command[0] == "--":
        args.command = args.command[1:]
    if not args.command:
        sys.exit("warmup.py: the gateway's command goes after --")
    if args.seconds and args.seconds < 10:
        sys.exit("warmup.py: --seconds must be 0 (no load) or at least 10 (the steady rate is the last 10 s)")
    print(json.dumps(trial(args)), flush=True)


if __name__ == "__main__":
    main()
