package dev.rollcall.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;
import org.opensearch.client.opensearch.OpenSearchClient;

import dev.rollcall.core.alert.AlertJson;
import dev.rollcall.servers.junit.RealServers;
import dev.rollcall.servers.junit.TestOpenSearch;

/** A release whose template adds a field: the indices the previous release created take it too. */
@RealServers
class TemplateUpgradeIT {

    @Test
    void aNewerTemplatesFieldsReachTheStrictIndicesAnOlderOneCreated(TestOpenSearch openSearch) {
        IndexNames names = new IndexNames(TestOpenSearch.uniquePrefix("fields"));
        OpenSearchClient client = client(openSearch, names);
        IndexTemplateInstaller installer = new IndexTemplateInstaller(client, names, 0);
        // As the previous release (template v4) left it: without the fields v5 adds, and a rollup index.
        ObjectNode older = (ObjectNode) installer.templateBody("rollups");
        older.put("version", older.path("version").asInt() - 1);
        ObjectNode properties = (ObjectNode) older.path("template").path("mappings").path("properties");
        for (String added : new String[] {"classified", "actionable", "resolve_ms_min", "resolve_ms_max"}) {
            JsonNode removed = properties.remove(added);
            assertThat(removed).as("the field the test takes out").isNotNull();
        }
        openSearch.request("PUT", "/_index_template/" + names.prefix() + "-rollups", AlertJson.toJson(older));
        String index = names.rollupsIndex("day");
        openSearch.request("PUT", "/" + index, null);
        String document = "{\"interval\":\"day\",\"events\":3,\"classified\":2,\"actionable\":1,\"resolve_ms_min\":60000,\"resolve_ms_max\":90000}";
        assertThat(openSearch.request("PUT", "/" + index + "/_doc/a", document).status())
                .as("strict: the old index refuses the new field").isEqualTo(400);

        assertThat(installer.install()).containsEntry(names.prefix() + "-rollups", IndexTemplateInstaller.Action.UPDATED);

        assertThat(openSearch.request("PUT", "/" + index + "/_doc/a", document).status()).isEqualTo(201);
    }

    /**
     * A domain grown from one node to two zones (the stack then sets a replica) or shrunk back: the indices created
     * before get the new count too, or they would lose their primaries with a zone, or stay yellow for good.
     */
    @Test
    void aChangedReplicaCountReachesTheTemplatesAndEveryIndexTheyCreated(TestOpenSearch openSearch) {
        IndexNames names = new IndexNames(TestOpenSearch.uniquePrefix("replicas"));
        OpenSearchClient client = client(openSearch, names);
        assertThat(new IndexTemplateInstaller(client, names, 0).install()).containsOnlyKeys(templates(names))
                .allSatisfy((name, action) -> assertThat(action).isEqualTo(IndexTemplateInstaller.Action.CREATED));
        String events = names.eventsIndex(java.time.Instant.parse("2026-11-05T00:00:00Z"));
        String rollups = names.rollupsIndex("day");
        String state = names.stateIndex();
        for (String index : new String[] {events, rollups, state}) {
            assertThat(openSearch.request("PUT", "/" + index, null).status()).isEqualTo(200);
            assertThat(replicas(openSearch, index)).isEqualTo(0);
        }

        // The job's installer (an older job definition's, retried after the deployment) leaves replicas alone.
        assertThat(new IndexTemplateInstaller(client, names, 1).install())
                .allSatisfy((name, action) -> assertThat(action).isEqualTo(IndexTemplateInstaller.Action.UNCHANGED));
        assertThat(replicas(openSearch, rollups)).isEqualTo(0);

        IndexTemplateInstaller twoZones = new IndexTemplateInstaller(client, names, 1).reconcilingReplicas();
        assertThat(twoZones.install()).allSatisfy((name, action) -> assertThat(action).isEqualTo(IndexTemplateInstaller.Action.UPDATED));
        for (String index : new String[] {events, rollups, state}) {
            assertThat(replicas(openSearch, index)).as(index).isEqualTo(1);
        }
        String nextMonth = names.eventsIndex(java.time.Instant.parse("2026-12-05T00:00:00Z"));
        assertThat(openSearch.request("PUT", "/" + nextMonth, null).status()).isEqualTo(200);
        assertThat(replicas(openSearch, nextMonth)).as("an index the template creates after the change").isEqualTo(1);
        assertThat(twoZones.install()).as("done once").allSatisfy((name, action) -> assertThat(action).isEqualTo(IndexTemplateInstaller.Action.UNCHANGED));

        // The same release back on one node.
        assertThat(new IndexTemplateInstaller(client, names, 0).reconcilingReplicas().install())
                .allSatisfy((name, action) -> assertThat(action).isEqualTo(IndexTemplateInstaller.Action.UPDATED));
        for (String index : new String[] {events, nextMonth, rollups, state}) {
            assertThat(replicas(openSearch, index)).as(index).isEqualTo(0);
        }
    }

    /** A newer release's template is never rewritten by an older one, whatever replica count the older one has. */
    @Test
    void anOlderReleaseLeavesANewerTemplatesReplicasAlone(TestOpenSearch openSearch) {
        IndexNames names = new IndexNames(TestOpenSearch.uniquePrefix("replicas-newer"));
        OpenSearchClient client = client(openSearch, names);
        IndexTemplateInstaller newer = new IndexTemplateInstaller(client, names, 1);
        ObjectNode body = (ObjectNode) newer.templateBody("state");
        body.put("version", body.path("version").asInt() + 1);
        openSearch.request("PUT", "/_index_template/" + names.prefix() + "-state", AlertJson.toJson(body));
        assertThat(openSearch.request("PUT", "/" + names.stateIndex(), null).status()).isEqualTo(200);

        assertThat(new IndexTemplateInstaller(client, names, 0).reconcilingReplicas().install())
                .containsEntry(names.prefix() + "-state", IndexTemplateInstaller.Action.UNCHANGED);
        assertThat(replicas(openSearch, names.stateIndex())).isEqualTo(1);
    }

    private static OpenSearchClient client(TestOpenSearch openSearch, IndexNames names) {
        return OpenSearchClients.create(OpenSearchConfig.local(openSearch.uri(), names.prefix()));
    }

    private static java.util.List<String> templates(IndexNames names) {
        return IndexTemplateInstaller.TEMPLATES.stream().map(t -> names.prefix() + "-" + t).toList();
    }

    private static int replicas(TestOpenSearch openSearch, String index) {
        TestOpenSearch.Response answer = openSearch.request("GET", "/" + index + "/_settings/index.number_of_replicas", null);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return AlertJson.readTree(answer.body()).path(index).path("settings").path("index").path("number_of_replicas").asInt(-1);
    }
}
