package dev.runbook.kube;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pieces that need no server: diff, secret values, export. */
class KubePartsTest {
    @TempDir
    Path dir;

    @Test
    void unifiedDiffShowsChangesWithContext() {
        String a = "a\nb\nc\nd\ne\nf\ng\nh\n";
        String b = "a\nb\nc\nD\ne\nf\ng\nh\ni\n";

        assertThat(TextDiff.unified(a, b, "live", "after", 1)).isEqualTo("""
                --- live
                +++ after
                @@ -3,3 +3,3 @@
                 c
                -d
                +D
                 e
                @@ -8,1 +8,2 @@
                 h
                +i
                """);
        assertThat(TextDiff.unified(a, a, "x", "y", 3)).isEmpty();
    }

    @Test
    void secretValuesAreListedEncodedAndDecodedFromListsToo() {
        String encoded = Base64.getEncoder().encodeToString("s3cret-pw".getBytes());
        Map<String, Object> secret = Map.of("apiVersion", "v1", "kind", "Secret", "metadata", Map.of("name", "db"),
                "data", Map.of("password", encoded), "stringData", Map.of("token", "tok-123"));
        Map<String, Object> list = Map.of("items", List.of(secret, Map.of("apiVersion", "v1", "kind", "ConfigMap",
                "data", Map.of("plain", "not-secret"))));

        assertThat(SecretValues.of(list)).containsExactlyInAnyOrder(encoded, "s3cret-pw", "tok-123",
                Base64.getEncoder().encodeToString("tok-123".getBytes()));
        assertThat(SecretValues.of(Map.of("kind", "ConfigMap", "apiVersion", "v1", "data", Map.of("a", "b")))).isEmpty();
    }

    @Test
    void exportRemovesServerFieldsAndStripPathsAndWritesSecretsOwnerOnly() throws Exception {
        Map<String, Object> live = KubeValues.map(KubeValues.parseYamlDocuments("""
                apiVersion: v1
                kind: Secret
                metadata:
                  name: db
                  namespace: apiconnect
                  uid: 1234
                  resourceVersion: "77"
                  creationTimestamp: "2024-01-01T00:00:00Z"
                  generation: 2
                  managedFields: [{manager: kubectl}]
                  ownerReferences: [{kind: X}]
                  labels: {app: db}
                  annotations: {note: x}
                data: {password: c2VjcmV0}
                status: {phase: Active}
                """, "test").get(0));

        Map<String, Object> clean = ManifestExport.clean(live, List.of("metadata.annotations"));
        assertThat(clean).containsOnlyKeys("apiVersion", "kind", "metadata", "data");
        assertThat(KubeValues.map(clean.get("metadata"))).containsOnlyKeys("name", "namespace", "labels");

        Path file = dir.resolve("out/db.yaml");
        Map<String, Object> written = ManifestExport.write(clean, file);
        assertThat(written).containsEntry("kind", "Secret").containsEntry("name", "db");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(KubeValues.parseYamlDocuments(Files.readString(file), "back").get(0)).isEqualTo(clean);
        try (var files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void accessReviewAnswersAllowedOrWhy() {
        try (MockCluster cluster = new MockCluster(); KubeConnection c = cluster.connect(null)) {
            cluster.server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews")
                    .andReturn(201, "{\"kind\":\"SelfSubjectAccessReview\",\"status\":{\"allowed\":false,\"reason\":\"no RBAC policy matched\"}}")
                    .once();

            AccessCheck.Access access = new AccessCheck(c).can("patch", "cc", null);

            assertThat(access.allowed()).isFalse();
            assertThat(access.reason()).isEqualTo("cannot patch cassandraclusters.apic.ibm.com in namespace apiconnect: no RBAC policy matched");
        }
    }
}
