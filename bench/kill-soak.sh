#!/usr/bin/env bash
# Kills a long run with `kill -9` at random points and resumes it after each kill, then prints:
# resumes completed, steps lost (target 0), repeats (target <= kills), completed steps that ran
# again (target 0) and unreadable journals (target 0).
#
#   bench/kill-soak.sh [KILLS (50)] [STEPS (100)] [SEED]
#
# Each step appends its id to a log and then sleeps 30 ms, so the log says how many times each
# step really ran. Four kills in five land once one more step has begun, anywhere within the
# next 35 ms: in the step's process, between its end and the journal's record of it, in the
# journal's writes, in the next step's start; one in five lands while the runbook process
# starts (loading, taking the lock, cutting a torn record, writing the resume's record). Resumes use --yes, so that a step that
# was interrupted runs again: a repeat, which only an interrupted step may have.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
kills="${1:-50}"
steps="${2:-100}"
seed="${3:-$(( $(date +%s) % 32768 ))}"
RANDOM=$seed
out="$here/bench/out/kill-soak"
rm -rf "$out"
mkdir -p "$out"
log="$out/log"
state="$out/state"
rb="$out/soak-$steps.yaml"
{
  echo "apiVersion: runbook/v1"
  echo "name: soak-$steps"
  echo "steps:"
  for i in $(seq "$steps"); do
    echo "  - id: s$i"
    echo "    shell: {script: \"echo s$i >> $log; sleep 0.03\"}"
  done
} > "$rb"

"$here/runbook" validate "$rb" > /dev/null   # build first

lines() { if [ -f "$log" ]; then wc -l < "$log"; else echo 0; fi; }
ran() { if [ -f "$log" ]; then grep -cx "$1" "$log" || true; else echo 0; fi; }
run_dir() { for d in "$state"/runs/*; do if [ -f "$d/journal.jsonl" ]; then echo "$d"; return; fi; done; }
# After kill -9 the step's own processes live on (a resume refuses to run beside them): wait.
step_processes() { grep -ls "RUNBOOK_PROCESS_TAG=$1-" /proc/[0-9]*/environ 2> /dev/null || true; }

declare -A done_count=()
run_id=""
killed=0
unreadable=0
ended_early=0
final=""
t0=$(date +%s)
for k in $(seq "$kills"); do
  if [ -z "$run_id" ]; then
    "$here/runbook" run "$rb" --state-dir "$state" --no-color > "$out/child.log" 2>&1 &
  else
    "$here/runbook" resume "$run_id" --yes --state-dir "$state" --no-color > "$out/child.log" 2>&1 &
  fi
  pid=$!
  target=$(( $(lines) + (RANDOM % 5 == 0 ? 0 : 1) ))
  while kill -0 "$pid" 2> /dev/null && [ "$(lines)" -lt "$target" ]; do sleep 0.002; done
  sleep "$(printf '0.%03d' $(( RANDOM % 35 )))"
  if ! kill -9 "$pid" 2> /dev/null; then
    rc=0; wait "$pid" || rc=$?
    echo "the run ended before kill $k (exit $rc)"; tail -n 3 "$out/child.log"
    ended_early=1
    final=$rc
    break
  fi
  wait "$pid" 2> /dev/null || true
  killed=$(( killed + 1 ))
  dir="$(run_dir)"
  [ -n "$dir" ] || continue   # killed before its journal began: the next attempt starts a new run
  run_id="$(basename "$dir")"
  while [ -n "$(step_processes "$run_id")" ]; do sleep 0.01; done
  if ! "$here/runbook" status "$run_id" --state-dir "$state" --format json > "$out/status.json" 2> "$out/status.err"; then
    unreadable=$(( unreadable + 1 ))
    echo "kill $k: the journal does not read: $(cat "$out/status.err")"
  fi
  # Steps the journal records as done, with how many times they had run: that must not change.
  for id in $(grep -o '"type":"step-finished","at":"[^"]*","id":"s[0-9]*","state":"succeeded"' "$dir/journal.jsonl" \
      | sed 's/.*"id":"\(s[0-9]*\)".*/\1/' | sort -u); do
    [ -n "${done_count[$id]:-}" ] || done_count[$id]=$(ran "$id")
  done
done

if [ "$ended_early" -eq 0 ]; then
  final=0
  if [ -z "$run_id" ]; then
    "$here/runbook" run "$rb" --state-dir "$state" --no-color > "$out/final.log" 2>&1 || final=$?
  else
    "$here/runbook" resume "$run_id" --yes --state-dir "$state" --no-color > "$out/final.log" 2>&1 || final=$?
  fi
fi
t1=$(date +%s)
dir="$(run_dir)"
"$here/runbook" status "$(basename "$dir")" --state-dir "$state" --format json > "$out/status.json" 2> "$out/status.err" \
  || unreadable=$(( unreadable + 1 ))

lost=0
repeats=0
repeated_done=0
for i in $(seq "$steps"); do
  n=$(ran "s$i")
  if [ "$n" -eq 0 ]; then lost=$(( lost + 1 )); else repeats=$(( repeats + n - 1 )); fi
  if [ -n "${done_count[s$i]:-}" ] && [ "$n" -ne "${done_count[s$i]}" ]; then repeated_done=$(( repeated_done + 1 )); fi
done
succeeded=$(sed -n '/"steps" : \[/,$p' "$out/status.json" | grep -c '"state" : "succeeded"' || true)
run_state=$(sed -n 's/^  "state" : "\(.*\)",$/\1/p' "$out/status.json")
resumes=$(grep -c '"type":"resumed"' "$dir/journal.jsonl" || true)
echo "run:                      $(basename "$dir") ($steps steps, seed $seed, $(( t1 - t0 ))s)"
echo "kills (kill -9):          $killed"
echo "resumes completed:        $resumes (began and recorded themselves in the journal; the last ran to the end: exit ${final})"
echo "run state at end:         ${run_state:-unknown}; steps succeeded: $succeeded of $steps"
echo "steps lost:               $lost (target 0)"
echo "repeats:                  $repeats (target <= $killed kills; only interrupted steps run again)"
echo "completed steps repeated: $repeated_done (target 0)"
echo "unreadable journals:      $unreadable (target 0)"
