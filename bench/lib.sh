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

# minimum FILE: the smallest number in FILE.
minimum() { sort -n "$1" | head -1; }

# ---- Kubernetes figures: a sandbox cluster started on its own (`runbook sandbox`) ----

# kube_world DIR: writes a small sandbox world into DIR: namespace bench with three pods and a
# ConfigMap `gate`, no controllers (nothing else writes to the cluster while it is measured).
kube_world() {
  mkdir -p "$1/cluster"
  printf 'namespace: bench\n' >"$1/sandbox.yaml"
  {
    printf 'apiVersion: v1\nkind: Namespace\nmetadata: {name: bench}\n'
    for i in 0 1 2; do
      printf -- '---\napiVersion: v1\nkind: Pod\nmetadata: {name: web-%d, namespace: bench, labels: {app: web}}\n' "$i"
      printf 'spec:\n  containers: [{name: web, image: "shop/web:1"}]\nstatus: {phase: Running}\n'
    done
    printf -- '---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: gate, namespace: bench}\ndata: {state: closed, round: "0"}\n'
  } >"$1/cluster/bench.yaml"
}

# sandbox_up WORLD STATE: starts `runbook sandbox WORLD --state-dir STATE` in the background and
# waits until it serves; sets sandbox_pid and exports KUBECONFIG (and KUBECACHEDIR in STATE, so
# kubectl's discovery cache stays out of the home directory). sandbox_down stops it.
sandbox_up() {
  local world="$1" state="$2"
  mkdir -p "$state"
  "$runbook" sandbox "$world" --state-dir "$state" >"$state/sandbox.out" 2>&1 &
  sandbox_pid=$!
  local line=""
  for _ in $(seq 600); do
    line="$(sed -n 's/^export KUBECONFIG=//p' "$state/sandbox.out")"
    [ -n "$line" ] && grep -q '^Press Ctrl-C' "$state/sandbox.out" && break
    if ! kill -0 "$sandbox_pid" 2>/dev/null; then
      echo "bench: runbook sandbox stopped:" >&2; cat "$state/sandbox.out" >&2; return 1
    fi
    sleep 0.1
  done
  [ -n "$line" ] || { echo "bench: runbook sandbox did not start" >&2; return 1; }
  export KUBECONFIG="$line"
  export KUBECACHEDIR="$state/kube-cache"
}
sandbox_down() {
  if [ -n "${sandbox_pid:-}" ]; then
    kill -TERM "$sandbox_pid" 2>/dev/null || true
    wait "$sandbox_pid" 2>/dev/null || true
    sandbox_pid=""
  fi
}

# iso_ms TIMESTAMP: an ISO-8601 instant of the journal (2026-01-02T03:04:05.123456789Z) in
# epoch milliseconds.
iso_ms() { date -d "$1" +%s%3N; }

# journal_of STATE: the journal of the only run in STATE (a --state-dir).
journal_of() { ls "$1"/runs/*/journal.jsonl | head -1; }

# step_field JOURNAL STEP FIELD: a field of the step-finished record of STEP (startedAt, endedAt).
step_field() {
  grep '"type":"step-finished"' "$1" | grep "\"id\":\"$2\"" | sed -n "s/.*\"$3\":\"\\([^\"]*\\)\".*/\\1/p" | tail -1
}
