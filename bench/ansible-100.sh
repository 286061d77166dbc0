#!/usr/bin/env bash
# The same 100 steps through `runbook run` and through `ansible-playbook` with a local
# connection, and the same again with 200: prints the wall times, how many times faster runbook
# is on the whole run, and on the marginal cost of a step, (T(200) - T(100)) / 100, which leaves
# each tool's start-up out (target >= 100x on that).
# Installs Debian's ansible-core with apt-get when ansible-playbook is missing.
#
#   bench/ansible-100.sh [N] [ROUNDS]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
n="${1:-100}"
rounds="${2:-3}"
out="$here/bench/out"
mkdir -p "$out"

if ! command -v ansible-playbook > /dev/null; then
  echo "ansible-playbook is missing: installing Debian's ansible-core ..." >&2
  if [ "$(id -u)" -ne 0 ]; then
    echo "run as root, or install ansible-core yourself (apt-get install ansible-core)" >&2
    exit 2
  fi
  apt-get update -qq > /dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ansible-core > /dev/null
fi

# gen SIZE: writes the runbook and the playbook of SIZE steps.
gen() {
  local size="$1"
  {
    echo "apiVersion: runbook/v1"
    echo "name: steps-$size"
    echo "steps:"
    for i in $(seq "$size"); do
      echo "  - id: s$i"
      echo "    shell: {command: [/bin/true]}"
    done
  } > "$out/ansible-$size.yaml"
  {
    echo "- hosts: localhost"
    echo "  connection: local"
    echo "  gather_facts: false"
    echo "  tasks:"
    for i in $(seq "$size"); do
      echo "    - name: s$i"
      echo "      ansible.builtin.command: /bin/true"
    done
  } > "$out/ansible-$size.playbook.yaml"
}
n2=$(( 2 * n ))
gen "$n"
gen "$n2"

"$here/runbook" validate "$out/ansible-$n.yaml" > /dev/null   # build before timing

now() { date +%s%N; }
ms() { echo $(( ($2 - $1) / 1000000 )); }
min() { if [ -z "$1" ] || [ "$2" -lt "$1" ]; then echo "$2"; else echo "$1"; fi; }

# One round runs each side at N and at 2N steps; the best of each over the rounds is compared.
rb1=""; rb2=""; an1=""; an2=""
for r in $(seq "$rounds"); do
  for size in "$n" "$n2"; do
    rm -rf "$out/state"
    t0=$(now)
    "$here/runbook" run "$out/ansible-$size.yaml" --state-dir "$out/state" --no-color > "$out/ansible-runbook.log"
    t1=$(now)
    x=$(ms "$t0" "$t1")
    t0=$(now)
    ANSIBLE_NOCOLOR=1 ANSIBLE_RETRY_FILES_ENABLED=0 ansible-playbook -i localhost, "$out/ansible-$size.playbook.yaml" \
      > "$out/ansible-playbook.log" 2>&1
    t1=$(now)
    y=$(ms "$t0" "$t1")
    echo "round $r, $size steps: runbook run ${x} ms, ansible-playbook ${y} ms"
    if [ "$size" = "$n" ]; then rb1=$(min "$rb1" "$x"); an1=$(min "$an1" "$y"); else rb2=$(min "$rb2" "$x"); an2=$(min "$an2" "$y"); fi
  done
done
grep -E "^localhost" "$out/ansible-playbook.log" | tail -n 1 || true
echo "cpus: $(nproc)  load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "ansible-playbook: ${an1} ms for $n steps, ${an2} ms for $n2 ($(ansible-playbook --version 2>/dev/null | sed -n 1p))"
echo "runbook run:      ${rb1} ms for $n steps, ${rb2} ms for $n2"
echo "whole run of $n steps: runbook is $(awk -v a="$an1" -v b="$rb1" 'BEGIN { printf "%.1f", a / b }')x faster"
# The marginal cost of a step, (T(2N) - T(N)) / N: what one more step costs, start-up excluded.
echo "per step, (T($n2) - T($n)) / $n: ansible-playbook $(awk -v a="$an1" -v b="$an2" -v n="$n" 'BEGIN { printf "%.2f", (b - a) / n }') ms," \
  "runbook $(awk -v a="$rb1" -v b="$rb2" -v n="$n" 'BEGIN { printf "%.2f", (b - a) / n }') ms:" \
  "runbook is $(awk -v a1="$an1" -v a2="$an2" -v r1="$rb1" -v r2="$rb2" 'BEGIN { d = r2 - r1; if (d < 1) d = 1; printf "%.0f", (a2 - a1) / d }')x faster (target >= 100x)"
