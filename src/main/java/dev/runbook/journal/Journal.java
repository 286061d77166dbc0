package dev.runbook.journal;

import dev.runbook.secrets.Redactor;
import java.io.Closeable;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * The append-only journal of a run: {@code journal.jsonl}, one JSON object per line.
 *
 * <p>Each line is {@code {"seq":N,"type":...,...,"crc":"xxxxxxxx"}}: {@code seq} counts lines
 * from 1, and {@code crc} is the CRC-32 (8 lower-case hex digits) of the line's UTF-8 bytes
 * before {@code ,"crc":}. An append returns only once its line is on disk (write, then
 * {@code fsync}); a new file's directory entry is made durable too. So after a
 * crash or a power loss every record whose append returned is there, and at most the last
 * line, the one being written, can be torn: the reader reports that as a warning and ignores
 * it. Any other damage is an error naming the file and line.
 *
 * <p>Every string written (map keys too) goes through the run's {@link Redactor} first: the
 * callers redact already, this is the second lock on the door.
 */
public final class Journal implements Closeable {
    public static final String FILE_NAME = "journal.jsonl";
    private static final byte[] CRC_KEY = ",\"crc\":\"".getBytes(StandardCharsets.US_ASCII);
    /** {@code ,"crc":"} + 8 hex digits + {@code "}}. */
    private static final int CRC_TAIL = CRC_KEY.length + 8 + 2;

    private final Path file;
    private final Redactor redactor;
    private final RandomAccessFile out;
    private long end;
    private long seq;
    private boolean closed;

    private Journal(Path file, Redactor redactor, RandomAccessFile out, long end, long seq) {
        this.file = file;
        this.redactor = redactor == null ? new Redactor() : redactor;
        this.out = out;
        this.end = end;
        this.seq = seq;
    }

    /** Creates a new, empty journal; fails if the file exists (a run id is used once). */
    public static Journal create(Path file, Redactor redactor) {
        try {
            Files.createFile(file);
            RandomAccessFile out = new RandomAccessFile(file.toFile(), "rw");
            Durable.syncDirectory(file.toAbsolutePath().getParent());
            return new Journal(file, redactor, out, 0, 0);
        } catch (FileAlreadyExistsException e) {
            throw new JournalException("cannot create the journal " + file + ": it exists already");
        } catch (IOException e) {
            throw new JournalException("cannot create the journal " + file + ": " + reason(e), e);
        }
    }

    /**
     * Opens an existing journal to continue it (a resume). A torn last record is cut off first,
     * so that it never ends up in the middle of the file; any other damage is an error.
     */
    public static Journal continueAt(Path file, Redactor redactor) {
        JournalContents c = read(file);
        try {
            RandomAccessFile out = new RandomAccessFile(file.toFile(), "rw");
            long end = c.validLength();
            if (out.length() != end) {
                out.setLength(end);
            }
            if (end > 0 && !endsWithNewline(file, end)) {
                // The last record is whole but its newline was cut: finish the line.
                out.seek(end);
                out.write('\n');
                end++;
            }
            out.getFD().sync();
            return new Journal(file, redactor, out, end, c.lines());
        } catch (IOException e) {
            throw new JournalException("cannot open the journal " + file + " to continue it: " + reason(e), e);
        }
    }

    public Path file() {
        return file;
    }

    /** How many lines the journal holds: the last record written has this {@code seq}. */
    public synchronized long lines() {
        return seq;
    }

    /**
     * Writes one record and returns once it is on disk. The file is written through a
     * {@link RandomAccessFile}, not a {@code FileChannel}: a channel is closed under a thread
     * whose interrupt flag is set, and the engine interrupts a step's thread on Ctrl-C just
     * before that thread records the step. A plain file descriptor ignores interrupts.
     */
    public synchronized void append(JournalRecord record) {
        if (closed) {
            throw new JournalException("the journal " + file + " is closed: nothing may be recorded after the run finished");
        }
        byte[] line = encode(seq + 1, record, redactor);
        try {
            out.seek(end);
            out.write(line);
            out.getFD().sync();
            seq++;
            end += line.length;
        } catch (IOException e) {
            throw new JournalException("cannot write to the journal " + file + ": " + reason(e)
                    + ". The run stops here: a step whose start is not on disk must not run.", e);
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        try {
            out.close();
        } catch (IOException e) {
            // Every record was forced when it was appended: nothing is lost by a failed close.
        }
    }

    /** One line: the record's JSON with seq first and the checksum last, then a newline. */
    static byte[] encode(long seq, JournalRecord record, Redactor redactor) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seq", seq);
        for (Map.Entry<String, Object> e : record.fields().entrySet()) {
            if (e.getValue() != null) {
                m.put(e.getKey(), e.getValue());
            }
        }
        String json = Json.write(Json.plain(m, redactor));
        byte[] body = json.substring(0, json.length() - 1).getBytes(StandardCharsets.UTF_8);
        CRC32 crc = new CRC32();
        crc.update(body);
        byte[] tail = (",\"crc\":\"" + String.format("%08x", crc.getValue()) + "\"}\n").getBytes(StandardCharsets.US_ASCII);
        byte[] line = new byte[body.length + tail.length];
        System.arraycopy(body, 0, line, 0, body.length);
        System.arraycopy(tail, 0, line, body.length, tail.length);
        return line;
    }

