package dev.rollcall.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.apache.logging.log4j.LogManager;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.rollcall.core.alert.AlertJson;
import dev.rollcall.core.config.OperatorMetrics;
import dev.rollcall.core.ingest.EventOutcome;
import dev.rollcall.core.ingest.IngestReport;
import dev.rollcall.core.normalize.IncomingEvent;

class InvocationReportTest {

    private static final IngestReport PUSHED_BACK = new IngestReport(List.of(
            new EventOutcome(EventOutcome.Kind.STORED, 1, 0, 1, null),
            new EventOutcome(EventOutcome.Kind.STORED, 2, 2, 0, null),
            new EventOutcome(EventOutcome.Kind.RETRY, 1, 0, 0, "OpenSearch answered 429 to _bulk")), 3);

    @Test
    void theBulkRetriesAreCountedBesideTheEventOutcomes() {
        assertThat(InvocationReport.counts(PUSHED_BACK))
                .containsEntry("events", 3L).containsEntry("indexed", 2L).containsEntry("duplicates", 1L)
                .containsEntry("retried", 1L).containsEntry("bulk_retries", 3L);
    }

    @Test
    void theBulkRetriesArePublishedAsAMetricNextToTheIngestCounts() {
        assertThat(InvocationReport.metricValues(PUSHED_BACK))
                .containsKeys(OperatorMetrics.INGEST_COUNTS.toArray(String[]::new))
                .containsEntry(OperatorMetrics.ALERTS_DUPLICATE, 1L)
                .containsEntry(OperatorMetrics.EVENTS_RETRIED, 1L)
                .containsEntry("BulkRetries", 3L);
    }

    /** An event left for redelivery (OpenSearch busy or down) is not lost: the line says so instead of "failed". */
    @Test
    void theLineCountsEventsLeftForRedeliveryApartFromFailedOnes() {
        try (CapturedLog log = CapturedLog.of(InvocationReportTest.class)) {
            InvocationReport.publish(LogManager.getLogger(InvocationReportTest.class), "sqs", PUSHED_BACK);

            assertThat(log.messageOfLast("ingested 3 events"))
                    .isEqualTo("ingested 3 events: 2 new alerts, 1 duplicates, 0 failed, 1 left for redelivery, 3 bulk retries");
        }
    }

