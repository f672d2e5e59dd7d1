#!/usr/bin/env python3
"""The training traffic for the gateway's ahead-of-time cache (scripts/aot-cache.sh), loopback only.

  aot-training.py --port P --admin MANAGEMENT_KEY [--seconds 5] [--threads 4]

Waits until the gateway listens, then sends what a working gateway sees, so that the classes these
paths load and the profiles of the methods they run go into the cache: a credit grant and a key
creation with the management key; then, from a few threads for --seconds, chat completions with the
new key (most plain, one in four streamed), the model list, and now and then an error (a wrong key,
an unknown model, a malformed body). The model is simulator/small: the gateway is started without
provider credentials, so its built-in simulator answers. Exits non-zero, saying why, when the
gateway never listened or no chat completion succeeded.
"""
import argparse
import http.client
import json
import sys
import threading
import time

CHAT = {"model": "simulator/small", "max_tokens": 24,
        "messages": [{"role": "system", "content": "You are terse."},
                     {"role": "user", "content": "Name three reasons to keep a gateway fast."}]}
STREAM = dict(CHAT, stream=True, stream_options={"include_usage": True})


class Client:
    """One keep-alive connection; reconnects after an error."""

    def __init__(self, port):
        self.port = port
        self.conn = None

    def send(self, method, path, body=None, key=None):
        headers = {"Content-Type": "application/json"}
        if key:
            headers["Authorization"] = f"Bearer {key}"
        data = body if isinstance(body, (bytes, type(None))) else json.dumps(body).encode()
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
            try:
                self.conn.request(method, path, body=data, headers=headers)
                response = self.conn.getresponse()
                payload = response.read()
                if response.getheader("Connection", "").lower() == "close":
                    self.close()
                return response.status, payload
            except (OSError, http.client.HTTPException):
                self.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def wait_listening(port, seconds):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            if Client(port).send("GET", "/health")[0] == 200:
                return True
        except (OSError, http.client.HTTPException):
            pass
        time.sleep(0.05)
    return False


def traffic(port, key, until, tally, lock):
    client = Client(port)
    n = 0
    while time.time() < until:
        n += 1
        try:
            if n % 50 == 0:
                calls = [("POST", "/api/v1/chat/completions", CHAT, "sk-sb-v1-not-a-key"),
                         ("POST", "/api/v1/chat/completions", dict(CHAT, model="nobody/none"), key),
                         ("POST", "/api/v1/chat/completions", b'{"model":', key)]
                method, path, body, who = calls[(n // 50) % len(calls)]
            elif n % 20 == 0:
                method, path, body, who = "GET", "/api/v1/models", None, key
            elif n % 4 == 0:
                method, path, body, who = "POST", "/api/v1/chat/completions", STREAM, key
            else:
                method, path, body, who = "POST", "/api/v1/chat/completions", CHAT, key
            status, _ = client.send(method, path, body, who)
            outcome = "chat ok" if status == 200 and path.endswith("completions") else str(status)
        except (OSError, http.client.HTTPException) as e:
            outcome = type(e).__name__
        with lock:
            tally[outcome] = tally.get(outcome, 0) + 1
    client.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--admin", required=True)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--listen-timeout", type=float, default=60)
    args = parser.parse_args()
    if not wait_listening(args.port, args.listen_timeout):
        sys.exit("aot-training: the gateway did not listen within %.0f s" % args.listen_timeout)
    admin = Client(args.port)
    admin.send("POST", "/api/v1/credits/grants", {"amount": 1000, "id": "aot-training"}, args.admin)
    status, payload = admin.send("POST", "/api/v1/keys", {"name": "aot training"}, args.admin)
    if status not in (200, 201):
        sys.exit("aot-training: could not create a key (HTTP %d)" % status)
    key = json.loads(payload)["key"]
    admin.send("GET", "/api/v1/keys", None, args.admin)
    admin.close()
    tally, lock = {}, threading.Lock()
    until = time.time() + args.seconds
    workers = [threading.Thread(target=traffic, args=(args.port, key, until, tally, lock))
               for _ in range(args.threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    print("aot-training: " + ", ".join(f"{k}: {v}" for k, v in sorted(tally.items())), file=sys.stderr)
    if tally.get("chat ok", 0) == 0:
        sys.exit("aot-training: no chat completion succeeded")


if __name__ == "__main__":
    main()
