#!/usr/bin/env bash
# Peak memory of the README's main job: the whole restore runbook run against its healthy
# sandbox (embedded API server, SSH host, controllers, the runbook's steps), in a temporary
# state directory. Peak RSS is GNU time's %M for the JVM (the launcher execs it); the
# controllers and stubs it starts are processes of their own and are not counted in it.
# RUNS runs (default 3): the largest and the median peak, and the wall time.
# Target: peak RSS <= 256 MB.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
runs="${RUNS:-3}"
target_kb=$(( 256 * 1024 ))

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cd "$root"
# The README's command, with a state directory of its own.
job=("$runbook" run runbooks/restore-k8s.yaml --sandbox tests-fixtures/sandboxes/restore-k8s/healthy
  --params runbooks/examples/restore-k8s.sandbox.params.yaml --set sftpPassword=rehearsal --yes --no-color)

ensure_built
"${job[@]}" --state-dir "$tmp/warm" >/dev/null
for i in $(seq "$runs"); do
  timed "$tmp/ms" "$tmp/kb" "${job[@]}" --state-dir "$tmp/state-$i"
done
kb=$(maximum "$tmp/kb")
printf 'machine: %s CPUs, load average %s\n' "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf 'restore-k8s.yaml in its healthy sandbox, %d runs:\n' "$runs"
printf '  peak RSS    max %4d MB   median %d MB   min %d MB   target <= %d MB   %s\n' \
  $(( kb / 1024 )) $(( $(median "$tmp/kb") / 1024 )) $(( $(minimum "$tmp/kb") / 1024 )) $(( target_kb / 1024 )) \
  "$(verdict "$kb" "$target_kb")"
printf '  wall time   median %5d ms   min %d ms\n' "$(median "$tmp/ms")" "$(minimum "$tmp/ms")"