    /**
     * Reads a journal. A torn or damaged last line is left out with a warning; damage anywhere
     * else, or a file that is not a journal at all, is a {@link JournalException} naming the line.
     */
    public static JournalContents read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new JournalException("the journal " + file + " does not exist");
        } catch (IOException e) {
            throw new JournalException("cannot read the journal " + file + ": " + reason(e), e);
        }
        return parse(file, bytes);
    }

    static JournalContents parse(Path file, byte[] bytes) {
        List<JournalRecord> records = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        int lines = 0;
        long valid = 0;
        int start = 0;
        int lineNo = 0;
        while (start < bytes.length) {
            int nl = indexOf(bytes, (byte) '\n', start);
            boolean last = nl < 0 || nl == bytes.length - 1;
            int stop = nl < 0 ? bytes.length : nl;
            lineNo++;
            String problem = null;
            JournalRecord record = null;
            try {
                Map<String, Object> m = decodeLine(bytes, start, stop, lineNo);
                record = RecordCodec.decode(m);
            } catch (LineProblem p) {
                problem = p.getMessage();
            } catch (RecordCodec.UnknownType u) {
                warnings.add(file + ": line " + lineNo + ": a record of unknown type '" + u.getMessage()
                        + "' (written by a newer runbook?) was skipped");
            } catch (IllegalArgumentException e) {
                problem = "the record is not one this program writes: " + e.getMessage();
            }
            if (problem != null) {
                if (last) {
                    warnings.add(file + ": line " + lineNo + ": the last record is incomplete or damaged (" + problem
                            + "); it was being written when the process stopped, and is ignored");
                    break;
                }
                throw new JournalException(damaged(file, lineNo, problem, bytes));
            }
            if (record != null) {
                if (records.isEmpty() && !(record instanceof JournalRecord.RunStarted)) {
                    throw new JournalException(file + ": line " + lineNo + ": the journal does not begin with a run-started record:"
                            + " this is not a runbook journal, or its beginning was lost");
                }
                if (!records.isEmpty() && record instanceof JournalRecord.RunStarted) {
                    throw new JournalException(file + ": line " + lineNo + ": a second run-started record:"
                            + " two journals were joined into one file");
                }
                records.add(record);
            }
            lines++;
            valid = nl < 0 ? bytes.length : nl + 1;
            start = nl < 0 ? bytes.length : nl + 1;
        }
        return new JournalContents(file, records, warnings, valid, lines);
    }

    private static String damaged(Path file, int lineNo, String problem, byte[] bytes) {
        int total = 0;
        for (byte b : bytes) {
            if (b == '\n') {
                total++;
            }
        }
        if (bytes.length > 0 && bytes[bytes.length - 1] != '\n') {
            total++;
        }
        return file + ": line " + lineNo + " of " + total + ": damaged record: " + problem + ". Only the last record can be"
                + " cut short by a crash, so this file was changed or corrupted after it was written; the run's"
                + " state can't be trusted. Keep a copy of the file for inspection.";
    }

    /** A line that is not an intact record; the message says why. */
    private static final class LineProblem extends Exception {
        LineProblem(String message) {
            super(message, null, false, false);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> decodeLine(byte[] b, int from, int to, int lineNo) throws LineProblem {
        int len = to - from;
        if (len == 0) {
            throw new LineProblem("the line is empty");
        }
        if (len < CRC_TAIL + 1 || b[from] != '{' || b[to - 1] != '}' || b[to - 2] != '"'
                || !regionMatches(b, to - CRC_TAIL, CRC_KEY)) {
            throw new LineProblem(b[from] == 0 ? "it holds zero bytes, not text" : "it does not end with a checksum");
        }
        int hexAt = to - CRC_TAIL + CRC_KEY.length;
        long expected;
        try {
            expected = Long.parseLong(new String(b, hexAt, 8, StandardCharsets.US_ASCII), 16);
        } catch (NumberFormatException e) {
            throw new LineProblem("its checksum is not 8 hex digits");
        }
        CRC32 crc = new CRC32();
        crc.update(b, from, len - CRC_TAIL);
        if (crc.getValue() != expected) {
            throw new LineProblem("checksum mismatch");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b, from, len)).toString();
        } catch (CharacterCodingException e) {
            throw new LineProblem("it is not UTF-8 text");
        }
        Object v;
        try {
            v = Json.normalize(Json.MAPPER.readValue(text, Object.class));
        } catch (RuntimeException e) {
            throw new LineProblem("it is not valid JSON");
        }
        if (!(v instanceof Map)) {
            throw new LineProblem("it is not a JSON object");
        }
        Map<String, Object> m = (Map<String, Object>) v;
        Object seq = m.get("seq");
        if (!(seq instanceof Long s) || s != lineNo) {
            throw new LineProblem("its sequence number is " + seq + ", not " + lineNo + " (a line was lost, repeated or moved)");
        }
        return m;
    }

    private static boolean regionMatches(byte[] b, int at, byte[] what) {
        if (at < 0) {
            return false;
        }
        for (int i = 0; i < what.length; i++) {
            if (b[at + i] != what[i]) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] b, byte what, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == what) {
                return i;
            }
        }
        return -1;
    }

    private static boolean endsWithNewline(Path file, long end) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            ch.read(one, end - 1);
            return one.get(0) == '\n';
        }
    }

    static String reason(IOException e) {
        String m = e.getMessage();
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        return m == null ? e.getClass().getSimpleName() : m;
    }
}
