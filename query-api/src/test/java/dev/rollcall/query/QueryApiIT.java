package dev.rollcall.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.opensearch.client.opensearch.OpenSearchClient;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import dev.rollcall.core.alert.AlertState;
import dev.rollcall.core.normalize.FieldLimits;
import dev.rollcall.core.rollup.AlertDimensions;
import dev.rollcall.core.rollup.CarryState;
import dev.rollcall.core.rollup.HourlyRollup;
import dev.rollcall.core.rollup.Interval;
import dev.rollcall.core.rollup.ResolveTimeSketch;
import dev.rollcall.core.rollup.RollupDocument;
import dev.rollcall.core.rollup.RollupEvent;
import dev.rollcall.core.rollup.RollupMetrics;
import dev.rollcall.core.rollup.RollupRules;
import dev.rollcall.core.rollup.RollupWriter;
import dev.rollcall.core.store.IndexNames;
import dev.rollcall.core.store.JobWatermark;
import dev.rollcall.core.store.OpenSearchClients;
import dev.rollcall.core.store.OpenSearchConfig;
import dev.rollcall.core.store.OpenSearchHttp;
import dev.rollcall.query.http.ApiJson;
import dev.rollcall.query.reports.RollupSearch;
import dev.rollcall.query.table.Page;
import dev.rollcall.servers.junit.RealServers;
import dev.rollcall.servers.junit.TestOpenSearch;

/**
 * Every route against the real OpenSearch, over the rollups of {@link RollupDataset} written by core's
 * {@link RollupWriter}; every expected number is worked out by hand from that dataset.
 */
