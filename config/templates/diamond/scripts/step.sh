#!/usr/bin/env bash
# One step of the diamond: works for SECONDS_TO_WORK, then records that it finished.
set -euo pipefail
dir="${STATE_DIR:-}"; [ -n "$dir" ] || dir="/tmp/orchestra-samples-$(id -un)/${ORCHESTRA_DEPLOYMENT:-diamond}"
mkdir -p "$dir"
log="$dir/${ORCHESTRA_DEPLOYMENT:-diamond}.log"
echo "step $STEP working"
sleep "${SECONDS_TO_WORK:-0.5}"
# A re-run with the same idempotency key (after a crash) does not log the step twice.
marker="$dir/.done-$(printf '%s' "${ORCHESTRA_IDEMPOTENCY_KEY:-$STEP}" | tr -c 'A-Za-z0-9._-' '_')"
if [ ! -e "$marker" ]; then echo "$STEP" >>"$log"; touch "$marker"; fi
echo "step $STEP done"
if [ -n "${ORCHESTRA_OUTPUTS:-}" ]; then
  printf 'order=%s\n' "$(paste -sd, "$log")" >>"$ORCHESTRA_OUTPUTS"
fi
