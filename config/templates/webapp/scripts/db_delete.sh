#!/usr/bin/env bash
# Drops the database file.
set -euo pipefail
source "$(dirname "$0")/common.sh"
dir=$(state_dir)
rm -f "$dir/${DB_NAME:-appdb}.sqlite3"
echo "database removed"
