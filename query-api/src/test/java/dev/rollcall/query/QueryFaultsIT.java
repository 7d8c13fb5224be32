package dev.rollcall.query;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opensearch.client.opensearch.OpenSearchClient;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;

import dev.rollcall.core.store.IndexNames;
import dev.rollcall.core.store.OpenSearchClients;
import dev.rollcall.core.store.OpenSearchConfig;
import dev.rollcall.core.store.OpenSearchHttp;
import dev.rollcall.core.store.RollupsChange;
import dev.rollcall.query.reports.RollupSearch;
import dev.rollcall.servers.FaultInjectingProxy;
import dev.rollcall.servers.junit.RealServers;
import dev.rollcall.servers.junit.TestOpenSearch;

/**
 * The real OpenSearch behind a proxy that refuses searches: a busy or failing cluster is a 503 the client may
 * retry, a refused query a 502, never a 500, and the next request after the fault answers in full.
 */
@RealServers
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QueryFaultsIT {

    private static final String ROLLUPS = "/v1/rollups";
    private static final String DAYS_BY_SERVICE = "from=2026-01-01&to=2026-02-01&group_by=service";

    private FaultInjectingProxy proxy;
    private QueryApiHandler direct;
    private QueryApiHandler throughProxy;

    @BeforeAll
    void writeRollups(TestOpenSearch openSearch) {
        IndexNames names = RollupDataset.writeTo(openSearch, "queryfaults");
        proxy = FaultInjectingProxy.start(openSearch.uri());
        direct = handler(OpenSearchClients.create(OpenSearchConfig.local(openSearch.uri(), names.prefix())), names);
        throughProxy = handler(OpenSearchClients.create(OpenSearchConfig.local(proxy.uri(), names.prefix())), names);
    }

    @AfterAll
    void stopProxy() {
        proxy.close();
    }

    private static QueryApiHandler handler(OpenSearchClient client, IndexNames names) {
        return QueryApiFixtures.handler(new RollupSearch(new OpenSearchHttp(client), names), new RecordingAggregationJobs(), line -> { });
    }

    @ParameterizedTest
    @ValueSource(ints = {429, 500, 503})
    void aBusyOrFailingClusterIsARetryable503AndTheRetryAnswersInFull(int status) {
        proxy.failNext(1, status, path -> path.endsWith("/_search") || path.endsWith("/_msearch"));
        int servedBefore = proxy.faultsServed();

        APIGatewayV2HTTPResponse refused = QueryApiFixtures.call(throughProxy, HttpApiEvents.get(ROLLUPS, DAYS_BY_SERVICE));

        assertThat(proxy.faultsServed()).isEqualTo(servedBefore + 1);
        assertThat(refused.getStatusCode()).isEqualTo(503);
        assertThat(QueryApiFixtures.header(refused, "Retry-After")).isEqualTo("1");
        JsonNode error = QueryApiFixtures.json(refused);
        assertThat(error.path("error").asText()).isEqualTo("unavailable");
        assertThat(error.path("message").asText()).isEqualTo("OpenSearch is busy or unavailable (HTTP " + status + "); retry shortly");

        APIGatewayV2HTTPResponse retried = QueryApiFixtures.call(throughProxy, HttpApiEvents.get(ROLLUPS, DAYS_BY_SERVICE));
        APIGatewayV2HTTPResponse expected = QueryApiFixtures.call(direct, HttpApiEvents.get(ROLLUPS, DAYS_BY_SERVICE));
        assertThat(retried.getStatusCode()).isEqualTo(200);
        assertThat(QueryApiFixtures.json(retried).path("rows")).isEqualTo(QueryApiFixtures.json(expected).path("rows")).hasSize(5);
    }

    /** The change token only saves searches: OpenSearch refusing it leaves the answer searched for, in full. */
    @ParameterizedTest
    @ValueSource(ints = {403, 429, 503})
    void aChangeTokenOpenSearchWillNotGiveLeavesTheAnswerSearchedFor(int status, TestOpenSearch openSearch) {
        IndexNames names = RollupDataset.writeTo(openSearch, "querytoken");
        assertThat(openSearch.request("PUT", "/" + names.stateIndex() + "/_doc/" + RollupsChange.ID + "?refresh=true",
                "{\"" + RollupsChange.TOKEN + "\":\"run-1\",\"" + RollupsChange.PHASE + "\":\"" + RollupsChange.DONE + "\"}").status()).isIn(200, 201);
        QueryApiHandler handler = handler(OpenSearchClients.create(OpenSearchConfig.local(proxy.uri(), names.prefix())), names);
        proxy.failNext(1, status, path -> path.contains("/_doc/" + RollupsChange.ID));
        int servedBefore = proxy.faultsServed();

        APIGatewayV2HTTPResponse answered = QueryApiFixtures.call(handler, HttpApiEvents.get(ROLLUPS, DAYS_BY_SERVICE));

        assertThat(proxy.faultsServed()).isEqualTo(servedBefore + 1);
        assertThat(answered.getStatusCode()).as(answered.getBody()).isEqualTo(200);
        assertThat(QueryApiFixtures.json(answered).path("rows")).hasSize(5);
    }

    @Test
    void aQueryTheClusterRefusesIsA502WithoutItsDetails() {
        proxy.failNext(1, 400, path -> path.endsWith("/_search") || path.endsWith("/_msearch"));

        APIGatewayV2HTTPResponse refused = QueryApiFixtures.call(throughProxy, HttpApiEvents.get("/v1/noise", "from=2026-01-01&to=2026-02-01"));

        assertThat(refused.getStatusCode()).isEqualTo(502);
        JsonNode error = QueryApiFixtures.json(refused);
        assertThat(error.path("error").asText()).isEqualTo("upstream_error");
        assertThat(error.path("message").asText()).isEqualTo("OpenSearch refused the query (HTTP 400)");
        // OpenSearch's own reason goes to the log for the operator, not to the client.
        assertThat(refused.getBody()).doesNotContain("injected");
    }

    /** A refusal (a missing role mapping is a 403) does not pass by itself: health says so apart from an outage. */
    @Test
    void healthTellsARefusalFromAnOutage() {
        proxy.failNext(1, 403, path -> path.endsWith("/_msearch"));

        APIGatewayV2HTTPResponse health = QueryApiFixtures.call(throughProxy, HttpApiEvents.get("/v1/health"));

        assertThat(health.getStatusCode()).isEqualTo(502);
        JsonNode body = QueryApiFixtures.json(health);
        assertThat(body.path("status").asText()).isEqualTo("unavailable");
        assertThat(body.path("opensearch").asText()).as(body.toString()).isEqualTo("refused");
        assertThat(body.path("reason").asText()).isEqualTo("OpenSearch refused the query (HTTP 403)");
    }

    @Test
    void anAnswerFromOnlySomeShardsIsARetryable503NotAPartialPage(TestOpenSearch openSearch) {
        IndexNames names = new IndexNames(TestOpenSearch.uniquePrefix("querypartial"));
        RollupDataset.installTemplates(openSearch, names);
        // service as text in the hour index: aggregating it fails on that shard; the day and month shards answer.
        assertThat(openSearch.request("PUT", "/" + names.rollupsIndex("hour"),
                "{\"mappings\":{\"properties\":{\"service\":{\"type\":\"text\"}}}}").status()).isEqualTo(200);
        RollupDataset.write(openSearch, names, RollupDataset.documents());
        QueryApiHandler partial = handler(OpenSearchClients.create(OpenSearchConfig.local(openSearch.uri(), names.prefix())), names);

        APIGatewayV2HTTPResponse response = QueryApiFixtures.call(partial, HttpApiEvents.get("/v1/services"));

        assertThat(response.getStatusCode()).isEqualTo(503);
        assertThat(QueryApiFixtures.header(response, "Retry-After")).isEqualTo("1");
        assertThat(QueryApiFixtures.json(response).path("message").asText()).isEqualTo("OpenSearch answered from 2 of 3 shards; retry shortly");
        // The day rollups alone answer in full.
        assertThat(QueryApiFixtures.call(partial, HttpApiEvents.get(ROLLUPS, DAYS_BY_SERVICE)).getStatusCode()).isEqualTo(200);
    }

    @Test
    void healthSaysUnavailableWhileTheClusterRefusesAndOkAfter() {
        proxy.failNext(1, 429, path -> true);
        APIGatewayV2HTTPResponse busy = QueryApiFixtures.call(throughProxy, HttpApiEvents.get("/v1/health"));
        // OpenSearch's trouble, not the rollups': 502, which the query-failure alarm counts (it leaves health's 503s out).
        assertThat(busy.getStatusCode()).isEqualTo(502);

        APIGatewayV2HTTPResponse after = QueryApiFixtures.call(throughProxy, HttpApiEvents.get("/v1/health"));
        assertThat(after.getStatusCode()).as(after.getBody()).isEqualTo(200);
    }
}
