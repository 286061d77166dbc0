#!/usr/bin/env bash
# Per-call cost of a Kubernetes get: `kubectl` steps of one `runbook run` (in-process, one
# connection for the run) against `kubectl get -o json` processes, both against the same
# cluster: a `runbook sandbox` started on its own, reached through its KUBECONFIG.
#
#   bench/kube-gets.sh [N (200)] [ROUNDS (3)]
#
# Per call, for runbook: the marginal cost (T(N) - T(N/2)) / (N/2) of two runs, N and N/2 get
# steps, so that JVM start, the connection and discovery (paid once per run) are not charged to
# the calls; the whole run T(N) / N is printed as well, and the time per step inside the N-step
# run from its journal (steadier than the difference of two whole runs on a loaded machine). For kubectl: T(N) / N, since every call
# is a process of its own and pays all of that every time. Each side runs ROUNDS times, in
# turns; medians and minimums of the rounds. Target: runbook >= 20x faster per call.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
n="${1:-200}"
rounds="${2:-3}"
half=$(( n / 2 ))
target_ratio=20
command -v kubectl >/dev/null || { echo "bench: kubectl is needed on PATH" >&2; exit 2; }

tmp="$(mktemp -d)"
trap 'sandbox_down; rm -rf "$tmp"' EXIT
kube_world "$tmp/world"
gets() {
  echo "apiVersion: runbook/v1"
  echo "name: gets-$1"
  echo "steps:"
  for i in $(seq "$1"); do
    echo "  - id: get-$i"
    echo "    kubectl: {get: pods}"
  done
}
gets "$n" >"$tmp/gets-$n.yaml"
gets "$half" >"$tmp/gets-$half.yaml"

ensure_built
sandbox_up "$tmp/world" "$tmp/sandbox"
# Unmeasured: the jar and the runbooks in the page cache, kubectl's discovery cache filled.
"$runbook" run "$tmp/gets-$half.yaml" --state-dir "$tmp/warm" --yes --no-color >/dev/null
kubectl get pods -o json >/dev/null

run_rb() { # N OUT_MS
  rm -rf "$tmp/state"
  local t0 t1
  t0=$(now_ms)
  "$runbook" run "$tmp/gets-$1.yaml" --state-dir "$tmp/state" --yes --no-color >"$tmp/run.log" \
    || { echo "bench: runbook run failed:" >&2; cat "$tmp/run.log" >&2; return 1; }
  t1=$(now_ms)
  echo $(( t1 - t0 )) >>"$2"
  if [ "$1" = "$n" ]; then
    # Inside the run, from the journal: second step's start to the last step's end, per step
    # (the first step opens the connection and reads discovery), in microseconds.
    local j; j="$(journal_of "$tmp/state")"
    echo $(( ($(iso_ms "$(step_field "$j" "get-$n" endedAt)") - $(iso_ms "$(step_field "$j" get-2 startedAt)")) * 1000 / (n - 1) )) >>"$tmp/inrun"
  fi
}
for r in $(seq "$rounds"); do
  run_rb "$n" "$tmp/rb-$n"
  run_rb "$half" "$tmp/rb-$half"
  t0=$(now_ms)
  for _ in $(seq "$n"); do kubectl get pods -o json >/dev/null; done
  t1=$(now_ms)
  echo $(( t1 - t0 )) >>"$tmp/kc"
  # Marginal cost of this round's pair, in microseconds per call.
  echo $(( ($(tail -1 "$tmp/rb-$n") - $(tail -1 "$tmp/rb-$half")) * 1000 / half )) >>"$tmp/marg"
  echo "round $r: runbook $n gets $(tail -1 "$tmp/rb-$n") ms, $half gets $(tail -1 "$tmp/rb-$half") ms;" \
    "kubectl x $n $(tail -1 "$tmp/kc") ms"
done

us() { awk -v u="$1" 'BEGIN {printf "%.2f ms", u / 1000}'; }
kc_us=$(( $(median "$tmp/kc") * 1000 / n )); kc_min_us=$(( $(minimum "$tmp/kc") * 1000 / n ))
marg=$(median "$tmp/marg"); marg_min=$(minimum "$tmp/marg")
# A marginal cost at or below 0 means the two runs differ by less than the noise: count 1 us.
[ "$marg" -gt 0 ] || marg=1
[ "$marg_min" -gt 0 ] || marg_min=1
whole_us=$(( $(median "$tmp/rb-$n") * 1000 / n ))
ratio=$(awk -v a="$kc_us" -v b="$marg" 'BEGIN {printf "%.1f", a / b}')
ratio_whole=$(awk -v a="$kc_us" -v b="$whole_us" 'BEGIN {printf "%.1f", a / b}')
printf 'machine: %s CPUs, load average %s\n' "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf 'get pods (3 pods) against a runbook sandbox, %d rounds (median, min):\n' "$rounds"
printf '  kubectl get -o json, one process per call  %s   min %s per call\n' "$(us "$kc_us")" "$(us "$kc_min_us")"
printf '  runbook, marginal (T(%d)-T(%d))/%d         %s   min %s per call\n' "$n" "$half" "$half" "$(us "$marg")" "$(us "$marg_min")"
printf '  runbook, inside the run (journal: step 2 start to step %d end)/%d   %s   min %s per call\n' \
  "$n" "$(( n - 1 ))" "$(us "$(median "$tmp/inrun")")" "$(us "$(minimum "$tmp/inrun")")"
printf '  runbook, whole run T(%d)/%d (JVM start, connection, discovery included)   %s per call (%d ms in all)\n' \
  "$n" "$n" "$(us "$whole_us")" "$(median "$tmp/rb-$n")"
printf '  ratio kubectl / runbook per call   %sx (whole run: %sx)   target >= %dx   %s\n' \
  "$ratio" "$ratio_whole" "$target_ratio" "$(awk -v r="$ratio" -v t="$target_ratio" 'BEGIN {print (r + 0 >= t) ? "PASS" : "FAIL"}')"