@RealServers
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QueryApiIT {

    private static final Map<String, String> CSV = Map.of("Accept", "text/csv");
    private final RecordingAggregationJobs jobs = new RecordingAggregationJobs();
    private QueryApi api;
    private QueryApiHandler handler;
    private QueryApiHandler emptyHandler;

    @BeforeAll
    void writeRollups(TestOpenSearch openSearch) {
        IndexNames names = RollupDataset.writeTo(openSearch, "queryapi");
        OpenSearchClient client = OpenSearchClients.create(OpenSearchConfig.local(openSearch.uri(), names.prefix()));
        api = QueryApiFixtures.api(new RollupSearch(new OpenSearchHttp(client), names), jobs, line -> { });
        handler = new QueryApiHandler(api);
        // A prefix without any index: what the API answers before the first job ran.
        emptyHandler = handlerFor(client, new IndexNames(TestOpenSearch.uniquePrefix("queryapiempty")));
    }

    private QueryApiHandler handlerFor(OpenSearchClient client, IndexNames names) {
        return QueryApiFixtures.handler(new RollupSearch(new OpenSearchHttp(client), names), jobs, line -> { });
    }

    // ---- /v1/rollups

    @Test
    void rollupsPerDayAndService() {
        JsonNode page = ok(get("/v1/rollups", "from=2026-01-01&to=2026-02-01&group_by=service"));
        assertThat(strings(page.path("columns"))).containsExactly("bucket_start", "service", "events", "firing", "pages", "interruptions");
        assertThat(rows(page)).containsExactly(
                List.of("2026-01-01T00:00:00Z", "checkout", "14", "7", "5", "4"),
                List.of("2026-01-01T00:00:00Z", "payments", "6", "3", "3", "3"),
                List.of("2026-01-02T00:00:00Z", "checkout", "2", "1", "1", "1"),
                List.of("2026-01-02T00:00:00Z", "search", "8", "4", "0", "0"),
                List.of("2026-01-15T00:00:00Z", "payments", "2", "1", "1", "1"));
        assertThat(page.path("next_cursor").isNull()).isTrue();
        JsonNode query = page.path("query");
        assertThat(query.path("from").asText()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(query.path("to").asText()).isEqualTo("2026-02-01T00:00:00Z");
        assertThat(query.path("interval").asText()).isEqualTo("day");
        assertThat(strings(query.path("group_by"))).containsExactly("service");
    }

    @Test
    void inProcessCallersGetTheSameAnswerWithoutAnEvent() {
        var response = api.handle(dev.rollcall.query.http.ApiRequest.get("/v1/rollups",
                Map.of("from", "2026-01-01", "to", "2026-02-01", "interval", "day", "group_by", "service")));
        assertThat(response.status()).isEqualTo(200);
        JsonNode page = dev.rollcall.query.http.ApiJson.read(response.body().getBytes(StandardCharsets.UTF_8));
        JsonNode throughAnEvent = ok(get("/v1/rollups", "from=2026-01-01&to=2026-02-01&interval=day&group_by=service"));
        assertThat(rows(page)).hasSize(5).isEqualTo(rows(throughAnEvent));
        assertThat(page.path("query").path("from").asText()).isEqualTo("2026-01-01T00:00:00Z");
    }

    @Test
    void rollupsAsCsv() {
        APIGatewayV2HTTPResponse response = get("/v1/rollups", "from=2026-01-01&to=2026-02-01&group_by=service", CSV);
        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(QueryApiFixtures.header(response, "Content-Type")).isEqualTo("text/csv; charset=utf-8");
        assertThat(response.getBody()).isEqualTo("bucket_start,service,events,firing,pages,interruptions\r\n"
                + "2026-01-01T00:00:00Z,checkout,14,7,5,4\r\n"
                + "2026-01-01T00:00:00Z,payments,6,3,3,3\r\n"
                + "2026-01-02T00:00:00Z,checkout,2,1,1,1\r\n"
                + "2026-01-02T00:00:00Z,search,8,4,0,0\r\n"
                + "2026-01-15T00:00:00Z,payments,2,1,1,1\r\n");
    }

    @Test
    void rollupsFilteredAndGroupedByTwoFields() {
        JsonNode page = ok(get("/v1/rollups", "from=2026-01-01&to=2026-02-01&group_by=service,urgency&environment=prod&service=checkout,nosuch"));
        assertThat(rows(page)).containsExactly(
                List.of("2026-01-01T00:00:00Z", "checkout", "high", "10", "5", "5", "4"),
                List.of("2026-01-01T00:00:00Z", "checkout", "low", "4", "2", "0", "0"),
                List.of("2026-01-02T00:00:00Z", "checkout", "high", "2", "1", "1", "1"));
        assertThat(strings(page.path("query").path("filters").path("service"))).containsExactly("checkout", "nosuch");

        JsonNode oneAlert = ok(get("/v1/rollups", "from=2026-01-01&to=2026-02-01&fingerprint=fp-d&metrics=events,ignored,flaps"));
        assertThat(rows(oneAlert)).containsExactly(List.of("2026-01-02T00:00:00Z", "8", "8", "4"));
    }

    @Test
    void derivedMetricsComeFromSummedSketchesAndFingerprintCardinality() {
        JsonNode page = ok(get("/v1/rollups",
                "from=2026-01-01&to=2026-01-02&group_by=service&metrics=distinct_alerts,episodes,resolve_ms_mean,resolve_ms_p50,resolve_ms_p90"));
        // checkout: A's 5 episodes of 60 s and B's 2 of 600 s; payments: C's 3 of 120 s
        ResolveTimeSketch checkout = sketch(5, 60_000).merge(sketch(2, 600_000));
        ResolveTimeSketch payments = sketch(3, 120_000);
        assertThat(rows(page)).containsExactly(
                List.of("2026-01-01T00:00:00Z", "checkout", "2", "7", "214286", quantile(checkout, 0.5), quantile(checkout, 0.9)),
                List.of("2026-01-01T00:00:00Z", "payments", "1", "3", "120000", quantile(payments, 0.5), quantile(payments, 0.9)));
        // By hand, not only as the sketch computes them: episodes of one length are exact (held between the rollups'
        // min and max), and a mix lands inside the bucket of its rank's length.
        assertThat(rows(page).get(1).subList(5, 7)).containsExactly("120000", "120000");
        assertThat(Long.parseLong(quantile(checkout, 0.5))).isBetween(45_255L, 64_000L); // inside the 60 s bucket
        assertThat(Long.parseLong(quantile(checkout, 0.9))).isBetween(524_288L, 600_000L); // inside the 600 s bucket (from 2^19 ms), at most the max
    }

    @Test
    void distinctAlertsCountOnlyAlertsWithEventsNotThoseThatStayedOpenThroughTheBucket(TestOpenSearch openSearch) {
        // B fired the day before and is still open: its rollup of 2026-01-01 has firing time and no event.
        RollupMetrics stillOpen = new RollupMetrics(0, 0, 0, 0, 0, 0, 0, 0, ResolveTimeSketch.empty(), 86_400_000L, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        List<RollupDocument> documents = List.of(
                RollupDataset.rollup(RollupDataset.A, "high", "critical", Interval.DAY, "2026-01-01T00:00:00Z",
                        RollupDataset.metrics(2, 1, 1, 1, 1, 1, 60_000, 0, 0, 0, 0, 0, 0)),
                RollupDataset.rollup(RollupDataset.B, "low", "medium", Interval.DAY, "2026-01-01T00:00:00Z", stillOpen));
        IndexNames names = RollupDataset.writeTo(openSearch, "distinct", documents);
        OpenSearchClient client = OpenSearchClients.create(OpenSearchConfig.local(openSearch.uri(), names.prefix()));

        JsonNode page = QueryApiFixtures.json(QueryApiFixtures.call(handlerFor(client, names), HttpApiEvents.get("/v1/rollups",
                "from=2026-01-01&to=2026-01-02&group_by=service&metrics=distinct_alerts,firing_ms")));

        assertThat(rows(page)).containsExactly(List.of("2026-01-01T00:00:00Z", "checkout", "1", Long.toString(60_000 + 86_400_000L)));
    }

    @Test
    void monthlyRollupsWithoutGroups() {
        JsonNode page = ok(get("/v1/rollups", "from=2025-01&to=2026-03&interval=month&metrics=pages,interruptions"));
        assertThat(rows(page)).containsExactly(
                List.of("2025-01-01T00:00:00Z", "5", "4"),
                List.of("2025-12-01T00:00:00Z", "12", "10"),
                List.of("2026-01-01T00:00:00Z", "10", "9"),
                List.of("2026-02-01T00:00:00Z", "3", "3"));
    }

    @Test
    void hourlyRangesWidenToWholeHours() {
        JsonNode page = ok(get("/v1/rollups", "from=2026-01-01T03:30:00Z&to=2026-01-01T05:10:00Z&interval=hour&metrics=events,pages"));
        assertThat(rows(page)).containsExactly(List.of("2026-01-01T03:00:00Z", "4", "2"), List.of("2026-01-01T05:00:00Z", "6", "3"));
        assertThat(page.path("query").path("from").asText()).isEqualTo("2026-01-01T03:00:00Z");
        assertThat(page.path("query").path("to").asText()).isEqualTo("2026-01-01T06:00:00Z");
    }

    @Test
    void rollupsPageByCursorInJsonAndCsv() {
        String query = "from=2026-01-01&to=2026-02-01&group_by=service";
        List<List<String>> all = rows(ok(get("/v1/rollups", query)));
        List<List<String>> paged = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = ok(get("/v1/rollups", query + "&limit=2" + (cursor == null ? "" : "&cursor=" + cursor)));
            sizes.add(page.path("rows").size());
            paged.addAll(rows(page));
            cursor = page.path("next_cursor").isNull() ? null : page.path("next_cursor").asText();
        } while (cursor != null);
        assertThat(sizes).containsExactly(2, 2, 1);
        assertThat(paged).isEqualTo(all);

        APIGatewayV2HTTPResponse first = get("/v1/rollups", query + "&limit=3", CSV);
        String next = QueryApiFixtures.header(first, "X-Next-Cursor");
        assertThat(first.getBody().split("\r\n")).hasSize(4);
        APIGatewayV2HTTPResponse second = get("/v1/rollups", query + "&limit=3&cursor=" + next, CSV);
        assertThat(second.getBody()).isEqualTo("bucket_start,service,events,firing,pages,interruptions\r\n"
                + "2026-01-02T00:00:00Z,search,8,4,0,0\r\n2026-01-15T00:00:00Z,payments,2,1,1,1\r\n");
        assertThat(QueryApiFixtures.header(second, "X-Next-Cursor")).isNull();

        // a cursor continues only its own query, whatever the page size
        QueryValidationTest.assertError(get("/v1/rollups", "from=2026-01-01&to=2026-02-01&group_by=source&cursor=" + next), 400, "cursor",
                "cursor belongs to a different query; repeat the parameters of the request that returned it");
    }

    @Test
    void aCommaInsideAFilterValueTravelsAsPercent2CAndIsOneValue(TestOpenSearch openSearch) {
        IndexNames names = RollupDataset.writeTo(openSearch, "querycomma", List.of(
                dayOfEvents("5xx, ALB", "fp-comma", 3), dayOfEvents("5xx", "fp-5xx", 7), dayOfEvents("ALB", "fp-alb", 11)));
        QueryApiHandler comma = handlerFor(OpenSearchClients.create(OpenSearchConfig.local(openSearch.uri(), names.prefix())), names);
        String day = "from=2026-01-03&to=2026-01-04&metrics=events&name=";

        JsonNode one = QueryApiFixtures.json(QueryApiFixtures.call(comma, HttpApiEvents.get("/v1/rollups", day + "5xx%2C%20ALB")));
        JsonNode two = QueryApiFixtures.json(QueryApiFixtures.call(comma, HttpApiEvents.get("/v1/rollups", day + "5xx,ALB")));

        assertThat(rows(one)).containsExactly(List.of("2026-01-03T00:00:00Z", "3"));
        assertThat(strings(one.path("query").path("filters").path("name"))).containsExactly("5xx, ALB");
        assertThat(rows(two)).containsExactly(List.of("2026-01-03T00:00:00Z", "18"));
        // Field names hold no comma: an encoded one, as URLSearchParams and Python's requests send it, separates them.
        JsonNode fields = QueryApiFixtures.json(QueryApiFixtures.call(comma, HttpApiEvents.get("/v1/rollups",
                "from=2026-01-03&to=2026-01-04&metrics=events%2Cpages&group_by=service%2Cname")));
        assertThat(strings(fields.path("query").path("group_by"))).containsExactly("service", "name");
        assertThat(rows(fields)).hasSize(3);
    }

    /**
     * Names are stored as they came, a trailing space included: a filter matches a value as sent, and without its
     * outer spaces, as a list written "a, b" means. A report's answer says it varies with Accept and is no one's to share.
     */
    @Test
    void aFilterValueMatchesAsSentAndWithoutItsOuterSpaces(TestOpenSearch openSearch) {
        IndexNames names = RollupDataset.writeTo(openSearch, "queryspace", List.of(
                dayOfEvents("Disk full ", "fp-disk", 3), dayOfEvents("ALB", "fp-alb", 11), dayOfEvents("5xx", "fp-5xx", 7)));
        QueryApiHandler spaces = handlerFor(OpenSearchClients.create(OpenSearchConfig.local(openSearch.uri(), names.prefix())), names);
        String day = "from=2026-01-03&to=2026-01-04&metrics=events&name=";

        APIGatewayV2HTTPResponse exact = QueryApiFixtures.call(spaces, HttpApiEvents.get("/v1/rollups", day + "Disk%20full%20"));
        JsonNode listed = QueryApiFixtures.json(QueryApiFixtures.call(spaces, HttpApiEvents.get("/v1/rollups", day + "Disk%20full%20,%20ALB")));

        assertThat(rows(QueryApiFixtures.json(exact))).containsExactly(List.of("2026-01-03T00:00:00Z", "3"));
        assertThat(rows(listed)).containsExactly(List.of("2026-01-03T00:00:00Z", "14"));
        assertThat(exact.getHeaders()).containsEntry("Vary", "Accept").containsEntry("Cache-Control", "private, no-cache");
    }

    @Test
    void dimensionsAsLongAsCoreStoresThemCanBeFilteredOn(TestOpenSearch openSearch) {
        String service = "s".repeat(FieldLimits.KEYWORD_CHARS);
        String fingerprint = "f".repeat(FieldLimits.KEYWORD_CHARS);
        // core cuts at 8191 UTF-16 units: of emoji that is 4095 and a half, cut to 4095 and one more character
        String emojiService = "\uD83D\uDE80".repeat(FieldLimits.KEYWORD_CHARS / 2) + "s";
        IndexNames names = RollupDataset.writeTo(openSearch, "querylong", List.of(
                dayOfEvents(service, "n".repeat(FieldLimits.NAME_CHARS), fingerprint, 5), dayOfEvents("short", "n", "fp", 1),
                dayOfEvents(emojiService, "n", "fp-emoji", 2)));
        QueryApiHandler longValues = handlerFor(OpenSearchClients.create(OpenSearchConfig.local(openSearch.uri(), names.prefix())), names);
        String day = "from=2026-01-03&to=2026-01-04&metrics=events&";

        JsonNode page = QueryApiFixtures.json(QueryApiFixtures.call(longValues, HttpApiEvents.get("/v1/rollups",
                day + "service=" + service + "&fingerprint=" + fingerprint + "&name=" + "n".repeat(FieldLimits.NAME_CHARS))));
        JsonNode emoji = QueryApiFixtures.json(QueryApiFixtures.call(longValues, HttpApiEvents.get("/v1/rollups",
                day + "service=" + URLEncoder.encode(emojiService, StandardCharsets.UTF_8))));
        // The longest values the API takes, in code points, as sent: 32,764 bytes each, a term OpenSearch still searches for.
        APIGatewayV2HTTPResponse longest = QueryApiFixtures.call(longValues, HttpApiEvents.get("/v1/rollups", day
                + "service=" + "%F0%9F%9A%80".repeat(FieldLimits.KEYWORD_CHARS) + "&name=" + "%F0%9F%9A%80".repeat(FieldLimits.NAME_CHARS)));

        assertThat(rows(page)).containsExactly(List.of("2026-01-03T00:00:00Z", "5"));
        assertThat(rows(emoji)).containsExactly(List.of("2026-01-03T00:00:00Z", "2"));
        assertThat(longest.getStatusCode()).as(longest.getBody()).isEqualTo(200);
        assertThat(rows(QueryApiFixtures.json(longest))).isEmpty();
    }

    private static RollupDocument dayOfEvents(String name, String fingerprint, long events) {
        return dayOfEvents("checkout", name, fingerprint, events);
    }

    private static RollupDocument dayOfEvents(String service, String name, String fingerprint, long events) {
        RollupDataset.Alert alert = new RollupDataset.Alert(service, "cloudwatch", "high", "high", "111111111111", "prod", name, fingerprint);
        return RollupDataset.rollup(alert, "high", "high", Interval.DAY, "2026-01-03T00:00:00Z",
                RollupDataset.metrics(events, events, 0, events, events, 0, 0, 0, 0, 0, 0, 0, 0));
    }

    @Test
    void aPageOfNamesFullOfQuotesAndBackslashesFitsInALambdaAnswerAndPagesOnToTheLastRow(TestOpenSearch openSearch) {
        // 3 MB of names that JSON escapes twice, once in the body and once in Lambda's envelope: about 12 MB as sent.
        List<RollupDocument> documents = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            String name = String.format("%04d", i) + (i % 2 == 0 ? "\\" : "\"").repeat(1000);
            documents.add(dayOfEvents("disk", name, "fp-escape-" + i, 1));
        }
        IndexNames names = RollupDataset.writeTo(openSearch, "queryescape", documents);
        QueryApiHandler escaped = handlerFor(OpenSearchClients.create(OpenSearchConfig.local(openSearch.uri(), names.prefix())), names);
        String query = "from=2026-01-03&to=2026-01-04&group_by=name&metrics=events&limit=10000";

        int pages = 0;
        List<String> rowNames = new ArrayList<>();
        String cursor = null;
        do {
            APIGatewayV2HTTPResponse page = QueryApiFixtures.call(escaped, HttpApiEvents.get("/v1/rollups", query + (cursor == null ? "" : "&cursor=" + cursor)));
            assertThat(QueryApiFixtures.asLambdaReturnsIt(page).length).isLessThanOrEqualTo(5_500_000);
            JsonNode json = ok(page);
            pages++;
            json.path("rows").forEach(row -> rowNames.add(row.path("name").asText()));
            cursor = json.path("next_cursor").isNull() ? null : json.path("next_cursor").asText();
        } while (cursor != null);

        assertThat(pages).isGreaterThan(2);
        // Every name once: a page cut early must go on right after its last row, neither repeating nor skipping one.
        assertThat(rowNames).hasSize(3000).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(documents.stream().map(d -> d.key().name()).toList());
    }

    @Test
    void headAnswersTheSameStatusAndHeadersAsGetWithoutTheRows() {
        String query = "from=2026-01-01&to=2026-02-01&group_by=service&limit=2";
        APIGatewayV2HTTPResponse get = get("/v1/rollups", query, CSV);
        APIGatewayV2HTTPResponse head = QueryApiFixtures.call(handler, HttpApiEvents.request("HEAD", "/v1/rollups", query, CSV, null));
        assertThat(head.getStatusCode()).isEqualTo(200);
        assertThat(head.getHeaders()).usingRecursiveComparison().ignoringFields(QueryApi.REQUEST_ID_HEADER).isEqualTo(get.getHeaders());
        assertThat(head.getHeaders()).containsKey("X-Next-Cursor").containsKey(QueryApi.REQUEST_ID_HEADER);
        assertThat(head.getBody()).isEmpty();
    }

    @Test
    void aCursorWithTamperedValuesIsA400NamingTheCursorNotAnUpstreamError() {
        String rollups = "from=2026-01-01&to=2026-02-01&group_by=service&limit=1";
        String onCall = "from=2026-01&to=2026-03&limit=1";
        String rollupsCursor = ok(get("/v1/rollups", rollups)).path("next_cursor").asText();
        String onCallCursor = ok(get("/v1/oncall", onCall)).path("next_cursor").asText();
        String invalid = "cursor is not one this API issued; pass next_cursor from the previous page unchanged";
        try (LogCapture logs = LogCapture.start()) {
            for (JsonNode bucketStart : List.<JsonNode>of(TextNode.valueOf("abc"), TextNode.valueOf("2026-01-02T00:00:00Z"),
                    BigIntegerNode.valueOf(new java.math.BigInteger("123456789012345678901234567890")))) {
                QueryValidationTest.assertError(get("/v1/rollups", rollups + "&cursor=" + tamper(rollupsCursor, "bucket_start", bucketStart)),
                        400, "cursor", invalid);
            }
            QueryValidationTest.assertError(get("/v1/rollups", rollups + "&cursor=" + tamper(rollupsCursor, "service", IntNode.valueOf(42))),
                    400, "cursor", invalid);
            QueryValidationTest.assertError(get("/v1/oncall", onCall + "&cursor=" + tamper(onCallCursor, "service", IntNode.valueOf(7))),
                    400, "cursor", invalid);
            QueryValidationTest.assertError(get("/v1/oncall", onCall + "&cursor=" + tamper(onCallCursor, "service", ApiJson.object())),
                    400, "cursor", invalid);
            assertThat(logs.lines()).extracting(line -> line.path("level").asText()).isNotEmpty().doesNotContain("ERROR");
        }
    }

    /** {@code cursor} with one value of its after_key changed; its query fingerprint still matches. */
    private static String tamper(String cursor, String key, JsonNode value) {
        ObjectNode node = (ObjectNode) ApiJson.read(Base64.getUrlDecoder().decode(cursor));
        ((ObjectNode) node.get("after")).set(key, value);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(ApiJson.bytes(node));
    }

    @Test
    void theLongestGroupValuesPageWithACursorTheApiTakesBack(TestOpenSearch openSearch) {
        // Values as long as core stores them, of characters JSON escapes: the longest after_key a cursor can carry.
        List<RollupDocument> documents = new ArrayList<>();
        for (int i = 1; i <= 2; i++) {
            String value = (i + "\"\\\u0001".repeat(FieldLimits.KEYWORD_CHARS)).substring(0, FieldLimits.KEYWORD_CHARS);
            RollupDataset.Alert alert = new RollupDataset.Alert(value, "cloudwatch", "high", "high", value, value, "n", "fp-" + i);
            documents.add(RollupDataset.rollup(alert, "high", "high", Interval.DAY, "2026-01-03T00:00:00Z",
                    RollupDataset.metrics(i, i, 0, i, i, 0, 0, 0, 0, 0, 0, 0, 0)));
        }
        IndexNames names = RollupDataset.writeTo(openSearch, "querylongcursor", documents);
        QueryApiHandler longKeys = handlerFor(OpenSearchClients.create(OpenSearchConfig.local(openSearch.uri(), names.prefix())), names);
        String query = "from=2026-01-03&to=2026-01-04&group_by=service,account,environment&metrics=events&limit=1";

        JsonNode first = QueryApiFixtures.json(QueryApiFixtures.call(longKeys, HttpApiEvents.get("/v1/rollups", query)));
        String cursor = first.path("next_cursor").asText();
        APIGatewayV2HTTPResponse second = QueryApiFixtures.call(longKeys, HttpApiEvents.get("/v1/rollups", query + "&cursor=" + cursor));

        assertThat(cursor.length()).isGreaterThan(4096);
        assertThat(column(first, "events")).containsExactly("1");
        assertThat(column(ok(second), "events")).containsExactly("2");
    }

    // ---- /v1/alerts/top

    @Test
    void topAlertsByEventsReadTheMonthAndBreakTiesByFingerprint() {
        JsonNode page = ok(get("/v1/alerts/top", "from=2026-01-01&to=2026-02-01"));
        assertThat(strings(page.path("columns"))).isEqualTo(List.of("rank", "fingerprint", "name", "service", "source", "account",
                "environment", "severity", "urgency", "events", "pages", "interruptions", "flaps", "duplicates", "correlated", "firing_ms"));
        assertThat(rows(page)).containsExactly(
                List.of("1", "fp-a", "CheckoutHTTP5xx", "checkout", "cloudwatch", "111111111111", "prod", "critical", "high", "12", "6", "5", "2", "0", "1", "360000"),
                List.of("2", "fp-c", "PaymentsError", "payments", "sentry", "222222222222", "prod", "high", "high", "8", "4", "4", "0", "0", "0", "3960000"),
                List.of("3", "fp-d", "SearchDisk", "search", "cloudwatch", "333333333333", "staging", "low", "ignore", "8", "0", "0", "4", "0", "0", "120000"),
                List.of("4", "fp-b", "CheckoutLatency", "checkout", "datadog", "111111111111", "prod", "medium", "low", "4", "0", "0", "0", "1", "0", "1200000"));
        assertThat(page.path("query").path("interval").asText()).isEqualTo("month");
        assertThat(page.path("query").path("by").asText()).isEqualTo("events");
    }

    @Test
    void topAlertsByEachRankingLeaveOutZeros() {
        assertThat(fingerprints("from=2026-01-01&to=2026-02-01&by=pages")).containsExactly("fp-a", "fp-c");
        assertThat(fingerprints("from=2026-01-01&to=2026-02-01&by=firing_time")).containsExactly("fp-c", "fp-b", "fp-a", "fp-d");
        assertThat(fingerprints("from=2026-01-01&to=2026-02-01&by=flaps")).containsExactly("fp-d", "fp-a");
        assertThat(fingerprints("from=2026-01-01&to=2026-02-01&by=duplicates")).containsExactly("fp-b");
        assertThat(fingerprints("from=2026-01-01&to=2026-02-01&by=correlated")).containsExactly("fp-a");
        assertThat(fingerprints("from=2026-01-01&to=2026-02-01&limit=1")).containsExactly("fp-a");
        assertThat(fingerprints("from=2026-01-01&to=2026-02-01&service=checkout")).containsExactly("fp-a", "fp-b");
    }

    @Test
    void topAlertsOverDaysAndHours() {
        JsonNode days = ok(get("/v1/alerts/top", "from=2026-01-01&to=2026-01-03"));
        assertThat(column(days, "fingerprint")).containsExactly("fp-a", "fp-d", "fp-c", "fp-b");
        assertThat(column(days, "events")).containsExactly("12", "8", "6", "4");
        assertThat(days.path("query").path("interval").asText()).isEqualTo("day");

        JsonNode hours = ok(get("/v1/alerts/top", "from=2026-01-01T03:00:00Z&to=2026-01-01T05:30:00Z"));
        assertThat(column(hours, "fingerprint")).containsExactly("fp-a");
        assertThat(column(hours, "events")).containsExactly("10");
        assertThat(hours.path("query").path("interval").asText()).isEqualTo("hour");
        assertThat(hours.path("query").path("to").asText()).isEqualTo("2026-01-01T06:00:00Z");
    }

    @Test
    void topAlertsTakeTheDimensionsOfTheFiringRollupWhenTheLatestBucketAlsoHasInfoEvents(TestOpenSearch openSearch) {
        // One fingerprint, one month, two rollups: its info events (urgency ignore) and its page (urgency high).
        // The info rollup is written first, so it is the one OpenSearch finds first among equal bucket starts.
        RollupDataset.Alert x = new RollupDataset.Alert("checkout", "cloudwatch", "high", "critical", "111111111111", "prod", "CheckoutDown", "fp-x");
        // fp-y paged in December and sent only info events in January: without last_fired_at (rollups written before
        // template v6, as these are) its latest bucket still decides.
        RollupDataset.Alert y = new RollupDataset.Alert("payments", "sentry", "high", "high", "222222222222", "prod", "PaymentsSlow", "fp-y");
        IndexNames names = RollupDataset.writeTo(openSearch, "queryapitop", List.of(
                RollupDataset.rollup(x, "ignore", "info", Interval.MONTH, "2026-01-01T00:00:00Z", RollupDataset.metrics(3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3)),
                RollupDataset.rollup(x, "high", "critical", Interval.MONTH, "2026-01-01T00:00:00Z", RollupDataset.metrics(2, 1, 1, 1, 1, 1, 60_000, 0, 0, 0, 0, 0, 0)),
                RollupDataset.rollup(y, "high", "high", Interval.MONTH, "2025-12-01T00:00:00Z", RollupDataset.metrics(2, 1, 1, 1, 1, 1, 60_000, 0, 0, 0, 0, 0, 0)),
                RollupDataset.rollup(y, "ignore", "info", Interval.MONTH, "2026-01-01T00:00:00Z", RollupDataset.metrics(1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1))));
        QueryApiHandler top = handlerFor(OpenSearchClients.create(OpenSearchConfig.local(openSearch.uri(), names.prefix())), names);
        JsonNode page = QueryApiFixtures.json(QueryApiFixtures.call(top, HttpApiEvents.get("/v1/alerts/top", "from=2025-12&to=2026-02")));
        assertThat(rows(page)).containsExactly(
                List.of("1", "fp-x", "CheckoutDown", "checkout", "cloudwatch", "111111111111", "prod", "critical", "high", "5", "1", "1", "0", "0", "0", "60000"),
                List.of("2", "fp-y", "PaymentsSlow", "payments", "sentry", "222222222222", "prod", "info", "ignore", "3", "1", "1", "0", "0", "0", "60000"));
    }

    @Test
    void topAlertsNameTheSameRollupWhateverOrderTiedRollupsWereWrittenIn(TestOpenSearch openSearch) {
        // One alarm re-classified within the month: one firing as critical, one as high, nothing else to choose by.
        RollupDataset.Alert x = new RollupDataset.Alert("checkout", "cloudwatch", "high", "critical", "111111111111", "prod", "CheckoutDown", "fp-x");
        RollupDocument critical = RollupDataset.rollup(x, "high", "critical", Interval.MONTH, "2026-01-01T00:00:00Z",
                RollupDataset.metrics(1, 1, 1, 1, 1, 1, 60_000, 0, 0, 0, 0, 0, 0));
        RollupDocument high = RollupDataset.rollup(x, "high", "high", Interval.MONTH, "2026-01-01T00:00:00Z",
                RollupDataset.metrics(1, 1, 1, 1, 1, 1, 60_000, 0, 0, 0, 0, 0, 0));
        // Lucene breaks a tie by document order: the first written wins unless the sort settles it.
        for (List<RollupDocument> written : List.of(List.of(high, critical), List.of(critical, high))) {
            IndexNames names = RollupDataset.writeTo(openSearch, "queryapitie" + written.get(0).key().severity(), written);
            QueryApiHandler top = handlerFor(OpenSearchClients.create(OpenSearchConfig.local(openSearch.uri(), names.prefix())), names);
            JsonNode page = QueryApiFixtures.json(QueryApiFixtures.call(top, HttpApiEvents.get("/v1/alerts/top", "from=2026-01&to=2026-02")));
            assertThat(column(page, "severity")).as("written " + written.get(0).key().severity() + " first").containsExactly("critical");
            assertThat(column(page, "events")).containsExactly("2");
        }
    }

    /**
     * A Sentry issue retitled and re-rated late in the month (its fingerprint is the id): five firings as
     * OldTitle on the 3rd, one as NewTitle on the 28th. Every interval names it as it last fired; a month or day rollup
     * has no order of its own, and the month's answer had named it by the rollup with the most firings.
     */
    @Test
    void topAlertsNameAnAlertAsItLastFiredWhateverTheInterval(TestOpenSearch openSearch) {
        RollupDataset.Alert old = new RollupDataset.Alert("app", "sentry", "high", "high", "111111111111", "prod", "OldTitle", "sentry:42");
        RollupDataset.Alert renamed = new RollupDataset.Alert("app", "sentry", "high", "critical", "111111111111", "prod", "NewTitle", "sentry:42");
        RollupMetrics five = RollupDataset.lastFiredAt(RollupDataset.metrics(10, 5, 5, 5, 5, 5, 60_000, 0, 0, 0, 0, 0, 0), "2026-01-03T10:50:00Z");
        RollupMetrics one = RollupDataset.lastFiredAt(RollupDataset.metrics(2, 1, 1, 1, 1, 1, 60_000, 0, 0, 0, 0, 0, 0), "2026-01-28T10:05:00Z");
        List<RollupDocument> docs = new ArrayList<>();
        for (Interval interval : Interval.values()) {
            docs.add(RollupDataset.rollup(old, "high", "high", interval, interval.bucketStart(Instant.parse("2026-01-03T10:00:00Z")).toString(), five));
            docs.add(RollupDataset.rollup(renamed, "high", "critical", interval, interval.bucketStart(Instant.parse("2026-01-28T10:00:00Z")).toString(), one));
        }
        IndexNames names = RollupDataset.writeTo(openSearch, "queryapirenamed", docs);
        QueryApiHandler top = handlerFor(OpenSearchClients.create(OpenSearchConfig.local(openSearch.uri(), names.prefix())), names);
        for (String interval : List.of("month", "day", "hour")) {
            JsonNode page = QueryApiFixtures.json(QueryApiFixtures.call(top, HttpApiEvents.get("/v1/alerts/top",
                    "from=2026-01-01&to=2026-02-01&interval=" + interval)));
            assertThat(column(page, "name")).as("interval=" + interval).containsExactly("NewTitle");
            assertThat(column(page, "severity")).as("interval=" + interval).containsExactly("critical");
            assertThat(column(page, "events")).as("interval=" + interval).containsExactly("12");
        }
    }

    // ---- /v1/oncall

    // The dataset's hour rollups reach 2026-01-01T11:00: December is complete, January and February are not, so their
    // changes are null (the counts compared with stay).
    private static final List<List<String>> ON_CALL_ROWS = List.of(
            List.of("total", "null", "2025-12", "true", "12", "10", "null", "null", "null", "null", "null", "null", "null", "null"),
            List.of("total", "null", "2026-01", "false", "10", "9", "12", "10", "null", "null", "5", "4", "null", "null"),
            List.of("total", "null", "2026-02", "false", "3", "3", "10", "9", "null", "null", "null", "null", "null", "null"),
            List.of("service", "checkout", "2025-12", "true", "4", "2", "null", "null", "null", "null", "null", "null", "null", "null"),
            List.of("service", "checkout", "2026-01", "false", "6", "5", "4", "2", "null", "null", "3", "3", "null", "null"),
            List.of("service", "checkout", "2026-02", "false", "3", "3", "6", "5", "null", "null", "null", "null", "null", "null"),
            List.of("service", "payments", "2025-12", "true", "8", "8", "null", "null", "null", "null", "null", "null", "null", "null"),
            List.of("service", "payments", "2026-01", "false", "4", "4", "8", "8", "null", "null", "2", "1", "null", "null"),
            List.of("service", "payments", "2026-02", "false", "0", "0", "4", "4", "null", "null", "null", "null", "null", "null"),
            List.of("service", "search", "2025-12", "true", "0", "0", "null", "null", "null", "null", "null", "null", "null", "null"),
            List.of("service", "search", "2026-01", "false", "0", "0", "0", "0", "null", "null", "0", "0", "null", "null"),
            List.of("service", "search", "2026-02", "false", "0", "0", "0", "0", "null", "null", "null", "null", "null", "null"));

    @Test
    void onCallComparesOnlyMonthsCollectedThroughoutWhenAnOldAlertCameWithTheFirstDelivery(TestOpenSearch openSearch) {
        // Connected on 2026-03-10; the first delivery held alerts firing since January 5th and February 20th, rolled up
        // in those months.
        RollupMetrics oldAlert = RollupDataset.metrics(1, 1, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0);
        RollupMetrics march = RollupDataset.metrics(40, 40, 0, 40, 40, 0, 0, 0, 0, 0, 0, 0, 0);
        RollupMetrics april = RollupDataset.metrics(60, 60, 0, 60, 60, 0, 0, 0, 0, 0, 0, 0, 0);
        RollupMetrics may = RollupDataset.metrics(30, 30, 0, 30, 30, 0, 0, 0, 0, 0, 0, 0, 0);
        IndexNames names = RollupDataset.writeTo(openSearch, "queryoncalllate", List.of(
                RollupDataset.rollup(RollupDataset.A, "high", "critical", Interval.MONTH, "2026-01-01T00:00:00Z", oldAlert),
                RollupDataset.rollup(RollupDataset.A, "high", "critical", Interval.MONTH, "2026-02-01T00:00:00Z", oldAlert),
                RollupDataset.rollup(RollupDataset.A, "high", "critical", Interval.MONTH, "2026-03-01T00:00:00Z", march),
                RollupDataset.rollup(RollupDataset.A, "high", "critical", Interval.MONTH, "2026-04-01T00:00:00Z", april),
                RollupDataset.rollup(RollupDataset.A, "high", "critical", Interval.MONTH, "2026-05-01T00:00:00Z", may),
                RollupDataset.rollup(RollupDataset.A, "high", "critical", Interval.DAY, "2026-01-05T00:00:00Z", oldAlert),
                RollupDataset.rollup(RollupDataset.A, "high", "critical", Interval.DAY, "2026-03-10T00:00:00Z", march)));
        storeWatermark(openSearch, names, "2026-06-02T11:00:00Z", "2026-06-02T11:20:00Z", "2026-03-10T09:00:05Z");
        QueryApiHandler onCall = handlerFor(OpenSearchClients.create(OpenSearchConfig.local(openSearch.uri(), names.prefix())), names);

        JsonNode answer = QueryApiFixtures.json(QueryApiFixtures.call(onCall, HttpApiEvents.get("/v1/oncall", "from=2026-01&to=2026-06")));

        assertThat(answer.path("query").path("collecting_since").asText()).isEqualTo("2026-03-10T00:00:00Z");
        // April against a March collected from its 10th only would be +50 %; May against a whole April is -50 %. Nor is
        // February, before collecting, compared with January, or March with February.
        assertThat(rows(answer).stream().filter(row -> row.get(0).equals("total")).toList()).containsExactly(
                List.of("total", "null", "2026-01", "true", "1", "1", "null", "null", "null", "null", "null", "null", "null", "null"),
                List.of("total", "null", "2026-02", "true", "1", "1", "1", "1", "null", "null", "null", "null", "null", "null"),
                List.of("total", "null", "2026-03", "true", "40", "40", "1", "1", "null", "null", "null", "null", "null", "null"),
                List.of("total", "null", "2026-04", "true", "60", "60", "40", "40", "null", "null", "null", "null", "null", "null"),
                List.of("total", "null", "2026-05", "true", "30", "30", "60", "60", "-50.0", "-50.0", "null", "null", "null", "null"));

        // A start that is not a time costs that field only: the watermark still says how far the job computed.
        storeWatermark(openSearch, names, "2026-06-02T11:00:00Z", "2026-06-02T11:20:00Z", "not a time");
        JsonNode unreadable = QueryApiFixtures.json(QueryApiFixtures.call(onCall, HttpApiEvents.get("/v1/oncall", "from=2026-01&to=2026-06")));
        assertThat(unreadable.path("query").path("computed_until").asText()).isEqualTo("2026-06-02T11:00:00Z");
        assertThat(unreadable.path("query").path("collecting_since").asText()).as("the first day rollup").isEqualTo("2026-01-05T00:00:00Z");
    }

    /** The same dataset with the job's watermark past January's end: January's changes count, February's do not. */
    @Test
    void onCallChangesCountOnlyForCompleteMonths(TestOpenSearch openSearch) {
        IndexNames names = RollupDataset.writeTo(openSearch, "queryoncallchanges");
        storeWatermark(openSearch, names, "2026-02-15T11:00:00Z", "2026-02-15T11:20:00Z");
        QueryApiHandler onCall = handlerFor(OpenSearchClients.create(OpenSearchConfig.local(openSearch.uri(), names.prefix())), names);

        List<List<String>> rows = rows(QueryApiFixtures.json(QueryApiFixtures.call(onCall, HttpApiEvents.get("/v1/oncall", "from=2025-12&to=2026-03"))));

        assertThat(rows).containsExactly(
                List.of("total", "null", "2025-12", "true", "12", "10", "null", "null", "null", "null", "null", "null", "null", "null"),
                List.of("total", "null", "2026-01", "true", "10", "9", "12", "10", "-16.7", "-10.0", "5", "4", "100.0", "125.0"),
                List.of("total", "null", "2026-02", "false", "3", "3", "10", "9", "null", "null", "null", "null", "null", "null"),
                List.of("service", "checkout", "2025-12", "true", "4", "2", "null", "null", "null", "null", "null", "null", "null", "null"),
                List.of("service", "checkout", "2026-01", "true", "6", "5", "4", "2", "50.0", "150.0", "3", "3", "100.0", "66.7"),
                List.of("service", "checkout", "2026-02", "false", "3", "3", "6", "5", "null", "null", "null", "null", "null", "null"),
                List.of("service", "payments", "2025-12", "true", "8", "8", "null", "null", "null", "null", "null", "null", "null", "null"),
                List.of("service", "payments", "2026-01", "true", "4", "4", "8", "8", "-50.0", "-50.0", "2", "1", "100.0", "300.0"),
                List.of("service", "payments", "2026-02", "false", "0", "0", "4", "4", "null", "null", "null", "null", "null", "null"),
                List.of("service", "search", "2025-12", "true", "0", "0", "null", "null", "null", "null", "null", "null", "null", "null"),
                List.of("service", "search", "2026-01", "true", "0", "0", "0", "0", "null", "null", "0", "0", "null", "null"),
                List.of("service", "search", "2026-02", "false", "0", "0", "0", "0", "null", "null", "null", "null", "null", "null"));
    }

    /**
     * Collecting began on November 20th: December, complete, is not compared with November's eleven days (their
     * counts are shown); January is compared with December as usual.
     */
    @Test
    void onCallDoesNotCompareWithTheMonthCollectingBeganIn(TestOpenSearch openSearch) {
        RollupMetrics november = RollupDataset.metrics(4, 4, 0, 4, 4, 0, 0, 0, 0, 0, 0, 0, 0);
        RollupMetrics month = RollupDataset.metrics(10, 10, 0, 10, 8, 0, 0, 0, 0, 0, 0, 0, 0);
        IndexNames names = RollupDataset.writeTo(openSearch, "queryoncallstart", List.of(
                RollupDataset.rollup(RollupDataset.A, "high", "critical", Interval.MONTH, "2025-11-01T00:00:00Z", november),
                RollupDataset.rollup(RollupDataset.A, "high", "critical", Interval.MONTH, "2025-12-01T00:00:00Z", month),
                RollupDataset.rollup(RollupDataset.A, "high", "critical", Interval.MONTH, "2026-01-01T00:00:00Z", month),
                RollupDataset.rollup(RollupDataset.A, "high", "critical", Interval.DAY, "2025-11-20T00:00:00Z", november),
                RollupDataset.rollup(RollupDataset.A, "high", "critical", Interval.DAY, "2026-01-31T00:00:00Z", month)));
        storeWatermark(openSearch, names, "2026-02-15T11:00:00Z", "2026-02-15T11:20:00Z");
        QueryApiHandler onCall = handlerFor(OpenSearchClients.create(OpenSearchConfig.local(openSearch.uri(), names.prefix())), names);

        JsonNode answer = QueryApiFixtures.json(QueryApiFixtures.call(onCall, HttpApiEvents.get("/v1/oncall", "from=2025-11&to=2026-02")));
        List<List<String>> rows = rows(answer);
        // The answer says why November's change is missing: collecting began on its 20th.
        assertThat(answer.path("query").path("collecting_since").asText()).isEqualTo("2025-11-20T00:00:00Z");
        APIGatewayV2HTTPResponse csv = QueryApiFixtures.call(onCall, HttpApiEvents.request("GET", "/v1/oncall", "from=2025-11&to=2026-02", CSV, null));
        assertThat(QueryApiFixtures.header(csv, Page.COLLECTING_SINCE_HEADER)).isEqualTo("2025-11-20T00:00:00Z");

        assertThat(rows.stream().filter(row -> row.get(0).equals("total")).toList()).containsExactly(
                List.of("total", "null", "2025-11", "true", "4", "4", "null", "null", "null", "null", "null", "null", "null", "null"),
                List.of("total", "null", "2025-12", "true", "10", "8", "4", "4", "null", "null", "null", "null", "null", "null"),
                List.of("total", "null", "2026-01", "true", "10", "8", "10", "8", "0.0", "0.0", "null", "null", "null", "null"));
    }

    @Test
    void onCallLoadPerMonthWithMonthAndYearComparisons() {
        JsonNode page = ok(get("/v1/oncall", "from=2025-12&to=2026-03"));
        assertThat(rows(page)).isEqualTo(ON_CALL_ROWS);
        assertThat(page.path("query").path("interval").asText()).isEqualTo("month");
    }

    @Test
    void onCallDefaultsToTheTwelveMonthsUpToTheCurrentOne() {
        JsonNode page = ok(get("/v1/oncall", ""));
        assertThat(page.path("query").path("from").asText()).isEqualTo("2025-03-01T00:00:00Z"); // the fixed clock says 2026-02-15
        assertThat(page.path("query").path("to").asText()).isEqualTo("2026-03-01T00:00:00Z");
        assertThat(rows(page)).isEqualTo(ON_CALL_ROWS);
    }

    @Test
    void onCallPagesByServiceAndAnswersCsv() {
        List<List<String>> paged = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = ok(get("/v1/oncall", "from=2025-12&to=2026-03&limit=1" + (cursor == null ? "" : "&cursor=" + cursor)));
            paged.addAll(rows(page));
            cursor = page.path("next_cursor").isNull() ? null : page.path("next_cursor").asText();
            pages++;
        } while (cursor != null && pages < 10);
        assertThat(paged).isEqualTo(ON_CALL_ROWS);

        String csv = get("/v1/oncall", "from=2026-01&to=2026-03&service=payments", CSV).getBody();
        assertThat(csv).isEqualTo(String.join(",", dev.rollcall.query.reports.OnCallReport.COLUMNS) + "\r\n"
                + "total,,2026-01,false,4,4,8,8,,,2,1,,\r\n"
                + "total,,2026-02,false,0,0,4,4,,,,,,\r\n"
                + "service,payments,2026-01,false,4,4,8,8,,,2,1,,\r\n"
                + "service,payments,2026-02,false,0,0,4,4,,,,,,\r\n");
    }

    @Test
    void onCallMarksCompleteTheMonthsTheHourRollupsReachTheEndOf() {
        JsonNode page = ok(get("/v1/oncall", "from=2025-12&to=2026-03"));
        assertThat(strings(page.path("columns")).subList(0, 5)).containsExactly("scope", "service", "month", "complete", "pages");
        JsonNode first = page.path("rows").get(0);
        assertThat(first.path("month").asText()).isEqualTo("2025-12");
        assertThat(first.path("complete").isBoolean()).isTrue();
        assertThat(first.path("complete").booleanValue()).isTrue();
        // The fixed clock says 2026-02-15T12:00:00Z, but the hours computed end at 2026-01-01T11:00:00Z.
        assertThat(column(page, "complete")).containsExactly("true", "false", "false", "true", "false", "false", "true", "false", "false",
                "true", "false", "false");
    }

    @ParameterizedTest(name = "hours computed up to {0}: January complete {1}")
    @CsvSource({"2026-01-31T22:00:00Z, false", "2026-01-31T23:00:00Z, true", "2026-02-15T10:00:00Z, true"})
    void aMonthIsCompleteOnlyOnceTheHourRollupsReachItsEndWhateverTheClockSays(String lastHour, boolean januaryComplete,
                                                                                TestOpenSearch openSearch) {
        RollupMetrics one = RollupDataset.metrics(1, 1, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0);
        IndexNames names = RollupDataset.writeTo(openSearch, "queryoncallcomplete", List.of(
                RollupDataset.rollup(RollupDataset.A, "high", "critical", Interval.MONTH, "2026-01-01T00:00:00Z", one),
                RollupDataset.rollup(RollupDataset.A, "high", "critical", Interval.MONTH, "2026-02-01T00:00:00Z", one),
                RollupDataset.rollup(RollupDataset.A, "high", "critical", Interval.HOUR, "2026-01-10T08:00:00Z", one),
                RollupDataset.rollup(RollupDataset.A, "high", "critical", Interval.HOUR, lastHour, one)));
        QueryApiHandler onCall = handlerFor(OpenSearchClients.create(OpenSearchConfig.local(openSearch.uri(), names.prefix())), names);

        JsonNode page = QueryApiFixtures.json(QueryApiFixtures.call(onCall, HttpApiEvents.get("/v1/oncall", "from=2026-01&to=2026-03")));

        // The clock (2026-02-15T12:00Z) is past January's end in every case; February is never complete.
        assertThat(column(page, "complete")).containsExactly(Boolean.toString(januaryComplete), "false",
                Boolean.toString(januaryComplete), "false");
        // No day rollups: when collecting began is unknown, and said to be.
        assertThat(page.path("query").has("collecting_since")).isTrue();
        assertThat(page.path("query").path("collecting_since").isNull()).isTrue();
    }

    @Test
    void aMonthEndingInQuietHoursIsCompleteOnceTheJobsWatermarkPassesItsEnd(TestOpenSearch openSearch) {
        RollupMetrics one = RollupDataset.metrics(1, 1, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0);
        IndexNames names = RollupDataset.writeTo(openSearch, "queryoncallquiet", List.of(
                RollupDataset.rollup(RollupDataset.A, "high", "critical", Interval.MONTH, "2026-01-01T00:00:00Z", one),
                RollupDataset.rollup(RollupDataset.A, "high", "critical", Interval.HOUR, "2026-01-10T08:00:00Z", one)));
        // No alert since January 10: no hour rollup after it, while the hourly runs went on into February.
        storeWatermark(openSearch, names, "2026-02-15T10:00:00Z", "2026-02-15T11:20:00Z");
        QueryApiHandler onCall = handlerFor(OpenSearchClients.create(OpenSearchConfig.local(openSearch.uri(), names.prefix())), names);

        JsonNode page = QueryApiFixtures.json(QueryApiFixtures.call(onCall, HttpApiEvents.get("/v1/oncall", "from=2026-01&to=2026-02")));

        assertThat(column(page, "complete")).containsOnly("true");
    }

    @ParameterizedTest
    @ValueSource(strings = {"service=checkout", "service=payments", "service=search", "environment=staging", "service=payments,search"})
    void onCallFilteredByDimensionsKeepsTheMonthsAndRowsOfTheUnfilteredReport(String filter) {
        // Whether a month has data does not depend on the filters: a filtered service's rows are its unfiltered rows,
        // quiet months (0 pages) and comparisons against 0 included.
        List<List<String>> filtered = rows(ok(get("/v1/oncall", "from=2025-12&to=2026-03&" + filter)));
        List<String> services = filtered.stream().filter(row -> row.get(0).equals("service")).map(row -> row.get(1)).distinct().toList();
        assertThat(services).isNotEmpty();
        assertThat(filtered.stream().filter(row -> row.get(0).equals("service")).toList())
                .isEqualTo(ON_CALL_ROWS.stream().filter(row -> services.contains(row.get(1))).toList());
        assertThat(filtered.stream().filter(row -> row.get(0).equals("total")).map(row -> row.get(2)).toList())
                .containsExactly("2025-12", "2026-01", "2026-02");
    }

    @Test
    void onCallFilteredToOneServiceTotalsThatService() {
        List<List<String>> payments = rows(ok(get("/v1/oncall", "from=2025-12&to=2026-03&service=payments")));
        assertThat(payments).contains(List.of("service", "payments", "2026-02", "false", "0", "0", "4", "4", "null", "null",
                "null", "null", "null", "null"));
        assertThat(payments.stream().filter(row -> row.get(0).equals("total")).map(row -> row.subList(2, row.size())).toList())
                .isEqualTo(payments.stream().filter(row -> row.get(0).equals("service")).map(row -> row.subList(2, row.size())).toList());
        List<List<String>> search = rows(ok(get("/v1/oncall", "from=2025-12&to=2026-03&service=search")));
        assertThat(search.stream().filter(row -> row.get(0).equals("total")).toList()).containsExactly(
                List.of("total", "null", "2025-12", "true", "0", "0", "null", "null", "null", "null", "null", "null", "null", "null"),
                List.of("total", "null", "2026-01", "false", "0", "0", "0", "0", "null", "null", "0", "0", "null", "null"),
                List.of("total", "null", "2026-02", "false", "0", "0", "0", "0", "null", "null", "null", "null", "null", "null"));
        // no rollup matches at all: no rows, not a year of zeros
        assertThat(ok(get("/v1/oncall", "from=2025-12&to=2026-03&service=nosuch")).path("rows")).isEmpty();
    }

    // ---- /v1/noise

    @Test
    void noiseSharesPerServiceAndInTotal() {
        // flapping of state changes (firings that were not duplicates + episodes), standing of opened episodes:
        // checkout 2 / (7 + 8) and 1 / 7, in total 6 / (15 + 16) and 1 / 15; low urgency: B's 4 events of 16 and of 32
        JsonNode page = ok(get("/v1/noise", "from=2026-01-01&to=2026-02-01"));
        assertThat(rows(page)).containsExactly(
                List.of("total", "null", "32", "16", "16", "1", "1", "6", "5", "1", "8", "4", "16", "9", "0.0625", "0.0625", "0.1935", "0.3125", "0.0667", "0.25", "0.125", "0.5625"),
                List.of("service", "checkout", "16", "8", "8", "1", "1", "2", "1", "1", "0", "4", "8", "5", "0.125", "0.125", "0.1333", "0.125", "0.1429", "0.0", "0.25", "0.625"),
                List.of("service", "payments", "8", "4", "4", "0", "0", "0", "0", "0", "0", "0", "4", "4", "0.0", "0.0", "0.0", "0.0", "0.0", "0.0", "0.0", "1.0"),
                List.of("service", "search", "8", "4", "4", "0", "0", "4", "4", "0", "8", "0", "4", "0", "0.0", "0.0", "0.5", "1.0", "0.0", "1.0", "0.0", "0.0"));
        assertThat(page.path("query").path("interval").asText()).isEqualTo("month");

        JsonNode second = ok(get("/v1/noise", "from=2026-01-01&to=2026-02-01&limit=2&cursor="
                + ok(get("/v1/noise", "from=2026-01-01&to=2026-02-01&limit=2")).path("next_cursor").asText()));
        assertThat(column(second, "service")).containsExactly("search"); // no total row after the first page
    }

    @Test
    void noiseCountsEachFiringOnceAsTheJobClassifiedIt(TestOpenSearch openSearch) {
        // The job's rollups of one day: checkout's incident alarm a with a correlated echo b that clears by itself
        // in 2 minutes; payments' alarm c, an echo d, and c re-firing while open (duplicate and correlated); search's
        // alarm e firing 6 minutes every 15 minutes (flapping, not transient). One actionable firing each but search.
        List<RollupDocument> rollups = jobRollups(Instant.parse("2026-03-10T00:00:00Z"),
                "10:00 checkout a firing", "10:01 checkout b firing", "10:03 checkout b resolved", "11:00 checkout a resolved",
                "10:00 payments c firing", "10:01 payments d firing", "10:02 payments c firing",
                "11:00 payments c resolved", "11:00 payments d resolved",
                "10:00 search e firing", "10:06 search e resolved", "10:15 search e firing", "10:21 search e resolved",
                "10:30 search e firing", "10:36 search e resolved", "10:45 search e firing", "10:51 search e resolved");
        IndexNames names = RollupDataset.writeTo(openSearch, "querynoisejob", rollups);
        QueryApiHandler noise = handlerFor(OpenSearchClients.create(OpenSearchConfig.local(openSearch.uri(), names.prefix())), names);

        JsonNode day = QueryApiFixtures.json(QueryApiFixtures.call(noise, HttpApiEvents.get("/v1/noise", "from=2026-03-10&to=2026-03-11")));

        assertThat(day.path("query").path("interval").asText()).isEqualTo("day");
        assertThat(selected(day, "scope", "service", "firing", "duplicates", "correlated", "transients", "flaps", "classified",
                "actionable", "actionable_share", "flapping_share")).containsExactly(
                List.of("total", "null", "9", "1", "3", "1", "8", "9", "2", "0.2222", "0.5"),
                List.of("service", "checkout", "2", "0", "1", "1", "0", "2", "1", "0.5", "0.0"),
                List.of("service", "payments", "3", "1", "2", "0", "0", "3", "1", "0.3333", "0.0"),
                List.of("service", "search", "4", "0", "0", "0", "8", "4", "0", "0.0", "1.0"));
        JsonNode hours = QueryApiFixtures.json(QueryApiFixtures.call(noise,
                HttpApiEvents.get("/v1/noise", "from=2026-03-10&to=2026-03-11&interval=hour")));
        assertThat(rows(hours)).as("the hours add up to their day").isEqualTo(rows(day));
    }

    @Test
    void noiseFallsBackToTheOldLowerBoundForRollupsWrittenBeforeVerdicts(TestOpenSearch openSearch) {
        RollupDataset.Alert page = new RollupDataset.Alert("billing", "cloudwatch", "high", "high", "111111111111", "prod", "BillingDown", "fp-p");
        RollupDataset.Alert ignored = new RollupDataset.Alert("billing", "cloudwatch", "ignore", "low", "111111111111", "prod", "BillingDisk", "fp-i");
        // As template v4 wrote them: 5 pages, of which 1 duplicate, 3 correlated and 2 transient (overlapping: 5 - 6
        // floors at 0), and an ignored firing, which counts as classified but never as actionable.
        RollupDocument oldPages = RollupDataset.rollup(page, "high", "high", Interval.DAY, "2026-03-01T00:00:00Z",
                RollupDataset.metrics(10, 5, 5, 5, 5, 2, 60_000, 1, 3, 0, 2, 0, 0));
        RollupDocument oldIgnored = RollupDataset.rollup(ignored, "ignore", "low", Interval.DAY, "2026-03-01T00:00:00Z",
                RollupDataset.metrics(1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1));
        // After the upgrade: 4 firings, 3 with a final verdict, 2 of them actionable.
        RollupMetrics classified = new RollupMetrics(4, 4, 0, 0, 4, 4, 0, 0, ResolveTimeSketch.empty(), 0, 0, 1, 0, 0, 0, 0, 3, 2, 0);
        IndexNames names = RollupDataset.writeTo(openSearch, "querynoiselegacy", List.of(
                RollupDataset.rollup(page, "high", "high", Interval.DAY, "2026-03-02T00:00:00Z", classified)));
        for (RollupDocument old : List.of(oldPages, oldIgnored)) {
            ObjectNode source = old.toJson();
            source.remove(List.of("classified", "actionable"));
            assertThat(openSearch.request("PUT", "/" + names.rollupsIndex("day") + "/_doc/" + old.id(), ApiJson.write(source)).status())
                    .isEqualTo(201);
        }
        openSearch.refresh(names.rollupsPattern());
        QueryApiHandler noise = handlerFor(OpenSearchClients.create(OpenSearchConfig.local(openSearch.uri(), names.prefix())), names);

        JsonNode both = QueryApiFixtures.json(QueryApiFixtures.call(noise, HttpApiEvents.get("/v1/noise", "from=2026-03-01&to=2026-03-03")));
        JsonNode before = QueryApiFixtures.json(QueryApiFixtures.call(noise, HttpApiEvents.get("/v1/noise", "from=2026-03-01&to=2026-03-02")));

        assertThat(selected(before, "scope", "service", "firing", "classified", "actionable", "actionable_share")).containsExactly(
                List.of("total", "null", "6", "6", "0", "0.0"), List.of("service", "billing", "6", "6", "0", "0.0"));
        assertThat(selected(both, "scope", "service", "firing", "classified", "actionable", "actionable_share")).containsExactly(
                List.of("total", "null", "10", "9", "2", "0.2222"), List.of("service", "billing", "10", "9", "2", "0.2222"));
    }

    /** What the job writes for {@code lines} ("HH:MM service fingerprint state", urgency high): its hours and their day. */
    private static List<RollupDocument> jobRollups(Instant day, String... lines) {
        List<RollupEvent> events = new ArrayList<>();
        for (String line : lines) {
            String[] f = line.split(" ");
            String[] hhmm = f[0].split(":");
            Instant at = day.plus(java.time.Duration.ofHours(Long.parseLong(hhmm[0])).plusMinutes(Long.parseLong(hhmm[1])));
            events.add(new RollupEvent(at.toEpochMilli(), new AlertDimensions(f[1], "cloudwatch", "high", "high", "111111111111",
                    "prod", "alarm-" + f[2], f[2]), AlertState.fromWire(f[3])));
        }
        events.sort(RollupEvent.STREAM_ORDER);
        List<RollupDocument> documents = new ArrayList<>();
        Map<AlertDimensions, RollupMetrics> days = new java.util.HashMap<>();
        HourlyRollup rollup = new HourlyRollup(RollupRules.DEFAULTS, CarryState.empty(day), (hour, metrics) -> metrics.forEach((d, m) -> {
            documents.add(new RollupDocument(d.key(Interval.HOUR, hour), m, RollupDataset.COMPUTED, "job"));
            days.merge(d, m, RollupMetrics::plus);
        }));
        events.forEach(rollup::accept);
        rollup.advanceTo(day.plus(java.time.Duration.ofDays(1)));
        days.forEach((d, m) -> documents.add(new RollupDocument(d.key(Interval.DAY, day), m, RollupDataset.COMPUTED, "job")));
        return documents;
    }

    /** The rows of {@code page}, only {@code columns}, in that order. */
    private static List<List<String>> selected(JsonNode page, String... columns) {
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode row : page.path("rows")) {
            List<String> cells = new ArrayList<>();
            for (String column : columns) {
                cells.add(row.path(column).asText());
            }
            rows.add(cells);
        }
        return rows;
    }

    // ---- /v1/services, /v1/health

    @Test
    void servicesWithTheirFirstAndLatestActivityAcrossIntervals() {
        // The dataset's hours cover 2026-01-01 only: checkout's and payments' months of 2025, checkout's February and
        // the days of January after the 1st are activity the hours do not show.
        JsonNode page = ok(get("/v1/services", ""));
        assertThat(rows(page)).containsExactly(
                List.of("checkout", "2025-01-01T00:00:00Z", "2026-02-01T00:00:00Z", "month"),
                List.of("payments", "2025-01-01T00:00:00Z", "2026-01-15T00:00:00Z", "month"),
                List.of("search", "2026-01-02T00:00:00Z", "2026-01-02T00:00:00Z", "day"));
        assertThat(column(ok(get("/v1/services", "environment=staging")), "service")).containsExactly("search");
        assertThat(get("/v1/services", "limit=2", CSV).getBody())
                .isEqualTo("service,first_activity,latest_activity,activity_interval\r\n"
                        + "checkout,2025-01-01T00:00:00Z,2026-02-01T00:00:00Z,month\r\npayments,2025-01-01T00:00:00Z,2026-01-15T00:00:00Z,month\r\n");
    }

    @Test
    void servicesActivityKeepsTheFinestIntervalWhereItCoversTheCoarserOnes(TestOpenSearch openSearch) {
        // An hour, and its day and month: the hour says when; the day and month add nothing outside it.
        RollupDataset.Alert alert = new RollupDataset.Alert("billing", "cloudwatch", "high", "high", "111111111111", "prod", "BillingDown", "fp-b");
        RollupMetrics one = RollupDataset.metrics(1, 1, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0);
        IndexNames names = RollupDataset.writeTo(openSearch, "queryservicesfine", List.of(
                RollupDataset.rollup(alert, "high", "high", Interval.HOUR, "2026-01-05T09:00:00Z", one),
                RollupDataset.rollup(alert, "high", "high", Interval.HOUR, "2026-01-06T17:00:00Z", one),
                RollupDataset.rollup(alert, "high", "high", Interval.DAY, "2026-01-05T00:00:00Z", one),
                RollupDataset.rollup(alert, "high", "high", Interval.DAY, "2026-01-06T00:00:00Z", one),
                RollupDataset.rollup(alert, "high", "high", Interval.MONTH, "2026-01-01T00:00:00Z", one.plus(one))));
        QueryApiHandler services = handlerFor(OpenSearchClients.create(OpenSearchConfig.local(openSearch.uri(), names.prefix())), names);

        JsonNode page = QueryApiFixtures.json(QueryApiFixtures.call(services, HttpApiEvents.get("/v1/services", "")));

        assertThat(rows(page)).containsExactly(List.of("billing", "2026-01-05T09:00:00Z", "2026-01-06T17:00:00Z", "hour"));
    }

    @Test
    void servicesActivityEndsWithTheLastEventsNotWithAnOpenEpisodesFiringTime(TestOpenSearch openSearch) {
        // Fired at 09:xx and never resolved: the hours after it carry firing time only, for up to the episode max age.
        RollupDataset.Alert open = new RollupDataset.Alert("billing", "cloudwatch", "high", "high", "111111111111", "prod", "BillingDown", "fp-open");
        RollupMetrics firingTimeOnly = new RollupMetrics(0, 0, 0, 0, 0, 0, 0, 0, ResolveTimeSketch.empty(), 3_600_000, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        IndexNames names = RollupDataset.writeTo(openSearch, "queryapiservices", List.of(
                RollupDataset.rollup(open, "high", "high", Interval.HOUR, "2026-01-01T09:00:00Z", RollupDataset.metrics(1, 1, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0)),
                RollupDataset.rollup(open, "high", "high", Interval.HOUR, "2026-01-01T10:00:00Z", firingTimeOnly),
                RollupDataset.rollup(open, "high", "high", Interval.HOUR, "2026-01-01T11:00:00Z", firingTimeOnly)));
        QueryApiHandler services = handlerFor(OpenSearchClients.create(OpenSearchConfig.local(openSearch.uri(), names.prefix())), names);

        JsonNode page = QueryApiFixtures.json(QueryApiFixtures.call(services, HttpApiEvents.get("/v1/services", "")));

        assertThat(rows(page)).containsExactly(List.of("billing", "2026-01-01T09:00:00Z", "2026-01-01T09:00:00Z", "hour"));
    }

    @Test
    void healthReportsRollupFreshnessPerInterval() {
        JsonNode health = ok(get("/v1/health", ""));
        assertThat(health.path("status").asText()).isEqualTo("ok");
        JsonNode rollups = health.path("rollups");
        assertThat(rollups.path("hour").path("documents").asLong()).isEqualTo(RollupDataset.count(Interval.HOUR)).isEqualTo(3);
        assertThat(rollups.path("day").path("documents").asLong()).isEqualTo(6);
        assertThat(rollups.path("month").path("documents").asLong()).isEqualTo(9);
        assertThat(rollups.path("hour").path("latest_bucket_end").asText()).isEqualTo("2026-01-01T11:00:00Z");
        assertThat(rollups.path("day").path("latest_bucket_end").asText()).isEqualTo("2026-01-16T00:00:00Z");
        assertThat(rollups.path("month").path("latest_bucket_end").asText()).isEqualTo("2026-03-01T00:00:00Z");
        // No watermark here: how far the job computed is unknown (hour rollups exist only for hours with alerts).
        for (String interval : List.of("hour", "day", "month")) {
            assertThat(rollups.path(interval).has("latest_bucket_complete")).isTrue();
            assertThat(rollups.path(interval).path("latest_bucket_complete").isNull()).as(interval).isTrue();
        }
        assertThat(rollups.path("day").path("latest_computed_at").asText()).isEqualTo("2026-02-15T11:00:00Z");
        assertThat(health.has("reason")).isFalse();
    }

    @Test
    void healthIs503StaleWhenTheNewestHourRollupIsOlderThanTheLimit(TestOpenSearch openSearch) {
        RollupDocument hour = RollupDataset.rollup(RollupDataset.A, "high", "critical", Interval.HOUR, "2026-02-15T07:00:00Z",
                RollupDataset.metrics(1, 1, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0));
        // Computed 3 h 1 min before the fixtures' clock (2026-02-15T12:00Z); the newer day rollup does not count.
        IndexNames names = RollupDataset.writeTo(openSearch, "queryhealthstale", List.of(
                new RollupDocument(hour.key(), hour.metrics(), Instant.parse("2026-02-15T08:59:00Z"), "dataset"),
                RollupDataset.rollup(RollupDataset.A, "high", "critical", Interval.DAY, "2026-02-15T00:00:00Z", hour.metrics())));
        QueryApiHandler stale = handlerFor(OpenSearchClients.create(OpenSearchConfig.local(openSearch.uri(), names.prefix())), names);

        APIGatewayV2HTTPResponse response = QueryApiFixtures.call(stale, HttpApiEvents.get("/v1/health"));

        assertThat(response.getStatusCode()).isEqualTo(503);
        JsonNode health = QueryApiFixtures.json(response);
        assertThat(health.path("status").asText()).isEqualTo("stale");
        assertThat(health.path("reason").asText()).isEqualTo("the newest hour rollup was computed at 2026-02-15T08:59:00Z, more than PT3H "
                + "(ROLLCALL_HEALTH_STALE_AFTER) ago, and no incremental run has stored a watermark: the aggregation job has stopped or "
                + "falls behind, or no alert fired or stayed open since");
        assertThat(health.path("rollups").path("hour").path("latest_computed_at").asText()).isEqualTo("2026-02-15T08:59:00Z");

        // The job's watermark moves on through quiet hours, which leave no rollup: the same rollups are current then.
        storeWatermark(openSearch, names, "2026-02-15T11:00:00Z", "2026-02-15T11:20:00Z");
        APIGatewayV2HTTPResponse quiet = QueryApiFixtures.call(stale, HttpApiEvents.get("/v1/health"));
        assertThat(quiet.getStatusCode()).isEqualTo(200);
        assertThat(QueryApiFixtures.json(quiet).path("computed_until").asText()).isEqualTo("2026-02-15T11:00:00Z");
        // With a watermark, complete means computed: the 07:00 hour is, the day it opens is not yet.
        assertThat(QueryApiFixtures.json(quiet).path("rollups").path("hour").path("latest_bucket_complete").asBoolean()).isTrue();
        assertThat(QueryApiFixtures.json(quiet).path("rollups").path("day").path("latest_bucket_end").asText()).isEqualTo("2026-02-16T00:00:00Z");
        assertThat(QueryApiFixtures.json(quiet).path("rollups").path("day").path("latest_bucket_complete").isBoolean()).isTrue();
        assertThat(QueryApiFixtures.json(quiet).path("rollups").path("day").path("latest_bucket_complete").asBoolean()).isFalse();

        // What counts is when a run last moved it: computed_until trails the clock by design (settle delay, hours).
        storeWatermark(openSearch, names, "2026-02-15T08:00:00Z", "2026-02-15T11:20:00Z");
        assertThat(QueryApiFixtures.call(stale, HttpApiEvents.get("/v1/health")).getStatusCode()).isEqualTo(200);
        storeWatermark(openSearch, names, "2026-02-15T07:00:00Z", "2026-02-15T11:20:00Z");
        assertThat(QueryApiFixtures.call(stale, HttpApiEvents.get("/v1/health")).getStatusCode()).as("5 h: 3 h stale + 2 h by design").isEqualTo(200);

        // But runs that move it by less than the clock moves (catching up, a window cap) leave the rollups behind.
        storeWatermark(openSearch, names, "2026-02-15T06:59:00Z", "2026-02-15T11:20:00Z");
        assertStale(stale, "the rollups are computed up to 2026-02-15T06:59:00Z, more than PT3H (ROLLCALL_HEALTH_STALE_AFTER) behind "
                + "the clock beyond the PT2H an hourly run trails it by: the runs fall behind (catching up after an outage?)");

        storeWatermark(openSearch, names, "2026-02-15T08:00:00Z", "2026-02-15T08:59:00Z");
        assertStale(stale, "no aggregation run has moved the watermark (computed up to 2026-02-15T08:00:00Z) since "
                + "2026-02-15T08:59:00Z, more than PT3H (ROLLCALL_HEALTH_STALE_AFTER) ago: its hourly runs have stopped, fail or fall behind");
    }

    private static void assertStale(QueryApiHandler handler, String reason) {
        APIGatewayV2HTTPResponse response = QueryApiFixtures.call(handler, HttpApiEvents.get("/v1/health"));
        assertThat(response.getStatusCode()).isEqualTo(503);
        assertThat(QueryApiFixtures.json(response).path("status").asText()).isEqualTo("stale");
        assertThat(QueryApiFixtures.json(response).path("reason").asText()).isEqualTo(reason);
    }

    /** The buckets from the job's watermark on are still growing: every report says where that is, CSV in a header. */
    @Test
    void reportsSayHowFarTheJobHasComputed(TestOpenSearch openSearch) {
        IndexNames names = RollupDataset.writeTo(openSearch, "querycomputed");
        QueryApiHandler reports = handlerFor(OpenSearchClients.create(OpenSearchConfig.local(openSearch.uri(), names.prefix())), names);
        assertComputedUntil(reports, null);
        storeWatermark(openSearch, names, "2026-02-15T10:00:00Z", "2026-02-15T11:20:00Z");
        assertComputedUntil(reports, "2026-02-15T10:00:00Z");
        APIGatewayV2HTTPResponse csv = QueryApiFixtures.call(reports, HttpApiEvents.request("GET", "/v1/rollups",
                "from=2026-01-01&to=2026-02-01", CSV, null));
        assertThat(QueryApiFixtures.header(csv, Page.COMPUTED_UNTIL_HEADER)).isEqualTo("2026-02-15T10:00:00Z");
    }

    /** A CSV body has no room for the query echo: the range its rows cover, widened to whole buckets, is in headers. */
    @Test
    void aCsvAnswerNamesTheRangeItsRowsCover(TestOpenSearch openSearch) {
        IndexNames names = RollupDataset.writeTo(openSearch, "querycsvrange");
        QueryApiHandler reports = handlerFor(OpenSearchClients.create(OpenSearchConfig.local(openSearch.uri(), names.prefix())), names);
        APIGatewayV2HTTPResponse csv = QueryApiFixtures.call(reports, HttpApiEvents.request("GET", "/v1/rollups",
                "from=2026-01-01T10:30:00Z&to=2026-01-03T00:00:01Z&interval=day", CSV, null));
        assertThat(csv.getStatusCode()).as(csv.getBody()).isEqualTo(200);
        assertThat(QueryApiFixtures.header(csv, Page.FROM_HEADER)).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(QueryApiFixtures.header(csv, Page.TO_HEADER)).isEqualTo("2026-01-04T00:00:00Z");
        JsonNode json = QueryApiFixtures.json(QueryApiFixtures.call(reports, HttpApiEvents.get("/v1/rollups",
                "from=2026-01-01T10:30:00Z&to=2026-01-03T00:00:01Z&interval=day")));
        assertThat(json.path("query").path("from").asText()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(json.path("query").path("to").asText()).isEqualTo("2026-01-04T00:00:00Z");
        assertThat(QueryApiFixtures.header(QueryApiFixtures.call(reports, HttpApiEvents.request("GET", "/v1/services", "", CSV, null)),
                Page.FROM_HEADER)).isNull();
    }

    private static void assertComputedUntil(QueryApiHandler reports, String expected) {
        for (String route : List.of("/v1/rollups", "/v1/noise", "/v1/alerts/top", "/v1/oncall", "/v1/services")) {
            String query = route.equals("/v1/oncall") || route.equals("/v1/services") ? "" : "from=2026-01-01&to=2026-02-01";
            JsonNode echoed = QueryApiFixtures.json(QueryApiFixtures.call(reports, HttpApiEvents.get(route, query))).path("query")
                    .path("computed_until");
            assertThat(echoed.isNull() ? null : echoed.asText()).as(route).isEqualTo(expected);
        }
    }

    @Test
    void healthIsOkForAJobThatHasRunButFoundNoAlertsYet(TestOpenSearch openSearch) {
        IndexNames names = new IndexNames(TestOpenSearch.uniquePrefix("queryhealthquiet"));
        storeWatermark(openSearch, names, "2026-02-15T11:00:00Z", "2026-02-15T11:20:00Z");
        QueryApiHandler quiet = handlerFor(OpenSearchClients.create(OpenSearchConfig.local(openSearch.uri(), names.prefix())), names);

        APIGatewayV2HTTPResponse response = QueryApiFixtures.call(quiet, HttpApiEvents.get("/v1/health"));

        assertThat(response.getStatusCode()).as("no rollup index, but a job that is keeping up").isEqualTo(200);
    }

    /** The watermark as an aggregation job stores it after an incremental run, one from before it recorded when collecting began. */
    private static void storeWatermark(TestOpenSearch openSearch, IndexNames names, String computedUntil, String updatedAt) {
        openSearch.request("PUT", "/" + names.stateIndex() + "/_doc/" + JobWatermark.ID + "?refresh=true",
                "{\"kind\":\"watermark\",\"" + JobWatermark.COMPUTED_UNTIL + "\":\"" + computedUntil + "\",\""
                        + JobWatermark.UPDATED_AT + "\":\"" + updatedAt + "\"}");
    }

    /** The watermark as the aggregation job stores it after an incremental run. */
    private static void storeWatermark(TestOpenSearch openSearch, IndexNames names, String computedUntil, String updatedAt,
                                       String collectingSince) {
        openSearch.request("PUT", "/" + names.stateIndex() + "/_doc/" + JobWatermark.ID + "?refresh=true",
                "{\"kind\":\"watermark\",\"" + JobWatermark.COMPUTED_UNTIL + "\":\"" + computedUntil + "\",\""
                        + JobWatermark.UPDATED_AT + "\":\"" + updatedAt + "\",\"" + JobWatermark.COLLECTING_SINCE + "\":\""
                        + collectingSince + "\"}");
    }

    @Test
    void healthIs503WithoutHourRollupsEvenWhenOtherIntervalsHaveSome(TestOpenSearch openSearch) {
        IndexNames names = RollupDataset.writeTo(openSearch, "queryhealthnohours", List.of(RollupDataset.rollup(RollupDataset.A, "high",
                "critical", Interval.MONTH, "2026-01-01T00:00:00Z", RollupDataset.metrics(1, 1, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0))));
        QueryApiHandler noHours = handlerFor(OpenSearchClients.create(OpenSearchConfig.local(openSearch.uri(), names.prefix())), names);

        APIGatewayV2HTTPResponse response = QueryApiFixtures.call(noHours, HttpApiEvents.get("/v1/health"));

        assertThat(response.getStatusCode()).isEqualTo(503);
        assertThat(QueryApiFixtures.json(response).path("status").asText()).isEqualTo("no_rollups");
        assertThat(QueryApiFixtures.json(response).path("reason").asText())
                .isEqualTo("no hour rollups in " + names.rollupsIndex("hour") + ": no aggregation job has written any yet");
    }

    @Test
    void beforeAnyJobRanEveryReportIsEmptyNotAnError() {
        for (String[] call : new String[][] {{"/v1/rollups", "from=2026-01-01&to=2026-02-01&group_by=service"},
                {"/v1/alerts/top", "from=2026-01-01&to=2026-02-01"}, {"/v1/oncall", ""}, {"/v1/noise", "from=2026-01-01&to=2026-02-01"},
                {"/v1/services", ""}}) {
            JsonNode page = ok(QueryApiFixtures.call(emptyHandler, HttpApiEvents.get(call[0], call[1])));
            assertThat(page.path("rows")).as(call[0]).isEmpty();
            assertThat(page.path("next_cursor").isNull()).isTrue();
        }
    }

    @Test
    void healthIs503WhenNoRollupIndexExistsUnderThePrefix() {
        // No job has run yet, or ROLLCALL_INDEX_PREFIX names another installation: the reports above answer empty.
        APIGatewayV2HTTPResponse response = QueryApiFixtures.call(emptyHandler, HttpApiEvents.get("/v1/health"));
        assertThat(response.getStatusCode()).isEqualTo(503);
        JsonNode health = QueryApiFixtures.json(response);
        assertThat(health.path("status").asText()).isEqualTo("no_rollups");
        assertThat(health.path("opensearch").asText()).isEqualTo("reachable");
        assertThat(health.path("rollups")).isEmpty();
        assertThat(health.path("reason").asText()).startsWith("no rollup index under the prefix 't-queryapiempty")
                .endsWith("-rollups-*): no aggregation job has run yet, or ROLLCALL_INDEX_PREFIX names another installation");
    }

    // ---- input that must never be query text, nor a 500

    @ParameterizedTest
    @ValueSource(strings = {
            "service=%22%7D%7D%2C%7B%22match_all%22%3A%7B%7D%7D", // "}},{"match_all":{}}
            "service=*", "name=checkout%20OR%201%3D1", "source=%00", "fingerprint=..%2F..%2F_search",
            "service=%F0%9F%94%A5", "account=" + "9"})
    void hostileFilterValuesAreJustValuesThatMatchNothing(String filter) {
        JsonNode page = ok(get("/v1/rollups", "from=2026-01-01&to=2026-02-01&group_by=service&" + filter));
        assertThat(page.path("rows")).isEmpty();
    }

    // ---- jobs and the OpenAPI description, through the same handler

    @Test
    void jobsAreSubmittedAndDescribedThroughTheRunner() {
        APIGatewayV2HTTPResponse submitted = QueryApiFixtures.call(handler,
                HttpApiEvents.post("/v1/jobs", "{\"from\":\"2026-01-01\",\"to\":\"2026-01-15\",\"interval\":\"hour\"}"));
        assertThat(submitted.getStatusCode()).isEqualTo(202);
        String location = QueryApiFixtures.header(submitted, "Location");
        JsonNode status = ok(get(location, ""));
        assertThat(status.path("status").asText()).isEqualTo("RUNNING");
        assertThat(status.path("array_size").asInt()).isEqualTo(2);
        assertThat(status.path("interval").asText()).isEqualTo("hour");
    }

    @Test
    void everyDocumentedOperationAnswersAsDocumented() {
        JsonNode doc = ok(get("/v1/openapi.json", ""));
        OpenApiSchemaCheck schemas = new OpenApiSchemaCheck(doc);
        String jobId = QueryApiFixtures.header(QueryApiFixtures.call(handler,
                HttpApiEvents.post("/v1/jobs", "{\"from\":\"2026-01-01\",\"to\":\"2026-01-02\"}")), "Location").substring("/v1/jobs/".length());
        int operations = 0;
        for (Map.Entry<String, JsonNode> path : doc.path("paths").properties()) {
            for (Map.Entry<String, JsonNode> op : path.getValue().properties()) {
                StringBuilder query = new StringBuilder();
                for (JsonNode parameter : op.getValue().path("parameters")) {
                    JsonNode p = resolve(doc, parameter);
                    if (p.path("in").asText().equals("query") && p.path("required").asBoolean()) {
                        query.append(query.isEmpty() ? "" : "&").append(p.path("name").asText()).append('=')
                                .append(URLEncoder.encode(p.path("example").asText(), StandardCharsets.UTF_8));
                    }
                }
                String body = op.getValue().has("requestBody") ? "{\"from\":\"2026-01-01\",\"to\":\"2026-02-01\"}" : null;
                APIGatewayV2HTTPEvent event = HttpApiEvents.request(op.getKey().toUpperCase(Locale.ROOT), path.getKey().replace("{id}", jobId),
                        HttpApiEvents.query(query.toString()), Map.of(), body);
                String what = op.getKey() + " " + path.getKey();
                APIGatewayV2HTTPResponse response = QueryApiFixtures.call(handler, event);
                assertThat(response.getStatusCode()).as("%s: %s", what, response.getBody()).isBetween(200, 299);
                JsonNode answer = answersAsDocumented(schemas, what, op.getValue(), response);
                if (answer.has("columns") && answer.has("rows")) {
                    List<String> columns = strings(answer.get("columns"));
                    for (JsonNode row : answer.get("rows")) {
                        assertThat(row.fieldNames()).toIterable().as("%s: a row's fields are among its columns", what).isSubsetOf(columns);
                    }
                }
                // Refusals answer with the documented Error too: an unknown parameter, and a method the path lacks.
                String unknown = query.isEmpty() ? "no_such_parameter=1" : query + "&no_such_parameter=1";
                APIGatewayV2HTTPResponse refused = QueryApiFixtures.call(handler, HttpApiEvents.request(op.getKey().toUpperCase(Locale.ROOT),
                        path.getKey().replace("{id}", jobId), HttpApiEvents.query(unknown), Map.of(), body));
                assertThat(refused.getStatusCode()).as("%s with an unknown parameter: %s", what, refused.getBody()).isEqualTo(400);
                answersAsDocumented(schemas, what, op.getValue(), refused);
                APIGatewayV2HTTPResponse wrongMethod = QueryApiFixtures.call(handler, HttpApiEvents.request("DELETE",
                        path.getKey().replace("{id}", jobId), HttpApiEvents.query(""), Map.of(), null));
                assertThat(wrongMethod.getStatusCode()).as("DELETE %s: %s", path.getKey(), wrongMethod.getBody()).isEqualTo(405);
                answersAsDocumented(schemas, what, op.getValue(), wrongMethod);
                operations++;
            }
        }
        assertThat(operations).isEqualTo(QueryApiFixtures.routes().size());
    }

    /**
     * Asserts that {@code operation} documents the response's status and that its JSON body matches the schema
     * documented for that status; answers the body.
     */
    private static JsonNode answersAsDocumented(OpenApiSchemaCheck schemas, String what, JsonNode operation,
                                                APIGatewayV2HTTPResponse response) {
        String status = Integer.toString(response.getStatusCode());
        assertThat(operation.path("responses").has(status)).as("%s documents %s", what, status).isTrue();
        JsonNode documented = schemas.resolve(operation.path("responses").path(status));
        JsonNode schema = documented.path("content").path("application/json").path("schema");
        assertThat(schema.isMissingNode()).as("%s %s documents a JSON body", what, status).isFalse();
        JsonNode body = QueryApiFixtures.json(response);
        assertThat(schemas.problems(body, schema)).as("%s %s: %s", what, status, body).isEmpty();
        return body;
    }

    // ---- helpers

    private APIGatewayV2HTTPResponse get(String path, String query) {
        return get(path, query, Map.of());
    }

    private APIGatewayV2HTTPResponse get(String path, String query, Map<String, String> headers) {
        return QueryApiFixtures.call(handler, HttpApiEvents.get(path, query, headers));
    }

    private static JsonNode ok(APIGatewayV2HTTPResponse response) {
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
        return QueryApiFixtures.json(response);
    }

    private List<String> fingerprints(String query) {
        return column(ok(get("/v1/alerts/top", query)), "fingerprint");
    }

    private static List<List<String>> rows(JsonNode page) {
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode row : page.path("rows")) {
            List<String> cells = new ArrayList<>();
            for (JsonNode column : page.path("columns")) {
                cells.add(row.path(column.asText()).asText());
            }
            rows.add(cells);
        }
        return rows;
    }

    private static List<String> column(JsonNode page, String name) {
        List<String> values = new ArrayList<>();
        page.path("rows").forEach(row -> values.add(row.path(name).asText()));
        return values;
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    private static ResolveTimeSketch sketch(int count, long millis) {
        ResolveTimeSketch sketch = ResolveTimeSketch.empty();
        for (int i = 0; i < count; i++) {
            sketch = sketch.plus(millis);
        }
        return sketch;
    }

    private static String quantile(ResolveTimeSketch sketch, double q) {
        return Long.toString(Math.round(sketch.quantileMillis(q)));
    }

    private static JsonNode resolve(JsonNode doc, JsonNode node) {
        if (!node.has("$ref")) {
            return node;
        }
        JsonNode target = doc;
        for (String part : node.get("$ref").asText().substring(2).split("/")) {
            target = target.path(part);
        }
        return target;
    }
}
