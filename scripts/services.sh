#!/usr/bin/env bash
# Starts the local PostgreSQL and Redis when they are installed but not running. Prints what it did.
# Switchboard's embedded mode needs neither; the multi-node tests use them when present.
if command -v pg_ctlcluster >/dev/null 2>&1 && ! (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; then
  version="$(ls /etc/postgresql 2>/dev/null | head -n1)"
  [ -n "$version" ] && pg_ctlcluster --skip-systemctl-redirect "$version" main start && echo "services: started PostgreSQL $version"
fi
if command -v redis-server >/dev/null 2>&1 && ! (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null; then
  mkdir -p /var/lib/redis /var/log/redis 2>/dev/null
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log && echo "services: started Redis"
fi
exit 0
