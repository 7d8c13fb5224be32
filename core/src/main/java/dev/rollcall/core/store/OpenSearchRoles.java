package dev.rollcall.core.store;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rollcall's roles for OpenSearch's security plugin (fine-grained access control): what the ingest functions, the
 * aggregation job and the query API may do inside a domain, as bodies of {@code PUT _plugins/_security/api/roles/NAME}.
 *
 * <p>They live beside the clients whose requests they must allow, so that a change to what a component sends and to
 * what its role permits are reviewed together; the CDK stack installs them as they are.
 */
public final class OpenSearchRoles {

    private OpenSearchRoles() {
    }

    /** The role of the aggregation job, which reads the raw events and owns the rollups and its own state. */
    public static String writer(IndexNames names) {
        return names.prefix() + "_writer";
    }

    /** The role of the ingest functions, which parse the least trusted input. */
    public static String ingest(IndexNames names) {
        return names.prefix() + "_ingest";
    }

    /** The role of the query API, which reads rollups and the job's state. */
    public static String reader(IndexNames names) {
        return names.prefix() + "_reader";
    }

    /** Every role by name, in the order a deployment should write them. */
    public static Map<String, Map<String, Object>> definitions(IndexNames names) {
        Map<String, Map<String, Object>> roles = new LinkedHashMap<>();
        roles.put(writer(names), Map.of(
                // Clearing a scroll is a cluster action that cluster_composite_ops (scroll, not scroll/clear) leaves out.
                // Composable index templates only (IndexTemplateInstaller): no legacy _template actions.
                "cluster_permissions", List.of("cluster_composite_ops", "cluster_monitor", "indices:data/read/scroll/clear",
                        "indices:admin/index_template/*"),
                "index_permissions", List.of(
                        Map.of("index_patterns", List.of(names.rollupsPattern(), names.stateIndex()),
                                "allowed_actions", List.of("indices_all")),
                        // The raw events it reads (a point-in-time scan) and never changes; its template installer
                        // brings their mapping and settings to a newer template's, as the ingest functions' does.
                        Map.of("index_patterns", List.of(names.eventsPattern()),
                                "allowed_actions", List.of("read", "indices:admin/mapping/put", "indices:admin/settings/update")))));
        roles.put(ingest(names), Map.of(
                "cluster_permissions", List.of("cluster_composite_ops", "cluster_monitor", "indices:admin/index_template/*"),
                "index_permissions", List.of(
                        Map.of("index_patterns", List.of(names.eventsPattern()),
                                "allowed_actions", List.of("indices:data/write/index", "indices:data/write/bulk*",
                                        "indices:admin/create", "indices:admin/mapping/put", "indices:admin/settings/update")),
                        // What IndexTemplateInstaller sends to the indices of a newer template: PUT _mapping, _settings.
                        Map.of("index_patterns", List.of(names.rollupsPattern(), names.stateIndex()),
                                "allowed_actions", List.of("indices:admin/mapping/put", "indices:admin/settings/update")))));
        roles.put(reader(names), Map.of(
                "cluster_permissions", List.of("cluster_composite_ops_ro", "cluster_monitor"),
                // The query API reads rollups and the job's state, never the raw events and their full payloads.
                "index_permissions", List.of(Map.of(
                        "index_patterns", List.of(names.rollupsPattern(), names.stateIndex()),
                        "allowed_actions", List.of("read", "indices_monitor")))));
        return roles;
    }
}
