#!/usr/bin/env bash
# Starts the web server on a free loopback port. Idempotent: if the process recorded in the pid
# file is still alive (a re-run after a crash), it is reused instead of starting a second one.
set -euo pipefail
source "$(dirname "$0")/common.sh"
dir=$(state_dir)
pidfile="$dir/run/web.pid"
portfile="$dir/run/web.port"
mkdir -p "$dir/run"

if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
  pid=$(cat "$pidfile"); port=$(cat "$portfile")
  echo "web server already running (pid $pid)"
else
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
  # setsid + nohup: the server outlives this script and the orchestra process.
  setsid nohup python3 -m http.server "$port" --bind 127.0.0.1 --directory "$dir/www" \
    >"$dir/run/web.log" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$pidfile"
  echo "$port" >"$portfile"
  # Wait (at most 10 s) until it answers.
  for _ in $(seq 1 100); do
    if python3 -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:$port/', timeout=1)" 2>/dev/null; then break; fi
    if ! kill -0 "$pid" 2>/dev/null; then echo "web server exited; see $dir/run/web.log" >&2; exit 1; fi
    sleep 0.1
  done
  echo "web server started (pid $pid, port $port)"
fi
output url "http://127.0.0.1:$port/"
output pid "$pid"
