package dev.rollcall.bench;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.rollcall.core.alert.AlertJson;
import dev.rollcall.core.rollup.RollupKey;
import dev.rollcall.core.store.IndexNames;
import dev.rollcall.core.store.OpenSearchHttp;
import dev.rollcall.core.store.RollupsChange;
import dev.rollcall.query.QueryApi;
import dev.rollcall.query.QueryApiConfig;
import dev.rollcall.query.QueryApiHandler;
import dev.rollcall.query.cache.AnswerCacheSettings;
import dev.rollcall.query.http.ApiJson;
import dev.rollcall.query.params.QueryLimits;
import dev.rollcall.query.params.QueryParameters;
import dev.rollcall.query.reports.RollupReport;

/**
 * The query API handler in-process against the rollups the job wrote, for typical requests, against the same answer
 * computed by a raw aggregation over the events index. OpenSearch's request cache is cleared before every timed
 * call on every side. The API is measured as deployed, giving an answer again from memory once it has checked that
 * no job run has written since (one GET per call), and with that turned off, searching for every call: a dashboard
 * refreshing its panels sees the first, a request for something new the second.
 */
final class QueryScenario {

    private QueryScenario() {
    }

    /** A typical request and the raw-events aggregation that gives the same answer. */
    record Request(String name, String path, String query, ObjectNode rawAggregation) {
    }

    static BenchResult run(BenchEnvironment env, String prefix, int iterations) throws Exception {
        // As deployed: answers given again from memory while the job's change token is unchanged.
        QueryApiHandler handler = new QueryApiHandler(QueryApi.create(QueryApiConfig.local(env.config(prefix)), null));
        QueryApiHandler searching = new QueryApiHandler(QueryApi.create(
                QueryApiConfig.local(env.config(prefix)).withAnswerCache(AnswerCacheSettings.off()), null));
        OpenSearchHttp http = new OpenSearchHttp(env.client(prefix));
        LocalDate from = LocalDate.ofInstant(BenchData.START, ZoneOffset.UTC);
        LocalDate to = from.plusDays(90);
        List<Request> requests = List.of(
                new Request("daily_by_service_90d", "/v1/rollups", "interval=day&group_by=service&metrics=events,pages&from=" + from + "&to=" + to,
                        raw(from, to, "service", "1d")),
                new Request("top_alerts_90d", "/v1/alerts/top", "by=events&limit=10&from=" + from + "&to=" + to,
                        rawTop(from, to)),
                new Request("oncall_months", "/v1/oncall", "from=" + from.withDayOfMonth(1) + "&to=" + to.withDayOfMonth(1).plusMonths(1),
                        raw(from.withDayOfMonth(1), to.withDayOfMonth(1).plusMonths(1), "service", "month")));
        String rawEndpoint = "/" + new IndexNames(prefix).eventsPattern() + "/_search";
        BenchResult.Builder result = new BenchResult.Builder("query").put("iterations", iterations);
        // Warm-up, every side and every request before any is timed: a Lambda container serves many requests of
        // every kind, so its steady state is the figure. The handlers' JIT needs about a thousand calls to settle;
        // OpenSearch's side is warm after a few.
        for (Request request : requests) {
            APIGatewayV2HTTPEvent event = event(request.path(), request.query());
            byte[] rawBody = AlertJson.toBytes(request.rawAggregation());
            for (int i = 0; i < Math.max(5, iterations * 5); i++) {
                call(handler, event);
                if (i % 5 == 0) {
                    call(searching, event);
                    http.postJson(rawEndpoint, Map.of("request_cache", "false"), rawBody);
                }
            }
        }
        for (Request request : requests) {
            APIGatewayV2HTTPEvent event = event(request.path(), request.query());
            byte[] rawBody = AlertJson.toBytes(request.rawAggregation());
            // Called twice: the first remembers the answer again if the warm-up's copy passed its max age.
            call(handler, event);
            String answer = call(searching, event);
            if (!call(handler, event).equals(answer)) {
                throw new IllegalStateException(request.name() + ": the remembered answer differs from the one searched for");
            }
            if (request.path().equals("/v1/rollups")) {
                // The speed-up is judged on this request, so both sides must give the same table.
                requireSameTable(request.name(), answer, http.postJson(rawEndpoint, Map.of("request_cache", "false"), rawBody).text());
            }
            long[] searched = new long[iterations];
            long[] remembered = new long[iterations];
            long[] raw = new long[iterations];
            for (int i = 0; i < iterations; i++) {
                clearCache(http);
                remembered[i] = timeCall(handler, event);
                clearCache(http);
                searched[i] = timeCall(searching, event);
                clearCache(http);
                raw[i] = timeSearch(http, rawEndpoint, "false", rawBody);
            }
            double searchedP50 = percentileMs(searched, 0.5);
            double rememberedP50 = percentileMs(remembered, 0.5);
            double rawP50 = percentileMs(raw, 0.5);
            result.put(request.name() + "_api_p50_ms", searchedP50).put(request.name() + "_api_p99_ms", percentileMs(searched, 0.99))
                    .put(request.name() + "_api_remembered_p50_ms", rememberedP50)
                    .put(request.name() + "_api_remembered_p99_ms", percentileMs(remembered, 0.99))
                    .put(request.name() + "_raw_p50_ms", rawP50).put(request.name() + "_raw_p99_ms", percentileMs(raw, 0.99))
                    .put(request.name() + "_speedup_p50", rawP50 / searchedP50)
                    .put(request.name() + "_remembered_speedup_p50", rawP50 / rememberedP50);
            if (request.path().equals("/v1/rollups")) {
                searchFloor(http, prefix, event, iterations, result);
            }
        }
        // Only the daily rollup's raw side computes the same answer (checked above): top alerts and on-call ask the raw
        // events for their event and page counts alone, so their speed-ups are context, not judged.
        return result.target("daily_by_service_90d_api_p99_ms < 50 at 1,000,000 events; speedup >= 20 (speedup: a request searched for;"
                        + " remembered_speedup: the same request again, from memory)").build();
    }

