package dev.runbook.sandbox.kube;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Request bodies in {@code application/vnd.kubernetes.protobuf}, turned into the JSON the rest
 * of the server reads. Why: kubectl's generators ({@code kubectl create configmap|secret|namespace|
 * serviceaccount}) encode built-in kinds as protobuf whatever the server advertises, and never
 * fall back to JSON. Only the kinds those generators send are known; any other kind, or a field
 * with a value this reader does not know, is refused (415) rather than stored without it.
 */
final class ProtobufBodies {
    static final String MEDIA_TYPE = "application/vnd.kubernetes.protobuf";
    private static final byte[] MAGIC = {'k', '8', 's', 0};

    private ProtobufBodies() {
    }

    /** A body that cannot be read: the message says what, for a 415 Status. */
    static final class Unsupported extends RuntimeException {
        Unsupported(String message) {
            super(message);
        }
    }

    static boolean isProtobuf(String contentType) {
        return contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith(MEDIA_TYPE);
    }

    /** The body as a JSON object with its apiVersion and kind. */
    static ObjectNode toJson(byte[] body) {
        if (body.length < MAGIC.length || body[0] != MAGIC[0] || body[1] != MAGIC[1] || body[2] != MAGIC[2] || body[3] != MAGIC[3]) {
            throw new Unsupported("the protobuf body does not start with the Kubernetes envelope");
        }
        ObjectNode envelope = decode(new Reader(body, MAGIC.length, body.length), Schema.UNKNOWN, "the envelope");
        String apiVersion = envelope.path("typeMeta").path("apiVersion").asString("");
        String kind = envelope.path("typeMeta").path("kind").asString("");
        Schema schema = Schema.KINDS.get(apiVersion + "/" + kind);
        if (schema == null) {
            throw new Unsupported("the sandbox API server reads protobuf bodies only for ConfigMap, Secret, Namespace and "
                    + "ServiceAccount, not " + (kind.isEmpty() ? "this body" : kind + " (" + apiVersion + ")")
                    + "; send it as JSON or YAML (kubectl create -f / kubectl apply -f with a manifest)");
        }
        byte[] raw = Base64.getDecoder().decode(envelope.path("raw").asString(""));
        ObjectNode out = Json.object().put("apiVersion", apiVersion).put("kind", kind);
        out.setAll(decode(new Reader(raw, 0, raw.length), schema, kind));
        return out;
    }

    private static ObjectNode decode(Reader in, Schema schema, String what) {
        ObjectNode out = Json.object();
        while (in.more()) {
            long tag = in.varint();
            int number = (int) (tag >>> 3);
            int wire = (int) (tag & 7);
            Field field = schema.fields().get(number);
            if (field == null) {
                if (!in.skipEmpty(wire)) {
                    throw new Unsupported("the sandbox API server cannot read field " + number + " of " + what
                            + " in a protobuf body; send it as JSON or YAML");
                }
                continue;
            }
            read(in, wire, field, out, what);
        }
        return out;
    }

    private static void read(Reader in, int wire, Field f, ObjectNode out, String what) {
        switch (f.type()) {
            case STRING -> putText(out, f.name(), in.text());
            case BYTES -> out.put(f.name(), Base64.getEncoder().encodeToString(in.bytes()));
            case BOOL -> out.put(f.name(), in.varint() != 0);
            case INT -> {
                long v = wire == 0 ? in.varint() : 0;
                if (v != 0) {
                    out.put(f.name(), v);
                }
            }
            case MESSAGE -> {
                byte[] b = in.bytes();
                ObjectNode m = decode(new Reader(b, 0, b.length), f.schema(), what + "." + f.name());
                if (!m.isEmpty()) {
                    out.set(f.name(), m);
                }
            }
            case STRINGS -> array(out, f.name()).add(in.text());
            case MESSAGES -> {
                byte[] b = in.bytes();
                array(out, f.name()).add(decode(new Reader(b, 0, b.length), f.schema(), what + "." + f.name()));
            }
            case STRING_MAP, BYTES_MAP -> {
                byte[] b = in.bytes();
                ObjectNode entry = decode(new Reader(b, 0, b.length),
                        f.type() == Type.STRING_MAP ? Schema.STRING_ENTRY : Schema.BYTES_ENTRY, what + "." + f.name());
                ObjectNode map = out.has(f.name()) ? (ObjectNode) out.get(f.name()) : out.putObject(f.name());
                JsonNode value = entry.get("value");
                map.put(entry.path("key").asString(""), value == null ? "" : value.asString());
            }
        }
    }

    private static void putText(ObjectNode out, String name, String text) {
        if (!text.isEmpty()) { // protobuf sends every unset string as ""; JSON leaves it out
            out.put(name, text);
        }
    }

    private static ArrayNode array(ObjectNode out, String name) {
        return out.has(name) ? (ArrayNode) out.get(name) : out.putArray(name);
    }

    enum Type { STRING, BYTES, BOOL, INT, MESSAGE, STRINGS, MESSAGES, STRING_MAP, BYTES_MAP }

