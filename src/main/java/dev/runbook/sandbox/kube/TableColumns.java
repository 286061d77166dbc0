package dev.runbook.sandbox.kube;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/**
 * The columns the API server prints for the common built-in kinds, as kubectl users know them
 * ({@code kubectl get pods}: NAME READY STATUS RESTARTS AGE). A column of priority 1 is shown by
 * {@code -o wide} only.
 */
final class TableColumns {
    private TableColumns() {
    }

    /** One column: its definition as the Table states it, and how a cell is read from an object. */
    record Column(String name, String type, String format, int priority, String description, Function<JsonNode, Object> cell) {
        static Column of(String name, String type, Function<JsonNode, Object> cell) {
            return new Column(name, type, "", 0, name, cell);
        }

        static Column wide(String name, Function<JsonNode, Object> cell) {
            return new Column(name, "string", "", 1, name, cell);
        }
    }

    static final Column NAME = new Column("Name", "string", "name", 0,
            "Name must be unique within a namespace.", o -> Json.name(o));
    /** Events lead with when they were last seen; their generated names only with {@code -o wide}. */
    static final Column EVENT_NAME = new Column("Name", "string", "name", 1, NAME.description(), NAME.cell());

    /** The columns of a built-in kind (by {@code plural.group}), without Name; null for a kind with none of its own. */
    static List<Column> of(String qualifiedPlural, Instant now) {
        Column age = Column.of("Age", "string", o -> age(o.path("metadata").path("creationTimestamp"), now));
        return switch (qualifiedPlural) {
            case "pods" -> List.of(Column.of("Ready", "string", TableColumns::podReady),
                    Column.of("Status", "string", TableColumns::podStatus),
                    Column.of("Restarts", "string", TableColumns::podRestarts), age,
                    Column.wide("IP", o -> orNone(text(o, "status.podIP"))), Column.wide("Node", o -> orNone(text(o, "spec.nodeName"))),
                    Column.wide("Nominated Node", o -> orNone(text(o, "status.nominatedNodeName"))),
                    Column.wide("Readiness Gates", TableColumns::readinessGates));
            case "jobs.batch" -> List.of(Column.of("Status", "string", TableColumns::jobStatus),
                    Column.of("Completions", "string", TableColumns::jobCompletions),
                    Column.of("Duration", "string", o -> jobDuration(o, now)), age,
                    Column.wide("Containers", o -> containers(o, "spec.template.spec.containers", "name")),
                    Column.wide("Images", o -> containers(o, "spec.template.spec.containers", "image")));
            case "deployments.apps" -> List.of(
                    Column.of("Ready", "string", o -> number(o, "status.readyReplicas") + "/" + number(o, "spec.replicas", 1)),
                    Column.of("Up-to-date", "integer", o -> number(o, "status.updatedReplicas")),
                    Column.of("Available", "integer", o -> number(o, "status.availableReplicas")), age,
                    Column.wide("Containers", o -> containers(o, "spec.template.spec.containers", "name")),
                    Column.wide("Images", o -> containers(o, "spec.template.spec.containers", "image")));
            case "statefulsets.apps" -> List.of(
                    Column.of("Ready", "string", o -> number(o, "status.readyReplicas") + "/" + number(o, "spec.replicas", 1)), age);
            case "replicasets.apps" -> List.of(Column.of("Desired", "integer", o -> number(o, "spec.replicas", 1)),
                    Column.of("Current", "integer", o -> number(o, "status.replicas")),
                    Column.of("Ready", "integer", o -> number(o, "status.readyReplicas")), age);
            case "cronjobs.batch" -> List.of(Column.of("Schedule", "string", o -> text(o, "spec.schedule")),
                    Column.of("Timezone", "string", o -> orNone(text(o, "spec.timeZone"))),
                    Column.of("Suspend", "boolean", o -> o.path("spec").path("suspend").asBoolean(false) ? "True" : "False"),
                    Column.of("Active", "integer", o -> (long) o.path("status").path("active").size()),
                    Column.of("Last Schedule", "string", o -> orNone(age(o.path("status").path("lastScheduleTime"), now))), age);
            case "nodes" -> List.of(Column.of("Status", "string", TableColumns::nodeStatus),
                    Column.of("Roles", "string", TableColumns::nodeRoles), age,
                    Column.of("Version", "string", o -> text(o, "status.nodeInfo.kubeletVersion")));
            case "namespaces" -> List.of(Column.of("Status", "string", o -> text(o, "status.phase")), age);
            case "secrets" -> List.of(Column.of("Type", "string", o -> text(o, "type")),
                    Column.of("Data", "integer", o -> (long) o.path("data").size()), age);
            case "configmaps" -> List.of(
                    Column.of("Data", "integer", o -> (long) (o.path("data").size() + o.path("binaryData").size())), age);
            case "services" -> List.of(Column.of("Type", "string", o -> text(o, "spec.type", "ClusterIP")),
                    Column.of("Cluster-IP", "string", o -> orNone(text(o, "spec.clusterIP"))),
                    Column.of("External-IP", "string", TableColumns::externalIps),
                    Column.of("Port(s)", "string", TableColumns::servicePorts), age,
                    Column.wide("Selector", o -> labels(o.path("spec").path("selector"))));
            case "events" -> List.of(Column.of("Last Seen", "string", o -> lastSeen(o, now)),
                    Column.of("Type", "string", o -> text(o, "type")), Column.of("Reason", "string", o -> text(o, "reason")),
                    Column.of("Object", "string", o -> text(o, "involvedObject.kind").toLowerCase(java.util.Locale.ROOT)
                            + "/" + text(o, "involvedObject.name")),
                    Column.of("Message", "string", o -> text(o, "message").strip()));
            case "serviceaccounts" -> List.of(Column.of("Secrets", "integer", o -> (long) o.path("secrets").size()), age);
            case "persistentvolumeclaims" -> List.of(Column.of("Status", "string", o -> text(o, "status.phase")),
                    Column.of("Volume", "string", o -> text(o, "spec.volumeName")),
                    Column.of("Capacity", "string", o -> text(o, "status.capacity.storage")),
                    Column.of("Access Modes", "string", TableColumns::accessModes),
                    Column.of("StorageClass", "string", o -> text(o, "spec.storageClassName")), age);
            default -> null;
        };
    }

