#!/usr/bin/env bash
# Start-up speed and memory of `./runbook validate` on a 5-step runbook, each run a new JVM
# as a user would start it. Prints the median wall time of RUNS runs (default 21), the peak
# RSS, pass/fail against the targets, and which classes validate and plan load: Kubernetes
# (io.fabric8) and SSH (com.jcraft) code must not load for either.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
runs="${RUNS:-21}"
target_ms=300
target_kb=$(( 150 * 1024 ))

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$root/bench/gen-runbook.sh" 5 >"$tmp/five.yaml"

ensure_built
# One run first so that the file and the jar are in the page cache, as for a user's second try.
"$runbook" validate "$tmp/five.yaml" >/dev/null

for _ in $(seq "$runs"); do
  timed "$tmp/ms" "$tmp/kb" "$runbook" validate "$tmp/five.yaml"
done
ms=$(median "$tmp/ms"); kb=$(maximum "$tmp/kb"); kb_median=$(median "$tmp/kb")
printf 'machine: %s CPUs, load average %s\n' "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf 'validate, 5 steps, %d cold runs:\n' "$runs"
printf '  wall time   median %5d ms   min %d ms   max %d ms   target <= %d ms   %s\n' \
  "$ms" "$(sort -n "$tmp/ms" | head -1)" "$(maximum "$tmp/ms")" "$target_ms" "$(verdict "$ms" "$target_ms")"
printf '  peak RSS    max %5d MB   median %d MB   target <= %d MB   %s\n' \
  $(( kb / 1024 )) $(( kb_median / 1024 )) $(( target_kb / 1024 )) "$(verdict "$kb" "$target_kb")"

# The flagship runbook, for reference (43 steps, 82 templates; no target).
for _ in $(seq "$runs"); do
  timed "$tmp/fms" "$tmp/fkb" "$runbook" validate "$root/runbooks/restore-k8s.yaml"
done
printf 'validate runbooks/restore-k8s.yaml (43 steps), %d cold runs:\n' "$runs"
printf '  wall time   median %5d ms   min %d ms   peak RSS %d MB\n' \
  "$(median "$tmp/fms")" "$(sort -n "$tmp/fms" | head -1)" $(( $(maximum "$tmp/fkb") / 1024 ))

# Class-load check: the JVM logs every class it loads; none may come from the Kubernetes client
# or the SSH library for validate and plan.
status=0
check_classes() {
  local what="$1"; shift
  local log="$tmp/classes-$what.log"
  RUNBOOK_JAVA_OPTS="-Xlog:class+load=info:file=$log:uptime" "$runbook" "$@" >/dev/null
  local total fabric8 jsch
  total=$(grep -c ' source: ' "$log" || true)
  fabric8=$(grep -c ' io\.fabric8\.' "$log" || true)
  jsch=$(grep -c ' com\.jcraft\.' "$log" || true)
  local ok=PASS
  if [ "$fabric8" -ne 0 ] || [ "$jsch" -ne 0 ]; then ok=FAIL; status=1; fi
  printf '  %-8s %5d classes loaded; io.fabric8: %d, com.jcraft: %d   %s\n' "$what" "$total" "$fabric8" "$jsch" "$ok"
}
echo "classes loaded (Kubernetes and SSH code must not load):"
check_classes validate validate "$tmp/five.yaml"
check_classes plan plan "$tmp/five.yaml" --set sftpPassword=example
exit $status
