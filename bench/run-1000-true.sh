#!/usr/bin/env bash
# Per-step overhead of `runbook run`: N steps (default 1000) that each run /bin/true, against a
# bash loop that runs /bin/true N times. Prints both wall times and the ratio (target <= 1.5).
#
#   bench/run-1000-true.sh [N] [ROUNDS]
#
# Each side runs ROUNDS times (default 3); the best round of each is compared, which keeps
# other load on the machine out of the figure as far as possible.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
n="${1:-1000}"
rounds="${2:-3}"
out="$here/bench/out"
mkdir -p "$out"
rb="$out/true-$n.yaml"
{
  echo "apiVersion: runbook/v1"
  echo "name: true-$n"
  echo "steps:"
  for i in $(seq "$n"); do
    echo "  - id: s$i"
    echo "    shell: {command: [/bin/true]}"
  done
} > "$rb"

# Build the CLI (and its start-up archive) before timing anything.
"$here/runbook" validate "$rb" > /dev/null

now() { date +%s%N; }
ms() { echo $(( ($2 - $1) / 1000000 )); }

best_bash=""
best_rb=""
for r in $(seq "$rounds"); do
  t0=$(now)
  for i in $(seq "$n"); do /bin/true; done
  t1=$(now)
  b=$(ms "$t0" "$t1")

  rm -rf "$out/state"
  t0=$(now)
  "$here/runbook" run "$rb" --state-dir "$out/state" --no-color > "$out/run-$n.log"
  t1=$(now)
  x=$(ms "$t0" "$t1")
  echo "round $r: bash loop ${b} ms, runbook run ${x} ms"
  if [ -z "$best_bash" ] || [ "$b" -lt "$best_bash" ]; then best_bash=$b; fi
  if [ -z "$best_rb" ] || [ "$x" -lt "$best_rb" ]; then best_rb=$x; fi
done
grep "^Result:" "$out/run-$n.log"
echo "steps:          $n x /bin/true"
echo "bash loop:      ${best_bash} ms"
echo "runbook run:    ${best_rb} ms"
echo "ratio:          $(awk -v a="$best_rb" -v b="$best_bash" 'BEGIN { printf "%.2f", a / b }') (target <= 1.5, never above 3)"
