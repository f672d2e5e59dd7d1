# Sourced by the scripts: exports JAVA_HOME for a JDK whose version is 21 or newer.
# Honours a JAVA_HOME that already points at one; otherwise searches /usr/lib/jvm and PATH.
jdk_version() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }
jdk_ok() { [ -x "$1/bin/javac" ] && v="$(jdk_version "$1")" && [ "${v%%.*}" -ge 21 ] 2>/dev/null; }
if [ -z "${JAVA_HOME:-}" ] || ! jdk_ok "$JAVA_HOME"; then
  JAVA_HOME=""
  for candidate in /usr/lib/jvm/* "$(dirname "$(dirname "$(readlink -f "$(command -v javac 2>/dev/null || echo /nonexistent)")")")"; do
    if [ -d "$candidate" ] && jdk_ok "$candidate"; then JAVA_HOME="$candidate"; break; fi
  done
  if [ -z "$JAVA_HOME" ]; then
    echo "switchboard: no JDK 21 or newer found (looked in JAVA_HOME, /usr/lib/jvm and PATH)" >&2
    exit 1
  fi
fi
export JAVA_HOME
# Maven 3.8 on a new JDK warns about sun.misc.Unsafe; the warning is harmless noise.
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
if ! "$JAVA_HOME/bin/java" --sun-misc-unsafe-memory-access=allow -version >/dev/null 2>&1; then
  export MAVEN_OPTS="${MAVEN_OPTS/--sun-misc-unsafe-memory-access=allow/}"
fi
