#!/usr/bin/env bash
# Installs the web application: renders its page from what the database holds.
set -euo pipefail
source "$(dirname "$0")/common.sh"
dir=$(state_dir)
mkdir -p "$dir/www"
greeting=$(python3 - "$DB_PATH" <<'PY'
import sqlite3, sys
with sqlite3.connect(sys.argv[1]) as db:
    row = db.execute("SELECT value FROM settings WHERE key = 'greeting'").fetchone()
print(row[0] if row else "Hello")
PY
)
cat >"$dir/www/index.html" <<HTML
<!doctype html>
<title>webapp</title>
<h1>${greeting}</h1>
<p>Deployed by Orchestra${ORCHESTRA_DEPLOYMENT:+ as ${ORCHESTRA_DEPLOYMENT}}; database: ${DB_PATH}</p>
HTML
echo "web application installed in $dir/www"
