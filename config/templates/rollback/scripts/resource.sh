#!/usr/bin/env bash
# Creates or deletes a pretend resource: a file under the state directory. Both are idempotent,
# and every action is appended to actions.log so the rollback can be seen afterwards.
set -euo pipefail
dir="${STATE_DIR:-}"; [ -n "$dir" ] || dir="/tmp/orchestra-samples-$(id -un)/${ORCHESTRA_DEPLOYMENT:-rollback}"
mkdir -p "$dir"
case "$ACTION" in
  create) touch "$dir/$RESOURCE"; echo "created $RESOURCE" ;;
  delete) rm -f "$dir/$RESOURCE"; echo "deleted $RESOURCE (reverted)" ;;
  *) echo "unknown action $ACTION" >&2; exit 2 ;;
esac
echo "$ACTION $RESOURCE" >>"$dir/actions.log"
