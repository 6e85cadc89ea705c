#!/usr/bin/env bash
# Stops the web server if it runs. Idempotent: no pid file or a dead process is fine.
set -euo pipefail
source "$(dirname "$0")/common.sh"
dir=$(state_dir)
pidfile="$dir/run/web.pid"
if [ -f "$pidfile" ]; then
  pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile" "$dir/run/web.port"
fi
echo "web server stopped"
