package dev.runbook.cli;

import dev.runbook.engine.ExitCodes;
import dev.runbook.engine.SimulatedWorld;
import dev.runbook.sandbox.Sandbox;
import dev.runbook.sandbox.SandboxException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code runbook sandbox DIR}: starts the simulated world of DIR on its own (SPEC 6.1), for trying
 * stubs and controllers by hand with kubectl or ssh, and runs until Ctrl-C or SIGTERM.
 */
@Command(name = "sandbox", mixinStandardHelpOptions = true,
        description = "Start the simulated world of DIR on its own and keep it running until Ctrl-C.")
public final class SandboxCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "The sandbox: cluster/, bin/, controllers/, hosts/, sandbox.yaml.")
    Path dir;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "Keep the world's copy here (reused when it exists) instead of a temporary folder removed at the end.")
    Path stateDir;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path source = SandboxRun.checked(dir);
        Path work = stateDir != null ? stateDir.toAbsolutePath().normalize()
                : Files.createTempDirectory("runbook-sandbox-");
        Files.createDirectories(work);
        CountDownLatch stop = new CountDownLatch(1);
        Interrupts interrupts = Interrupts.install(stop::countDown, m -> { });
        Sandbox sandbox;
        try {
            sandbox = Sandbox.start(source, work, write -> {
                out.println("write: " + write.verb() + " " + write.resource()
                        + (write.subresource() != null ? "/" + write.subresource() : "") + " "
                        + (write.namespace() != null ? write.namespace() + "/" : "") + write.name());
                out.flush();
            });
        } catch (SandboxException e) {
            interrupts.close();
            throw new ExitException(ExitCodes.INVALID, "runbook: " + e.getMessage());
        }
        try (sandbox) {
            out.println("Sandbox " + source + " is running; its world is " + sandbox.root());
            out.println("export KUBECONFIG=" + sandbox.kubeconfig());
            out.println("export RUNBOOK_SANDBOX=" + sandbox.root());
            out.println("API server: " + sandbox.apiServerUrl() + " (namespace " + sandbox.namespace() + ")");
            for (java.util.Map.Entry<String, SimulatedWorld.SshEndpoint> e : sandbox.sshHosts().entrySet()) {
                SimulatedWorld.SshEndpoint h = e.getValue();
                out.println("SSH host " + e.getKey() + ": ssh -p " + h.port() + " any-user@" + h.host() + "   known_hosts: "
                        + h.knownHostsLine());
            }
            if (Files.isRegularFile(sandbox.root().getParent().resolve(Sandbox.CONTROLLERS_LOG))) {
                out.println("Controllers' output: " + sandbox.root().getParent().resolve(Sandbox.CONTROLLERS_LOG));
            }
            out.println("Press Ctrl-C to stop.");
            out.flush();
            try {
                stop.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            out.println("Stopping the sandbox.");
            out.flush();
        } finally {
            interrupts.close();
            if (stateDir == null) {
                deleteQuietly(work);
            }
        }
        return interrupts.signal() != null ? ExitCodes.INTERRUPTED : ExitCodes.OK;
    }

    private static void deleteQuietly(Path work) {
        try (var paths = Files.walk(work)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind is harmless
        }
    }
}
