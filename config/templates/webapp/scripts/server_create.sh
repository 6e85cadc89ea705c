#!/usr/bin/env bash
# Provisions the "server": a state directory. Idempotent: creating it twice is harmless.
set -euo pipefail
source "$(dirname "$0")/common.sh"
dir=$(state_dir)
mkdir -p "$dir/www" "$dir/run"
echo "server ready in $dir"
output state_dir "$dir"
