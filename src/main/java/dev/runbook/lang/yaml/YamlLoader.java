package dev.runbook.lang.yaml;

import dev.runbook.lang.InvalidRunbookException;
import dev.runbook.lang.Pos;
import dev.runbook.lang.Problems;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.ConstructNode;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;
import org.snakeyaml.engine.v2.events.AliasEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.NodeEvent;
import org.snakeyaml.engine.v2.resolver.ScalarResolver;
import org.snakeyaml.engine.v2.schema.CoreSchema;
import org.snakeyaml.engine.v2.schema.Schema;

/**
 * Stage 1: bytes to a {@link YNode} tree with source positions.
 *
 * <p>Scalars are resolved with the YAML 1.2 core schema: {@code yes}/{@code no}/{@code on} are
 * strings, only {@code true}/{@code false} (any case) are booleans; {@code 010} is the integer
 * 10 and {@code 0o10} is 8; {@code ~}, {@code null} and an empty value are null. Duplicate keys,
 * more than one document, non-string keys and alias expansions beyond a budget are errors.
 *
 * <p>Longer than this project's other classes (about 550 lines) because it is the one place
 * that turns every hostile input (sizes, control bytes, tags, alias bombs, huge numbers, a
 * scalar scanner kept linear) into a positioned error; each rule is short and they share the
 * reader's state.
 */
public final class YamlLoader {
    /** Aliases to collections allowed in one file; billion-laughs style files need many more. */
    static final int MAX_COLLECTION_ALIASES = 50;
    /** Nodes after alias expansion; a 20,000-step runbook stays far below this. */
    static final int MAX_EXPANDED_NODES = 5_000_000;

    /**
     * The YAML 1.2 core schema, except that {@code <<} resolves to a plain string: snakeyaml
     * would otherwise apply merge keys silently while composing, and a runbook must say what
     * it means where it says it. The converter then reports the key.
     */
    private static final Schema SCHEMA = new CoreSchema() {
        private final ScalarResolver core = super.getScalarResolver();

        @Override
        public ScalarResolver getScalarResolver() {
            return (value, implicit) -> {
                Tag t = core.resolve(value, implicit);
                return Tag.MERGE.equals(t) ? Tag.STR : t;
            };
        }
    };

    private final String file;
    private final Problems problems;
    private final String[] lines;
    private final String source;
    private final Map<Node, YNode> converted = new IdentityHashMap<>();
    private final Map<Node, Boolean> inProgress = new IdentityHashMap<>();
    private final Map<Tag, ConstructNode> constructors = SCHEMA.getSchemaTagConstructors();
    private int budget = MAX_EXPANDED_NODES;

    private YamlLoader(String file, String source) {
        this.file = file;
        this.source = source;
        this.problems = new Problems(file);
        this.lines = source.split("\n", -1);
    }

