package dev.runbook.sandbox.ssh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Every simulated SSH host of a sandbox: one per folder {@code hosts/HOST/}, each on its own
 * port of 127.0.0.1, all stopped together by {@link #close()}.
 */
public final class SandboxSshHosts implements AutoCloseable {
    private final Path hostsDir;
    private final Map<String, SandboxSshHost> byName;

    private SandboxSshHosts(Path hostsDir, Map<String, SandboxSshHost> byName) {
        this.hostsDir = hostsDir;
        this.byName = Collections.unmodifiableMap(byName);
    }

    /** Starts one host per subfolder of {@code hostsDir} (the sandbox's {@code hosts/}), with default options. */
    public static SandboxSshHosts startAll(Path hostsDir, CommandAnswers answers) throws SandboxSshException {
        return startAll(hostsDir, answers, SandboxSshHost.Options.DEFAULTS);
    }

    /**
     * Starts one host per subfolder of {@code hostsDir}. A missing {@code hostsDir} means a
     * sandbox without SSH hosts, not an error: a runbook that uses none needs none. The port in
     * {@code options} is ignored: each host takes a free one.
     */
    public static SandboxSshHosts startAll(Path hostsDir, CommandAnswers answers, SandboxSshHost.Options options)
            throws SandboxSshException {
        Objects.requireNonNull(hostsDir, "hostsDir");
        SandboxSshHost.Options anyPort = new SandboxSshHost.Options(0, options.idleTimeout(), options.ioThreads());
        Map<String, SandboxSshHost> started = new LinkedHashMap<>();
        try {
            for (Path folder : hostFolders(hostsDir)) {
                String name = folder.getFileName().toString();
                started.put(name, SandboxSshHost.start(name, folder, answers, anyPort));
            }
        } catch (SandboxSshException | RuntimeException e) {
            started.values().forEach(SandboxSshHost::close);
            throw e;
        }
        return new SandboxSshHosts(hostsDir, started);
    }

    private static List<Path> hostFolders(Path hostsDir) throws SandboxSshException {
        if (!Files.exists(hostsDir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(hostsDir)) {
            return entries.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new SandboxSshException("sandbox: cannot list the simulated hosts in " + hostsDir + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * The running host named {@code hostName}. Host names are compared without regard to case,
     * as DNS does, when no folder has the exact name.
     *
     * @throws SandboxSshException naming the folder to create when there is no such host
     */
    public SandboxSshHost host(String hostName) throws SandboxSshException {
        return find(hostName).orElseThrow(() -> new SandboxSshException("sandbox: no simulated host '"
                + hostName + "': create the folder " + hostsDir.resolve(hostName) + "/"));
    }

    /** The running host named {@code hostName}, if the sandbox has one. */
    public Optional<SandboxSshHost> find(String hostName) {
        SandboxSshHost exact = byName.get(hostName);
        if (exact != null) {
            return Optional.of(exact);
        }
        String wanted = hostName.toLowerCase(Locale.ROOT);
        return byName.entrySet().stream()
                .filter(e -> e.getKey().toLowerCase(Locale.ROOT).equals(wanted))
                .map(Map.Entry::getValue)
                .findFirst();
    }

    /** Host name to running host, in folder name order. */
    public Map<String, SandboxSshHost> all() {
        return byName;
    }

    /** The folder holding one folder per host. */
    public Path hostsDir() {
        return hostsDir;
    }

    @Override
    public void close() {
        byName.values().forEach(SandboxSshHost::close);
    }
}
