#!/usr/bin/env bash
# Undeploy: removes the step log and markers.
set -euo pipefail
dir="${STATE_DIR:-}"; [ -n "$dir" ] || dir="/tmp/orchestra-samples-$(id -un)/${ORCHESTRA_DEPLOYMENT:-diamond}"
rm -f "$dir/${ORCHESTRA_DEPLOYMENT:-diamond}.log" "$dir"/.done-* "$dir"/.attempts-*
rmdir "$dir" 2>/dev/null || true
echo "diamond cleaned up"
