#!/usr/bin/env bash
# Prints how long a durable journal append takes (write + force, paid twice per step) and how
# long reading a large run's journal takes. Figures depend on the disk under DIR.
# Usage: bench/journal.sh [DIR (default target/bench)] [APPENDS (2000)] [STEPS (20000)]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -DskipTests test-compile
mvn -q -B dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
java -cp "target/classes:target/test-classes:$(cat target/bench-classpath.txt)" dev.runbook.journal.JournalBench "$@"
