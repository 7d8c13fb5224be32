package dev.rollcall.servers;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.rollcall.servers.junit.RealServers;
import dev.rollcall.servers.junit.TestOpenSearch;

/** The proxy's faults against the real OpenSearch: which ones the server sees, and what the client is told. */
@RealServers
class FaultInjectingProxyIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aFaultBeforeForwardingNeverReachesTheServer(TestOpenSearch openSearch) {
        String index = TestOpenSearch.uniquePrefix("proxy-before");
        try (FaultInjectingProxy proxy = FaultInjectingProxy.start(openSearch.uri())) {
            proxy.failNext(1, 429, path -> path.endsWith("/_bulk"));

            TestOpenSearch.Response answer = new TestOpenSearch(proxy.uri()).request("POST", "/_bulk", bulk(index));

            assertThat(answer.status()).isEqualTo(429);
            assertThat(proxy.forwarded()).isZero();
            assertThat(openSearch.count(index)).isZero();
        }
    }

    @Test
    void aFaultAfterForwardingHidesAWriteTheServerMade(TestOpenSearch openSearch) {
        String index = TestOpenSearch.uniquePrefix("proxy-after");
        try (FaultInjectingProxy proxy = FaultInjectingProxy.start(openSearch.uri())) {
            proxy.failAfterForwardingNext(1, 503, path -> path.endsWith("/_bulk"));

            TestOpenSearch.Response answer = new TestOpenSearch(proxy.uri()).request("POST", "/_bulk", bulk(index));

            assertThat(answer.status()).isEqualTo(503);
            assertThat(proxy.forwarded()).isEqualTo(1);
            assertThat(proxy.faultsServed()).isEqualTo(1);
            assertThat(openSearch.count(index)).isEqualTo(2);
        }
    }

    @Test
    void bulkItemsAreRewrittenAfterTheServerStoredThemAndOnlyForTheCountGiven(TestOpenSearch openSearch) throws Exception {
        String index = TestOpenSearch.uniquePrefix("proxy-items");
        try (FaultInjectingProxy proxy = FaultInjectingProxy.start(openSearch.uri())) {
            TestOpenSearch throughProxy = new TestOpenSearch(proxy.uri());
            proxy.rewriteBulkItemsAfterForwardingNext(1, 429, path -> path.endsWith("/_bulk"));

            TestOpenSearch.Response rewritten = throughProxy.request("POST", "/_bulk", bulk(index));
            TestOpenSearch.Response next = throughProxy.request("POST", "/_bulk", bulk(index));

            JsonNode told = JSON.readTree(rewritten.body());
            assertThat(rewritten.status()).isEqualTo(200);
            assertThat(told.path("errors").asBoolean()).isTrue();
            assertThat(told.path("items").findValues("status")).extracting(JsonNode::asInt).containsExactly(429, 429);
            assertThat(openSearch.count(index)).as("stored although the client was told 429").isEqualTo(2);
            // The next one passes untouched: the real answer to creating the same ids again is 409 per item.
            assertThat(JSON.readTree(next.body()).path("items").findValues("status")).extracting(JsonNode::asInt)
                    .containsExactly(409, 409);
            assertThat(proxy.forwarded()).isEqualTo(2);
            assertThat(proxy.faultsServed()).isEqualTo(1);
        }
    }

    private static String bulk(String index) {
        return "{\"create\":{\"_index\":\"" + index + "\",\"_id\":\"1\"}}\n{\"n\":1}\n"
                + "{\"create\":{\"_index\":\"" + index + "\",\"_id\":\"2\"}}\n{\"n\":2}\n";
    }
}
