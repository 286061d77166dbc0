package dev.runbook.actions.file;

import dev.runbook.actions.Outputs;
import dev.runbook.engine.ActionContext;
import dev.runbook.engine.ActionException;
import dev.runbook.engine.ActionHandler;
import dev.runbook.engine.Invocation;
import dev.runbook.expr.Renderer;
import dev.runbook.lang.SourceFiles;
import dev.runbook.lang.model.Action;
import dev.runbook.lang.model.Step;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * A file on this machine. {@code write} renders {@code content} (text, or a value written as
 * YAML or JSON) and replaces the file atomically: a reader never sees half a file, and with
 * {@code mode} the content is never readable by others, not even for a moment. {@code read}
 * returns the text, its lines, and with {@code parse: json|yaml} the document.
 */
public final class FileHandler implements ActionHandler {
    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    private static final Set<PosixFilePermission> DEFAULT_MODE = PosixFilePermissions.fromString("rw-r--r--");

    @Override
    public Invocation prepare(Step step, ActionContext ctx) throws ActionException {
        Action.FileOp f = (Action.FileOp) step.action();
        String path = ctx.string(f.path(), f.op());
        if (path == null || path.isBlank()) {
            throw new ActionException("file " + f.op() + ": the path is empty");
        }
        if (f.op().equals("read")) {
            return read(path, ctx.localPath(path), f.parse() == null ? "text" : f.parse());
        }
        Object content = ctx.render(f.content(), "content");
        String text = format(content, f.format() == null ? "text" : f.format());
        Set<PosixFilePermission> mode = f.mode() == null ? null : mode(f.mode());
        return new Invocation() {
            @Override
            public Object describe() {
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("write", path);
                d.put("format", f.format() == null ? "text" : f.format());
                if (f.mode() != null) {
                    d.put("mode", f.mode());
                }
                d.put("content", text);
                return d;
            }

            @Override
            public Object run(ActionContext c) throws ActionException {
                long bytes = write(c.localPath(path), path, text, mode);
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("path", path);
                r.put("bytes", bytes);
                return r;
            }
        };
    }

    /** {@code path} as written (shown in messages and the result), {@code at} where it is (against the run's working directory). */
    private static Invocation read(String path, Path at, String parse) {
        return new Invocation() {
            @Override
            public Object describe() {
                return Map.of("read", path);
            }

            @Override
            public Object run(ActionContext c) throws ActionException {
                String text;
                try {
                    // Bounded, and regular files only: /dev/zero or a FIFO would never end.
                    text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(SourceFiles.read(at)))
                            .toString();
                } catch (SourceFiles.Refused e) {
                    throw new ActionException("cannot read '" + path + "': " + e.getMessage());
                } catch (java.nio.charset.CharacterCodingException e) {
                    throw new ActionException("cannot read '" + path + "': it is not UTF-8 text");
                } catch (NoSuchFileException e) {
                    throw new ActionException("cannot read '" + path + "': no such file");
                } catch (AccessDeniedException e) {
                    throw new ActionException("cannot read '" + path + "': permission denied");
                } catch (IOException e) {
                    throw new ActionException("cannot read '" + path + "': " + e.getMessage());
                }
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("path", path);
                r.put("content", text);
                r.put("lines", Outputs.lines(text));
                Outputs.parse(text, parse, "'" + path + "'", r);
                return r;
            }
        };
    }

    /** The text written for {@code content} in {@code format}. */
    static String format(Object content, String format) throws ActionException {
        switch (format) {
            case "yaml" -> {
                DumpSettings s = DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK).setIndent(2)
                        .setDereferenceAliases(true).setWidth(120).build();
                return new Dump(s).dumpToString(content);
            }
            case "json" -> {
                return JSON.writeValueAsString(content) + "\n";
            }
            default -> {
                if (content instanceof Map || content instanceof List) {
                    throw new ActionException("content is " + (content instanceof Map ? "a map" : "a list")
                            + ": give format: yaml or format: json to write it");
                }
                return content == null ? "" : Renderer.format(content);
            }
        }
    }

    static Set<PosixFilePermission> mode(String mode) throws ActionException {
        int m;
        try {
            m = Integer.parseInt(mode, 8);
        } catch (NumberFormatException e) {
            throw new ActionException("mode '" + mode + "' is not an octal file mode such as \"0600\"");
        }
        Set<PosixFilePermission> out = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
        for (int i = 0; i < order.length; i++) {
            if ((m & (1 << i)) != 0) {
                out.add(order[i]);
            }
        }
        return out;
    }

    /** Symbolic links a path may go through before the write gives up, as the kernel's ELOOP. */
    private static final int MAX_LINKS = 40;

    /**
     * Where a write to {@code path} lands: through every symbolic link to its target, as a
     * shell's {@code >} does. Renaming over the link itself would cut it (a managed
     * /etc/resolv.conf would stop following its target) and leave the target unchanged. A link
     * whose target does not exist yet leads to that new file.
     */
    static Path followLinks(Path path, String shown) throws ActionException {
        Path p = path.toAbsolutePath();
        for (int i = 0; i < MAX_LINKS; i++) {
            if (!Files.isSymbolicLink(p)) {
                return p;
            }
            try {
                p = p.getParent().resolve(Files.readSymbolicLink(p)).normalize();
            } catch (IOException e) {
                throw new ActionException("cannot write '" + shown + "': cannot read the link " + p + ": " + e.getMessage());
            }
        }
        throw new ActionException("cannot write '" + shown + "': too many levels of symbolic links");
    }

    /**
     * Only a regular file is replaced. A device, FIFO or socket is never opened (a FIFO would
     * block until someone reads it) nor replaced by a plain file, which would break whatever
     * uses it; a directory cannot be.
     */
    private static void refuseSpecialFile(Path path, String shown, Path target) throws ActionException {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return; // a new file
        } catch (IOException e) {
            throw new ActionException("cannot write '" + shown + "': " + e.getMessage());
        }
        if (!attrs.isRegularFile()) {
            String through = target.equals(path.toAbsolutePath()) ? "" : " (through a link to " + target + ")";
            throw new ActionException("cannot write '" + shown + "'" + through + ": it is " + SourceFiles.kind(target, attrs)
                    + ", not a regular file");
        }
    }

    /**
     * Writes through a temporary file in the same directory, created with no access for others
     * (and then given {@code mode}), flushed to disk, then moved over the target in one step.
     * Without a mode, an existing file keeps its permissions and a new one gets rw-r--r--.
     * {@code shown}: the path as the step wrote it, for messages.
     */
    static long write(Path path, String shown, String text, Set<PosixFilePermission> mode) throws ActionException {
        Path target = followLinks(path, shown);
        Path dir = target.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new ActionException("cannot write '" + shown + "': directory '" + dir + "' does not exist");
        }
        refuseSpecialFile(path, shown, target);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        Path tmp = null;
        try {
            Set<PosixFilePermission> finalMode = mode;
            if (finalMode == null) {
                finalMode = Files.exists(target) ? Files.getPosixFilePermissions(target) : DEFAULT_MODE;
            }
            tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            Files.setPosixFilePermissions(tmp, finalMode);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            tmp = null;
            return bytes.length;
        } catch (AccessDeniedException e) {
            throw new ActionException("cannot write '" + shown + "': permission denied");
        } catch (IOException | UnsupportedOperationException e) {
            throw new ActionException("cannot write '" + shown + "': " + e.getMessage());
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    // best effort: the temporary file is hidden and named after the target
                }
            }
        }
    }
}
