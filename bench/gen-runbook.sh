#!/usr/bin/env bash
# Prints a generated runbook of N steps (N a multiple of 5) on stdout. The steps repeat one
# block of five in the style of the flagship restore: a kubectl get with a capture, an sftp
# list with a capture, an assert that reads both outputs, an apicup restore and a shell script
# that reads an earlier output. Ids, the step references and some literals carry the block
# number, so that most expressions differ from block to block as in a hand-written file.
set -euo pipefail
n="${1:?usage: gen-runbook.sh STEPS}"
blocks=$(( (n + 4) / 5 ))
cat <<HEAD
apiVersion: runbook/v1
name: generated-$n
title: Generated runbook with $n steps
description: |
  A generated runbook for measuring the speed of validate and plan on large files.
params:
  namespace:    {description: Namespace of the management subsystem, default: apic}
  backupId:     {type: string, pattern: '^[0-9]+\$', default: '1700000000'}
  backupHost:   {description: SFTP host that holds the backup files, default: backups.example.com}
  backupPath:   {default: /backups}
  dr:           {type: boolean, default: false}
  sftpPassword: {type: string, secret: true}
vars:
  backupPrefix: "\${{ params.backupId }}-"
targets:
  backups:      {ssh: {host: "\${{ params.backupHost }}", user: apicbackup, password: "\${{ params.sftpPassword }}"}}
  cluster:      {kubernetes: {context: prod-east, namespace: "\${{ params.namespace }}"}}
defaults:       {timeout: 10m}
steps:
HEAD
awk -v blocks="$blocks" 'BEGIN {
  for (b = 1; b <= blocks; b++) {
    printf "  - id: pods-%d\n", b
    printf "    title: Cassandra pods of cluster %d\n", b
    printf "    kubectl: {get: pods, selector: \"app=cassandra,cluster=c%d\"}\n", b
    printf "    capture:\n"
    printf "      names: \"${{ result.items.map(p, p.metadata.name) }}\"\n"
    printf "  - id: files-%d\n", b
    printf "    sftp: {on: backups, list: \"${{ params.backupPath }}/c%d\"}\n", b
    printf "    capture:\n"
    printf "      files: \"${{ result.files.filter(f, f.name.startsWith(vars.backupPrefix)).map(f, f.name) }}\"\n"
    printf "  - id: match-%d\n", b
    printf "    assert:\n"
    printf "      that: \"${{ size(steps[\x27files-%d\x27].outputs.files) == size(steps[\x27pods-%d\x27].outputs.names) }}\"\n", b, b
    printf "      message: \"One backup file per Cassandra pod of cluster %d is needed\"\n", b
    printf "  - id: restore-%d\n", b
    printf "    when: \"!params.dr || %d > 0\"\n", b
    printf "    apicup: {args: [subsys, exec, \"mgmt-%d\", restore, \"${{ params.backupId }}\"]}\n", b
    printf "  - id: report-%d\n", b
    printf "    needs: [restore-%d]\n", b
    printf "    shell:\n"
    printf "      script: |\n"
    printf "        echo restored ${{ params.backupId }} into ${{ params.namespace }}\n"
    printf "        echo pods: ${{ steps[\x27pods-%d\x27].outputs.names.join(\x27, \x27) }}\n", b
    printf "    mutates: false\n"
  }
}'
