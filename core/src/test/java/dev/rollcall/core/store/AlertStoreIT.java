package dev.rollcall.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opensearch.client.opensearch.OpenSearchClient;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.rollcall.core.alert.Alert;
import dev.rollcall.core.alert.AlertJson;
import dev.rollcall.core.alert.AlertState;
import dev.rollcall.core.alert.Severity;
import dev.rollcall.core.alert.Urgency;
import dev.rollcall.core.normalize.EventNormalizer;
import dev.rollcall.core.normalize.IncomingEvent;
import dev.rollcall.servers.FaultInjectingProxy;
import dev.rollcall.servers.junit.RealServers;
import dev.rollcall.servers.junit.TestOpenSearch;
import dev.rollcall.servers.ClosedPort;

@RealServers
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AlertStoreIT {

    private TestOpenSearch openSearch;
    private IndexNames names;
    private OpenSearchClient client;
    private AlertStore store;

    @BeforeAll
    void setUp(TestOpenSearch openSearch) {
        this.openSearch = openSearch;
        this.names = new IndexNames(TestOpenSearch.uniquePrefix("store"));
        this.client = OpenSearchClients.create(OpenSearchConfig.local(openSearch.uri(), names.prefix()));
        new IndexTemplateInstaller(client, names, 0).install();
        this.store = new AlertStore(new BulkIndexer(client), names);
    }

    static List<Alert> alerts(String batch, int count) {
        List<Alert> alerts = new ArrayList<>(count);
        Instant start = Instant.parse("2026-10-31T12:00:00Z");
        for (int i = 0; i < count; i++) {
            alerts.add(new Alert(batch + "-" + i, start.plusSeconds(i * 7L), Instant.parse("2026-11-22T00:00:00Z"),
                    "cloudwatch", "123456789012", "eu-west-1", "prod", "svc-" + (i % 17), "alarm-" + (i % 101), "Alarm " + i,
                    i % 2 == 0 ? AlertState.FIRING : AlertState.RESOLVED, Severity.HIGH, Urgency.HIGH, false, "r1",
                    "fp-" + (i % 101), List.of("account", "region", "name"), Map.of("team", "t" + (i % 5)),
                    AlertJson.readTree("{\"n\":" + i + ",\"nested\":{\"deep\":[1,2,3]}}")));
        }
        return alerts;
    }

    static String ids(String... ids) {
        return "{\"query\":{\"ids\":{\"values\":" + AlertJson.toJson(List.of(ids)) + "}}}";
    }

    @Test
    void installingTemplatesTwiceChangesNothing() {
        IndexNames other = new IndexNames(TestOpenSearch.uniquePrefix("tpl"));
        IndexTemplateInstaller installer = new IndexTemplateInstaller(client, other, 0);
        assertThat(installer.install().values()).containsOnly(IndexTemplateInstaller.Action.CREATED);
        assertThat(installer.install().values()).containsOnly(IndexTemplateInstaller.Action.UNCHANGED);
    }

    @Test
    void aNewerTemplateBringsExistingIndicesToItsRefreshInterval() {
        IndexNames other = new IndexNames(TestOpenSearch.uniquePrefix("upgrade"));
        IndexTemplateInstaller installer = new IndexTemplateInstaller(client, other, 0);
        installer.install();
        // As an older release left it: the previous template version, and an index it created with its settings.
        ObjectNode older = (ObjectNode) installer.templateBody("rollups");
        older.put("version", older.path("version").asInt() - 1);
        ((ObjectNode) older.path("template").path("settings")).put("refresh_interval", "1s");
        openSearch.request("PUT", "/_index_template/" + other.prefix() + "-rollups", AlertJson.toJson(older));
        String index = other.rollupsIndex("day");
        openSearch.request("PUT", "/" + index, null);
        assertThat(refreshInterval(index)).isEqualTo("1s");

        assertThat(installer.install()).containsEntry(other.prefix() + "-rollups", IndexTemplateInstaller.Action.UPDATED);

        assertThat(refreshInterval(index)).isEqualTo(installer.templateBody("rollups").path("template").path("settings")
                .path("refresh_interval").asText()).isEqualTo("30s");
    }

    @Test
    void anOlderReleaseLeavesANewerTemplateAlone() {
        IndexNames other = new IndexNames(TestOpenSearch.uniquePrefix("downgrade"));
        IndexTemplateInstaller installer = new IndexTemplateInstaller(client, other, 0);
        ObjectNode newer = (ObjectNode) installer.templateBody("rollups");
        int next = newer.path("version").asInt() + 1;
        newer.put("version", next);
        openSearch.request("PUT", "/_index_template/" + other.prefix() + "-rollups", AlertJson.toJson(newer));

        assertThat(installer.install()).containsEntry(other.prefix() + "-rollups", IndexTemplateInstaller.Action.UNCHANGED);

        JsonNode stored = AlertJson.readTree(openSearch.request("GET", "/_index_template/" + other.prefix() + "-rollups", null).body());
        assertThat(stored.path("index_templates").path(0).path("index_template").path("version").asInt()).isEqualTo(next);
    }

    private String refreshInterval(String index) {
        JsonNode settings = AlertJson.readTree(openSearch.request("GET", "/" + index + "/_settings", null).body());
        return settings.path(index).path("settings").path("index").path("refresh_interval").asText();
    }

    @Test
    void bulkOfTenThousandIsIndexedOnceAndResendingChangesNothing() {
        IndexNames names = new IndexNames(TestOpenSearch.uniquePrefix("tenk"));
        new IndexTemplateInstaller(client, names, 0).install();
        AlertStore store = new AlertStore(new BulkIndexer(client), names);
        List<Alert> alerts = alerts("ten-k", 10_000);
        BulkResult first = store.store(alerts, Instant.now().plusSeconds(60));
        assertThat(first.count(ItemOutcome.Status.INDEXED)).isEqualTo(10_000);
        // The batch spans October and November: two monthly indices.
        assertThat(openSearch.count(names.eventsPattern())).isEqualTo(10_000);
        assertThat(openSearch.request("GET", "/_cat/indices/" + names.eventsPattern() + "?h=index", null).body())
                .contains(names.prefix() + "-events-2026.10", names.prefix() + "-events-2026.11");

        BulkResult again = store.store(alerts, Instant.now().plusSeconds(60));
        assertThat(again.count(ItemOutcome.Status.DUPLICATE)).isEqualTo(10_000);
        assertThat(openSearch.count(names.eventsPattern())).isEqualTo(10_000);
        // op_type=create leaves the stored document alone: version 1, not 2.
        String index = names.eventsIndex(alerts.get(9_999).occurredAt());
        JsonNode doc = AlertJson.readTree(openSearch.request("GET", "/" + index + "/_doc/ten-k-9999", null).body());
        assertThat(doc.path("_version").asInt()).isEqualTo(1);
        assertThat(AlertJson.mapper().convertValue(doc.path("_source"), Alert.class)).isEqualTo(alerts.get(9_999));
    }

    @Test
    void rawPayloadIsStoredButNotIndexed() {
        Alert alert = alerts("raw", 1).get(0);
        assertThat(store.store(List.of(alert), Instant.now().plusSeconds(30)).count(ItemOutcome.Status.INDEXED)).isEqualTo(1);
        openSearch.refresh(names.eventsPattern());
        String mapping = openSearch.request("GET", "/" + names.eventsPattern() + "/_mapping", null).body();
        assertThat(mapping).doesNotContain("\"deep\"");
        String hits = openSearch.request("POST", "/" + names.eventsPattern() + "/_search",
                "{\"query\":{\"term\":{\"labels.team\":\"t0\"}}}").body();
        assertThat(hits).contains("\"raw-0\"");
        JsonNode doc = AlertJson.readTree(openSearch.request("GET", "/" + names.eventsIndex(alert.occurredAt()) + "/_doc/raw-0", null).body());
        assertThat(doc.path("_source").path("raw")).isEqualTo(alert.raw());
    }

    @Test
    void rawPayloadsThatAreNotObjectsAreStoredToo() {
        List<Alert> odd = new ArrayList<>();
        for (String raw : List.of("\"just a string\"", "[1,2,{\"a\":1}]", "12345678901234567890123", "true")) {
            Alert base = alerts("odd-" + odd.size(), 1).get(0);
            odd.add(new Alert(base.eventId(), base.occurredAt(), base.ingestedAt(), "custom", null, null, null, null, "odd", null,
                    base.state(), base.severity(), base.urgency(), true, null, "fp-odd", List.of(), Map.of(), AlertJson.readTree(raw)));
        }
        BulkResult result = store.store(odd, Instant.now().plusSeconds(30));
        assertThat(result.outcomes()).as(result.outcomes().toString()).allMatch(ItemOutcome::succeeded);
        JsonNode doc = AlertJson.readTree(openSearch.request("GET", "/" + names.eventsIndex(odd.get(0).occurredAt()) + "/_doc/odd-1-0", null).body());
        assertThat(doc.path("_source").path("raw").toString()).isEqualTo("[1,2,{\"a\":1}]");
    }

    @Test
    void aMalformedDocumentIsRejectedAloneWithItsReason() {
        BulkIndexer indexer = new BulkIndexer(client);
        String index = names.eventsIndex(Instant.parse("2026-11-01T00:00:00Z"));
        List<BulkDocument> docs = new ArrayList<>();
        for (Alert alert : alerts("mixed", 5)) {
            docs.add(store.toDocument(alert));
        }
        docs.add(2, new BulkDocument(index, "bad-date", "{\"event_id\":\"bad-date\",\"occurred_at\":\"not a date\"}".getBytes(StandardCharsets.UTF_8), true));
        docs.add(4, new BulkDocument(index, "unknown-field", "{\"event_id\":\"unknown-field\",\"surprise\":1}".getBytes(StandardCharsets.UTF_8), true));

        BulkResult result = indexer.write(docs, Instant.now().plusSeconds(30));

        assertThat(result.outcomes()).extracting(ItemOutcome::status).containsExactly(
                ItemOutcome.Status.INDEXED, ItemOutcome.Status.INDEXED, ItemOutcome.Status.REJECTED, ItemOutcome.Status.INDEXED,
                ItemOutcome.Status.REJECTED, ItemOutcome.Status.INDEXED, ItemOutcome.Status.INDEXED);
        assertThat(result.outcomes().get(2).reason()).contains("mapper_parsing_exception");
        assertThat(result.outcomes().get(4).reason()).contains("strict_dynamic_mapping_exception");
        assertThat(openSearch.count(names.eventsPattern(), ids("bad-date"))).isZero();
    }

    /**
     * OpenSearch's flat_object refuses a document whose label passes its term limit ("immense term"), on every
     * delivery: such a label is stored cut, one below the limit exactly as it came.
     */
    @Test
    void aLabelPastOpenSearchsTermLimitIsStoredCutAndOneBelowItUnchanged() {
        int limit = 32_751; // key and value bytes: the most OpenSearch takes, FieldLimits.LABEL_BYTES
        String nineKb = "n".repeat(9 * 1024);
        String atLimit = "a".repeat(limit - "at_limit".length());
        String body = "{\"id\":\"long-labels\",\"name\":\"n\",\"time\":\"2026-11-01T00:00:00Z\",\"labels\":{\"generator_url\":\""
                + "g".repeat(40 * 1024) + "\",\"nine_kb\":\"" + nineKb + "\",\"at_limit\":\"" + atLimit + "\",\""
                + "k".repeat(40_000) + "\":\"v\"}}";
        List<Alert> alerts = EventNormalizer.withBundledRules().normalize(new IncomingEvent(body.getBytes(StandardCharsets.UTF_8), null,
                Map.of(), IncomingEvent.Door.SQS, Instant.parse("2026-11-01T00:00:01Z")));

        BulkResult result = store.store(alerts, Instant.now().plusSeconds(30));

        assertThat(result.outcomes()).as(result.outcomes().toString()).allMatch(ItemOutcome::succeeded);
        JsonNode labels = AlertJson.readTree(openSearch.request("GET", "/" + names.eventsIndex(alerts.get(0).occurredAt()) + "/_doc/"
                + alerts.get(0).eventId(), null).body()).path("_source").path("labels");
        assertThat(labels.path("nine_kb").asText()).isEqualTo(nineKb);
        assertThat(labels.path("at_limit").asText()).isEqualTo(atLimit);
        assertThat(labels.path("generator_url").asText()).isEqualTo("g".repeat(limit - "generator_url".length()));
        assertThat(labels.path("k".repeat(256)).asText()).isEqualTo("v");
    }

    /**
     * However large a batch's documents come out, they are serialized and sent a slice at a time, so the function
     * never holds them all; slices the deadline leaves no time for are left for redelivery unsent.
     */
    @Test
    void aBatchIsWrittenASliceAtATimeAndSlicesPastTheDeadlineAreLeftForRetry() {
        List<Alert> batch = alerts("sliced", 40);
        int tenDocuments = firstTenBytes(batch);

        BulkResult sliced = new AlertStore(new BulkIndexer(client), names, tenDocuments, Clock.systemUTC()).store(batch, Instant.now().plusSeconds(30));

        assertThat(sliced.count(ItemOutcome.Status.INDEXED)).isEqualTo(40);
        assertThat(sliced.requests()).isBetween(4, 5);
        Clock late = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(1));
        List<Alert> overdueBatch = alerts("overdue", 40);
        int tenOverdue = firstTenBytes(overdueBatch);
        BulkResult overdue = new AlertStore(new BulkIndexer(client), names, tenOverdue, late).store(overdueBatch, Instant.now().plusSeconds(30));
        assertThat(overdue.requests()).isEqualTo(1);
        assertThat(overdue.outcomes().subList(0, 10)).allMatch(ItemOutcome::succeeded);
        assertThat(overdue.count(ItemOutcome.Status.RETRY_LATER)).isEqualTo(overdue.outcomes().size() - overdue.count(ItemOutcome.Status.INDEXED))
                .isGreaterThanOrEqualTo(29);
    }

    private int firstTenBytes(List<Alert> batch) {
        return (int) batch.subList(0, 10).stream().mapToLong(alert -> BulkIndexer.requestBytes(store.toDocument(alert))).sum();
    }

    /**
     * A slice stops before the document that would take it past the limit the indexer splits requests at, so each
     * slice is one {@code _bulk} request, not a full one and a nearly empty one.
     */
    @Test
    void eachSliceIsOneBulkRequest() {
        List<Alert> batch = alerts("one-request", 40);
        long perDocument = BulkIndexer.requestBytes(store.toDocument(batch.get(0)));
        int limit = (int) (perDocument * 10 + perDocument / 2);
        BulkIndexer indexer = new BulkIndexer(client, Backoff.DEFAULT, Clock.systemUTC(), limit);

        BulkResult written = new AlertStore(indexer, names, limit, Clock.systemUTC()).store(batch, Instant.now().plusSeconds(30));

        assertThat(written.count(ItemOutcome.Status.INDEXED)).isEqualTo(40);
        assertThat(written.requests()).isEqualTo(4);
    }

    /** Past Jackson's write limit an alert cannot become a document; that costs it alone, not the rest of its batch. */
    @Test
    void anAlertThatCannotBeSerializedIsRejectedAloneAndTheRestIsStored() {
        List<Alert> batch = new ArrayList<>(alerts("unwritable", 3));
        Alert base = batch.get(1);
        JsonNode tooDeep = AlertJson.mapper().createArrayNode();
        for (int i = 0; i < 1_000; i++) {
            tooDeep = AlertJson.mapper().createArrayNode().add(tooDeep);
        }
        batch.set(1, new Alert(base.eventId(), base.occurredAt(), base.ingestedAt(), base.source(), null, null, null, null, base.name(),
                null, base.state(), base.severity(), base.urgency(), false, null, base.fingerprint(), List.of(), Map.of(), tooDeep));

        BulkResult result = store.store(batch, Instant.now().plusSeconds(30));

        assertThat(result.outcomes()).extracting(ItemOutcome::status).containsExactly(
                ItemOutcome.Status.INDEXED, ItemOutcome.Status.REJECTED, ItemOutcome.Status.INDEXED);
        assertThat(result.outcomes().get(1).id()).isEqualTo("unwritable-1");
        assertThat(result.outcomes().get(1).reason()).contains("cannot be serialized").contains("nesting depth");
        assertThat(openSearch.count(names.eventsPattern(), ids("unwritable-0", "unwritable-1", "unwritable-2"))).isEqualTo(2);
    }

    @Test
    void aStoppedOpenSearchYieldsRetryLaterForEveryDocumentInsteadOfAnException() throws Exception {
        OpenSearchClient down = OpenSearchClients.create(OpenSearchConfig.local(ClosedPort.http(), names.prefix()));
        AlertStore downStore = new AlertStore(new BulkIndexer(down, new Backoff(Duration.ofMillis(20), Duration.ofMillis(200)),
                Clock.systemUTC(), BulkIndexer.DEFAULT_MAX_REQUEST_BYTES), names);

        Instant started = Instant.now();
        BulkResult result = downStore.store(alerts("down", 25), Instant.now().plusSeconds(2));

        assertThat(result.count(ItemOutcome.Status.RETRY_LATER)).isEqualTo(25);
        assertThat(result.outcomes().get(0).reason()).contains("unreachable");
        assertThat(result.retries()).isPositive();
        assertThat(Duration.between(started, Instant.now())).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void a429IsRetriedWithBackoffUntilItSucceeds() {
        try (FaultInjectingProxy proxy = FaultInjectingProxy.start(openSearch.uri())) {
            proxy.failNext(3, 429, path -> path.endsWith("/_bulk"));
            OpenSearchClient throughProxy = OpenSearchClients.create(OpenSearchConfig.local(proxy.uri(), names.prefix()));
            AlertStore proxied = new AlertStore(new BulkIndexer(throughProxy, new Backoff(Duration.ofMillis(20), Duration.ofMillis(200)),
                    Clock.systemUTC(), BulkIndexer.DEFAULT_MAX_REQUEST_BYTES), names);

            BulkResult result = proxied.store(alerts("busy", 50), Instant.now().plusSeconds(30));

            assertThat(result.count(ItemOutcome.Status.INDEXED)).isEqualTo(50);
            assertThat(result.retries()).isEqualTo(3);
            assertThat(proxy.faultsServed()).isEqualTo(3);
        }
    }

    /** A request too large for the domain (a lower http.max_content_length, a proxy) is the request's fault, not its documents'. */
    @Test
    void aRequestRefusedAsTooLargeIsSentInHalvesAndNothingIsRejected() {
        try (FaultInjectingProxy proxy = FaultInjectingProxy.start(openSearch.uri())) {
            proxy.failNext(1, 413, path -> path.endsWith("/_bulk"));
            // A prefix of its own: other tests search the shared one.
            IndexNames own = new IndexNames(TestOpenSearch.uniquePrefix("too-large"));
            storeOfItsOwn(own);
            AlertStore proxied = new AlertStore(new BulkIndexer(OpenSearchClients.create(OpenSearchConfig.local(proxy.uri(), own.prefix()))), own);

            BulkResult result = proxied.store(alerts("too-large", 10), Instant.now().plusSeconds(30));

            assertThat(result.count(ItemOutcome.Status.INDEXED)).as(result.outcomes().toString()).isEqualTo(10);
            assertThat(proxy.faultsServed()).isEqualTo(1);
            assertThat(result.requests()).as("the refused request and its two halves").isEqualTo(3);

            // Halves its deadline leaves no time for wait for redelivery rather than hold the function.
            proxy.failNext(Integer.MAX_VALUE, 413, path -> path.endsWith("/_bulk"));
            BulkResult late = proxied.store(alerts("too-large-late", 4), Instant.now());
            assertThat(late.count(ItemOutcome.Status.RETRY_LATER)).as(late.outcomes().toString()).isEqualTo(4);
            assertThat(late.outcomes().get(0).reason()).contains("too large (413)");
            assertThat(late.requests()).isEqualTo(1);
        }
    }

    /**
     * A cluster whose action.auto_create_index leaves the month's index out answers each document 404: the cluster's to
     * fix, so the documents wait for redelivery instead of going to the dead-letter queue as bad ones.
     */
    @Test
    void documentsForAnIndexTheClusterWillNotCreateWaitForRedelivery() {
        IndexNames uncreated = new IndexNames(TestOpenSearch.uniquePrefix("uncreated"));
        AlertStore store = storeOfItsOwn(uncreated);
        String setting = "{\"transient\":{\"action.auto_create_index\":%s}}";
        openSearch.request("PUT", "/_cluster/settings", setting.formatted("\"-" + uncreated.prefix() + "-*,+*\""));
        try {
            BulkResult result = store.store(alerts("uncreated", 3), Instant.now().plusSeconds(30));

            assertThat(result.count(ItemOutcome.Status.RETRY_LATER)).as(result.outcomes().toString()).isEqualTo(3);
            assertThat(result.outcomes().get(0).reason()).startsWith(BulkIndexer.INDEX_NOT_CREATED);
        } finally {
            openSearch.request("PUT", "/_cluster/settings", setting.formatted("null"));
        }
        assertThat(store.store(alerts("uncreated", 3), Instant.now().plusSeconds(30)).count(ItemOutcome.Status.INDEXED)).isEqualTo(3);
    }

    /**
     * A retried write is reported at its first retry and, once OpenSearch took every document, as recovered; a write
     * whose retry ended with a document refused is not called recovered.
     */
    @Test
    void aRetriedWriteIsReportedAndCalledRecoveredOnlyWhenEveryDocumentWasTaken() {
        String strict = names.prefix() + "-strict-retry";
        assertThat(openSearch.request("PUT", "/" + strict, "{\"mappings\":{\"dynamic\":\"strict\",\"properties\":{\"n\":{\"type\":\"long\"}}}}").status())
                .isEqualTo(200);
        List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        RetryReport.Sink sink = new RetryReport.Sink() {
            @Override
            public void retrying(RetryReport.Retrying retrying) {
                heard.add("retrying " + retrying.request() + " " + retrying.failures() + ": " + retrying.reason());
            }

            @Override
            public void recovered(String request, int failures, Duration waited) {
                heard.add("recovered " + request + " " + failures);
            }
        };
        try (FaultInjectingProxy proxy = FaultInjectingProxy.start(openSearch.uri())) {
            OpenSearchClient throughProxy = OpenSearchClients.create(OpenSearchConfig.local(proxy.uri(), names.prefix()));
            BulkIndexer indexer = new BulkIndexer(throughProxy, new Backoff(Duration.ofMillis(20), Duration.ofMillis(100)),
                    Clock.systemUTC(), BulkIndexer.DEFAULT_MAX_REQUEST_BYTES).reportingRetriesTo(sink);
            byte[] good = "{\"n\":1}".getBytes(StandardCharsets.UTF_8);
            byte[] refused = "{\"unknown\":1}".getBytes(StandardCharsets.UTF_8);

            proxy.failNext(1, 429, path -> path.endsWith("/_bulk"));
            BulkResult taken = indexer.write(List.of(new BulkDocument(strict, "a", good, false), new BulkDocument(strict, "b", good, false)),
                    Instant.now().plusSeconds(30));
            assertThat(taken.count(ItemOutcome.Status.INDEXED)).isEqualTo(2);
            assertThat(heard).containsExactly("retrying POST /_bulk 1: 2 of 2 documents to retry: OpenSearch answered 429 to _bulk",
                    "recovered POST /_bulk 1");

            heard.clear();
            proxy.failNext(1, 429, path -> path.endsWith("/_bulk"));
            BulkResult partly = indexer.write(List.of(new BulkDocument(strict, "c", good, false), new BulkDocument(strict, "d", refused, false)),
                    Instant.now().plusSeconds(30));
            assertThat(partly.count(ItemOutcome.Status.INDEXED)).isEqualTo(1);
            assertThat(partly.count(ItemOutcome.Status.REJECTED)).isEqualTo(1);
            assertThat(heard).as("retried, but not every document was taken").containsExactly(
                    "retrying POST /_bulk 1: 2 of 2 documents to retry: OpenSearch answered 429 to _bulk");
        }
    }

    @Test
    void a429ThatOutlastsTheDeadlineYieldsRetryLater() {
        try (FaultInjectingProxy proxy = FaultInjectingProxy.start(openSearch.uri())) {
            proxy.failNext(Integer.MAX_VALUE, 429, path -> path.endsWith("/_bulk"));
            OpenSearchClient throughProxy = OpenSearchClients.create(OpenSearchConfig.local(proxy.uri(), names.prefix()));
            AlertStore proxied = new AlertStore(new BulkIndexer(throughProxy, new Backoff(Duration.ofMillis(20), Duration.ofMillis(100)),
                    Clock.systemUTC(), BulkIndexer.DEFAULT_MAX_REQUEST_BYTES), names);

            BulkResult result = proxied.store(alerts("always-busy", 10), Instant.now().plusSeconds(1));

            assertThat(result.count(ItemOutcome.Status.RETRY_LATER)).isEqualTo(10);
            assertThat(result.outcomes().get(0).reason()).contains("429");
            assertThat(openSearch.count(names.eventsPattern(), ids("always-busy-0"))).isZero();
        }
    }

    /** A refusal of access is not an outage: no retry until the deadline, and nothing is rejected for good. */
    @ParameterizedTest
    @ValueSource(ints = {401, 403})
    void aRefusalOfAccessLeavesTheBatchForRedeliveryAtOnce(int status) {
        try (FaultInjectingProxy proxy = FaultInjectingProxy.start(openSearch.uri())) {
            proxy.failNext(Integer.MAX_VALUE, status, path -> path.endsWith("/_bulk"));
            OpenSearchClient throughProxy = OpenSearchClients.create(OpenSearchConfig.local(proxy.uri(), names.prefix()));
            AlertStore proxied = new AlertStore(new BulkIndexer(throughProxy, new Backoff(Duration.ofMillis(20), Duration.ofMillis(100)),
                    Clock.systemUTC(), BulkIndexer.DEFAULT_MAX_REQUEST_BYTES), names);

            BulkResult result = proxied.store(alerts("refused-" + status, 10), Instant.now().plusSeconds(30));

            assertThat(result.count(ItemOutcome.Status.RETRY_LATER)).isEqualTo(10);
            assertThat(result.outcomes().get(0).reason()).contains("refused access to _bulk with " + status).contains("role mapping");
            assertThat(result.retries()).isZero();
            assertThat(proxy.faultsServed()).isEqualTo(1);
        }
    }

    /**
     * A domain that blocks writes (Amazon OpenSearch Service does when storage or JVM memory runs short) holds the
     * batch for redelivery at once: the documents are not bad, and stored once the block lifts.
     */
    @Test
    void writesToABlockedIndexWaitForRedeliveryAndAreStoredOnceTheBlockLifts() {
        OneStored blocked = oneStoredOf("blocked", 10);
        AlertStore blockedStore = blocked.store();
        List<Alert> batch = blocked.batch();
        String index = blocked.index();
        openSearch.request("PUT", "/" + index + "/_settings", "{\"index.blocks.write\":true}");
        try {
            BulkResult result = blockedStore.store(batch, Instant.now().plusSeconds(30));

            assertThat(result.count(ItemOutcome.Status.RETRY_LATER)).as(result.outcomes().toString()).isEqualTo(10);
            assertThat(result.outcomes().get(0).reason()).startsWith(BulkIndexer.WRITES_BLOCKED).contains("blocked");
            assertThat(result.retries()).as("a block outlasts a retry within the deadline").isZero();
        } finally {
            openSearch.request("PUT", "/" + index + "/_settings", "{\"index.blocks.write\":false}");
        }
        BulkResult redelivered = blockedStore.store(batch, Instant.now().plusSeconds(30));
        assertThat(redelivered.count(ItemOutcome.Status.INDEXED)).isEqualTo(9);
        assertThat(redelivered.count(ItemOutcome.Status.DUPLICATE)).isEqualTo(1);
        openSearch.refresh(index);
        assertThat(openSearch.count(index)).isEqualTo(10);
    }

    /** A store of its own, {@code count} alerts for it, and the monthly index that holds the first of them already. */
    private record OneStored(AlertStore store, List<Alert> batch, String index) {
    }

    private OneStored oneStoredOf(String hint, int count) {
        IndexNames names = new IndexNames(TestOpenSearch.uniquePrefix(hint));
        AlertStore store = storeOfItsOwn(names);
        List<Alert> batch = alerts(hint, count);
        assertThat(store.store(batch.subList(0, 1), Instant.now().plusSeconds(30)).count(ItemOutcome.Status.INDEXED)).isEqualTo(1);
        return new OneStored(store, batch, names.eventsIndex(batch.get(0).occurredAt()));
    }

    /**
     * A disk past its flood stage puts a read-only-allow-delete block on the index, which OpenSearch answers per item
     * with 429: retried until the deadline like any push-back, and then the reason must name the block, so the
     * operator reading the give-up line knows to free storage rather than wait for a busy domain.
     */
    @Test
    void itemsRetriedUntilTheDeadlineGiveUpNamingWhatTheyWereAnswered() {
        OneStored flooded = oneStoredOf("flooded", 3);
        String settings = "/" + flooded.index() + "/_settings";
        openSearch.request("PUT", settings, "{\"index.blocks.read_only_allow_delete\":true}");
        try {
            BulkResult result = flooded.store().store(flooded.batch().subList(1, 3), Instant.now().plusSeconds(2));

            assertThat(result.count(ItemOutcome.Status.RETRY_LATER)).as(result.outcomes().toString()).isEqualTo(2);
            assertThat(result.retries()).isPositive();
            assertThat(result.outcomes().get(0).reason()).contains("429").contains("cluster_block_exception").contains("read-only-allow-delete");
        } finally {
            openSearch.request("PUT", settings, "{\"index.blocks.read_only_allow_delete\":null}");
        }
    }

    /**
     * A closed monthly index (an operator's {@code _close} to save memory, a restore in progress) is the domain's to
     * reopen, not a fault of the documents: they wait for redelivery instead of going to the dead-letter queue.
     */
    @Test
    void writesToAClosedIndexWaitForRedeliveryAndAreStoredOnceItIsOpened() {
        OneStored closed = oneStoredOf("closed", 5);
        AlertStore closedStore = closed.store();
        List<Alert> batch = closed.batch();
        String index = closed.index();
        openSearch.request("POST", "/" + index + "/_close", "");
        try {
            BulkResult result = closedStore.store(batch, Instant.now().plusSeconds(30));

            assertThat(result.count(ItemOutcome.Status.RETRY_LATER)).as(result.outcomes().toString()).isEqualTo(5);
            assertThat(result.outcomes().get(0).reason()).startsWith(BulkIndexer.WRITES_BLOCKED).contains("closed");
        } finally {
            openSearch.request("POST", "/" + index + "/_open?wait_for_active_shards=1", "");
        }
        BulkResult redelivered = closedStore.store(batch, Instant.now().plusSeconds(30));
        assertThat(redelivered.count(ItemOutcome.Status.INDEXED)).as(redelivered.outcomes().toString()).isEqualTo(4);
        assertThat(redelivered.count(ItemOutcome.Status.DUPLICATE)).isEqualTo(1);
        openSearch.refresh(index);
        assertThat(openSearch.count(index)).isEqualTo(5);
    }

    /** A store writing under {@code names}, templates installed, retrying every 20-100 ms: for tests that change its indices. */
    private AlertStore storeOfItsOwn(IndexNames names) {
        OpenSearchClient client = OpenSearchClients.create(OpenSearchConfig.local(openSearch.uri(), names.prefix()));
        new IndexTemplateInstaller(client, names, 0).install();
        return new AlertStore(new BulkIndexer(client, new Backoff(Duration.ofMillis(20), Duration.ofMillis(100)),
                Clock.systemUTC(), BulkIndexer.DEFAULT_MAX_REQUEST_BYTES), names);
    }

    @Test
    void largeBatchesAreSplitIntoRequestsBelowTheSizeLimit() {
        BulkIndexer small = new BulkIndexer(client, Backoff.DEFAULT, Clock.systemUTC(), 64 * 1024);
        BulkResult result = new AlertStore(small, names).store(alerts("split", 500), Instant.now().plusSeconds(30));
        assertThat(result.count(ItemOutcome.Status.INDEXED)).isEqualTo(500);
        assertThat(result.requests()).isGreaterThan(1);
    }
}
