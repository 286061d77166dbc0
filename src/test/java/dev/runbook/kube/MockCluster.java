package dev.runbook.kube;

import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;

/**
 * fabric8's mock API server in CRUD mode, with the discovery documents a real server would
 * serve (core, apps, and the API Connect CRD group {@code apic.ibm.com}), on 127.0.0.1.
 */
final class MockCluster implements AutoCloseable {
    final KubernetesMockServer server;

    MockCluster() {
        this(200);
    }

    /** With {@code /apis} (the list of named groups) answering {@code groupsStatus}: 503 for a broken aggregated API. */
    MockCluster(int groupsStatus) {
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        server = new KubernetesMockServer(new Context(Serialization.jsonMapper()), new MockWebServer(), responses,
                new KubernetesMixedDispatcher(responses), false);
        try {
            server.init(InetAddress.getByName("127.0.0.1"), 0);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
        server.expectCustomResource(new CustomResourceDefinitionContext.Builder().withGroup("apic.ibm.com").withVersion("v1beta1")
                .withPlural("cassandraclusters").withKind("CassandraCluster").withScope("Namespaced").build());
        expectJson("/api/v1", CORE);
        if (groupsStatus == 200) {
            expectJson("/apis", GROUPS);
        } else {
            server.expect().get().withPath("/apis").andReturn(groupsStatus, """
                    {"kind": "Status", "apiVersion": "v1", "status": "Failure", "message": "the server is currently unable to handle the request", "code": %d}
                    """.formatted(groupsStatus)).always();
        }
        expectJson("/apis/apps/v1", APPS);
        expectJson("/apis/apic.ibm.com/v1beta1", APIC);
        expectJson("/apis/authorization.k8s.io/v1", AUTHZ);
    }

    void expectJson(String path, String json) {
        server.expect().get().withPath(path).andReturn(200, json).always();
    }

    String url() {
        return "http://127.0.0.1:" + server.getPort();
    }

    KubeConnection connect(String namespace) {
        return KubeClients.open(kubeconfig(url()), null, namespace, null);
    }

    static String kubeconfig(String server) {
        return """
                apiVersion: v1
                kind: Config
                current-context: mock
                clusters:
                - name: mock
                  cluster: {server: "%s"}
                contexts:
                - name: mock
                  context: {cluster: mock, user: tester, namespace: apiconnect}
                users:
                - name: tester
                  user: {token: not-a-real-token}
                """.formatted(server);
    }

    @Override
    public void close() {
        server.destroy();
    }

    static final String CORE = """
            {"kind":"APIResourceList","groupVersion":"v1","resources":[
             {"name":"pods","singularName":"pod","namespaced":true,"kind":"Pod","verbs":["create","delete","get","list","patch","update","watch"],"shortNames":["po"]},
             {"name":"pods/log","singularName":"","namespaced":true,"kind":"Pod","verbs":["get"]},
             {"name":"pods/exec","singularName":"","namespaced":true,"kind":"PodExecOptions","verbs":["create","get"]},
             {"name":"configmaps","singularName":"configmap","namespaced":true,"kind":"ConfigMap","verbs":["create","delete","get","list","patch","update","watch"],"shortNames":["cm"]},
             {"name":"secrets","singularName":"secret","namespaced":true,"kind":"Secret","verbs":["create","delete","get","list","patch","update","watch"]},
             {"name":"namespaces","singularName":"namespace","namespaced":false,"kind":"Namespace","verbs":["create","delete","get","list","patch","update","watch"],"shortNames":["ns"]},
             {"name":"events","singularName":"event","namespaced":true,"kind":"Event","verbs":["create","delete","get","list","patch","update","watch"],"shortNames":["ev"]}
            ]}""";
    static final String GROUPS = """
            {"kind":"APIGroupList","apiVersion":"v1","groups":[
             {"name":"apps","versions":[{"groupVersion":"apps/v1","version":"v1"}],"preferredVersion":{"groupVersion":"apps/v1","version":"v1"}},
             {"name":"authorization.k8s.io","versions":[{"groupVersion":"authorization.k8s.io/v1","version":"v1"}],"preferredVersion":{"groupVersion":"authorization.k8s.io/v1","version":"v1"}},
             {"name":"apic.ibm.com","versions":[{"groupVersion":"apic.ibm.com/v1beta1","version":"v1beta1"}],"preferredVersion":{"groupVersion":"apic.ibm.com/v1beta1","version":"v1beta1"}}
            ]}""";
    static final String APPS = """
            {"kind":"APIResourceList","apiVersion":"v1","groupVersion":"apps/v1","resources":[
             {"name":"deployments","singularName":"deployment","namespaced":true,"kind":"Deployment","verbs":["create","delete","get","list","patch","update","watch"],"shortNames":["deploy"]},
             {"name":"deployments/status","singularName":"","namespaced":true,"kind":"Deployment","verbs":["get","patch","update"]}
            ]}""";
    static final String APIC = """
            {"kind":"APIResourceList","apiVersion":"v1","groupVersion":"apic.ibm.com/v1beta1","resources":[
             {"name":"cassandraclusters","singularName":"cassandracluster","namespaced":true,"kind":"CassandraCluster","verbs":["delete","deletecollection","get","list","patch","create","update","watch"],"shortNames":["cc"]},
             {"name":"managementclusters","singularName":"managementcluster","namespaced":true,"kind":"ManagementCluster","verbs":["delete","get","list","patch","create","update","watch"],"shortNames":["mgmt"]}
            ]}""";
    static final String AUTHZ = """
            {"kind":"APIResourceList","apiVersion":"v1","groupVersion":"authorization.k8s.io/v1","resources":[
             {"name":"selfsubjectaccessreviews","singularName":"selfsubjectaccessreview","namespaced":false,"kind":"SelfSubjectAccessReview","verbs":["create"]}
            ]}""";
}
