# Sourced by the launcher and scripts/aot-cache.sh: what the ahead-of-time cache was made from.
#   aot_stamp JAVA_HOME TARGET_DIR   prints the stamp, or fails when this JDK cannot use an AOT cache
# The stamp is the JDK (its path and exact build, from its release file: no JVM is started) and the
# name, size and modification time of the jar and of every library beside it. The JVM checks the same
# itself and ignores a cache that does not match; the launcher compares stamps first so that it never
# passes -XX:AOTCache to a JDK older than 25 (which would refuse to start) and can say when the cache is
# stale instead of letting the JVM warn.
aot_jdk_version() { sed -n 's/^JAVA_RUNTIME_VERSION="\(.*\)"$/\1/p' "$1/release" 2>/dev/null; }
aot_stamp() {
  local v major
  v="$(aot_jdk_version "$1")"
  major="${v%%[.+-]*}"
  case "$major" in ''|*[!0-9]*) return 1 ;; esac
  [ "$major" -ge 25 ] || return 1
  echo "jdk $1 $v"
  (cd "$2" && export LC_ALL=C && stat -c '%n %s %Y' switchboard.jar libs/*.jar)
}
