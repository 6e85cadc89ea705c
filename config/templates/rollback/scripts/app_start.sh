#!/usr/bin/env bash
# The application never starts: this is the failure that triggers the rollback.
set -euo pipefail
echo "app: cannot start: the configuration is missing (this sample fails on purpose)" >&2
exit 1
