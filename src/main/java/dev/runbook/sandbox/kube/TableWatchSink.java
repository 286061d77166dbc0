package dev.runbook.sandbox.kube;

import java.time.Instant;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A watch whose client asked for Tables ({@code kubectl get -w}): each event's object becomes a
 * one-row Table, so the watch prints the same columns as the get before it. ERROR and BOOKMARK
 * events pass unchanged.
 */
record TableWatchSink(WatchHub.Sink delegate, Tables tables, ResourceType type, String version, String includeObject)
        implements WatchHub.Sink {

    @Override
    public boolean send(String event) {
        JsonNode parsed = Json.parse(event);
        String kind = parsed.path("type").asString("");
        if (kind.equals("ERROR") || kind.equals("BOOKMARK") || !parsed.path("object").isObject()) {
            return delegate.send(event);
        }
        ObjectNode table = tables.render(type, parsed.path("object"), version, includeObject, Instant.now());
        return delegate.send(WatchHub.event(kind, table));
    }

    @Override
    public void close() {
        delegate.close();
    }
}
