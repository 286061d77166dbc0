#!/usr/bin/env bash
# How fast an `until` on a kubectl get sees a change made by someone else. One run of ROUNDS
# steps (default 7), each waiting with `interval: 10s` for the ConfigMap `gate` to carry its
# round number; while a step waits, this script writes that number with `kubectl patch` (1.5 s
# after the journal shows the step started, so that the step has read once and opened its
# watch). Against a cluster already running (a `runbook sandbox` started on its own).
#
# Reaction time = the step's `endedAt` in the run's journal minus the write's `at` in the
# sandbox's own record of accepted writes (world/.state/writes.jsonl): both taken by the
# product on this machine's clock, the second when the API server accepted the patch, so the
# kubectl process's start-up is not counted. The time from this script starting kubectl to the
# step's end is printed too. Target: median <= 200 ms however long the interval (a watch);
# polling alone would give about half the interval, 5 s.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
rounds="${1:-7}"
target_ms=200
command -v kubectl >/dev/null || { echo "bench: kubectl is needed on PATH" >&2; exit 2; }

tmp="$(mktemp -d)"
trap 'sandbox_down; [ -n "${run_pid:-}" ] && kill "$run_pid" 2>/dev/null; rm -rf "$tmp"' EXIT
kube_world "$tmp/world"
{
  echo "apiVersion: runbook/v1"
  echo "name: until-reaction"
  echo "steps:"
  echo "  - id: warm"
  echo "    kubectl: {get: configmaps, name: gate}"
  for i in $(seq "$rounds"); do
    echo "  - id: wait-$i"
    echo "    kubectl: {get: configmaps, name: gate}"
    echo "    until: \"\${{ result.data.round == '$i' }}\""
    echo "    interval: 10s"
    echo "    timeout: 60s"
  done
} >"$tmp/until.yaml"

ensure_built
sandbox_up "$tmp/world" "$tmp/sandbox"
writes="$tmp/sandbox/world/.state/writes.jsonl"

"$runbook" run "$tmp/until.yaml" --state-dir "$tmp/state" --yes --no-color >"$tmp/run.log" 2>&1 &
run_pid=$!
for i in $(seq "$rounds"); do
  # Wait for the step to start (at most 60 s), then give it time to read and open its watch.
  for _ in $(seq 1200); do
    journal="$(ls "$tmp"/state/runs/*/journal.jsonl 2>/dev/null | head -1 || true)"
    [ -n "$journal" ] && grep -q "\"type\":\"step-started\".*\"id\":\"wait-$i\"" "$journal" && break
    kill -0 "$run_pid" 2>/dev/null || break
    sleep 0.05
  done
  sleep 1.5
  now_ms >>"$tmp/patch-start"
  kubectl patch configmap gate --type=merge -p "{\"data\":{\"round\":\"$i\"}}" >/dev/null
done
wait "$run_pid" || { echo "bench: the run failed:" >&2; cat "$tmp/run.log" >&2; exit 1; }
run_pid=""

journal="$(journal_of "$tmp/state")"
for i in $(seq "$rounds"); do
  wrote=$(iso_ms "$(sed -n "${i}p" "$writes" | sed -n 's/.*"at":"\([^"]*\)".*/\1/p')")
  ended=$(iso_ms "$(step_field "$journal" "wait-$i" endedAt)")
  echo $(( ended - wrote )) >>"$tmp/reaction"
  echo $(( ended - $(sed -n "${i}p" "$tmp/patch-start") )) >>"$tmp/from-kubectl"
done
ms=$(median "$tmp/reaction")
printf 'machine: %s CPUs, load average %s\n' "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf 'until on a kubectl get, interval 10s, %d changes made by kubectl patch while it waits:\n' "$rounds"
printf '  write accepted to step end     median %5d ms   min %d ms   max %d ms   target <= %d ms   %s\n' \
  "$ms" "$(minimum "$tmp/reaction")" "$(maximum "$tmp/reaction")" "$target_ms" "$(verdict "$ms" "$target_ms")"
printf '  kubectl patch started to end   median %5d ms   min %d ms   (kubectl start-up included)\n' \
  "$(median "$tmp/from-kubectl")" "$(minimum "$tmp/from-kubectl")"
printf '  each, ms: %s\n' "$(tr '\n' ' ' <"$tmp/reaction")"
