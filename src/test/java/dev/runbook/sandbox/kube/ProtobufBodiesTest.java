package dev.runbook.sandbox.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Protobuf bodies as kubectl encodes them: every unset string sent as "", an unset timestamp as
 * an empty message. What the reader cannot read is refused, never dropped.
 */
class ProtobufBodiesTest {

    @Test
    void aSecretWithUnsetFieldsLeftOutAndBinaryDataInBase64() {
        byte[] metadata = concat(text(1, "db-auth"), text(3, ""), text(5, ""), varint(7, 0), message(8, new byte[0]),
                message(11, concat(text(1, "app"), text(2, "db"))));
        byte[] secret = concat(message(1, metadata), message(2, concat(text(1, "password"), bytes(2, new byte[] {0, (byte) 0xff}))),
                text(3, "Opaque"));
        JsonNode json = ProtobufBodies.toJson(envelope("v1", "Secret", secret));
        assertThat(Json.write(json)).isEqualTo("{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"db-auth\","
                + "\"labels\":{\"app\":\"db\"}},\"data\":{\"password\":\"AP8=\"},\"type\":\"Opaque\"}");
    }

    @Test
    void aFieldWithAValueTheReaderDoesNotKnowIsRefusedNotDropped() {
        byte[] ownerReference = concat(text(1, "v1"), text(2, "Job"), text(3, "restore"));
        byte[] configMap = message(1, concat(text(1, "x"), message(13, ownerReference)));
        assertThatThrownBy(() -> ProtobufBodies.toJson(envelope("v1", "ConfigMap", configMap)))
                .isInstanceOf(ProtobufBodies.Unsupported.class)
                .hasMessage("the sandbox API server cannot read field 13 of ConfigMap.metadata in a protobuf body; "
                        + "send it as JSON or YAML");
        assertThatThrownBy(() -> ProtobufBodies.toJson("{\"kind\":\"ConfigMap\"}".getBytes(StandardCharsets.UTF_8)))
                .hasMessage("the protobuf body does not start with the Kubernetes envelope");
    }

    private static byte[] envelope(String apiVersion, String kind, byte[] raw) {
        return concat(new byte[] {'k', '8', 's', 0}, message(1, concat(text(1, apiVersion), text(2, kind))), bytes(2, raw));
    }

    private static byte[] text(int field, String s) {
        return bytes(field, s.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] message(int field, byte[] m) {
        return bytes(field, m);
    }

    private static byte[] bytes(int field, byte[] b) {
        return concat(rawVarint((long) field << 3 | 2), rawVarint(b.length), b);
    }

    private static byte[] varint(int field, long v) {
        return concat(rawVarint((long) field << 3), rawVarint(v));
    }

    private static byte[] rawVarint(long v) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while ((v & ~0x7fL) != 0) {
            out.write((int) (v & 0x7f) | 0x80);
            v >>>= 7;
        }
        out.write((int) v);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
