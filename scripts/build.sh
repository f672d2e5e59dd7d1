#!/usr/bin/env bash
# Builds the runnable gateway (server/target/switchboard.jar) without running tests, then its
# ahead-of-time cache (scripts/aot-cache.sh, JDK 25+; SWITCHBOARD_AOT_CACHE=off skips it). A build
# without the cache still works: the launcher starts the gateway without it.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/jdk.sh"
echo "Building Switchboard with $JAVA_HOME ..." >&2
cd "$ROOT" && mvn -B -q -Dstyle.color=never -DskipTests -pl server -am package "$@"
if [ "${SWITCHBOARD_AOT_CACHE:-on}" != off ]; then
  "$ROOT/scripts/aot-cache.sh" || echo "build: no AOT cache (reason above); the gateway works without it, it only starts and warms up slower" >&2
fi
