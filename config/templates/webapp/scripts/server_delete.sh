#!/usr/bin/env bash
# Removes the "server": its state directory, if it is still there.
set -euo pipefail
source "$(dirname "$0")/common.sh"
dir=$(state_dir)
# Refuse to remove anything that is not a directory this sample created.
if [ -d "$dir/run" ] || [ -d "$dir/www" ]; then rm -rf "$dir"; fi
echo "server removed ($dir)"
