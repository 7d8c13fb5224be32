package dev.rollcall.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;

import dev.rollcall.core.store.IndexNames;
import dev.rollcall.core.store.OpenSearchClients;
import dev.rollcall.core.store.OpenSearchConfig;
import dev.rollcall.core.store.OpenSearchHttp;
import dev.rollcall.query.reports.RollupSearch;
import dev.rollcall.servers.ClosedPort;

/**
 * Thousands of seeded random requests mixing the API's own parameter names and values with malformed ones: whatever a
 * client sends is answered 400, 404 or 405 with a JSON error naming what is wrong, or passes validation and meets the
 * unreachable store (503); never a 500. The store sits on a closed port, so nothing here needs a server.
 */
class ClientInputFuzzTest {

    private static final List<String> PATHS = List.of("/v1/rollups", "/v1/alerts/top", "/v1/oncall", "/v1/noise", "/v1/services",
            "/v1/jobs", "/v1/jobs/abc", "/v1/jobs/%2e%2e", "/v1/jobs/" + "x".repeat(300), "/v1/health", "/v1/openapi.json",
            "/v1/nosuch", "/v2/rollups", "/", "/v1/rollups/", "/v1//rollups", "/v1/ROLLUPS");
    private static final List<String> METHODS = List.of("GET", "GET", "GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "get");
    private static final List<String> ACCEPTS = List.of("text/csv", "text/csv", "application/json", ";", ";;", "n,;", ",",
            "text/csv;q=", "text/csv;q=0.5;;", "*/*;q=1e400", "/", "text/", "\u00e9/\u00e9", " ");
    private static final List<String> NAMES = List.of("from", "to", "interval", "group_by", "metrics", "limit", "cursor", "by",
            "service", "source", "urgency", "severity", "account", "environment", "name", "fingerprint", "nosuch", "", "FROM");
    private static final List<String> VALUES = List.of("", " ", "2026-01-01", "2026-02-01", "2026-01-01T00:00:00Z",
            "2026-01-01T00:30:00+02:00", "2026-13-45", "2026-02-30", "0000-01-01", "9999-12-31", "-999999999-01-01", "1970-01-01",
            "now", "-1", "0", "1", "100", "101", "10001", "99999999999999999999", "1e9", "NaN", "0x10", "hour", "day", "month", "year",
            "DAY", "service", "service,service", "service,source,urgency,severity", "name,account,environment", ",", ",,,",
            "all", "events,pages", "resolve_ms_p90,distinct_alerts", "nosuch", "events,nosuch", "pages", "flaps", "firing_ms",
            "checkout", "ü", "\u0000", "%00", "' OR 1=1 --", "{\"a\":1}", "*", "\\", "eyJ2IjoxfQ", "eyJ2IjoxLCJmIjoiYSJ9.bad",
            "x".repeat(10_000));
    private static final List<String> BODIES = List.of("", "{", "null", "[]", "{}", "{\"from\":\"2026-01-01\",\"to\":\"2026-01-02\"}",
            "{\"from\":\"2026-01-02\",\"to\":\"2026-01-01\"}", "{\"from\":\"2026-01-01\",\"to\":\"2026-01-02\",\"interval\":\"year\"}",
            "{\"from\":1,\"to\":{}}", "{\"from\":\"2026-01-01\",\"to\":\"2026-01-02\",\"extra\":true}", "\"text\"", "x".repeat(100_000));
    // 502 and 503: the store behind this handler does not answer (health says 502: OpenSearch's, not the rollups').
    private static final Set<Integer> ANSWERS = Set.of(200, 202, 400, 404, 405, 502, 503);

    private static QueryApiHandler handler;

    @BeforeAll
    static void storeOnAClosedPort() {
        IndexNames names = new IndexNames("fuzz");
        RollupSearch search = new RollupSearch(new OpenSearchHttp(OpenSearchClients.create(
                OpenSearchConfig.local(ClosedPort.http(), names.prefix()))), names);
        handler = QueryApiFixtures.handler(search, new RecordingAggregationJobs(), line -> { });
    }

    @Test
    void noClientInputIsA500() {
        Random random = new Random(20261205);
        Map<Integer, Integer> statuses = new LinkedHashMap<>();
        for (int i = 0; i < 3_000; i++) {
            String method = pick(random, METHODS);
            String path = pick(random, PATHS);
            Map<String, List<String>> query = new LinkedHashMap<>();
            int parameters = random.nextInt(6);
            for (int p = 0; p < parameters; p++) {
                query.computeIfAbsent(pick(random, NAMES), k -> new ArrayList<>()).add(pick(random, VALUES));
            }
            Map<String, String> headers = random.nextBoolean() ? Map.of("accept", pick(random, ACCEPTS)) : Map.of();
            String body = method.equals("POST") ? pick(random, BODIES) : null;
            String request = method + " " + path + " " + query + " body " + (body == null ? "none" : body.length() > 80 ? body.substring(0, 80) : body);

            APIGatewayV2HTTPResponse response = QueryApiFixtures.call(handler, HttpApiEvents.request(method, path, query, headers, body));

            assertThat(response.getStatusCode()).as(request).isIn(ANSWERS);
            if (method.equals("HEAD")) {
                assertThat(response.getBody()).as(request).isEmpty();
            } else if (response.getStatusCode() >= 400 && response.getStatusCode() < 500) {
                JsonNode error = QueryApiFixtures.json(response);
                assertThat(error.path("message").asText()).as(request).isNotBlank();
                assertThat(response.getBody()).as(request).doesNotContain("Exception", "\tat ");
            }
            statuses.merge(response.getStatusCode(), 1, Integer::sum);
        }
        // The mix reaches every kind of answer, so the check above is not vacuous.
        assertThat(statuses).containsKeys(400, 404, 405, 503);
    }

    /** Valid requests with one or two parameters changed: they get past routing and reach each parameter's parser. */
    @Test
    void noValidRequestWithAChangedParameterIsA500() {
        Map<Integer, Integer> statuses = new LinkedHashMap<>();
        for (ChangedRequest changed : changedValidRequests(5122026, 3_000)) {
            APIGatewayV2HTTPResponse response = QueryApiFixtures.call(handler, changed.event());

            assertThat(response.getStatusCode()).as(changed.toString()).isIn(400, 503);
            if (response.getStatusCode() == 400) {
                assertThat(QueryApiFixtures.json(response).path("message").asText()).as(changed.toString()).isNotBlank();
            }
            statuses.merge(response.getStatusCode(), 1, Integer::sum);
        }
        assertThat(statuses.get(503)).as("%s", statuses).isGreaterThan(300);
        assertThat(statuses.get(400)).as("%s", statuses).isGreaterThan(300);
    }

    /** A valid report request of {@code path} with one or two of its parameters changed, removed or added. */
    record ChangedRequest(String path, Map<String, List<String>> query) {

        APIGatewayV2HTTPEvent event() {
            return HttpApiEvents.request("GET", path, query, Map.of(), null);
        }

        @Override
        public String toString() {
            String text = "GET " + path + " " + query;
            return text.length() > 300 ? text.substring(0, 300) + "..." : text;
        }
    }

    /** {@code count} seeded {@link ChangedRequest}s over the report routes (ClientInputFuzzIT sends them to a real store). */
    static List<ChangedRequest> changedValidRequests(long seed, int count) {
        Map<String, String> valid = new LinkedHashMap<>();
        valid.put("/v1/rollups", "from=2026-01-01&to=2026-01-08&interval=day&group_by=service&metrics=events&limit=10");
        valid.put("/v1/alerts/top", "from=2026-01-01&to=2026-01-08&by=events&limit=10");
        valid.put("/v1/oncall", "from=2026-01-01&to=2026-03-01");
        valid.put("/v1/noise", "from=2026-01-01&to=2026-01-08&limit=5");
        valid.put("/v1/services", "limit=5");
        List<String> paths = List.copyOf(valid.keySet());
        Random random = new Random(seed);
        List<ChangedRequest> requests = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String path = pick(random, paths);
            Map<String, List<String>> query = HttpApiEvents.query(valid.get(path));
            int changes = 1 + random.nextInt(2);
            for (int change = 0; change < changes; change++) {
                String name = query.isEmpty() || random.nextInt(4) == 0 ? pick(random, NAMES) : pick(random, List.copyOf(query.keySet()));
                if (random.nextInt(5) == 0) {
                    query.remove(name);
                } else {
                    query.put(name, new ArrayList<>(List.of(pick(random, VALUES))));
                }
            }
            requests.add(new ChangedRequest(path, query));
        }
        return requests;
    }

    private static <T> T pick(Random random, List<T> choices) {
        return choices.get(random.nextInt(choices.size()));
    }
}