    /**
     * What the rollups request costs without the handler: its own search sent as it is (cache cleared, and answered
     * from the request cache), an empty search of the same index, the round trip any search pays, and the GET of the
     * job's change token that every remembered answer pays.
     */
    private static void searchFloor(OpenSearchHttp http, String prefix, APIGatewayV2HTTPEvent event, int iterations,
                                    BenchResult.Builder result) throws Exception {
        RollupReport report = new RollupReport(QueryLimits.defaults());
        RollupReport.Request parsed = report.parse(QueryParameters.of(event.getQueryStringParameters(), RollupReport.PARAMETERS));
        String endpoint = "/" + new IndexNames(prefix).rollupsIndex(report.intervals(parsed).get(0).wire()) + "/_search";
        byte[] search = ApiJson.bytes(report.body(parsed));
        byte[] empty = "{\"size\":0,\"track_total_hits\":false}".getBytes(StandardCharsets.UTF_8);
        long[] cleared = new long[iterations];
        long[] cached = new long[iterations];
        long[] nothing = new long[iterations];
        long[] token = new long[iterations];
        String tokenPath = "/" + new IndexNames(prefix).stateIndex() + "/_doc/" + RollupsChange.ID;
        for (int i = 0; i < iterations; i++) {
            clearCache(http);
            cleared[i] = timeSearch(http, endpoint, "false", search);
            cached[i] = timeSearch(http, endpoint, "true", search);
            nothing[i] = timeSearch(http, endpoint, "false", empty);
            long t = System.nanoTime();
            OpenSearchHttp.Answer answer = http.execute("GET", tokenPath, Map.of("_source_includes", RollupsChange.TOKEN + "," + RollupsChange.PHASE), null, null);
            token[i] = System.nanoTime() - t;
            if (!answer.ok()) {
                throw new IllegalStateException(tokenPath + " answered " + answer.status() + ": the job wrote no change token");
            }
        }
        result.put("daily_by_service_90d_search_p50_ms", percentileMs(cleared, 0.5))
                .put("daily_by_service_90d_search_cached_p50_ms", percentileMs(cached, 0.5))
                .put("empty_search_p50_ms", percentileMs(nothing, 0.5))
                .put("change_token_get_p50_ms", percentileMs(token, 0.5));
    }

    private static long timeSearch(OpenSearchHttp http, String endpoint, String requestCache, byte[] body) throws Exception {
        long t = System.nanoTime();
        OpenSearchHttp.Answer answer = http.postJson(endpoint, Map.of("request_cache", requestCache), body);
        long elapsed = System.nanoTime() - t;
        if (!answer.ok()) {
            throw new IllegalStateException(endpoint + " answered " + answer.status() + ": " + answer.text());
        }
        return elapsed;
    }

    private static long timeCall(QueryApiHandler handler, APIGatewayV2HTTPEvent event) {
        long t = System.nanoTime();
        call(handler, event);
        return System.nanoTime() - t;
    }

    private static String call(QueryApiHandler handler, APIGatewayV2HTTPEvent event) {
        APIGatewayV2HTTPResponse response = handler.handleRequest(event, null);
        if (response.getStatusCode() != 200) {
            throw new IllegalStateException(event.getRawPath() + " answered " + response.getStatusCode() + ": " + response.getBody());
        }
        return response.getBody();
    }

    private static void clearCache(OpenSearchHttp http) throws Exception {
        OpenSearchHttp.Answer answer = http.execute("POST", "/_cache/clear", Map.of("request", "true"), null, null);
        if (!answer.ok()) {
            // A timed call would then be answered from the request cache, and nothing would show it.
            throw new IllegalStateException("clearing the request cache answered " + answer.status() + ": " + answer.text());
        }
    }

