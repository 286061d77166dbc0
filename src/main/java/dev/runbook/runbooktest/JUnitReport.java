package dev.runbook.runbooktest;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * The JUnit XML report CI systems read: one {@code testsuite}, a {@code testcase} per test named
 * by its folder path, a {@code failure} whose message is the differences, and the run's last
 * console lines as {@code system-out}.
 */
public final class JUnitReport {
    private JUnitReport() {
    }

    public static void write(Path file, List<TestResult> results) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try (OutputStream out = Files.newOutputStream(file)) {
                out.write(xml(results).getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new RunbookTestException("runbook: cannot write the JUnit report " + file + ": " + e.getMessage());
        }
    }

    public static String xml(List<TestResult> results) {
        StringWriter text = new StringWriter();
        try {
            XMLStreamWriter w = XMLOutputFactory.newFactory().createXMLStreamWriter(text);
            w.writeStartDocument("UTF-8", "1.0");
            w.writeCharacters("\n");
            long failures = results.stream().filter(r -> !r.passed()).count();
            Duration total = results.stream().map(TestResult::elapsed).reduce(Duration.ZERO, Duration::plus);
            w.writeStartElement("testsuite");
            w.writeAttribute("name", "runbook test");
            w.writeAttribute("tests", String.valueOf(results.size()));
            w.writeAttribute("failures", String.valueOf(failures));
            w.writeAttribute("errors", "0");
            w.writeAttribute("skipped", "0");
            w.writeAttribute("time", seconds(total));
            w.writeCharacters("\n");
            for (TestResult r : results) {
                w.writeCharacters("  ");
                w.writeStartElement("testcase");
                w.writeAttribute("classname", "runbook");
                w.writeAttribute("name", clean(r.name()));
                w.writeAttribute("time", seconds(r.elapsed()));
                if (!r.passed()) {
                    w.writeCharacters("\n    ");
                    w.writeStartElement("failure");
                    w.writeAttribute("message", clean(String.join("; ", r.differences())));
                    w.writeCharacters(clean(String.join("\n", r.differences())));
                    w.writeEndElement();
                    if (!r.consoleTail().isEmpty()) {
                        w.writeCharacters("\n    ");
                        w.writeStartElement("system-out");
                        w.writeCharacters(clean(String.join("\n", r.consoleTail())));
                        w.writeEndElement();
                    }
                    w.writeCharacters("\n  ");
                }
                w.writeEndElement();
                w.writeCharacters("\n");
            }
            w.writeEndElement();
            w.writeCharacters("\n");
            w.writeEndDocument();
            w.close();
        } catch (XMLStreamException e) {
            throw new RunbookTestException("runbook: cannot write the JUnit report: " + e.getMessage());
        }
        return text.toString();
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.3f", d.toMillis() / 1000.0);
    }

    /** XML 1.0 cannot hold most control characters (a run's console may): they become '?'. */
    static String clean(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c <= 0xD7FF)
                    || Character.isSurrogate(c) || (c >= 0xE000 && c <= 0xFFFD);
            sb.append(ok ? c : '?');
        }
        return sb.toString();
    }
}