    /** The columns every other kind gets, as the API server's default: Name and Created At. */
    static List<Column> fallback() {
        return List.of(new Column("Created At", "date", "", 0, "CreationTimestamp is a timestamp representing the "
                + "server time when this object was created.", o -> text(o, "metadata.creationTimestamp")));
    }

    private static String podReady(JsonNode pod) {
        long ready = 0;
        for (JsonNode s : pod.path("status").path("containerStatuses")) {
            ready += s.path("ready").asBoolean(false) ? 1 : 0;
        }
        return ready + "/" + pod.path("spec").path("containers").size();
    }

    /** As kubectl prints it: the pod's reason, else a container's waiting or terminated reason, else the phase. */
    private static String podStatus(JsonNode pod) {
        if (pod.path("metadata").has("deletionTimestamp")) {
            return "Terminating";
        }
        String reason = text(pod, "status.reason");
        if (!reason.isEmpty()) {
            return reason;
        }
        String status = text(pod, "status.phase");
        for (JsonNode s : pod.path("status").path("containerStatuses")) {
            String waiting = text(s, "state.waiting.reason");
            String terminated = text(s, "state.terminated.reason");
            if (!waiting.isEmpty()) {
                status = waiting;
            } else if (!terminated.isEmpty()) {
                status = terminated;
            }
        }
        return status;
    }

