package dev.runbook.sandbox.kube;

import java.nio.file.Path;

/** A child process serving a world until it is killed: prints {@code URL <url>} once it listens. */
public final class ServeWorld {
    private ServeWorld() {
    }

    public static void main(String[] args) throws InterruptedException {
        SandboxApiServer server = SandboxApiServer.start(Path.of(args[0]),
                SandboxApiServer.Options.defaults().withNamespace("apiconnect"));
        System.out.println("URL " + server.url());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
