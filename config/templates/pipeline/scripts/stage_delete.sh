#!/usr/bin/env bash
# Undeploy of one stage: notes it in stages.log; the first stage (LAST=yes, deleted last because
# the others depend on it) removes the deployment's directory.
set -euo pipefail
source "$(dirname "$0")/common.sh"
dir=$(state_dir)
if [ "${LAST:-}" = yes ]; then
  # Only a directory this sample made: it holds stages.log and nothing but the sample's files.
  if [ -f "$dir/stages.log" ]; then rm -f "$dir/stages.log" "$dir"/.started-*; rmdir "$dir" 2>/dev/null || true; fi
  echo "$STAGE: deleted, $dir removed"
else
  [ -d "$dir" ] && echo "delete $STAGE" >>"$dir/stages.log"
  echo "$STAGE: deleted"
fi
