#!/usr/bin/env bash
# One stage: works for SECONDS_TO_WORK, then appends its name to stages.log. Orchestra gives every
# run of this operation the same ORCHESTRA_IDEMPOTENCY_KEY, so a stage that had started when
# Orchestra was killed, and runs again on resume, is logged as a re-run: a real script would use
# the key to pick up its own half-done work.
set -euo pipefail
source "$(dirname "$0")/common.sh"
dir=$(state_dir)
mkdir -p "$dir"
marker="$dir/.started-$(printf '%s' "$ORCHESTRA_IDEMPOTENCY_KEY" | tr -c 'A-Za-z0-9._-' '_')"
rerun=""; [ -e "$marker" ] && rerun=" (re-run)"
touch "$marker"
echo "$STAGE: working for ${SECONDS_TO_WORK}s${rerun:+, again: it had started before, under the same idempotency key}"
sleep "$SECONDS_TO_WORK"
echo "$STAGE$rerun" >>"$dir/stages.log"
echo "$STAGE: done"
output log "$(grep -v '^delete ' "$dir/stages.log" | paste -sd, -)"
output state_dir "$dir"
