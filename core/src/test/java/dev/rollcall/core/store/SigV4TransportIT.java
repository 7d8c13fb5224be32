package dev.rollcall.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opensearch.client.opensearch.OpenSearchClient;

import com.sun.net.httpserver.HttpServer;

import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpRequest;

import dev.rollcall.core.alert.AlertJson;
import dev.rollcall.servers.ClosedPort;
import dev.rollcall.servers.junit.RealServers;
import dev.rollcall.servers.junit.TestOpenSearch;

/**
 * The client every Lambda and the job use in AWS (SigV4, AwsSdk2Transport) against the real node: each request is
 * built for the domain and signed for {@code es} in its region, then sent to the local node instead, which ignores the
 * signature. Template installation, bulk writes and the generic searches the API and the job send all work through it.
 */
@RealServers
class SigV4TransportIT {

    private static final String DOMAIN = "vpc-rollcall-abc123.us-east-1.es.amazonaws.com";

    /** Sends what the transport built for the domain to the local node, keeping each request as it was signed. */
    private static final class ToLocalNode implements SdkHttpClient {
        private final SdkHttpClient delegate;
        private final URI node;
        private final List<SdkHttpRequest> signed = new CopyOnWriteArrayList<>();

        ToLocalNode(URI node, OpenSearchConfig domain) {
            this.node = node;
            this.delegate = OpenSearchClients.signingHttp(domain);
        }

        @Override
        public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
            signed.add(request.httpRequest());
            SdkHttpRequest local = request.httpRequest().toBuilder().protocol(node.getScheme()).host(node.getHost()).port(node.getPort()).build();
            return delegate.prepareRequest(HttpExecuteRequest.builder().request(local)
                    .contentStreamProvider(request.contentStreamProvider().orElse(null)).build());
        }

