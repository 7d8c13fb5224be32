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
        OpenSearchClient client = OpenSearchClients.create(OpenSearchConfig.local(openSearch.uri(), names.prefix()));
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
}
