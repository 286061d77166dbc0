#!/usr/bin/env bash
# Per-step cost of `shell on:` an ssh target: 100 steps of `true` on one target through one
# `runbook run`, against 100 `ssh host true` processes (no connection sharing). The runbook's
# per-step cost is marginal, (T(200 steps) - T(100 steps)) / 100, so that starting the JVM and
# connecting once are not charged to the steps. Starts its own sshd on 127.0.0.1 with generated
# keys (scripts/install-test-tools installs it). Target: runbook >= 10x faster per step.
#
#   bench/shell-on-100.sh [ROUNDS (3)]
#
# Each figure is the median of ROUNDS rounds; figures depend on the machine's load.
#
# Every command, ours and ssh's, starts the login shell of the user on the host, and bash run by
# sshd reads that user's ~/.bashrc; one that starts tools (pyenv, nvm, conda) costs more than
# everything measured here. So, run as root, the script logs in as a dedicated user with the
# stock ~/.bashrc (runbook-sshtest, which the ssh tests also use; created with useradd if need
# be); otherwise as the current user.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
rounds="${1:-${RUNS:-3}}"
"$root/scripts/install-test-tools"
ensure_built

work="$(mktemp -d)"
sshd_pid=""
cleanup() {
  if [ -n "$sshd_pid" ]; then kill "$sshd_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# Keys: the host's and the user's, made for this run.
ssh-keygen -q -N "" -t ed25519 -C bench-host -f "$work/host_ed25519"
ssh-keygen -q -N "" -t ed25519 -C bench-user -f "$work/user_ed25519"
cp "$work/user_ed25519.pub" "$work/authorized_keys"

# A free port: the first of a few random ones that nothing answers on.
port=""
for _ in $(seq 50); do
  p=$(( 20000 + RANDOM % 40000 ))
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then port=$p; break; fi
done
[ -n "$port" ] || { echo "bench: no free port found" >&2; exit 1; }

mkdir -p /run/sshd 2>/dev/null || true
cat >"$work/sshd_config" <<EOF
Port $port
ListenAddress 127.0.0.1
HostKey $work/host_ed25519
PidFile $work/sshd.pid
AuthorizedKeysFile $work/authorized_keys
StrictModes no
UsePAM no
PermitRootLogin yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
MaxSessions 30
MaxStartups 100
LogLevel ERROR
EOF
/usr/sbin/sshd -D -e -f "$work/sshd_config" 2>"$work/sshd.log" &
sshd_pid=$!
for _ in $(seq 200); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
  kill -0 "$sshd_pid" 2>/dev/null || { echo "bench: sshd did not start:" >&2; cat "$work/sshd.log" >&2; exit 1; }
  sleep 0.05
done
echo "[127.0.0.1]:$port $(cut -d' ' -f1,2 "$work/host_ed25519.pub")" >"$work/known_hosts"
user="$(id -un)"
if [ "$user" = root ]; then
  user=runbook-sshtest
  id "$user" >/dev/null 2>&1 || useradd -m -s /bin/bash "$user"
  # A new account is locked ("!" for a password), and sshd without PAM refuses locked accounts
  # even a key; "*" allows no password either, but is not locked.
  if [ "$(passwd -S "$user" | cut -d' ' -f2)" = L ]; then usermod -p '*' "$user"; fi
  # sshd reads authorized_keys as the user logging in.
  chmod 755 "$work"; chmod 644 "$work/authorized_keys"
fi

# runbook N: a runbook of N steps that each run `true` on the target.
gen() {
  {
    echo "apiVersion: runbook/v1"
    echo "name: shell-on-$1"
    echo "targets:"
    echo "  box: {ssh: {host: 127.0.0.1, port: $port, user: \"$user\", identityFile: \"$work/user_ed25519\", knownHosts: \"$work/known_hosts\"}}"
    echo "steps:"
    for i in $(seq "$1"); do
      echo "  - id: s$i"
      echo "    shell: {on: box, command: [\"true\"]}"
    done
  } >"$work/shell-on-$1.yaml"
}
gen 100
gen 200

ssh_true() {
  ssh -F /dev/null -o ControlMaster=no -o ControlPath=none -o BatchMode=yes -o StrictHostKeyChecking=yes \
      -o UserKnownHostsFile="$work/known_hosts" -o GlobalKnownHostsFile=/dev/null -o IdentitiesOnly=yes \
      -i "$work/user_ed25519" -p "$port" "$user@127.0.0.1" true
}
ssh_loop() { for _ in $(seq 100); do ssh_true; done; }
run_rb() { "$runbook" run "$work/shell-on-$1.yaml" --state-dir "$work/state" --no-color; }

# One unmeasured pass of each: the page cache, sshd's first fork, the runbook's archive.
ssh_true
run_rb 100 >/dev/null

for r in $(seq "$rounds"); do
  t0=$(now_ms); ssh_loop; t1=$(now_ms); echo $(( t1 - t0 )) >>"$work/ssh.ms"
  t0=$(now_ms); run_rb 100 >"$work/run.log"; t1=$(now_ms); echo $(( t1 - t0 )) >>"$work/rb100.ms"
  t0=$(now_ms); run_rb 200 >"$work/run.log"; t1=$(now_ms); echo $(( t1 - t0 )) >>"$work/rb200.ms"
  echo "round $r: 100 x ssh $(tail -1 "$work/ssh.ms") ms, runbook 100 steps $(tail -1 "$work/rb100.ms") ms, 200 steps $(tail -1 "$work/rb200.ms") ms"
done
grep -qi "^Result: succeeded" "$work/run.log" || { echo "bench: the runbook run did not succeed:" >&2; tail -5 "$work/run.log" >&2; exit 1; }

ssh_ms=$(median "$work/ssh.ms"); rb100=$(median "$work/rb100.ms"); rb200=$(median "$work/rb200.ms")
per_ssh=$(awk -v t="$ssh_ms" 'BEGIN { printf "%.2f", t / 100 }')
per_rb=$(awk -v a="$rb200" -v b="$rb100" 'BEGIN { d = (a - b) / 100; if (d < 0.01) d = 0.01; printf "%.2f", d }')
ratio=$(awk -v s="$per_ssh" -v r="$per_rb" 'BEGIN { printf "%.1f", s / r }')
echo "machine:                     $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg); logged in as $user"
echo "100 x ssh host true:         ${ssh_ms} ms (${per_ssh} ms a command)"
echo "runbook run, 100 / 200 steps: ${rb100} / ${rb200} ms (whole runs, JVM start included)"
echo "runbook, marginal per step:  ${per_rb} ms ((T200 - T100) / 100)"
echo "ratio ssh / runbook:         ${ratio}x  $(verdict 10 "$ratio") (target >= 10x)"
