#!/usr/bin/env bash
# The same 100 steps through `runbook run` and through `ansible-playbook` with a local
# connection: prints both wall times and how many times faster runbook is (target >= 100).
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

rb="$out/ansible-$n.yaml"
pb="$out/ansible-$n.playbook.yaml"
{
  echo "apiVersion: runbook/v1"
  echo "name: steps-$n"
  echo "steps:"
  for i in $(seq "$n"); do
    echo "  - id: s$i"
    echo "    shell: {command: [/bin/true]}"
  done
} > "$rb"
{
  echo "- hosts: localhost"
  echo "  connection: local"
  echo "  gather_facts: false"
  echo "  tasks:"
  for i in $(seq "$n"); do
    echo "    - name: s$i"
    echo "      ansible.builtin.command: /bin/true"
  done
} > "$pb"

"$here/runbook" validate "$rb" > /dev/null   # build before timing

now() { date +%s%N; }
ms() { echo $(( ($2 - $1) / 1000000 )); }

best_rb=""
best_an=""
for r in $(seq "$rounds"); do
  rm -rf "$out/state"
  t0=$(now)
  "$here/runbook" run "$rb" --state-dir "$out/state" --no-color > "$out/ansible-runbook.log"
  t1=$(now)
  x=$(ms "$t0" "$t1")
  t0=$(now)
  ANSIBLE_NOCOLOR=1 ANSIBLE_RETRY_FILES_ENABLED=0 ansible-playbook -i localhost, "$pb" > "$out/ansible-playbook.log" 2>&1
  t1=$(now)
  y=$(ms "$t0" "$t1")
  echo "round $r: runbook run ${x} ms, ansible-playbook ${y} ms"
  if [ -z "$best_rb" ] || [ "$x" -lt "$best_rb" ]; then best_rb=$x; fi
  if [ -z "$best_an" ] || [ "$y" -lt "$best_an" ]; then best_an=$y; fi
done
grep -E "^localhost" "$out/ansible-playbook.log" | tail -n 1 || true
echo "steps:            $n x /bin/true"
echo "ansible-playbook: ${best_an} ms ($(ansible-playbook --version 2>/dev/null | sed -n 1p))"
echo "runbook run:      ${best_rb} ms"
echo "runbook is $(awk -v a="$best_an" -v b="$best_rb" 'BEGIN { printf "%.1f", a / b }')x faster (target >= 100x)"