        @Override
        public void close() {
            delegate.close();
        }
    }

    @Test
    void templatesBulkWritesAndSearchesAreSignedForTheDomainAndWork(TestOpenSearch openSearch) throws Exception {
        IndexNames names = new IndexNames(TestOpenSearch.uniquePrefix("sigv4"));
        OpenSearchConfig domain = new OpenSearchConfig(URI.create("https://" + DOMAIN), OpenSearchConfig.Auth.SIGV4, "us-east-1",
                names, 0, Duration.ofSeconds(30));
        try (ToLocalNode http = new ToLocalNode(openSearch.uri(), domain)) {
            OpenSearchClient client = OpenSearchClients.signed(domain, http);

            new IndexTemplateInstaller(client, names, 0).install();
            BulkResult stored = new AlertStore(new BulkIndexer(client), names).store(AlertStoreIT.alerts("signed", 20), Instant.now().plusSeconds(30));
            openSearch.refresh(names.eventsPattern());
            OpenSearchHttp.Answer search = new OpenSearchHttp(client).postJson("/" + names.eventsPattern() + "/_search",
                    Map.of("track_total_hits", "true"), "{\"size\":0}".getBytes(StandardCharsets.UTF_8));

            assertThat(stored.allSucceeded()).as("%s", stored.counts()).isTrue();
            assertThat(search.ok()).as(search.text()).isTrue();
            assertThat(AlertJson.readTree(search.body()).path("hits").path("total").path("value").asInt()).isEqualTo(20);
            assertThat(openSearch.count(names.eventsPattern())).isEqualTo(20);
            assertThat(http.signed).hasSizeGreaterThanOrEqualTo(3).allSatisfy(request -> {
                assertThat(request.protocol()).isEqualTo("https");
                assertThat(request.host()).isEqualTo(DOMAIN);
                assertThat(request.firstMatchingHeader("Authorization")).hasValueSatisfying(authorization ->
                        assertThat(authorization).startsWith("AWS4-HMAC-SHA256 Credential=").contains("/us-east-1/es/aws4_request"));
            });
        }
    }

    /** The job closes its point-in-time and scroll contexts with DELETE requests that carry a body. */
    @Test
    void deleteRequestsWithABodyReachTheNode(TestOpenSearch openSearch) throws Exception {
        IndexNames names = new IndexNames(TestOpenSearch.uniquePrefix("sigv4-delete"));
        OpenSearchConfig domain = domain(names);
        try (ToLocalNode http = new ToLocalNode(openSearch.uri(), domain)) {
            OpenSearchHttp signed = new OpenSearchHttp(OpenSearchClients.signed(domain, http));
            new AlertStore(new BulkIndexer(OpenSearchClients.signed(domain, http)), names)
                    .store(AlertStoreIT.alerts("pit", 3), Instant.now().plusSeconds(30));
            openSearch.refresh(names.eventsPattern());

            OpenSearchHttp.Answer pit = signed.postJson("/" + names.eventsPattern() + "/_search/point_in_time",
                    Map.of("keep_alive", "5m"), null);
            assertThat(pit.ok()).as(pit.text()).isTrue();
            String pitId = AlertJson.readTree(pit.body()).path("pit_id").asText();
            OpenSearchHttp.Answer closed = signed.execute("DELETE", "/_search/point_in_time", null,
                    ("{\"pit_id\":[\"" + pitId + "\"]}").getBytes(StandardCharsets.UTF_8), "application/json");
            assertThat(closed.ok()).as(closed.text()).isTrue();
            assertThat(AlertJson.readTree(closed.body()).path("pits").path(0).path("successful").asBoolean()).isTrue();

            OpenSearchHttp.Answer scroll = signed.postJson("/" + names.eventsPattern() + "/_search", Map.of("scroll", "1m"),
                    "{\"size\":1}".getBytes(StandardCharsets.UTF_8));
            String scrollId = AlertJson.readTree(scroll.body()).path("_scroll_id").asText();
            OpenSearchHttp.Answer cleared = signed.execute("DELETE", "/_search/scroll", null,
                    ("{\"scroll_id\":[\"" + scrollId + "\"]}").getBytes(StandardCharsets.UTF_8), "application/json");
            assertThat(cleared.ok()).as(cleared.text()).isTrue();
            assertThat(AlertJson.readTree(cleared.body()).path("num_freed").asInt()).isEqualTo(1);
        }
    }

    /**
     * A domain that refuses (a role mapping missing: 403; throttled: 429) answers; it must come back as an answer with
     * its status, never as an exception the caller did not expect: AwsSdk2Transport throws an unchecked
     * OpenSearchException for a 403, which made every API route a 500 instead of the documented refusal.
     */
    @ParameterizedTest
    @ValueSource(ints = {400, 401, 403, 404, 429, 500, 503})
    void anErrorStatusOfTheDomainIsAnAnswerWithThatStatus(int status) throws Exception {
        HttpServer refusing = answering(status, "{\"message\":\"refused with " + status + "\"}");
        OpenSearchConfig domain = domain(new IndexNames("rollcall"));
        try (ToLocalNode http = new ToLocalNode(URI.create("http://127.0.0.1:" + refusing.getAddress().getPort()), domain)) {
            OpenSearchHttp signed = new OpenSearchHttp(OpenSearchClients.signed(domain, http));

            OpenSearchHttp.Answer answer = signed.get("/rollcall-state/_doc/rollups-change");

            assertThat(answer.status()).isEqualTo(status);
            assertThat(answer.ok()).isFalse();
        } finally {
            refusing.stop(0);
        }
    }

    /**
     * Amazon OpenSearch Service's write block (JVM memory pressure, storage) refuses a whole _bulk with 403. Through
     * the signed transport the error's type is lost (it reads as a security exception) and only its reason is kept:
     * the documents must still wait as writes blocked, not send the operator to the role mapping.
     */
    @Test
    void aWriteBlockRefusingTheWholeBulkIsReportedAsOneThroughTheSignedTransport() throws Exception {
        HttpServer blocking = answering(403, "{\"error\":{\"root_cause\":[{\"type\":\"cluster_block_exception\","
                + "\"reason\":\"blocked by: [FORBIDDEN/8/index write (api)];\"}],\"type\":\"cluster_block_exception\","
                + "\"reason\":\"blocked by: [FORBIDDEN/8/index write (api)];\"},\"status\":403}");
        OpenSearchConfig domain = domain(new IndexNames("rollcall"));
        try (ToLocalNode http = new ToLocalNode(URI.create("http://127.0.0.1:" + blocking.getAddress().getPort()), domain)) {
            BulkIndexer indexer = new BulkIndexer(OpenSearchClients.signed(domain, http));

            BulkResult result = indexer.write(List.of(new BulkDocument("rollcall-events-2026.07", "e-1",
                    "{\"a\":1}".getBytes(StandardCharsets.UTF_8), true)), Instant.now().plusSeconds(5));

            assertThat(result.outcomes()).singleElement().satisfies(outcome -> {
                assertThat(outcome.status()).isEqualTo(ItemOutcome.Status.RETRY_LATER);
                assertThat(outcome.reason()).startsWith(BulkIndexer.WRITES_BLOCKED).doesNotContain("role mapping");
            });
        } finally {
            blocking.stop(0);
        }
    }

    /** A server on a free loopback port that answers every request with {@code status} and the JSON {@code body}. */
    private static HttpServer answering(int status, String body) throws java.io.IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        return server;
    }

    /**
     * The deployed client, not the test's wrapper (which would hide it), accepts a DELETE with a body: with the SDK's
     * Apache client the transport refuses it before sending, so this one gets as far as the closed port.
     */
    @Test
    void theDeployedClientSendsDeleteBodies() {
        OpenSearchConfig closed = new OpenSearchConfig(URI.create("https://127.0.0.1:" + ClosedPort.number()), OpenSearchConfig.Auth.SIGV4,
                "us-east-1", new IndexNames("rollcall"), 0, Duration.ofSeconds(2));
        OpenSearchHttp http = new OpenSearchHttp(OpenSearchClients.create(closed));

        assertThatThrownBy(() -> http.execute("DELETE", "/_search/point_in_time", null,
                "{\"pit_id\":[\"x\"]}".getBytes(StandardCharsets.UTF_8), "application/json"))
                .isInstanceOf(java.io.IOException.class)
                .satisfies(e -> assertThat(chain(e)).doesNotContain("does not support request bodies").containsIgnoringCase("connect"));
    }

    private static OpenSearchConfig domain(IndexNames names) {
        return new OpenSearchConfig(URI.create("https://" + DOMAIN), OpenSearchConfig.Auth.SIGV4, "us-east-1", names, 0, Duration.ofSeconds(30));
    }

    private static String chain(Throwable e) {
        StringBuilder messages = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            messages.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage()).append('\n');
        }
        return messages.toString();
    }
}
