#!/usr/bin/env bash
# Builds the runnable gateway (server/target/switchboard.jar) without running tests.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/jdk.sh"
echo "Building Switchboard with $JAVA_HOME ..." >&2
cd "$ROOT" && mvn -B -q -Dstyle.color=never -DskipTests -pl server -am package "$@"
