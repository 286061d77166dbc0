package dev.runbook.actions.kubectl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.actions.ActionTypes;
import dev.runbook.engine.ActionException;
import dev.runbook.engine.Engine;
import dev.runbook.engine.RunOptions;
import dev.runbook.engine.RunOutcome;
import dev.runbook.engine.SimulatedWorld;
import dev.runbook.kube.KubeValues;
import dev.runbook.lang.CheckedRunbook;
import dev.runbook.lang.RunbookLoader;
import dev.runbook.sandbox.kube.SandboxApiServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Where a kubectl step connects (SPEC 1), and in a sandbox run (SPEC 6.1). */
@Timeout(60)
class KubeTargetsTest {
    @TempDir
    Path dir;
    private KubeRunbooks world;

    @BeforeEach
    void start() {
        world = new KubeRunbooks(dir, SandboxApiServer.Options.defaults());
    }

    @AfterEach
    void stop() throws Exception {
        world.close();
    }

    /** The simulated world as a sandbox run offers it: its kubeconfig (context sandbox) and namespace. */
    private SimulatedWorld simulated(Path kubeconfig) {
        return new SimulatedWorld() {
            public Path root() {
                return dir.resolve("world");
            }

            public Path kubeconfig() {
                return kubeconfig;
            }

            public String namespace() {
                return "apiconnect";
            }

            public SshEndpoint sshHost(String host) throws ActionException {
                throw new ActionException("no hosts here");
            }

            public Map<String, String> processEnvironment() {
                return Map.of();
            }
        };
    }

    @Test
    void targetsConnectThroughTheWorldAndItsNamespaceIsOnlyTheDefault() {
        // The world's kubeconfig says namespace default: the world's namespace() must win over it.
        Path kubeconfig = dir.resolve("world-kubeconfig");
        world.server.writeKubeconfig(kubeconfig, "default");
        CheckedRunbook checked = RunbookLoader.parse("sandboxed.yaml", """
                apiVersion: runbook/v1
                name: sandboxed
                targets:
                  prod: {kubernetes: {kubeconfig: /nowhere/kubeconfig, context: prod-east}}
                  other: {kubernetes: {context: elsewhere, namespace: default}}
                defaults: {target: prod}
                steps:
                  - id: cc
                    kubectl: {get: cc, name: apiconnect-cc}
                  - id: marker
                    kubectl:
                      on: other
                      apply: {apiVersion: v1, kind: ConfigMap, metadata: {name: marker}}
                """, ActionTypes.standard());
        RunOptions options = RunOptions.builder().stateDir(dir.resolve("state")).world(simulated(kubeconfig)).build();
        RunOutcome outcome = new Engine(checked, Map.of(), options, List.of()).run();
        assertThat(outcome.exitCode()).as(outcome.message()).isZero();
        assertThat(KubeValues.at(world.client().get("configmaps", "marker", "default", null, null), "metadata.namespace"))
                .as("the target's own namespace still applies").isEqualTo("default");
    }

    @Test
    void withoutTargetsTheCurrentContextOfTheRunsKubeconfigIsUsedWithDefaultsNamespace() {
        CheckedRunbook checked = RunbookLoader.parse("current.yaml", """
                apiVersion: runbook/v1
                name: current
                defaults: {namespace: default}
                steps:
                  - id: marker
                    kubectl:
                      apply: {apiVersion: v1, kind: ConfigMap, metadata: {name: from-current-context}}
                """, ActionTypes.standard());
        Map<String, String> env = new java.util.HashMap<>(System.getenv());
        env.put("KUBECONFIG", dir.resolve("absent").toString() + java.io.File.pathSeparator + world.kubeconfig);
        RunOptions options = RunOptions.builder().stateDir(dir.resolve("state")).env(env).build();
        RunOutcome outcome = new Engine(checked, Map.of(), options, List.of()).run();
        assertThat(outcome.exitCode()).as(outcome.message()).isZero();
        assertThat(world.client().get("configmaps", "from-current-context", "default", null, null)).containsKey("metadata");
    }
}
