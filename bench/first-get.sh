#!/usr/bin/env bash
# Time to the first Kubernetes answer: from starting `./runbook run` to the end of its first
# step, a `kubectl get`, against a cluster already running (a `runbook sandbox` started on its
# own, reached through its KUBECONFIG). Median of RUNS runs (default 11). The step's end is the
# `endedAt` the run's journal records for it; the start is taken by this script just before it
# starts the launcher. So the figure holds JVM start, loading and checking the runbook, opening
# the connection (kubeconfig, HTTP client), discovery and the get itself, and not the end of the
# run. Target: median <= 0.8 s.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
runs="${RUNS:-11}"
target_ms=800

tmp="$(mktemp -d)"
trap 'sandbox_down; rm -rf "$tmp"' EXIT
kube_world "$tmp/world"
cat >"$tmp/first-get.yaml" <<'YAML'
apiVersion: runbook/v1
name: first-get
steps:
  - id: pods
    kubectl: {get: pods}
    capture:
      names: "${{ result.items.map(p, p.metadata.name) }}"
YAML

ensure_built
sandbox_up "$tmp/world" "$tmp/sandbox"
"$runbook" run "$tmp/first-get.yaml" --state-dir "$tmp/warm" --yes --no-color >/dev/null

for _ in $(seq "$runs"); do
  rm -rf "$tmp/state"
  t0=$(now_ms)
  "$runbook" run "$tmp/first-get.yaml" --state-dir "$tmp/state" --yes --no-color >"$tmp/run.log" \
    || { echo "bench: runbook run failed:" >&2; cat "$tmp/run.log" >&2; exit 1; }
  t1=$(now_ms)
  journal="$(journal_of "$tmp/state")"
  ended=$(iso_ms "$(step_field "$journal" pods endedAt)")
  started=$(iso_ms "$(step_field "$journal" pods startedAt)")
  echo $(( ended - t0 )) >>"$tmp/first"
  echo $(( ended - started )) >>"$tmp/step"
  echo $(( started - t0 )) >>"$tmp/before"
  echo $(( t1 - t0 )) >>"$tmp/whole"
done
ms=$(median "$tmp/first")
printf 'machine: %s CPUs, load average %s\n' "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf 'first kubectl get of a run, against a running sandbox, %d runs:\n' "$runs"
printf '  process start to end of the get step   median %5d ms   min %d ms   max %d ms   target <= %d ms   %s\n' \
  "$ms" "$(minimum "$tmp/first")" "$(maximum "$tmp/first")" "$target_ms" "$(verdict "$ms" "$target_ms")"
printf '    of which before the step starts       median %5d ms   min %d ms   (JVM start, load, check)\n' \
  "$(median "$tmp/before")" "$(minimum "$tmp/before")"
printf '    of which the get step                 median %5d ms   min %d ms   (client, discovery, get)\n' \
  "$(median "$tmp/step")" "$(minimum "$tmp/step")"
printf '  whole run, to the process exit          median %5d ms   min %d ms\n' "$(median "$tmp/whole")" "$(minimum "$tmp/whole")"
