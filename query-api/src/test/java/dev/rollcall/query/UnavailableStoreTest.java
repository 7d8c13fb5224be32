package dev.rollcall.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;

import dev.rollcall.core.store.IndexNames;
import dev.rollcall.core.store.OpenSearchConfig;
import dev.rollcall.servers.ClosedPort;
import dev.rollcall.servers.SilentServer;

/** OpenSearch down is a 503 the client may retry, never a 500; health says so too, as a 502 (OpenSearch's, not the rollups'). */
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

    /** A store that accepts the connection and never answers is the same 503, once the configured timeout passes. */
    @Test
    void aStoreThatNeverAnswersIs503AfterItsTimeout() {
        try (SilentServer store = SilentServer.start()) {
            QueryApiHandler waiting = new QueryApiHandler(QueryApiConfig.local(new OpenSearchConfig(store.uri(), OpenSearchConfig.Auth.NONE,
                    null, new IndexNames("hung"), 0, Duration.ofSeconds(1))));

            APIGatewayV2HTTPResponse response = QueryApiFixtures.call(waiting, HttpApiEvents.get("/v1/rollups", "from=2026-01-01&to=2026-01-02"));

            assertThat(store.accepted()).as("the client connected and waited").isPositive();
            assertThat(response.getStatusCode()).isEqualTo(503);
            assertThat(QueryApiFixtures.json(response).path("message").asText()).startsWith("OpenSearch did not answer (");
        }
    }

    /** A probe's 503 is looked up in the log first: a warning says why, as the body does. */
    @Test
    void healthIs502() {
        APIGatewayV2HTTPResponse response;
        try (LogCapture logs = LogCapture.start()) {
            response = QueryApiFixtures.call(handler, HttpApiEvents.get("/v1/health"));
            assertThat(logs.lines()).filteredOn(line -> line.path("message").asText().startsWith("health unavailable: "))
                    .singleElement().satisfies(line -> {
                        assertThat(line.path("level").asText()).isEqualTo("WARN");
                        assertThat(line.path("message").asText()).contains("OpenSearch did not answer (");
                        assertThat(line.path("route").asText()).isEqualTo("health");
                        assertThat(line.has("stack_trace")).isFalse();
                    });
        }
        assertThat(response.getStatusCode()).isEqualTo(502);
        JsonNode body = QueryApiFixtures.json(response);
        assertThat(body.path("status").asText()).isEqualTo("unavailable");
        assertThat(body.path("opensearch").asText()).isEqualTo("unreachable");
        assertThat(body.path("reason").asText()).startsWith("OpenSearch did not answer (");
    }

    @Test
    void inputErrorsStillComeFirst() {
        APIGatewayV2HTTPResponse response = QueryApiFixtures.call(handler, HttpApiEvents.get("/v1/rollups", "from=2026-01-02&to=2026-01-01"));
        assertThat(response.getStatusCode()).isEqualTo(400);
    }
}