    /** The embedded-metric-format line Powertools prints: BulkRetries in the ingest counts' namespace and dimensions. */
    @Test
    void theBulkRetriesMetricIsEmittedInTheIngestCountsNamespaceAndDimension() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            InvocationReport.publish(LogManager.getLogger(InvocationReportTest.class), "sqs", PUSHED_BACK);
        } finally {
            System.setOut(stdout);
        }
        JsonNode emf = printed.toString(StandardCharsets.UTF_8).lines().filter(line -> line.contains("\"_aws\""))
                .map(AlertJson::readTree).findFirst().orElseThrow(() -> new AssertionError("no metrics line in: " + printed));
        JsonNode directive = emf.path("_aws").path("CloudWatchMetrics").path(0);
        assertThat(directive.path("Namespace").asText()).isEqualTo(System.getenv("POWERTOOLS_METRICS_NAMESPACE"));
        // Each count by door, and by the function's service alone: the stack's IngestionSilent alarm reads the latter.
        assertThat(directive.path("Dimensions").toString()).isEqualTo("[[\"Service\"],[\"" + OperatorMetrics.DOOR + "\"]]");
        assertThat(emf.path("Service").asText()).isEqualTo(System.getenv("POWERTOOLS_SERVICE_NAME"));
        assertThat(directive.path("Metrics").findValuesAsText("Name")).contains("BulkRetries", OperatorMetrics.EVENTS_RETRIED);
        assertThat(emf.path("BulkRetries").asDouble()).isEqualTo(3.0);
        assertThat(emf.path(OperatorMetrics.DOOR).asText()).isEqualTo("sqs");
    }

    /**
     * Webhook deliveries and other producers' messages share the ingest queue: one invocation's counts are published
     * per door, each metrics line with its own door alone, and the bulk retries once.
     */
    @Test
    void anSqsInvocationPublishesItsCountsByTheDoorEachMessageCameIn() {
        List<IncomingEvent> incoming = List.of(incoming(IncomingEvent.Door.SQS), incoming(IncomingEvent.Door.WEBHOOK),
                incoming(IncomingEvent.Door.WEBHOOK));
        List<JsonNode> emf = publishedByDoor(incoming);
        assertThat(emf).hasSize(2);
        assertThat(emf).extracting(line -> line.path(OperatorMetrics.DOOR).asText()).containsExactly("sqs", "webhook");
        assertThat(emf).allSatisfy(line -> assertThat(line.path("_aws").path("CloudWatchMetrics").path(0).path("Dimensions").toString())
                .isEqualTo("[[\"Service\"],[\"" + OperatorMetrics.DOOR + "\"]]"));
        assertThat(emf.get(0).path(OperatorMetrics.EVENTS_RECEIVED).asDouble()).isEqualTo(1.0);
        assertThat(emf.get(0).path("BulkRetries").asDouble()).isEqualTo(3.0);
        assertThat(emf.get(1).path(OperatorMetrics.EVENTS_RECEIVED).asDouble()).isEqualTo(2.0);
        assertThat(emf.get(1).path(OperatorMetrics.EVENTS_RETRIED).asDouble()).isEqualTo(1.0);
        assertThat(emf.get(1).path("BulkRetries").asDouble()).isZero();
    }

    /**
     * Events the EventBridge function left on the queue are counted under a door of their own: neither as producers'
     * messages (whose volume would rise with every OpenSearch outage) nor again as EventBridge's, which counted them.
     */
    @Test
    void eventsTheEventBridgeFunctionQueuedAreCountedUnderADoorOfTheirOwn() {
        List<JsonNode> emf = publishedByDoor(List.of(incoming(IncomingEvent.Door.EVENTBRIDGE), incoming(IncomingEvent.Door.WEBHOOK),
                incoming(IncomingEvent.Door.EVENTBRIDGE)));

        assertThat(emf).extracting(line -> line.path(OperatorMetrics.DOOR).asText()).containsExactly("webhook", "eventbridge_queue");
        assertThat(emf.get(0).path(OperatorMetrics.EVENTS_RECEIVED).asDouble()).isEqualTo(1.0);
        assertThat(emf.get(0).path("BulkRetries").asDouble()).isEqualTo(3.0);
        assertThat(emf.get(1).path(OperatorMetrics.EVENTS_RECEIVED).asDouble()).isEqualTo(2.0);
        assertThat(emf.get(1).path(OperatorMetrics.EVENTS_RETRIED).asDouble()).isEqualTo(1.0);
        assertThat(emf.get(1).path("BulkRetries").asDouble()).isZero();
    }

    /** The metrics lines (EMF, on standard output) {@code publishByDoor} prints for {@link #PUSHED_BACK}. */
    private static List<JsonNode> publishedByDoor(List<IncomingEvent> incoming) {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            SqsHandler.publishByDoor(incoming, PUSHED_BACK);
        } finally {
            System.setOut(stdout);
        }
        return printed.toString(StandardCharsets.UTF_8).lines().filter(line -> line.contains("\"_aws\""))
                .map(AlertJson::readTree).toList();
    }

    private static IncomingEvent incoming(IncomingEvent.Door door) {
        return new IncomingEvent("{}".getBytes(StandardCharsets.UTF_8), null, Map.of(), door, java.time.Instant.EPOCH);
    }

    @Test
    void theLogLineCarriesTheBulkRetries() {
        org.apache.logging.log4j.Logger log = LogManager.getLogger(InvocationReportTest.class);
        try (CapturedLog captured = CapturedLog.of(InvocationReportTest.class)) {
            InvocationReport.publish(log, "sqs", PUSHED_BACK);

            assertThat(captured.fieldsOfLast("ingested 3 events")).containsEntry("door", "sqs").containsEntry("bulk_retries", "3");
            assertThat(captured.lastMessage()).endsWith("3 bulk retries");
        }
    }
}
