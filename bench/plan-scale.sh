#!/usr/bin/env bash
# How `./runbook plan` scales: generates runbooks of 10,000 and 20,000 steps into a temporary
# directory (bench/gen-runbook.sh), times RUNS cold runs of plan on each (default 5), prints
# the medians, the ratio and pass/fail against the targets (10,000 steps <= 1.5 s; 20,000
# steps <= 2.2 x the 10,000-step time).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
runs="${RUNS:-5}"
target_10k_ms=1500
target_ratio=2.2

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
ensure_built
for n in 10000 20000; do
  "$root/bench/gen-runbook.sh" "$n" >"$tmp/steps-$n.yaml"
done
printf 'machine: %s CPUs, load average %s\n' "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf 'generated: %s bytes (10,000 steps), %s bytes (20,000 steps)\n' \
  "$(wc -c <"$tmp/steps-10000.yaml")" "$(wc -c <"$tmp/steps-20000.yaml")"
# One run first: the file in the page cache, and a check that the plan succeeds.
"$runbook" plan "$tmp/steps-10000.yaml" --set sftpPassword=example >"$tmp/plan.txt"
printf 'plan output: %s lines for 10,000 steps\n' "$(wc -l <"$tmp/plan.txt")"

for n in 10000 20000; do
  for _ in $(seq "$runs"); do
    timed "$tmp/ms-$n" "$tmp/kb-$n" "$runbook" plan "$tmp/steps-$n.yaml" --set sftpPassword=example
  done
  for _ in $(seq "$runs"); do
    timed "$tmp/vms-$n" "$tmp/vkb-$n" "$runbook" validate "$tmp/steps-$n.yaml"
  done
done
p10=$(median "$tmp/ms-10000"); p20=$(median "$tmp/ms-20000")
v10=$(median "$tmp/vms-10000"); v20=$(median "$tmp/vms-20000")
ratio=$(awk -v a="$p20" -v b="$p10" 'BEGIN {printf "%.2f", a / b}')
printf 'plan, median of %d cold runs:\n' "$runs"
printf '  10,000 steps  %5d ms   peak RSS %4d MB   target <= %d ms   %s\n' \
  "$p10" $(( $(maximum "$tmp/kb-10000") / 1024 )) "$target_10k_ms" "$(verdict "$p10" "$target_10k_ms")"
printf '  20,000 steps  %5d ms   peak RSS %4d MB\n' "$p20" $(( $(maximum "$tmp/kb-20000") / 1024 ))
printf '  ratio 20k/10k  %s   target <= %s   %s\n' "$ratio" "$target_ratio" "$(verdict "$ratio" "$target_ratio")"
printf 'validate, median of %d cold runs (for comparison, no target):\n' "$runs"
printf '  10,000 steps  %5d ms\n  20,000 steps  %5d ms\n' "$v10" "$v20"
