package dev.rollcall.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;

import dev.rollcall.core.alert.AlertJson;
import dev.rollcall.core.config.FunctionBudgets;
import dev.rollcall.core.store.OpenSearchConfig;
import dev.rollcall.query.QueryApi;
import dev.rollcall.query.QueryApiConfig;
import dev.rollcall.query.QueryApiHandler;
import dev.rollcall.servers.ClosedPort;

/**
 * The local HTTP API hands each function the request as API Gateway would: the path as the client sent it. The query
 * API is the real function, as local mode registers it (its OpenSearch down: the routes asked here need none).
 */
class HttpApiEndpointTest {

    private final List<JsonNode> webhookEvents = new CopyOnWriteArrayList<>();
    private HttpApiEndpoint endpoint;

    @BeforeEach
    void start() {
        QueryApiHandler query = new QueryApiHandler(QueryApi.create(QueryApiConfig.local(
                OpenSearchConfig.local(ClosedPort.http(), "rollcall")), null));
        LocalFunctions functions = new LocalFunctions()
                .register(LocalPipeline.QUERY_API, LambdaRuntimeAdapter.of(LocalPipeline.QUERY_API, query,
                        APIGatewayV2HTTPEvent.class, APIGatewayV2HTTPResponse.class, FunctionBudgets.QUERY_TIMEOUT))
                .register(LocalPipeline.INGEST_WEBHOOK, event -> {
                    webhookEvents.add(AlertJson.readTree(event));
                    return "{\"statusCode\":202,\"body\":\"{}\"}";
                });
        endpoint = new HttpApiEndpoint(0, functions, LocalPipeline.INGEST_WEBHOOK, LocalPipeline.QUERY_API);
        endpoint.start();
    }

    @AfterEach
    void stop() {
        endpoint.close();
    }

    /**
     * The JDK server reads a target starting {@code //} as an authority and a path ({@code //v1//openapi.json}: host
     * {@code v1}, path {@code //openapi.json}); API Gateway passes the path as sent, which the query API's router
     * takes as {@code /v1/openapi.json}.
     */
    @Test
    void aPathWithDuplicateSlashesReachesTheQueryApiAsSent() throws IOException {
        String plain = get("/v1/openapi.json");
        assertThat(plain).startsWith("HTTP/1.1 200").contains("\"openapi\"");
        String doubled = get("//v1//openapi.json?");
        assertThat(doubled).startsWith("HTTP/1.1 200");
        assertThat(body(doubled)).isEqualTo(body(plain));
        // A path of no route is named as sent, not as the JDK misread it.
        assertThat(get("//v1//nothing-here")).startsWith("HTTP/1.1 404").contains("no route GET //v1//nothing-here");
    }

    @Test
    void theWebhookFunctionGetsThePathAsSent() throws IOException {
        String host = "127.0.0.1:" + endpoint.port();
        assertThat(HttpEndpointTest.request(endpoint.port(), "POST", "/v1/events/alertmanager?x=1", host, "Content-Length: 2\r\n", "{}"))
                .startsWith("HTTP/1.1 202");
        assertThat(webhookEvents).singleElement().satisfies(event -> {
            assertThat(event.path("rawPath").asText()).isEqualTo("/v1/events/alertmanager");
            assertThat(event.path("requestContext").path("http").path("path").asText()).isEqualTo("/v1/events/alertmanager");
            assertThat(event.path("rawQueryString").asText()).isEqualTo("x=1");
            assertThat(event.path("pathParameters").path("source").asText()).isEqualTo("alertmanager");
        });
        // Not the webhook route's path as sent, so the query API's: its 404 names the path the client sent, where
        // the JDK's reading of it named another (/events/alertmanager).
        assertThat(HttpEndpointTest.request(endpoint.port(), "POST", "//v1/events/alertmanager", host, "Content-Length: 2\r\n", "{}"))
                .startsWith("HTTP/1.1 404").contains("no route POST //v1/events/alertmanager");
        assertThat(webhookEvents).hasSize(1);
        // The source decoded once and strictly: a '+' is a plus in a path, and an escape that is no UTF-8 a 400.
        assertThat(HttpEndpointTest.request(endpoint.port(), "POST", "/v1/events/my+source", host, "Content-Length: 2\r\n", "{}"))
                .startsWith("HTTP/1.1 202");
        assertThat(webhookEvents.get(1).path("pathParameters").path("source").asText()).isEqualTo("my+source");
        assertThat(HttpEndpointTest.request(endpoint.port(), "POST", "/v1/events/%FF", host, "Content-Length: 2\r\n", "{}"))
                .startsWith("HTTP/1.1 400").contains("malformed %-escape");
        assertThat(webhookEvents).hasSize(2);
    }

    /**
     * A request line over API Gateway's limit is its 414, before any function runs: an 819 KB query string too, which
     * the JDK server's own limit (380 KiB unless raised) answered with a reset connection.
     */
    @Test
    void aRequestLineOverApiGatewaysLimitIs414() throws IOException {
        String prefix = "/v1/openapi.json?pad=";
        int fits = HttpApiEndpoint.MAX_REQUEST_LINE_BYTES - "GET ".length() - " HTTP/1.1".length() - prefix.length();
        assertThat(get(prefix + "p".repeat(fits))).as("at the limit: the query API's own answer")
                .startsWith("HTTP/1.1 400").contains("pad");
        assertThat(get(prefix + "p".repeat(fits + 1))).startsWith("HTTP/1.1 414").endsWith("{\"message\":\"Request-URI Too Long\"}");
        assertThat(get("/v1/services?q=" + "q".repeat(819 * 1024))).startsWith("HTTP/1.1 414")
                .endsWith("{\"message\":\"Request-URI Too Long\"}");
    }

    private String get(String target) throws IOException {
        return HttpEndpointTest.request(endpoint.port(), "GET", target, "127.0.0.1:" + endpoint.port(), "", "");
    }

    private static String body(String answer) {
        return answer.substring(answer.indexOf("\r\n\r\n") + 4);
    }
}
