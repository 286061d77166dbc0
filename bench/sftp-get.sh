#!/usr/bin/env bash
# How fast an sftp get of a large file is over loopback: OpenSSH's sftp client against
# runbook's (JSch, with JSch's default and with runbook's number of requests in flight).
# Starts its own sshd (scripts/install-test-tools installs it); the session, not the
# transfer, pays for connecting. Figures depend on the machine's load: compare within a run.
# Usage: bench/sftp-get.sh [MiB (256)] [rounds (3)]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-test-tools
mvn -q -B -DskipTests test-compile
mvn -q -B dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
"$(scripts/find-java)" -cp "target/classes:target/test-classes:$(cat target/bench-classpath.txt)" dev.runbook.ssh.SftpGetBench "$@"
