#!/usr/bin/env bash
# The whole test suite (what CI runs):
#   1. starts PostgreSQL and Redis when this machine has them but they are stopped;
#   2. builds the gateway and drives it with the official Node SDKs (scripts/sdk-check.sh);
#   3. runs every module's JUnit tests (Maven Surefire), whose summary closes the output.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/jdk.sh"
"$ROOT/scripts/services.sh" || true
"$ROOT/scripts/build.sh"
"$ROOT/scripts/sdk-check.sh"
cd "$ROOT" && mvn -B -Dstyle.color=never install "$@"