    /** Gates whose condition is True, of the gates the pod declares. */
    private static String readinessGates(JsonNode pod) {
        JsonNode gates = pod.path("spec").path("readinessGates");
        if (gates.isEmpty()) {
            return "<none>";
        }
        long met = 0;
        for (JsonNode gate : gates) {
            for (JsonNode c : pod.path("status").path("conditions")) {
                if (text(c, "type").equals(text(gate, "conditionType")) && "True".equals(text(c, "status"))) {
                    met++;
                }
            }
        }
        return met + "/" + gates.size();
    }

    /** An event's last time: lastTimestamp, else eventTime, else when it was created. */
    private static String lastSeen(JsonNode event, Instant now) {
        for (String field : List.of("lastTimestamp", "eventTime", "firstTimestamp")) {
            if (instant(event.path(field)) != null) {
                return age(event.path(field), now);
            }
        }
        return age(event.path("metadata").path("creationTimestamp"), now);
    }

    private static String podRestarts(JsonNode pod) {
        long restarts = 0;
        for (JsonNode s : pod.path("status").path("containerStatuses")) {
            restarts += s.path("restartCount").asLong(0);
        }
        return String.valueOf(restarts);
    }

    private static String jobStatus(JsonNode job) {
        for (String type : List.of("Failed", "Complete", "Suspended", "FailureTarget", "SuccessCriteriaMet")) {
            for (JsonNode c : job.path("status").path("conditions")) {
                if (type.equals(text(c, "type")) && "True".equals(text(c, "status"))) {
                    return type;
                }
            }
        }
        return "Running";
    }

    private static String jobCompletions(JsonNode job) {
        long succeeded = number(job, "status.succeeded");
        JsonNode completions = job.path("spec").path("completions");
        if (completions.isNumber()) {
            return succeeded + "/" + completions.asLong();
        }
        long parallelism = number(job, "spec.parallelism", 1);
        return parallelism > 1 ? succeeded + "/1 of " + parallelism : succeeded + "/1";
    }

    private static String jobDuration(JsonNode job, Instant now) {
        Instant start = instant(job.path("status").path("startTime"));
        if (start == null) {
            return "";
        }
        Instant end = instant(job.path("status").path("completionTime"));
        return human(Duration.between(start, end == null ? now : end));
    }

    private static String nodeStatus(JsonNode node) {
        String status = "Unknown";
        for (JsonNode c : node.path("status").path("conditions")) {
            if ("Ready".equals(text(c, "type"))) {
                status = "True".equals(text(c, "status")) ? "Ready" : "NotReady";
            }
        }
        return node.path("spec").path("unschedulable").asBoolean(false) ? status + ",SchedulingDisabled" : status;
    }

    private static String nodeRoles(JsonNode node) {
        List<String> roles = new ArrayList<>();
        for (Map.Entry<String, JsonNode> label : node.path("metadata").path("labels").properties()) {
            if (label.getKey().startsWith("node-role.kubernetes.io/")) {
                roles.add(label.getKey().substring("node-role.kubernetes.io/".length()));
            } else if (label.getKey().equals("kubernetes.io/role")) {
                roles.add(label.getValue().asString());
            }
        }
        return roles.isEmpty() ? "<none>" : String.join(",", roles.stream().sorted().toList());
    }

    private static String externalIps(JsonNode svc) {
        List<String> ips = new ArrayList<>();
        svc.path("spec").path("externalIPs").forEach(n -> ips.add(n.asString()));
        for (JsonNode ingress : svc.path("status").path("loadBalancer").path("ingress")) {
            ips.add(ingress.has("ip") ? text(ingress, "ip") : text(ingress, "hostname"));
        }
        if (!ips.isEmpty()) {
            return String.join(",", ips);
        }
        return "LoadBalancer".equals(text(svc, "spec.type")) ? "<pending>" : "<none>";
    }

    private static String servicePorts(JsonNode svc) {
        List<String> ports = new ArrayList<>();
        for (JsonNode p : svc.path("spec").path("ports")) {
            String node = p.has("nodePort") ? ":" + p.path("nodePort").asLong() : "";
            ports.add(p.path("port").asLong() + node + "/" + text(p, "protocol", "TCP"));
        }
        return ports.isEmpty() ? "<none>" : String.join(",", ports);
    }

