# Shared by the webapp scripts: where the deployment's files live and how to report outputs.
# STATE_DIR comes from the template; when empty, a per-user directory under /tmp is used.
state_dir() {
  local dir="${STATE_DIR:-}"
  if [ -z "$dir" ]; then dir="/tmp/orchestra-webapp-$(id -un)"; fi
  printf '%s\n' "$dir"
}

# output KEY VALUE: one output line for the engine (ignored when run by hand).
output() {
  if [ -n "${ORCHESTRA_OUTPUTS:-}" ]; then printf '%s=%s\n' "$1" "$2" >>"$ORCHESTRA_OUTPUTS"; fi
  printf '%s=%s\n' "$1" "$2"
}
