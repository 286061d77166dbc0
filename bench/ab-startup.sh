#!/usr/bin/env bash
# A/B start-up comparison of two builds of the CLI: `bench/ab-startup.sh DIR_A DIR_B` where each
# DIR is a checkout with its own ./runbook launcher (say, the project with and without a build
# flag). Cold `validate` of the 5-step runbook as in startup.sh, but A and B runs alternate
# (A, B, A, B, ...; RUNS each, default 31) so that a shared, loaded machine slows both alike.
# Prints for each the median and minimum wall time, the median CPU time (user + system, which
# waiting for a busy CPU does not inflate) and the peak RSS, and B minus A.
# JAVA_HOME picks the JVM both launchers use.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
[ $# -eq 2 ] || { echo "usage: bench/ab-startup.sh DIR_A DIR_B" >&2; exit 2; }
a="$(cd "$1" && pwd)/runbook"; b="$(cd "$2" && pwd)/runbook"
runs="${RUNS:-31}"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$root/bench/gen-runbook.sh" 5 >"$tmp/five.yaml"

# run X LAUNCHER: one cold validate; wall ms to X.ms, CPU ms to X.cpu, peak RSS KB to X.kb.
run() {
  local x="$1" t0 t1
  t0=$(now_ms)
  /usr/bin/time -f '%M %U %S' -o "$tmp/time" "$2" validate "$tmp/five.yaml" >/dev/null 2>"$tmp/err" \
    || { echo "bench: $2 failed:" >&2; cat "$tmp/err" >&2; exit 1; }
  t1=$(now_ms)
  echo $(( t1 - t0 )) >>"$tmp/$x.ms"
  tail -1 "$tmp/time" | awk -v k="$tmp/$x.kb" -v c="$tmp/$x.cpu" '{print $1 >> k; printf "%d\n", ($2 + $3) * 1000 >> c}'
}

# Builds, caches (class-data archive or AOT cache) and page cache, outside the measurement.
for r in "$a" "$b"; do "$r" --version >/dev/null; "$r" validate "$tmp/five.yaml" >/dev/null; done

for _ in $(seq "$runs"); do
  run a "$a"
  run b "$b"
done
min() { sort -n "$1" | head -1; }
printf 'machine: %s CPUs, load average %s; %s\n' "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)" \
  "$("$(tail -1 "$(dirname "$a")/target/.java")" -version 2>&1 | head -1)"
printf 'validate, 5 steps, %d cold runs each, alternating:\n' "$runs"
for x in a b; do
  printf '  %s  wall median %5d ms  min %5d ms   CPU median %5d ms  min %5d ms   peak RSS %d MB   %s\n' "${x^^}" \
    "$(median "$tmp/$x.ms")" "$(min "$tmp/$x.ms")" "$(median "$tmp/$x.cpu")" "$(min "$tmp/$x.cpu")" \
    $(( $(maximum "$tmp/$x.kb") / 1024 )) "$([ $x = a ] && echo "$1" || echo "$2")"
done
printf '  B - A  wall median %+d ms  min %+d ms   CPU median %+d ms  min %+d ms\n' \
  $(( $(median "$tmp/b.ms") - $(median "$tmp/a.ms") )) $(( $(min "$tmp/b.ms") - $(min "$tmp/a.ms") )) \
  $(( $(median "$tmp/b.cpu") - $(median "$tmp/a.cpu") )) $(( $(min "$tmp/b.cpu") - $(min "$tmp/a.cpu") ))
