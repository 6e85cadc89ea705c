#!/usr/bin/env bash
# Uninstalls the web application.
set -euo pipefail
source "$(dirname "$0")/common.sh"
dir=$(state_dir)
rm -rf "$dir/www"
echo "web application removed"