    /**
     * Fails unless the API's rows and the raw aggregation's buckets hold the same events and pages for every bucket
     * start and service: a speed-up over a different answer would mean nothing. Rows of neither are left out on both
     * sides: the raw histogram fills the days between its first and last bucket, and the API has a row wherever a
     * rollup exists (an alert still firing that day, without an event of its own).
     */
    static void requireSameTable(String name, String apiAnswer, String rawAnswer) {
        JsonNode api = AlertJson.readTree(apiAnswer);
        if (!api.path("next_cursor").isNull()) {
            throw new IllegalStateException(name + ": the API's answer has more than one page");
        }
        Map<String, String> fromApi = new TreeMap<>();
        api.path("rows").forEach(row -> put(fromApi, row.path("bucket_start").asText() + " " + row.path("service").asText(),
                row.path("events").asLong(), row.path("pages").asLong()));
        Map<String, String> fromRaw = new TreeMap<>();
        for (JsonNode group : AlertJson.readTree(rawAnswer).path("aggregations").path("g").path("buckets")) {
            for (JsonNode bucket : group.path("t").path("buckets")) {
                put(fromRaw, Instant.ofEpochMilli(bucket.path("key").asLong()) + " " + group.path("key").asText(),
                        bucket.path("doc_count").asLong(), bucket.path("pages").path("doc_count").asLong());
            }
        }
        if (fromApi.isEmpty() || !fromApi.equals(fromRaw)) {
            throw new IllegalStateException(name + ": the API's answer (" + fromApi.size() + " rows) differs from the raw aggregation's ("
                    + fromRaw.size() + " rows); first API rows " + first(fromApi) + ", first raw " + first(fromRaw));
        }
    }

    private static void put(Map<String, String> table, String key, long events, long pages) {
        if (events != 0 || pages != 0) {
            table.put(key, events + " events, " + pages + " pages");
        }
    }

    private static String first(Map<String, String> table) {
        return table.entrySet().stream().limit(3).toList().toString();
    }

    static APIGatewayV2HTTPEvent event(String path, String rawQuery) {
        Map<String, String> query = new LinkedHashMap<>();
        Arrays.stream(rawQuery.split("&")).forEach(pair -> {
            int eq = pair.indexOf('=');
            query.merge(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8), (a, b) -> a + "," + b);
        });
        APIGatewayV2HTTPEvent.RequestContext.Http http = new APIGatewayV2HTTPEvent.RequestContext.Http();
        http.setMethod("GET");
        http.setPath(path);
        APIGatewayV2HTTPEvent.RequestContext context = new APIGatewayV2HTTPEvent.RequestContext();
        context.setHttp(http);
        context.setRequestId("bench");
        APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
        event.setVersion("2.0");
        event.setRouteKey("$default");
        event.setRawPath(path);
        event.setRawQueryString(rawQuery);
        event.setQueryStringParameters(query);
        event.setHeaders(new HashMap<>(Map.of("accept", "application/json")));
        event.setRequestContext(context);
        return event;
    }

    /** Events per bucket and group straight from the raw events: the same table the rollups answer. */
    private static ObjectNode raw(LocalDate from, LocalDate to, String field, String interval) {
        ObjectNode body = AlertJson.mapper().createObjectNode().put("size", 0);
        body.putObject("query").putObject("range").putObject("occurred_at").put("gte", from.toString()).put("lt", to.toString());
        ObjectNode group = body.putObject("aggs").putObject("g");
        // Rollups keep an event without the field under "unknown"; the raw side must count it too.
        group.putObject("terms").put("field", field).put("size", 1000).put("missing", RollupKey.UNKNOWN);
        ObjectNode histogram = group.putObject("aggs").putObject("t").putObject("date_histogram").put("field", "occurred_at");
        if (interval.equals("month")) {
            histogram.put("calendar_interval", "month");
        } else {
            histogram.put("fixed_interval", interval);
        }
        group.withObjectProperty("aggs").withObjectProperty("t").putObject("aggs").putObject("pages").putObject("filter").putObject("bool").putArray("filter")
                .add(AlertJson.mapper().createObjectNode().set("term", AlertJson.mapper().createObjectNode().put("state", "firing")))
                .add(AlertJson.mapper().createObjectNode().set("term", AlertJson.mapper().createObjectNode().put("urgency", "high")));
        return body;
    }

    private static ObjectNode rawTop(LocalDate from, LocalDate to) {
        ObjectNode body = AlertJson.mapper().createObjectNode().put("size", 0);
        body.putObject("query").putObject("range").putObject("occurred_at").put("gte", from.toString()).put("lt", to.toString());
        body.putObject("aggs").putObject("top").putObject("terms").put("field", "fingerprint").put("size", 10);
        return body;
    }

    static double percentileMs(long[] nanos, double q) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        int index = (int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1e6;
    }
}
