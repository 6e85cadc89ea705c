#!/usr/bin/env bash
# A flaky step: fails its first FAILURES attempts, then behaves like step.sh.
# The attempt number comes from ORCHESTRA_ATTEMPT; without it (run by hand), a counter file
# under the state directory stands in.
set -euo pipefail
dir="${STATE_DIR:-}"; [ -n "$dir" ] || dir="/tmp/orchestra-samples-$(id -un)/${ORCHESTRA_DEPLOYMENT:-diamond}"
mkdir -p "$dir"
attempt="${ORCHESTRA_ATTEMPT:-}"
if [ -z "$attempt" ]; then
  counter="$dir/.attempts-$STEP"
  attempt=$(( $(cat "$counter" 2>/dev/null || echo 0) + 1 ))
  echo "$attempt" >"$counter"
fi
if [ "$attempt" -le "${FAILURES:-2}" ]; then
  echo "step $STEP: attempt $attempt fails on purpose (flaky)" >&2
  exit 1
fi
echo "step $STEP: attempt $attempt succeeds"
if [ -n "${ORCHESTRA_OUTPUTS:-}" ]; then printf 'attempts=%s\n' "$attempt" >>"$ORCHESTRA_OUTPUTS"; fi
exec "$(dirname "$0")/step.sh"
