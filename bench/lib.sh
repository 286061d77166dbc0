# Shared helpers of the bench scripts (sourced, not run).

# The repository root and its launcher.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runbook="$root/runbook"

# now_ms: wall-clock milliseconds.
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# median FILE: the median of the numbers in FILE, one a line.
median() { sort -n "$1" | awk '{a[NR] = $1} END {if (NR % 2) print a[(NR + 1) / 2]; else print int((a[NR / 2] + a[NR / 2 + 1]) / 2)}'; }

# maximum FILE: the largest number in FILE.
maximum() { sort -n "$1" | tail -1; }

# timed OUT_MS OUT_KB CMD...: runs CMD once (stdout discarded, stderr kept in a file that is
# shown when CMD fails), appends its wall time in ms to OUT_MS and its peak RSS in KB to OUT_KB.
timed() {
  local ms="$1" kb="$2"; shift 2
  local t0 t1 rss err
  rss="$(mktemp)"; err="$(mktemp)"
  t0=$(now_ms)
  if ! /usr/bin/time -f %M -o "$rss" "$@" >/dev/null 2>"$err"; then
    echo "bench: command failed: $*" >&2; cat "$err" >&2; rm -f "$rss" "$err"; return 1
  fi
  t1=$(now_ms)
  echo $(( t1 - t0 )) >>"$ms"
  tail -1 "$rss" >>"$kb"
  rm -f "$rss" "$err"
}

# verdict VALUE LIMIT: PASS when VALUE <= LIMIT (numbers, decimals allowed), else FAIL.
verdict() { awk -v v="$1" -v l="$2" 'BEGIN {print (v + 0 <= l + 0) ? "PASS" : "FAIL"}'; }

# ensure_built: builds the CLI and its class-data archive outside of any measurement.
ensure_built() { "$runbook" --version >/dev/null; }

command -v /usr/bin/time >/dev/null 2>&1 || { echo "bench: /usr/bin/time is needed (apt-get install -y time)" >&2; exit 2; }