    /**
     * Decodes UTF-8 strictly; a byte order mark is allowed and dropped. The first byte that is
     * not UTF-8 is reported at its line and column, so that it can be found in an editor.
     */
    public static String decode(String file, byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length + 1);
        CoderResult r = decoder.decode(in, out, true);
        if (!r.isError()) {
            r = decoder.flush(out);
        }
        out.flip();
        String s = out.toString();
        if (r.isError()) {
            int line = 1;
            int col = 1;
            for (int i = 0; i < s.length(); i++) {
                if (s.charAt(i) == '\n') {
                    line++;
                    col = 1;
                } else if (!Character.isLowSurrogate(s.charAt(i))) {
                    col++;
                }
            }
            int bad = bytes[in.position()] & 0xff;
            Problems p = new Problems(file);
            p.error(new Pos(line, col), String.format("the file is not valid UTF-8 text: byte 0x%02X cannot start or continue a character", bad),
                    "save the file as UTF-8");
            throw new InvalidRunbookException(p.sorted());
        }
        return s.startsWith("\uFEFF") ? s.substring(1) : s;
    }

    /** Parses one YAML document. Throws {@link InvalidRunbookException} with every problem found. */
    public static YNode load(String file, String source) {
        return new YamlLoader(file, source).run(false);
    }

    /** As {@link #load}, but a file without a document (empty, or only comments) gives null. */
    public static YNode loadIfAny(String file, String source) {
        return new YamlLoader(file, source).run(true);
    }

    private YNode run(boolean emptyIsNull) {
        reportUnprintable();
        LoadSettings settings = LoadSettings.builder()
                .setLabel(file)
                .setSchema(SCHEMA)
                .setAllowDuplicateKeys(true) // reported by us, all at once, with both positions
                .setAllowRecursiveKeys(false)
                .setAllowNonScalarKeys(true) // reported by us, at the key's position
                .setMaxAliasesForCollections(MAX_COLLECTION_ALIASES)
                .setCodePointLimit(64 * 1024 * 1024)
                // All of the text in one buffer: snakeyaml copies the unread part of its buffer
                // each time it reads more, which made a long plain scalar quadratic to scan.
                .setBufferSize(source.length() + 2)
                .setUseMarks(true)
                .build();
        Node root;
        try {
            Composer composer = new Composer(settings, new ParserImpl(settings, new StreamReader(settings, source)));
            if (!composer.hasNext()) {
                if (emptyIsNull) {
                    return null;
                }
                problems.error(Pos.START, source.isBlank() ? "the file is empty: a runbook is a YAML map with apiVersion, name and steps"
                        : "the file holds only comments: a runbook is a YAML map with apiVersion, name and steps");
                problems.throwIfAny();
            }
            root = composer.next();
            if (composer.hasNext()) {
                Node second = composer.next();
                problems.error(pos(second.getStartMark()), "more than one YAML document: a runbook file holds exactly one");
                problems.throwIfAny();
            }
        } catch (MarkedYamlEngineException e) {
            reportSyntax(e);
            problems.throwIfAny();
            return null;
        } catch (StackOverflowError e) {
            // snakeyaml composes nested lists and maps recursively: a file nested thousands deep
            // exhausts the stack. The stack is unwound here; say where the nesting gets too deep.
            problems.error(tooDeepAt(settings), tooDeep());
            problems.throwIfAny();
            return null;
        } catch (YamlEngineException e) {
            if (String.valueOf(e.getMessage()).contains("aliases for non-scalar nodes")) {
                problems.error(tooManyAliasesAt(settings), tooManyAliases());
            } else {
                problems.error(Pos.START, "invalid YAML: " + describe(e.getMessage()));
            }
            problems.throwIfAny();
            return null;
        }
        YNode tree;
        try {
            tree = convert(root, 0);
        } catch (StackOverflowError e) {
            problems.error(tooDeepAt(settings), tooDeep());
            problems.throwIfAny();
            return null;
        }
        problems.throwIfAny();
        return tree;
    }

    /**
     * YAML text may not hold control characters other than tab and line breaks; snakeyaml
     * says so without a position, so the first one is found here and reported where it is.
     */
    private void reportUnprintable() {
        int line = 1;
        int col = 1;
        for (int i = 0; i < source.length(); i++) {
            char c = source.charAt(i);
            if (c == '\n') {
                line++;
                col = 1;
                continue;
            }
            if (!printable(c)) {
                if (c == 0) {
                    problems.error(new Pos(line, col), "a NUL byte (0x00) is not allowed in a runbook",
                            "a runbook is text: remove the byte, or write \\0 in a double-quoted string");
                } else {
                    problems.error(new Pos(line, col), String.format("control character U+%04X is not allowed in a runbook", (int) c),
                            "write it as an escape in a double-quoted string, such as \\x1b or \\t");
                }
                problems.throwIfAny();
            }
            if (!Character.isLowSurrogate(c)) {
                col++;
            }
        }
    }

    /** YAML 1.2's c-printable, in UTF-16 (surrogates pass: the decoder has checked their pairs). */
    private static boolean printable(char c) {
        return c == '\t' || c == '\r' || (c >= 0x20 && c <= 0x7e) || c == 0x85 || (c >= 0xa0 && c <= 0xfffd);
    }

    /** Tags a runbook may carry: the core schema's, written out ({@code !!str 12}). */
    private static final java.util.Set<Tag> CORE_TAGS = java.util.Set.of(Tag.STR, Tag.INT, Tag.FLOAT, Tag.BOOL, Tag.NULL,
            Tag.SEQ, Tag.MAP);

    /** A tag the loader would otherwise drop silently: the value would not mean what its author meant. */
    private void checkTag(Node node) {
        Tag tag = node.getTag();
        if (CORE_TAGS.contains(tag) || Tag.MERGE.equals(tag)) {
            return;
        }
        if (Tag.BINARY.equals(tag)) {
            problems.error(pos(node.getStartMark()), "binary values (!!binary) are not supported: a runbook holds text");
        } else {
            String shown = tag.getValue().startsWith(Tag.PREFIX) ? "!!" + tag.getValue().substring(Tag.PREFIX.length()) : tag.getValue();
            problems.error(pos(node.getStartMark()), "unknown tag '" + shown
                    + "': a runbook uses no YAML tags except !!str, !!int, !!float, !!bool, !!null, !!seq and !!map");
        }
    }

    /** Nesting a runbook never needs; the position of the first list or map deeper than it is reported. */
    static final int MAX_DEPTH = 500;

    private static String tooDeep() {
        return "lists and maps are nested too deeply (more than " + MAX_DEPTH + " levels)";
    }

    private Pos tooDeepAt(LoadSettings settings) {
        int depth = 0;
        try {
            ParserImpl parser = new ParserImpl(settings, new StreamReader(settings, source));
            while (parser.hasNext()) {
                Event ev = parser.next();
                Event.ID id = ev.getEventId();
                if (id == Event.ID.MappingStart || id == Event.ID.SequenceStart) {
                    if (++depth > MAX_DEPTH) {
                        return pos(ev.getStartMark());
                    }
                } else if (id == Event.ID.MappingEnd || id == Event.ID.SequenceEnd) {
                    depth--;
                }
            }
        } catch (YamlEngineException e) {
            // the message still stands, at the start of the file
        }
        return Pos.START;
    }

    private void reportSyntax(MarkedYamlEngineException e) {
        String problem = e.getProblem() == null ? "" : e.getProblem();
        String context = e.getContext() == null ? "" : e.getContext();
        Pos at = pos(e.getProblemMark());
        if (problem.contains("'\\t'") || problem.contains("\\t(TAB)") || problem.contains("TAB")) {
            problems.error(at, "tab character in indentation: YAML indents with spaces only");
        } else if (context.contains("quoted scalar") && problem.contains("end of stream")) {
            problems.error(pos(e.getContextMark()), "unclosed quote: this quoted string never ends");
        } else if (problem.contains("aliases for non-scalar nodes")) {
            problems.error(at, tooManyAliases());
        } else if (problem.contains("found undefined alias")) {
            problems.error(at, "unknown alias: " + problem.replace("found undefined alias", "").trim() + " has no anchor before it");
        } else if (problem.contains("recursive")) {
            problems.error(at, "recursive alias: a node may not contain itself");
        } else {
            String plain = plainWords(problem, context);
            String msg = problem.isBlank() ? context : problem + (context.isBlank() ? "" : " (" + context + ")");
            problems.error(at, "invalid YAML: " + (plain != null ? plain : describe(msg)));
        }
    }

    private static final java.util.regex.Pattern CANNOT_START =
            java.util.regex.Pattern.compile("found character '(.)' that cannot start any token.*");
    private static final java.util.regex.Pattern BAD_ESCAPE =
            java.util.regex.Pattern.compile("found unknown escape character (.)\\(\\d+\\).*");

    /** snakeyaml's parser messages in the words of someone editing a runbook, or null. */
    static String plainWords(String problem, String context) {
        java.util.regex.Matcher m;
        if (problem.startsWith("mapping values are not allowed here")) {
            return "a ':' where none is allowed: quote a value that holds ': ', or check the indentation";
        }
        if (problem.startsWith("could not find expected ':'")) {
            return "a line without ':' where 'key: value' was expected";
        }
        if (problem.startsWith("expected <block end>") && problem.contains("'<scalar>'")) {
            return "unexpected text: a quoted value must be quoted as a whole, and keys must line up with the ones above";
        }
        if (problem.startsWith("expected <block end>") || problem.startsWith("did not find expected key")
                || problem.startsWith("did not find expected '-' indicator")) {
            return "this line does not line up with the ones above: check its indentation";
        }
        if (problem.startsWith("expected '<document start>'")) {
            return "this line is indented less than the first line of the file: check the indentation";
        }
        if (context.contains("block scalar") && (problem.startsWith("expected chomping") || problem.startsWith("expected a comment"))) {
            return "after '|' or '>' only '-', '+', an indentation digit or a comment may follow; the text starts on the next line";
        }
        if ((m = CANNOT_START.matcher(problem)).matches()) {
            return "a value cannot start with '" + m.group(1) + "': quote it";
        }
        if ((m = BAD_ESCAPE.matcher(problem)).matches()) {
            return "unknown escape '\\" + m.group(1) + "' in a double-quoted string: write '\\\\' for a backslash, or use single quotes";
        }
        if (context.contains("flow sequence") && problem.startsWith("expected ','")) {
            return "a [ ... ] list is not closed: a ',' or ']' is missing";
        }
        if (context.contains("flow mapping") && problem.startsWith("expected ','")) {
            return "a { ... } map is not closed: a ',' or '}' is missing";
        }
        if (problem.startsWith("unexpected character found") && (context.contains("anchor") || context.contains("alias"))) {
            return "an anchor '&' or alias '*' needs a name";
        }
        return null;
    }

    private static String tooManyAliases() {
        return "too many aliases to lists or maps (more than " + MAX_COLLECTION_ALIASES
                + "): refusing a file that expands like an alias bomb";
    }

    /**
     * snakeyaml reports an alias bomb without a position; find the alias that crossed the limit
     * by reading the events again, counting aliases to anchored lists and maps as it does.
     */
    private Pos tooManyAliasesAt(LoadSettings settings) {
        Map<String, Boolean> anchorIsCollection = new HashMap<>();
        int count = 0;
        try {
            ParserImpl parser = new ParserImpl(settings, new StreamReader(settings, source));
            while (parser.hasNext()) {
                Event ev = parser.next();
                if (ev instanceof AliasEvent a) {
                    if (Boolean.TRUE.equals(anchorIsCollection.get(a.getAlias().getValue()))
                            && ++count > MAX_COLLECTION_ALIASES) {
                        return pos(ev.getStartMark());
                    }
                } else if (ev instanceof NodeEvent n && n.getAnchor().isPresent()) {
                    boolean collection = ev.getEventId() == Event.ID.MappingStart || ev.getEventId() == Event.ID.SequenceStart;
                    anchorIsCollection.put(n.getAnchor().get().getValue(), collection);
                }
            }
        } catch (YamlEngineException e) {
            // fall through: the message still stands, at the start of the file
        }
        return Pos.START;
    }

    private static String describe(String msg) {
        if (msg == null) {
            return "unreadable YAML";
        }
        // snakeyaml's messages sometimes carry a snippet on further lines: keep the first line only.
        int nl = msg.indexOf('\n');
        return (nl >= 0 ? msg.substring(0, nl) : msg).trim();
    }

    private static Pos pos(Optional<Mark> mark) {
        return mark.map(m -> new Pos(m.getLine() + 1, m.getColumn() + 1)).orElse(Pos.START);
    }

    private YNode convert(Node node, int depth) {
        if (depth >= MAX_DEPTH) {
            problems.error(pos(node.getStartMark()), tooDeep());
            problems.throwIfAny();
        }
        // Only a node with an anchor can be met twice (through an alias), so only those are
        // remembered: hashing every node of a large file by identity cost more than the rest.
        boolean anchored = node.getAnchor().isPresent();
        if (anchored && inProgress.containsKey(node)) {
            // snakeyaml lets a list or map contain itself through an alias; the tree would be infinite.
            problems.error(pos(node.getStartMark()), "recursive alias: the value anchored here contains itself");
            problems.throwIfAny();
        }
        YNode done = anchored ? converted.get(node) : null;
        if (done != null) {
            // An alias: the same subtree again. Count it against the budget so that a file whose
            // expansion explodes is refused instead of exhausting memory later on.
            budget -= size(done);
            if (budget < 0) {
                problems.error(pos(node.getStartMark()), "the file expands to too many nodes through aliases (an alias bomb?)");
                problems.throwIfAny();
            }
            return done;
        }
        if (--budget < 0) {
            problems.error(pos(node.getStartMark()), "the file expands to too many nodes through aliases (an alias bomb?)");
            problems.throwIfAny();
        }
        checkTag(node);
        YNode out;
        if (anchored) {
            inProgress.put(node, Boolean.TRUE);
        }
        if (node instanceof ScalarNode s) {
            out = scalar(s);
        } else if (node instanceof SequenceNode seq) {
            List<YNode> items = new ArrayList<>(seq.getValue().size());
            for (Node n : seq.getValue()) {
                items.add(convert(n, depth + 1));
            }
            out = new YSeq(pos(node.getStartMark()), items);
        } else {
            MappingNode map = (MappingNode) node;
            List<YMap.Entry> entries = new ArrayList<>(map.getValue().size());
            // Duplicate keys: a scan of the keys so far for the usual small map, a hash for big ones.
            Map<String, YScalar> seen = map.getValue().size() > SMALL_MAP ? new HashMap<>() : null;
            for (NodeTuple t : map.getValue()) {
                Node k = t.getKeyNode();
                if (!(k instanceof ScalarNode ks)) {
                    problems.error(pos(k.getStartMark()), "a key must be a plain string, not " + (k instanceof SequenceNode ? "a list" : "a map"));
                    continue;
                }
                YScalar key = scalar(ks);
                if (key.value() == null || key.text().isEmpty()) {
                    problems.error(key.pos(), "empty key");
                    continue;
                }
                if (k.getTag().equals(Tag.MERGE) || ("<<".equals(key.text()) && ks.isPlain())) {
                    problems.error(key.pos(), "merge keys ('<<') are not supported: write the keys out, or use an anchor for the whole value");
                    continue;
                }
                YScalar first = seen != null ? seen.putIfAbsent(key.text(), key) : firstKey(entries, key.text());
                if (first != null) {
                    problems.error(key.pos(), "duplicate key '" + key.text() + "' (first defined at line " + first.pos().line() + ")");
                    continue;
                }
                entries.add(new YMap.Entry(key, convert(t.getValueNode(), depth + 1)));
            }
            out = new YMap(pos(node.getStartMark()), entries);
        }
        if (anchored) {
            inProgress.remove(node);
            converted.put(node, out);
        }
        return out;
    }

    private static final int SMALL_MAP = 12;

    private static YScalar firstKey(List<YMap.Entry> entries, String name) {
        for (YMap.Entry e : entries) {
            if (e.name().equals(name)) {
                return e.key();
            }
        }
        return null;
    }

    private static int size(YNode n) {
        if (n instanceof YMap m) {
            int s = 1;
            for (YMap.Entry e : m.entries()) {
                s += 1 + size(e.value());
            }
            return s;
        } else if (n instanceof YSeq q) {
            int s = 1;
            for (YNode i : q.items()) {
                s += size(i);
            }
            return s;
        }
        return 1;
    }

    private YScalar scalar(ScalarNode s) {
        Pos p = pos(s.getStartMark());
        YScalar.Style style = switch (s.getScalarStyle()) {
            case SINGLE_QUOTED -> YScalar.Style.SINGLE_QUOTED;
            case DOUBLE_QUOTED -> YScalar.Style.DOUBLE_QUOTED;
            case LITERAL -> YScalar.Style.LITERAL;
            case FOLDED -> YScalar.Style.FOLDED;
            default -> YScalar.Style.PLAIN;
        };
        Object value;
        if (s.getScalarStyle() != ScalarStyle.PLAIN || Tag.STR.equals(s.getTag())) {
            value = s.getValue();
        } else {
            ConstructNode c = constructors.get(s.getTag());
            try {
                value = c == null ? s.getValue() : c.construct(s);
            } catch (RuntimeException e) {
                value = s.getValue();
            }
            if (value instanceof Integer i) {
                value = i.longValue();
            }
        }
        int bodyLine = 0;
        int bodyIndent = 0;
        if (style == YScalar.Style.LITERAL || style == YScalar.Style.FOLDED) {
            // The content starts on the first non-blank line after the indicator line.
            for (int l = p.line(); l < lines.length; l++) {
                String line = lines[l];
                if (!line.isBlank()) {
                    int indent = 0;
                    while (indent < line.length() && line.charAt(indent) == ' ') {
                        indent++;
                    }
                    bodyLine = l + 1;
                    bodyIndent = indent + 1;
                    break;
                }
            }
        }
        String raw = null;
        if ((style == YScalar.Style.DOUBLE_QUOTED || style == YScalar.Style.SINGLE_QUOTED)
                && s.getStartMark().isPresent() && s.getEndMark().isPresent()
                && s.getStartMark().get().getLine() == s.getEndMark().get().getLine()) {
            // The quoted text as written, so that an offset in the value maps to a column
            // even after escapes ("\t", '') that made the value shorter than the source.
            String line = lines[s.getStartMark().get().getLine()];
            int from = s.getStartMark().get().getColumn() + 1;
            int to = s.getEndMark().get().getColumn() - 1;
            if (from <= to && to <= line.length()) {
                raw = line.substring(from, to);
            }
        }
        return new YScalar(p, value, s.getValue(), style, bodyLine, bodyIndent, raw);
    }
}
