package dev.rollcall.query;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;

import dev.rollcall.core.store.OpenSearchConfig;
import dev.rollcall.servers.ClosedPort;

/** OpenSearch down is a 503 the client may retry, never a 500; health says so too. */
class UnavailableStoreTest {

    private static QueryApiHandler handler;

    @BeforeAll
    static void pointAtAClosedPort() {
        handler = new QueryApiHandler(QueryApiConfig.local(OpenSearchConfig.local(ClosedPort.http(), "down")));
    }

    @Test
    void reportsAre503WithRetryAfter() {
        for (String[] call : new String[][] {{"/v1/rollups", "from=2026-01-01&to=2026-01-02"}, {"/v1/noise", "from=2026-01-01&to=2026-01-02"},
                {"/v1/alerts/top", "from=2026-01-01&to=2026-01-02"}, {"/v1/oncall", ""}, {"/v1/services", ""}}) {
            APIGatewayV2HTTPResponse response = QueryApiFixtures.call(handler, HttpApiEvents.get(call[0], call[1]));
            assertThat(response.getStatusCode()).as(call[0]).isEqualTo(503);
            assertThat(QueryApiFixtures.header(response, "Retry-After")).isEqualTo("1");
            JsonNode error = QueryApiFixtures.json(response);
            assertThat(error.path("error").asText()).isEqualTo("unavailable");
            assertThat(error.path("message").asText()).startsWith("OpenSearch did not answer (").endsWith("); retry shortly");
        }
    }

    @Test
    void healthIs503() {
        APIGatewayV2HTTPResponse response = QueryApiFixtures.call(handler, HttpApiEvents.get("/v1/health"));
        assertThat(response.getStatusCode()).isEqualTo(503);
        assertThat(QueryApiFixtures.json(response).path("status").asText()).isEqualTo("unavailable");
    }

    @Test
    void inputErrorsStillComeFirst() {
        APIGatewayV2HTTPResponse response = QueryApiFixtures.call(handler, HttpApiEvents.get("/v1/rollups", "from=2026-01-02&to=2026-01-01"));
        assertThat(response.getStatusCode()).isEqualTo(400);
    }
}
