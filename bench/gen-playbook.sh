#!/usr/bin/env bash
# Prints an Ansible playbook of N tasks (N a multiple of 5) on stdout: the same blocks of five
# as bench/gen-runbook.sh (a kubectl query, a listing of backup files on the backup host, an
# assertion over both, the restore command and a report script), written with ansible-core's
# builtin modules so that `ansible-playbook --syntax-check` needs no collection.
set -euo pipefail
n="${1:?usage: gen-playbook.sh TASKS}"
blocks=$(( (n + 4) / 5 ))
cat <<HEAD
- name: Generated playbook with $n tasks
  hosts: localhost
  gather_facts: false
  vars:
    namespace: apic
    backupId: "1700000000"
    backupHost: backups.example.com
    backupPath: /backups
    dr: false
    backupPrefix: "{{ backupId }}-"
  tasks:
HEAD
awk -v blocks="$blocks" 'BEGIN {
  for (b = 1; b <= blocks; b++) {
    printf "    - name: Cassandra pods of cluster %d\n", b
    printf "      ansible.builtin.command: kubectl get pods -l app=cassandra,cluster=c%d -o json\n", b
    printf "      register: pods_%d\n", b
    printf "      changed_when: false\n"
    printf "    - name: files-%d\n", b
    printf "      ansible.builtin.find:\n"
    printf "        paths: \"{{ backupPath }}/c%d\"\n", b
    printf "        patterns: \"{{ backupPrefix }}*\"\n"
    printf "      delegate_to: \"{{ backupHost }}\"\n"
    printf "      register: files_%d\n", b
    printf "    - name: match-%d\n", b
    printf "      ansible.builtin.assert:\n"
    printf "        that: \"files_%d.files | length == (pods_%d.stdout | from_json)[\x27items\x27] | length\"\n", b, b
    printf "        fail_msg: One backup file per Cassandra pod of cluster %d is needed\n", b
    printf "    - name: restore-%d\n", b
    printf "      ansible.builtin.command: apicup subsys exec mgmt-%d restore {{ backupId }}\n", b
    printf "      when: not dr or %d > 0\n", b
    printf "    - name: report-%d\n", b
    printf "      ansible.builtin.shell: |\n"
    printf "        echo restored {{ backupId }} into {{ namespace }}\n"
    printf "        echo pods: {{ (pods_%d.stdout | from_json)[\x27items\x27] | map(attribute=\x27metadata.name\x27) | join(\x27, \x27) }}\n", b
    printf "      changed_when: false\n"
  }
}'