    record Field(String name, Type type, Schema schema) {
        static Field of(String name, Type type) {
            return new Field(name, type, null);
        }
    }

    /** The fields of one message, by number, as in Kubernetes' generated.proto files. */
    record Schema(Map<Integer, Field> fields) {
        static final Schema STRING_ENTRY = new Schema(Map.of(1, Field.of("key", Type.STRING), 2, Field.of("value", Type.STRING)));
        static final Schema BYTES_ENTRY = new Schema(Map.of(1, Field.of("key", Type.STRING), 2, Field.of("value", Type.BYTES)));
        static final Schema TYPE_META = new Schema(Map.of(1, Field.of("apiVersion", Type.STRING), 2, Field.of("kind", Type.STRING)));
        static final Schema UNKNOWN = new Schema(Map.of(1, new Field("typeMeta", Type.MESSAGE, TYPE_META),
                2, Field.of("raw", Type.BYTES), 3, Field.of("contentEncoding", Type.STRING), 4, Field.of("contentType", Type.STRING)));
        static final Schema OBJECT_META = new Schema(Map.of(1, Field.of("name", Type.STRING),
                2, Field.of("generateName", Type.STRING), 3, Field.of("namespace", Type.STRING),
                5, Field.of("uid", Type.STRING), 6, Field.of("resourceVersion", Type.STRING),
                11, Field.of("labels", Type.STRING_MAP), 12, Field.of("annotations", Type.STRING_MAP),
                14, Field.of("finalizers", Type.STRINGS)));
        static final Field METADATA = new Field("metadata", Type.MESSAGE, OBJECT_META);
        static final Schema NAME_REF = new Schema(Map.of(1, Field.of("name", Type.STRING)));
        static final Map<String, Schema> KINDS = Map.of(
                "v1/ConfigMap", new Schema(Map.of(1, METADATA, 2, Field.of("data", Type.STRING_MAP),
                        3, Field.of("binaryData", Type.BYTES_MAP), 4, Field.of("immutable", Type.BOOL))),
                "v1/Secret", new Schema(Map.of(1, METADATA, 2, Field.of("data", Type.BYTES_MAP), 3, Field.of("type", Type.STRING),
                        4, Field.of("stringData", Type.STRING_MAP), 5, Field.of("immutable", Type.BOOL))),
                "v1/Namespace", new Schema(Map.of(1, METADATA,
                        2, new Field("spec", Type.MESSAGE, new Schema(Map.of(1, Field.of("finalizers", Type.STRINGS)))))),
                "v1/ServiceAccount", new Schema(Map.of(1, METADATA,
                        3, new Field("imagePullSecrets", Type.MESSAGES, NAME_REF),
                        4, Field.of("automountServiceAccountToken", Type.BOOL))));
    }

    /** Protobuf's wire format: varints and length-delimited fields. */
    private static final class Reader {
        private final byte[] data;
        private int pos;
        private final int end;

        Reader(byte[] data, int from, int end) {
            this.data = data;
            this.pos = from;
            this.end = end;
        }

        boolean more() {
            return pos < end;
        }

        long varint() {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (pos >= end) {
                    throw new Unsupported("the protobuf body ends in the middle of a number");
                }
                byte b = data[pos++];
                value |= (long) (b & 0x7f) << shift;
                if (b >= 0) {
                    return value;
                }
            }
            throw new Unsupported("the protobuf body has a malformed number");
        }

        byte[] bytes() {
            long length = varint();
            if (length < 0 || length > end - pos) {
                throw new Unsupported("the protobuf body is truncated");
            }
            byte[] b = new byte[(int) length];
            System.arraycopy(data, pos, b, 0, b.length);
            pos += b.length;
            return b;
        }

        String text() {
            return new String(bytes(), StandardCharsets.UTF_8);
        }

        /** Skips a field this reader does not know; false when it holds something (not zero, not empty). */
        boolean skipEmpty(int wire) {
            return switch (wire) {
                case 0 -> varint() == 0;
                case 2 -> {
                    byte[] b = bytes();
                    // An unset nested message (a zero creationTimestamp) may still hold zero-valued fields.
                    yield b.length == 0 || allZeroFields(b);
                }
                case 1 -> fixed(8);
                case 5 -> fixed(4);
                default -> throw new Unsupported("the protobuf body has an unknown wire type " + wire);
            };
        }

        private boolean fixed(int n) {
            if (n > end - pos) {
                throw new Unsupported("the protobuf body is truncated");
            }
            boolean zero = true;
            for (int i = 0; i < n; i++) {
                zero &= data[pos++] == 0;
            }
            return zero;
        }

        private static boolean allZeroFields(byte[] b) {
            try {
                Reader r = new Reader(b, 0, b.length);
                while (r.more()) {
                    long tag = r.varint();
                    if (!r.skipEmpty((int) (tag & 7))) {
                        return false;
                    }
                }
                return true;
            } catch (Unsupported e) {
                return false; // not a message: bytes or text with content
            }
        }
    }
}
