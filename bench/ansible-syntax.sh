#!/usr/bin/env bash
# Beside a familiar tool: `ansible-playbook --syntax-check` of a 100-task playbook against
# `./runbook validate` (and plan) of a 100-step runbook with the same blocks of work
# (bench/gen-playbook.sh and bench/gen-runbook.sh). Each a median of RUNS cold runs (default
# 5). Installs Debian's ansible-core with apt-get when ansible-playbook is missing.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
runs="${RUNS:-5}"

if ! command -v ansible-playbook >/dev/null 2>&1; then
  echo "ansible-playbook is missing: installing Debian's ansible-core (apt-get) ..." >&2
  if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then sudo=sudo; else sudo=; fi
  $sudo apt-get update >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y ansible-core >&2
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$root/bench/gen-playbook.sh" 100 >"$tmp/playbook.yml"
"$root/bench/gen-runbook.sh" 100 >"$tmp/runbook.yaml"
ensure_built

export ANSIBLE_LOCALHOST_WARNING=False ANSIBLE_INVENTORY_UNPARSED_WARNING=False ANSIBLE_NOCOLOR=1
ansible=(ansible-playbook --syntax-check -i localhost, "$tmp/playbook.yml")
# One run of each first: a check that both accept their file, and the page cache warm.
"${ansible[@]}" >/dev/null
"$runbook" validate "$tmp/runbook.yaml" >/dev/null

for _ in $(seq "$runs"); do
  timed "$tmp/a-ms" "$tmp/a-kb" "${ansible[@]}"
  timed "$tmp/v-ms" "$tmp/v-kb" "$runbook" validate "$tmp/runbook.yaml"
  timed "$tmp/p-ms" "$tmp/p-kb" "$runbook" plan "$tmp/runbook.yaml" --set sftpPassword=example
done
a=$(median "$tmp/a-ms"); v=$(median "$tmp/v-ms"); p=$(median "$tmp/p-ms")
printf 'machine: %s CPUs, load average %s\n' "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '100 tasks / steps, median of %d cold runs (%s):\n' "$runs" "$(ansible-playbook --version 2>/dev/null | sed -n 1p)"
printf '  ansible-playbook --syntax-check  %5d ms   peak RSS %4d MB\n' "$a" $(( $(maximum "$tmp/a-kb") / 1024 ))
printf '  runbook validate                 %5d ms   peak RSS %4d MB   ansible/runbook %s\n' \
  "$v" $(( $(maximum "$tmp/v-kb") / 1024 )) "$(awk -v a="$a" -v b="$v" 'BEGIN {printf "%.2f", a / b}')"
printf '  runbook plan                     %5d ms   peak RSS %4d MB   ansible/runbook %s\n' \
  "$p" $(( $(maximum "$tmp/p-kb") / 1024 )) "$(awk -v a="$a" -v b="$p" 'BEGIN {printf "%.2f", a / b}')"
