package dev.rollcall.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.opensearch.client.opensearch.OpenSearchClient;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

import dev.rollcall.core.rollup.Interval;
import dev.rollcall.core.store.IndexNames;
import dev.rollcall.core.store.OpenSearchClients;
import dev.rollcall.core.store.OpenSearchConfig;
import dev.rollcall.core.store.OpenSearchHttp;
import dev.rollcall.core.store.RollupsChange;
import dev.rollcall.query.cache.AnswerCacheSettings;
import dev.rollcall.query.http.ApiJson;
import dev.rollcall.query.reports.RollupSearch;
import dev.rollcall.servers.junit.RealServers;
import dev.rollcall.servers.junit.TestOpenSearch;

/**
 * Answers given again from memory against the real OpenSearch: only while the job's change token is what it was when
 * the answer was computed, per format, and never without a token. Rollups are changed here behind the token's back,
 * which the job never does, to see which answers come from memory.
 */
@RealServers
class AnswerCacheIT {

    private static final String ROLLUPS = "/v1/rollups";
    private static final String BY_SERVICE = "from=2026-01-01&to=2026-02-01&group_by=service&metrics=events";
    private static final RollupDataset.Alert LATECOMER = new RollupDataset.Alert("latecomer", "custom", "high", "high", "444444444444",
            "prod", "Latecomer", "fp-late");

    @Test
    void anAnswerIsGivenAgainUntilTheTokenChanges(TestOpenSearch openSearch) throws IOException {
        IndexNames names = RollupDataset.writeTo(openSearch, "answercache");
        OpenSearchHttp http = http(openSearch, names);
        putToken(http, names, "run-1");
        List<String> metricLines = new CopyOnWriteArrayList<>();
        QueryApiHandler handler = QueryApiFixtures.handler(new RollupSearch(http, names), new RecordingAggregationJobs(), metricLines::add);
        APIGatewayV2HTTPResponse first = QueryApiFixtures.call(handler, HttpApiEvents.get(ROLLUPS, BY_SERVICE));
        assertThat(first.getStatusCode()).isEqualTo(200);
        assertThat(first.getBody()).doesNotContain("latecomer");

        addLatecomer(openSearch, names);

        assertThat(QueryApiFixtures.call(handler, HttpApiEvents.get(ROLLUPS, BY_SERVICE)).getBody()).isEqualTo(first.getBody());
        // The operator's metric: 0 for the answer searched for, 1 for the one given again.
        assertThat(metricLines).extracting(line -> ApiJson.read(line.getBytes(StandardCharsets.UTF_8)))
                .extracting(line -> line.path("answer_remembered").asInt(-1) + " " + line.path("cache").asText())
                .containsExactly("0 miss", "1 hit");
        // The same request with its parameters in another order is the same answer; another window is another answer.
        assertThat(QueryApiFixtures.call(handler, HttpApiEvents.get(ROLLUPS, "metrics=events&group_by=service&to=2026-02-01&from=2026-01-01"))
                .getBody()).isEqualTo(first.getBody());
        assertThat(QueryApiFixtures.call(handler, HttpApiEvents.get(ROLLUPS, "from=2026-01-01&to=2026-01-31&group_by=service&metrics=events"))
                .getBody()).contains("latecomer");
        // Another format is another answer, computed now.
        assertThat(QueryApiFixtures.call(handler, HttpApiEvents.get(ROLLUPS, BY_SERVICE, Map.of("Accept", "text/csv"))).getBody())
                .contains("latecomer");

        putToken(http, names, "run-2");

        assertThat(QueryApiFixtures.call(handler, HttpApiEvents.get(ROLLUPS, BY_SERVICE)).getBody()).contains("latecomer");
    }

    @Test
    void withoutATokenEveryRequestSearches(TestOpenSearch openSearch) {
        IndexNames names = RollupDataset.writeTo(openSearch, "answercachenone");
        QueryApiHandler handler = handler(http(openSearch, names), names);
        assertThat(QueryApiFixtures.call(handler, HttpApiEvents.get(ROLLUPS, BY_SERVICE)).getBody()).doesNotContain("latecomer");

        addLatecomer(openSearch, names);

        assertThat(QueryApiFixtures.call(handler, HttpApiEvents.get(ROLLUPS, BY_SERVICE)).getBody()).contains("latecomer");
    }

