package dev.runbook.journal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.lang.model.Runbook;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DefinitionHashTest {
    private static Map<String, String> hashes(String yaml) {
        Map<String, String> out = new LinkedHashMap<>();
        for (StepDef d : DefinitionHash.defs(Fixtures.runbook(yaml))) {
            out.put(d.id(), d.sha256());
        }
        return out;
    }

    @Test
    void formattingCommentsAndKeyOrderLeaveEveryStepHashAlone() {
        String reformatted = """
                # A comment at the top, and the keys of 'pods' in another order, flow style turned block.
                apiVersion: runbook/v1
                name: restore-demo
                title: A different title changes no step
                params:
                  namespace:
                    default: apic
                  backupId: {type: string, default: '123'}
                  password: {type: string, secret: true}
                defaults: {timeout: 10m}
                steps:
                  - id: traffic-stopped
                    title: "Stop traffic"     # same title, quoted
                    prompt:
                      message: Is traffic stopped?
                  - id: token
                    prompt: {message: "Token?", type: secret}
                  - capture:
                      names: "${{ result.items.map(p, p.metadata.name) }}"
                    kubectl:
                      namespace: "${{ params.namespace }}"
                      selector: app=cassandra
                      get: pods
                    id: pods
                  - id: creds
                    sensitive: true
                    shell: {command: [cat, /etc/creds]}
                    capture:
                      key: "${{ result.stdout }}"
                  - id: section
                    title: The restore
                    group:
                      steps:
                        - id: restore
                          shell:
                            command:
                              - apicup
                              - subsys
                              - exec
                              - mgmt
                              - restore
                              - "${{ params.backupId }}"
                        - id: verify
                          assert:
                            that: "${{ size(steps.pods.outputs.names) > 0 }}"
                onFailure:
                  - id: diagnostics
                    kubectl: {get: cassandraclusters}
                """;
        assertThat(hashes(reformatted)).isEqualTo(hashes(Fixtures.RUNBOOK));
        assertThat(hashes(Fixtures.RUNBOOK).values()).allMatch(h -> h.matches("[0-9a-f]{64}"));
    }

    @Test
    void editingAStepChangesItsHashOnly() {
        String edited = Fixtures.RUNBOOK.replace("selector: \"app=cassandra\"", "selector: \"app=cassandra,tier=db\"");
        Map<String, String> before = hashes(Fixtures.RUNBOOK);
        Map<String, String> after = hashes(edited);
        for (String id : before.keySet()) {
            if (id.equals("pods")) {
                assertThat(after.get(id)).isNotEqualTo(before.get(id));
            } else {
                assertThat(after.get(id)).as(id).isEqualTo(before.get(id));
            }
        }
    }

    @Test
    void editingAGroupMemberDoesNotMarkTheGroupChanged() {
        String edited = Fixtures.RUNBOOK.replace("restore, \"${{ params.backupId }}\"]", "restore, \"${{ params.backupId }}\", --force]");
        DefinitionHash.Changes c = DefinitionHash.diff(DefinitionHash.defs(Fixtures.runbook()), DefinitionHash.defs(Fixtures.runbook(edited)));
        assertThat(c.changed()).containsExactly("restore");
        assertThat(c.firstChanged()).isEqualTo("restore");
        String retitled = Fixtures.RUNBOOK.replace("title: The restore", "title: The restore itself");
        assertThat(DefinitionHash.diff(DefinitionHash.defs(Fixtures.runbook()), DefinitionHash.defs(Fixtures.runbook(retitled))).changed())
                .containsExactly("section");
    }

    @Test
    void diffNamesNewAndRemovedStepsInOrder() {
        String edited = Fixtures.RUNBOOK
                .replace("  - id: token\n    prompt: {message: \"Token?\", type: secret}\n", "")
                .replace("  - id: creds\n", "  - id: check-disk\n    assert: {that: \"${{ true }}\"}\n  - id: creds\n");
        DefinitionHash.Changes c = DefinitionHash.diff(DefinitionHash.defs(Fixtures.runbook()), DefinitionHash.defs(Fixtures.runbook(edited)));
        assertThat(c.changed()).containsExactly("check-disk");
        assertThat(c.removed()).containsExactly("token");
        assertThat(c.isEmpty()).isFalse();
        assertThat(DefinitionHash.diff(DefinitionHash.defs(Fixtures.runbook()), DefinitionHash.defs(Fixtures.runbook())).isEmpty()).isTrue();
    }

    @Test
    void contextHashFollowsDefaultsAndParamsButNotTitles() {
        Runbook rb = Fixtures.runbook();
        String base = DefinitionHash.context(rb);
        assertThat(DefinitionHash.context(Fixtures.runbook(Fixtures.RUNBOOK.replace("timeout: 10m", "timeout: 20m")))).isNotEqualTo(base);
        assertThat(DefinitionHash.context(Fixtures.runbook(Fixtures.RUNBOOK.replace("default: apic", "default: apic2")))).isNotEqualTo(base);
        assertThat(DefinitionHash.context(Fixtures.runbook(Fixtures.RUNBOOK.replace("title: Restore the demo database", "title: Other"))))
                .isEqualTo(base);
    }

    @Test
    void defsKeepExecutionOrderGroupsAndOnFailure() {
        List<StepDef> defs = DefinitionHash.defs(Fixtures.runbook());
        assertThat(defs).extracting(StepDef::id)
                .containsExactly("traffic-stopped", "token", "pods", "creds", "section", "restore", "verify", "diagnostics");
        assertThat(defs.get(5).group()).isEqualTo("section");
        assertThat(defs.get(7).onFailure()).isTrue();
        assertThat(defs.get(0).title()).isEqualTo("Stop traffic");
    }

    @Test
    void textHashIsTheSha256OfTheText() {
        assertThat(DefinitionHash.ofText("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void runIdsSortByTimeReadWellAndRejectPaths() {
        Instant t = Instant.parse("2026-11-23T03:15:00Z");
        String id = RunIds.next("restore-k8s", t);
        assertThat(id).matches("20261123-031500-restore-k8s-[0-9a-f]{4}");
        assertThat(RunIds.isValid(id)).isTrue();
        assertThat(RunIds.next("x", t.plusSeconds(1))).isGreaterThan(id);
        assertThat(RunIds.next("a", Instant.parse("2027-01-01T00:00:00Z"))).isGreaterThan(RunIds.next("zzz", t));
        assertThat(RunIds.isValid("../20261123-031500-x-0a0b")).isFalse();
        assertThat(RunIds.isValid("20261123-031500-x-0a0b/..")).isFalse();
        assertThat(RunIds.next("A".repeat(100) + " Weird!Name", t)).matches("20261123-031500-a{40}-[0-9a-f]{4}");
    }
}
