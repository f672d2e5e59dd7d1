#!/usr/bin/env bash
# The whole test suite (what CI runs):
#   1. starts PostgreSQL and Redis when this machine has them but they are stopped;
#   2. builds the gateway and drives it with the official Node SDKs (scripts/sdk-check.sh);
#   3. runs the soak's short form (scripts/soak.sh, 30 s of mixed load; skipped, saying why, when wrk or
#      gnuplot is missing and cannot be installed);
#   4. runs every module's JUnit tests (Maven Surefire), whose summary closes the output.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/jdk.sh"
"$ROOT/scripts/services.sh" || true
"$ROOT/scripts/build.sh"
"$ROOT/scripts/sdk-check.sh"
soak=0
"$ROOT/scripts/soak.sh" --seconds 30 --sample-seconds 2 --no-build || soak=$?
if [[ $soak == 77 ]]; then
  echo "test.sh: the soak's short form was SKIPPED (the reason is above)" >&2
elif [[ $soak != 0 ]]; then
  echo "test.sh: the soak's short form FAILED (its summary is above)" >&2; exit "$soak"
fi
cd "$ROOT" && mvn -B -Dstyle.color=never install "$@"