    /**
     * A run still writing (or killed while it wrote, or an array child whose siblings still write) and a failed run,
     * whose rollups surface at the next periodic refresh, change rollups under an unchanged token: nothing is
     * remembered until a run marks its end.
     */
    @ParameterizedTest
    @ValueSource(strings = {RollupsChange.WRITING, RollupsChange.FAILED})
    void whileARunHasNotEndedEveryRequestSearches(String phase, TestOpenSearch openSearch) throws IOException {
        IndexNames names = RollupDataset.writeTo(openSearch, "answercache" + phase);
        OpenSearchHttp http = http(openSearch, names);
        putToken(http, names, "run-1", phase);
        List<String> metricLines = new CopyOnWriteArrayList<>();
        QueryApiHandler handler = QueryApiFixtures.handler(new RollupSearch(http, names), new RecordingAggregationJobs(), metricLines::add);
        assertThat(QueryApiFixtures.call(handler, HttpApiEvents.get(ROLLUPS, BY_SERVICE)).getBody()).doesNotContain("latecomer");

        addLatecomer(openSearch, names);

        assertThat(QueryApiFixtures.call(handler, HttpApiEvents.get(ROLLUPS, BY_SERVICE)).getBody()).contains("latecomer");
        assertThat(metricLines).extracting(line -> ApiJson.read(line.getBytes(StandardCharsets.UTF_8)).path("cache").asText())
                .containsExactly("uncached", "uncached");

        putToken(http, names, "run-1", RollupsChange.DONE);
        QueryApiFixtures.call(handler, HttpApiEvents.get(ROLLUPS, BY_SERVICE));
        QueryApiFixtures.call(handler, HttpApiEvents.get(ROLLUPS, BY_SERVICE));
        assertThat(metricLines.subList(2, 4)).extracting(line -> ApiJson.read(line.getBytes(StandardCharsets.UTF_8)).path("cache").asText())
                .containsExactly("miss", "hit");
    }

    @Test
    void turnedOffEveryRequestSearchesDespiteTheToken(TestOpenSearch openSearch) throws IOException {
        IndexNames names = RollupDataset.writeTo(openSearch, "answercacheoff");
        OpenSearchHttp http = http(openSearch, names);
        putToken(http, names, "run-1");
        QueryApiHandler handler = new QueryApiHandler(QueryApi.create(QueryApiConfig.local(OpenSearchConfig.local(openSearch.uri(), names.prefix()))
                .withAnswerCache(AnswerCacheSettings.off()), new RecordingAggregationJobs()));
        assertThat(QueryApiFixtures.call(handler, HttpApiEvents.get(ROLLUPS, BY_SERVICE)).getBody()).doesNotContain("latecomer");

        addLatecomer(openSearch, names);

        assertThat(QueryApiFixtures.call(handler, HttpApiEvents.get(ROLLUPS, BY_SERVICE)).getBody()).contains("latecomer");
    }

    private static void addLatecomer(TestOpenSearch openSearch, IndexNames names) {
        RollupDataset.write(openSearch, names, List.of(RollupDataset.rollup(LATECOMER, "high", "high", Interval.DAY, "2026-01-05T00:00:00Z",
                RollupDataset.metrics(3, 1, 1, 1, 1, 1, 60_000, 0, 0, 0, 0, 0, 0))));
    }

    private static void putToken(OpenSearchHttp http, IndexNames names, String token) throws IOException {
        putToken(http, names, token, RollupsChange.DONE);
    }

    /** The token as the job writes it: {@code phase} says whether its run, and its array siblings, have ended. */
    private static void putToken(OpenSearchHttp http, IndexNames names, String token, String phase) throws IOException {
        OpenSearchHttp.Answer answer = http.execute("PUT", "/" + names.stateIndex() + "/_doc/" + RollupsChange.ID, Map.of("refresh", "true"),
                ("{\"" + RollupsChange.TOKEN + "\":\"" + token + "\",\"" + RollupsChange.PHASE + "\":\"" + phase + "\"}")
                        .getBytes(StandardCharsets.UTF_8), "application/json");
        assertThat(answer.ok()).as(answer.text()).isTrue();
    }

    private static OpenSearchHttp http(TestOpenSearch openSearch, IndexNames names) {
        OpenSearchClient client = OpenSearchClients.create(OpenSearchConfig.local(openSearch.uri(), names.prefix()));
        return new OpenSearchHttp(client);
    }

    private static QueryApiHandler handler(OpenSearchHttp http, IndexNames names) {
        return QueryApiFixtures.handler(new RollupSearch(http, names), new RecordingAggregationJobs(), line -> { });
    }
}