    private static String accessModes(JsonNode pvc) {
        Map<String, String> shortNames = Map.of("ReadWriteOnce", "RWO", "ReadOnlyMany", "ROX", "ReadWriteMany", "RWX",
                "ReadWriteOncePod", "RWOP");
        List<String> modes = new ArrayList<>();
        JsonNode source = pvc.path("status").path("accessModes").isEmpty() ? pvc.path("spec").path("accessModes")
                : pvc.path("status").path("accessModes");
        source.forEach(m -> modes.add(shortNames.getOrDefault(m.asString(), m.asString())));
        return String.join(",", modes);
    }

    private static String containers(JsonNode o, String path, String field) {
        List<String> out = new ArrayList<>();
        JsonPaths.find(o, "." + path).forEach(list -> list.forEach(c -> out.add(text(c, field))));
        return String.join(",", out);
    }

    private static String labels(JsonNode map) {
        List<String> out = new ArrayList<>();
        map.properties().forEach(e -> out.add(e.getKey() + "=" + e.getValue().asString()));
        return out.isEmpty() ? "<none>" : String.join(",", out);
    }

    static String text(JsonNode o, String dotted) {
        return text(o, dotted, "");
    }

    private static String text(JsonNode o, String dotted, String dflt) {
        JsonNode n = o;
        for (String part : dotted.split("\\.")) {
            n = n.path(part);
        }
        return n.isMissingNode() || n.isNull() ? dflt : n.asString(dflt);
    }

    private static long number(JsonNode o, String dotted) {
        return number(o, dotted, 0);
    }

    private static long number(JsonNode o, String dotted, long dflt) {
        JsonNode n = o;
        for (String part : dotted.split("\\.")) {
            n = n.path(part);
        }
        return n.isNumber() ? n.asLong() : dflt;
    }

    private static String orNone(String s) {
        return s == null || s.isEmpty() ? "<none>" : s;
    }

    static Instant instant(JsonNode timestamp) {
        if (!timestamp.isString()) {
            return null;
        }
        try {
            return Instant.parse(timestamp.asString());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** A timestamp's age the way kubectl prints one ({@code 45s}, {@code 3m12s}, {@code 5h}, {@code 2d3h}). */
    static String age(JsonNode timestamp, Instant now) {
        Instant at = instant(timestamp);
        return at == null ? "" : human(Duration.between(at, now));
    }

    /** Kubernetes' HumanDuration: two units at most, coarser as the duration grows. */
    static String human(Duration d) {
        long seconds = d.toSeconds();
        if (seconds < -1) {
            return "<invalid>";
        }
        if (seconds < 0) {
            return "0s";
        }
        if (seconds < 60 * 2) {
            return seconds + "s";
        }
        long minutes = seconds / 60;
        if (minutes < 10) {
            long s = seconds % 60;
            return s == 0 ? minutes + "m" : minutes + "m" + s + "s";
        }
        if (minutes < 60 * 3) {
            return minutes + "m";
        }
        long hours = minutes / 60;
        if (hours < 8) {
            long m = minutes % 60;
            return m == 0 ? hours + "h" : hours + "h" + m + "m";
        }
        if (hours < 48) {
            return hours + "h";
        }
        if (hours < 24 * 8) {
            long h = hours % 24;
            return h == 0 ? hours / 24 + "d" : hours / 24 + "d" + h + "h";
        }
        if (hours < 24 * 365 * 2) {
            return hours / 24 + "d";
        }
        if (hours < 24 * 365 * 8) {
            long days = hours / 24 % 365;
            return days == 0 ? hours / 24 / 365 + "y" : hours / 24 / 365 + "y" + days + "d";
        }
        return hours / 24 / 365 + "y";
    }
}
