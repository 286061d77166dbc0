package dev.runbook.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runbook.kube.KubeException.Reason;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every failure an operator can meet reads as one clear line. */
class KubeErrorsTest {
    private MockCluster cluster;
    private KubeConnection connection;
    private KubeVerbs kube;

    @BeforeEach
    void start() {
        cluster = new MockCluster();
        connection = cluster.connect("apiconnect");
        kube = new KubeVerbs(connection);
    }

    @AfterEach
    void stop() {
        connection.close();
        cluster.close();
    }

    @Test
    void forbiddenNamesVerbQualifiedResourceAndNamespace() {
        cluster.server.expect().patch().withPath("/apis/apic.ibm.com/v1beta1/namespaces/apiconnect/cassandraclusters/mgmt-cc?fieldManager=runbook")
                .andReturn(403, status(403, "Forbidden", "cassandraclusters.apic.ibm.com \"mgmt-cc\" is forbidden: User \"bob\" cannot patch"
                        + " resource \"cassandraclusters\" in API group \"apic.ibm.com\" in the namespace \"apiconnect\""))
                .always();

        assertThatThrownBy(() -> kube.patch("cc", "mgmt-cc", null, Map.of("spec", Map.of("x", 1))))
                .isInstanceOf(KubeException.class)
                .hasMessageStartingWith("forbidden: cannot patch cassandraclusters.apic.ibm.com in namespace apiconnect")
                .hasMessageContaining("user \"bob\"")
                .satisfies(e -> assertThat(((KubeException) e).reason()).isEqualTo(Reason.FORBIDDEN));
    }

    @Test
    void unauthorizedSaysTheCredentialsWereRefused() {
        cluster.server.expect().get().withPath("/api/v1/namespaces/apiconnect/pods/db-0")
                .andReturn(401, status(401, "Unauthorized", "Unauthorized")).always();

        assertThatThrownBy(() -> kube.get("pods", "db-0", null, null, null))
                .isInstanceOf(KubeException.class)
                .hasMessageStartingWith("unauthorized: the Kubernetes API server at " + cluster.url())
                .hasMessageNotContaining("not-a-real-token");
    }

    @Test
    void conflictCarriesTheServersSentence() {
        cluster.server.expect().patch().withPath("/api/v1/namespaces/apiconnect/configmaps/c?fieldManager=runbook")
                .andReturn(409, status(409, "Conflict", "Operation cannot be fulfilled on configmaps \"c\": the object has been modified;"
                        + " please apply your changes to the latest version and try again"))
                .always();

        assertThatThrownBy(() -> kube.patch("configmaps", "c", null, Map.of("data", Map.of("a", "b"))))
                .isInstanceOf(KubeException.class)
                .hasMessage("conflict: Operation cannot be fulfilled on configmaps \"c\": the object has been modified;"
                        + " please apply your changes to the latest version and try again")
                .satisfies(e -> assertThat(((KubeException) e).httpCode()).isEqualTo(409));
    }

    @Test
    void unreachableServerSaysConnectionRefused() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        try (KubeConnection nowhere = KubeClients.open(MockCluster.kubeconfig("http://127.0.0.1:" + closedPort), null, null, null)) {
            assertThatThrownBy(() -> new AccessCheck(nowhere).ping())
                    .isInstanceOf(KubeException.class)
                    .hasMessage("cannot reach the Kubernetes API server at http://127.0.0.1:" + closedPort + ": connection refused")
                    .satisfies(e -> assertThat(((KubeException) e).transientFailure()).isTrue());
        }
    }

    @Test
    void execIntoAPodThatIsNotRunningSaysSo() {
        kube.apply(Map.of("apiVersion", "v1", "kind", "Pod", "metadata", Map.of("name", "restore-0"),
                "spec", Map.of("containers", List.of(Map.of("name", "main", "image", "busybox"))),
                "status", Map.of("phase", "Pending")), null);

        assertThatThrownBy(() -> kube.exec("restore-0", null, List.of("true"), null, null, java.time.Duration.ofSeconds(5)))
                .isInstanceOf(KubeException.class)
                .hasMessage("cannot exec in pod restore-0 in namespace apiconnect: it is Pending, not Running")
                .satisfies(e -> assertThat(((KubeException) e).reason()).isEqualTo(Reason.NOT_RUNNING));
    }

    @Test
    void invalidManifestIsRefusedBeforeAnyRequest() {
        assertThatThrownBy(() -> kube.apply("kind: ConfigMap\nmetadata: {name: x}\n", null))
                .hasMessage("a manifest needs apiVersion and kind");
        assertThatThrownBy(() -> kube.apply("apiVersion: v1\nkind: Widget\nmetadata: {name: x}\n", null))
                .hasMessage("the API server does not serve kind Widget in v1 (is its CustomResourceDefinition installed?)");
    }

    static String status(int code, String reason, String message) {
        return KubeValues.toJson(Map.of("kind", "Status", "apiVersion", "v1", "status", "Failure", "reason", reason,
                "message", message, "code", code));
    }
}
