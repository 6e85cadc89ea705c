# Shared by the pipeline's scripts. STATE_DIR comes from the template; when empty, each deployment
# gets its own directory, named after it, so two deployments of the sample never share files.
state_dir() {
  local dir="${STATE_DIR:-}"
  if [ -z "$dir" ]; then dir="/tmp/orchestra-samples-$(id -un)/${ORCHESTRA_DEPLOYMENT:?run me from orchestra}"; fi
  printf '%s\n' "$dir"
}

# output KEY VALUE: one output line for the engine.
output() {
  if [ -n "${ORCHESTRA_OUTPUTS:-}" ]; then printf '%s=%s\n' "$1" "$2" >>"$ORCHESTRA_OUTPUTS"; fi
}
