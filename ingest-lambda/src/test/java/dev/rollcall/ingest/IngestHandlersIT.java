package dev.rollcall.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import dev.rollcall.core.alert.AlertJson;
import dev.rollcall.core.alert.Timestamps;
import dev.rollcall.core.normalize.EventNormalizer;
import dev.rollcall.core.store.IndexNames;
import dev.rollcall.core.store.OpenSearchConfig;
import dev.rollcall.servers.FaultInjectingProxy;
import dev.rollcall.servers.LocalLambdaContext;
import dev.rollcall.servers.OpenSearchProcess;
import dev.rollcall.servers.SqsEventSourceMapping;
import dev.rollcall.servers.junit.RealServers;
import dev.rollcall.servers.junit.TestOpenSearch;
import dev.rollcall.servers.junit.TestSqs;

/** The EventBridge and SQS handlers against the real OpenSearch and ElasticMQ, with Lambda's delivery semantics. */
@RealServers
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public class IngestHandlersIT {

    private static final String SAMPLE_ID = "c4c1c1c9-6542-e61b-6ef0-8c4d36933a92";

    private TestOpenSearch openSearch;
    private TestSqs sqs;

    @BeforeAll
    void servers(TestOpenSearch openSearch, TestSqs sqs) {
        this.openSearch = openSearch;
        this.sqs = sqs;
    }

    public static IngestRuntime runtime(URI openSearch, String prefix, Duration margin) {
        OpenSearchConfig config = OpenSearchConfig.local(openSearch, prefix);
        return new IngestRuntime(new IngestConfig(config, margin, Map.of()), EventNormalizer.withBundledRules(), Clock.systemUTC());
    }

    /** The millisecond after the sample's own transition that each id's transition happened at. */
    private static final Map<String, Integer> TRANSITIONS = new ConcurrentHashMap<>();
    private static final AtomicInteger LAST_TRANSITION = new AtomicInteger();

    /**
     * The published CloudWatch alarm sample as another transition of its alarm: a new EventBridge id and a state time
     * of its own (a transition is identified by its time, so two ids at one time would be copies of one event). The
     * same id gives the same event, as a redelivery does.
     */
    static String alarmEvent(String id) {
        ObjectNode event = (ObjectNode) AlertJson.readTree(LambdaRuntimeSerialization.resource("cloudwatch-alarm-state-change.json"));
        event.put("id", id);
        if (!id.equals(SAMPLE_ID)) {
            ObjectNode state = (ObjectNode) event.path("detail").path("state");
            Instant sampleTime = Timestamps.parse(state.path("timestamp").asText()).orElseThrow();
            int offset = TRANSITIONS.computeIfAbsent(id, unused -> LAST_TRANSITION.incrementAndGet());
            state.put("timestamp", sampleTime.plusMillis(offset).toString());
        }
        return event.toString();
    }

    /** Lets the mapping poll until the queue is empty, then asserts {@code stored} events, each stored once. */
    void assertDrainedAndStoredOnce(SqsEventSourceMapping mapping, SqsClient client, String queueUrl, String prefix, long stored) {
        mapping.start();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(approximateMessages(client, queueUrl) + inFlight(client, queueUrl)).isZero());
        mapping.close();
        assertThat(openSearch.count(prefix + "-events-*")).isEqualTo(stored);
    }

    /** Sends {@code count} alarm events, ids {@code idStem} + 0, 1, ..., each as one message. */
    static void sendAlarmEvents(SqsClient client, String queueUrl, String idStem, int count) {
        for (int i = 0; i < count; i++) {
            String body = alarmEvent(idStem + i);
            client.sendMessage(b -> b.queueUrl(queueUrl).messageBody(body));
        }
    }

    static String invokeEventBridge(EventBridgeHandler handler, String event) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out,
                LocalLambdaContext.withTimeout(Duration.ofSeconds(30)));
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Invokes the SQS handler the way Lambda does: JSON in, the runtime's serializers, JSON out. */
    public static UnaryOperator<String> lambdaInvoke(SqsHandler handler, Duration timeout) {
        return json -> {
            SQSEvent event = LambdaRuntimeSerialization.fromJson(json, SQSEvent.class);
            SQSBatchResponse response = handler.handleRequest(event, LocalLambdaContext.withTimeout(timeout));
            return LambdaRuntimeSerialization.toJson(response, SQSBatchResponse.class);
        };
    }

    @Test
    void eventBridgeDeliveringTheSameEventThreeTimesStoresOneDocument() throws Exception {
        String prefix = TestOpenSearch.uniquePrefix("eb");
        EventBridgeHandler handler = new EventBridgeHandler(runtime(openSearch.uri(), prefix, Duration.ofSeconds(1)));
        String event = alarmEvent(SAMPLE_ID);

        JsonNode first = AlertJson.readTree(invokeEventBridge(handler, event));
        JsonNode second = AlertJson.readTree(invokeEventBridge(handler, event));
        invokeEventBridge(handler, event);

        assertThat(first.path("indexed").asInt()).isEqualTo(1);
        assertThat(second.path("duplicates").asInt()).isEqualTo(1);
        assertThat(openSearch.count(prefix + "-events-*")).isEqualTo(1);
        // The id the transition's own content gives it, the one every copy and route of it shares.
        String eventId = "cloudwatch:a925e1551a28dfa2a1044a87502807a12a74b87d22edcbe98b34b2c801f5e4c2";
        JsonNode stored = AlertJson.readTree(openSearch.request("GET", "/" + prefix + "-events-2019.10/_doc/" + eventId, null).body());
        assertThat(stored.path("_source").path("raw").path("detail").path("alarmName").asText()).isEqualTo("ServerCpuTooHigh");
    }

    /**
     * The member stack forwards alarm changes through EventBridge; a team whose alarm also notifies an SNS topic
     * subscribed to the ingest queue sends each transition twice. It is one event, whichever copy comes first.
     */
    @Test
    void anAlarmTransitionDeliveredByEventBridgeAndBySnsThroughSqsIsStoredOnce() throws Exception {
        String prefix = TestOpenSearch.uniquePrefix("two-routes");
        IngestRuntime runtime = runtime(openSearch.uri(), prefix, Duration.ofSeconds(1));
        // No published classic notification is of the EventBridge sample's transition, so this one is made of that
        // sample's values in the shape of core's published ones (samples/cloudwatch/raw-http-alarm-message.json).
        ObjectNode alarm = AlertJson.mapper().createObjectNode()
                .put("AlarmName", "ServerCpuTooHigh").put("AWSAccountId", "123456789012")
                .put("NewStateValue", "ALARM").put("OldStateValue", "OK")
                .put("StateChangeTime", "2019-10-02T17:04:40.989+0000").put("Region", "US East (N. Virginia)")
                .put("AlarmArn", "arn:aws:cloudwatch:us-east-1:123456789012:alarm:ServerCpuTooHigh");
        ObjectNode notification = AlertJson.mapper().createObjectNode()
                .put("Type", "Notification").put("MessageId", "5b9c9a8e-1f5e-5d7c-9a43-7f0e2f9b1c12")
                .put("TopicArn", "arn:aws:sns:us-east-1:123456789012:alarms")
                .put("Subject", "ALARM: \"ServerCpuTooHigh\" in US East (N. Virginia)")
                .put("Message", alarm.toString()).put("Timestamp", "2019-10-02T17:04:41.020Z");
        ObjectNode sqsEvent = (ObjectNode) AlertJson.readTree(LambdaRuntimeSerialization.resource("sqs-event.json"));
        ((ObjectNode) sqsEvent.path("Records").path(0)).put("body", notification.toString());

        SQSBatchResponse viaSqs = new SqsHandler(runtime).handleRequest(
                LambdaRuntimeSerialization.fromJson(sqsEvent.toString(), SQSEvent.class), LocalLambdaContext.withTimeout(Duration.ofSeconds(30)));
        JsonNode viaEventBridge = AlertJson.readTree(invokeEventBridge(new EventBridgeHandler(runtime), alarmEvent(SAMPLE_ID)));

        assertThat(viaSqs.getBatchItemFailures()).isEmpty();
        assertThat(viaEventBridge.path("duplicates").asInt()).isEqualTo(1);
        assertThat(openSearch.count(prefix + "-events-*")).isEqualTo(1);
    }

    /** Invoked by hand with a JSON null, as the runtime reads it: nothing to ingest, and no exception. */
    @Test
    void anSqsInvocationWithANullEventHasNoMessagesToFail() {
        SQSEvent none = LambdaRuntimeSerialization.fromJson("null", SQSEvent.class);
        assertThat(none).isNull();

        SqsHandler handler = new SqsHandler(runtime(openSearch.uri(), TestOpenSearch.uniquePrefix("sqsnull"), Duration.ofSeconds(1)));

        SQSBatchResponse answer = handler.handleRequest(none, LocalLambdaContext.withTimeout(Duration.ofSeconds(30)));

        assertThat(answer.getBatchItemFailures()).isEmpty();
    }

    @Test
    void eventBridgeInvocationFailsWhenOpenSearchIsDownSoLambdaRetriesIt() throws Exception {
        int deadPort;
        try (var socket = new java.net.ServerSocket(0)) {
            deadPort = socket.getLocalPort();
        }
        EventBridgeHandler handler = new EventBridgeHandler(runtime(URI.create("http://127.0.0.1:" + deadPort), "down", Duration.ZERO));
        try (CapturedLog log = CapturedLog.of(EventBridgeHandler.class)) {
            assertThatThrownBy(() -> handler.handleRequest(new ByteArrayInputStream(alarmEvent("x").getBytes(StandardCharsets.UTF_8)),
                    new ByteArrayOutputStream(), LocalLambdaContext.withTimeout(Duration.ofSeconds(2))))
                    .isInstanceOf(EventBridgeHandler.EventNotIngestedException.class)
                    .hasMessageContaining("RETRY");
            // The line names the event, so that it can be found in the dead-letter queue Lambda parks it in.
            assertThat(log.fieldsOfLast("event not ingested")).containsEntry("event_id", "x")
                    .containsEntry("event_source", "aws.cloudwatch").containsEntry("event_detail_type", "CloudWatch Alarm State Change")
                    .containsKey("event_account");
        }
    }

    /**
     * OpenSearch does not answer: the EventBridge function leaves the events on the ingest queue, marked as
     * EventBridge's, and succeeds, instead of failing into Lambda's two retries and the dead-letter queue. The SQS
     * function stores them from there, as the documents a direct delivery makes: the same events delivered again are
     * duplicates of them. The event without an id (an input transformer can leave it out) is known by its body on
     * EventBridge's door, but by its body and its send time on the queue's: read as the queue's, it would be stored twice.
     */
    @Test
    void eventsNotStoredYetGoToTheIngestQueueAndAreStoredFromThereOnce() throws Exception {
        String prefix = TestOpenSearch.uniquePrefix("eb-retry");
        String queue = sqs.createQueueWithDlq("eb-retry-" + UUID.randomUUID(), 5, 1);
        SqsClient client = sqs.client();
        EventRetryQueue retries = new EventRetryQueue.SqsEventRetryQueue(client, URI.create(queue));
        EventBridgeHandler down = new EventBridgeHandler(runtime(URI.create("http://127.0.0.1:" + freePort()), prefix, Duration.ZERO),
                java.util.Optional.of(retries));
        String withId = alarmEvent("queued-eb");
        String withoutId = "{\"version\":\"0\",\"detail-type\":\"Deploy Failed\",\"source\":\"myapp.deploys\","
                + "\"account\":\"123456789012\",\"time\":\"2026-03-14T12:00:00Z\",\"region\":\"us-east-1\",\"resources\":[],"
                + "\"detail\":{\"status\":\"failed\"}}";

        try (CapturedLog log = CapturedLog.of(EventBridgeHandler.class)) {
            assertThat(AlertJson.readTree(invokeEventBridge(down, withId)).path("status").asText()).isEqualTo("queued_for_retry");
            assertThat(log.fieldsOfLast("event not stored yet")).containsEntry("event_id", "queued-eb");
        }
        assertThat(AlertJson.readTree(invokeEventBridge(down, withoutId)).path("status").asText()).isEqualTo("queued_for_retry");
        var queued = client.receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(10).waitTimeSeconds(1).visibilityTimeout(0)
                .messageAttributeNames("All")).messages();
        assertThat(queued).extracting(software.amazon.awssdk.services.sqs.model.Message::body).containsExactlyInAnyOrder(withId, withoutId);
        assertThat(queued).allSatisfy(message -> assertThat(message.messageAttributes().get(SqsHandler.DOOR_ATTRIBUTE).stringValue())
                .isEqualTo(SqsHandler.EVENTBRIDGE_DOOR));

        SqsHandler ingest = new SqsHandler(runtime(openSearch.uri(), prefix, Duration.ofSeconds(1)));
        try (SqsEventSourceMapping mapping = new SqsEventSourceMapping(client, queue, TestSqs.REGION,
                new SqsEventSourceMapping.Settings(10, Duration.ofMillis(100)), lambdaInvoke(ingest, Duration.ofSeconds(30)))) {
            mapping.start();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(approximateMessages(client, queue) + inFlight(client, queue)).isZero());
        }
        openSearch.refresh(prefix + "-events-*");
        assertThat(openSearch.count(prefix + "-events-*")).isEqualTo(2);
        EventBridgeHandler up = new EventBridgeHandler(runtime(openSearch.uri(), prefix, Duration.ofSeconds(1)));
        for (String event : List.of(withId, withoutId)) {
            assertThat(AlertJson.readTree(invokeEventBridge(up, event)).path("duplicates").asInt())
                    .as("the same document, whichever door it came by: " + event).isEqualTo(1);
        }
        assertThat(openSearch.count(prefix + "-events-*")).isEqualTo(2);
    }

    /** A queue that does not take the event either leaves it to Lambda's retries, as without one. */
    @Test
    void anEventTheQueueDoesNotTakeEitherFailsTheInvocation() throws Exception {
        URI dead = URI.create("http://127.0.0.1:" + freePort());
        SqsClient unreachable = SqsClient.builder().endpointOverride(dead)
                .region(software.amazon.awssdk.regions.Region.of(TestSqs.REGION))
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("test", "test")))
                .build();
        EventBridgeHandler down = new EventBridgeHandler(runtime(dead, "eb-noqueue", Duration.ZERO),
                java.util.Optional.of(new EventRetryQueue.SqsEventRetryQueue(unreachable, dead.resolve("/000000000000/gone"))));

        try (CapturedLog log = CapturedLog.of(EventBridgeHandler.class)) {
            assertThatThrownBy(() -> invokeEventBridge(down, alarmEvent("unqueued-eb")))
                    .isInstanceOf(EventBridgeHandler.EventNotIngestedException.class).hasMessageContaining("RETRY");
            assertThat(log.fieldsOfLast("event not ingested")).containsEntry("event_id", "unqueued-eb");
        }
    }

    @Test
    void thePublishedSqsSampleIsDeserializedAsTheRuntimeDoesAndIngested() {
        String prefix = TestOpenSearch.uniquePrefix("sample");
        SqsHandler handler = new SqsHandler(runtime(openSearch.uri(), prefix, Duration.ofSeconds(1)));
        SQSEvent event = LambdaRuntimeSerialization.fromJson(LambdaRuntimeSerialization.resource("sqs-event.json"), SQSEvent.class);

        SQSBatchResponse response = handler.handleRequest(event, LocalLambdaContext.withTimeout(Duration.ofSeconds(30)));

        assertThat(response.getBatchItemFailures()).isEmpty();
        // An unknown payload is kept as a custom alert, never dropped.
        assertThat(openSearch.count(prefix + "-events-*", "{\"query\":{\"term\":{\"source\":\"custom\"}}}")).isEqualTo(1);
        // It has no time of its own: it occurred when it was sent (SentTimestamp 1601975709495), which a redelivery
        // repeats, so a redelivery in another month still finds the same index and document.
        assertThat(openSearch.count(prefix + "-events-2020.10",
                "{\"query\":{\"term\":{\"occurred_at\":\"2020-10-06T09:15:09.495Z\"}}}")).isEqualTo(1);
        SQSBatchResponse redelivered = handler.handleRequest(event, LocalLambdaContext.withTimeout(Duration.ofSeconds(30)));
        // A duplicate is a success: naming the message for retry would redeliver it until it reached the DLQ.
        assertThat(redelivered.getBatchItemFailures()).isEmpty();
        openSearch.refresh(prefix + "-events-*");
        assertThat(openSearch.count(prefix + "-events-*")).isEqualTo(1);
    }

    /**
     * Events that are no alert (an alarm's configuration change through the rules, an SNS subscription confirmation
     * on the queue) are acknowledged, stored nowhere and never retried: the EventBridge function answers
     * {@code not_an_alert}, the SQS function names no batch item failure, and the queue is left empty.
     */
    @Test
    void eventsThatAreNoAlertAreAcknowledgedStoredNowhereAndNotRetried() throws Exception {
        String prefix = TestOpenSearch.uniquePrefix("notalert");
        IngestRuntime runtime = runtime(openSearch.uri(), prefix, Duration.ofSeconds(1));

        JsonNode answer = AlertJson.readTree(invokeEventBridge(new EventBridgeHandler(runtime),
                LambdaRuntimeSerialization.resource("cloudwatch-alarm-configuration-change.json")));
        assertThat(answer.path("status").asText()).isEqualTo("not_an_alert");
        assertThat(answer.path("alerts").asInt()).isZero();

        String queueName = "notalert-" + UUID.randomUUID();
        // Two receives before the dead-letter queue: a message left on the queue would come back within the wait below.
        String queueUrl = sqs.createQueueWithDlq(queueName, 2, 1);
        try (SqsClient client = sqs.client();
             SqsEventSourceMapping mapping = new SqsEventSourceMapping(client, queueUrl, TestSqs.REGION,
                     new SqsEventSourceMapping.Settings(10, Duration.ofMillis(200)), lambdaInvoke(new SqsHandler(runtime), Duration.ofSeconds(30)))) {
            client.sendMessage(b -> b.queueUrl(queueUrl).messageBody(LambdaRuntimeSerialization.resource("sns-subscription-confirmation.json")));
            SqsEventSourceMapping.PollResult poll = mapping.pollOnce();
            assertThat(poll.received()).isEqualTo(1);
            assertThat(poll.failed()).isZero();
            assertThat(poll.invocationFailed()).isFalse();
            assertThat(client.receiveMessage(b -> b.queueUrl(queueUrl).waitTimeSeconds(2)).messages()).as("acknowledged").isEmpty();
            String deadLetters = client.getQueueUrl(b -> b.queueName(queueName + "-dlq")).queueUrl();
            assertThat(client.receiveMessage(b -> b.queueUrl(deadLetters).waitTimeSeconds(1)).messages()).as("not parked").isEmpty();
        }
        assertThat(openSearch.count(prefix + "-events-*")).isZero();
    }

    @Test
    void aProducerRetryNeverCountsTwiceAndAPoisonMessageReachesTheDeadLetterQueueAlone() {
        String prefix = TestOpenSearch.uniquePrefix("sqs");
        String queue = "ingest-" + UUID.randomUUID();
        String queueUrl = sqs.createQueueWithDlq(queue, 2, 1);
        SqsHandler handler = new SqsHandler(runtime(openSearch.uri(), prefix, Duration.ofSeconds(1)));
        try (SqsClient client = sqs.client();
             CapturedLog log = CapturedLog.of(SqsHandler.class);
             SqsEventSourceMapping mapping = new SqsEventSourceMapping(client, queueUrl, TestSqs.REGION,
                     new SqsEventSourceMapping.Settings(10, Duration.ofMillis(200)), lambdaInvoke(handler, Duration.ofSeconds(30)))) {
            sendAlarmEvents(client, queueUrl, "evt-", 25);
            // The same events again: a producer retry, as at-least-once delivery allows.
            sendAlarmEvents(client, queueUrl, "evt-", 5);
            client.sendMessage(b -> b.queueUrl(queueUrl).messageBody("{\"this is\": not json"));

            mapping.start();
            String dlqUrl = client.getQueueUrl(b -> b.queueName(queue + "-dlq")).queueUrl();
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(approximateMessages(client, dlqUrl)).isEqualTo(1));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(approximateMessages(client, queueUrl) + inFlight(client, queueUrl)).isZero());
            assertThat(openSearch.count(prefix + "-events-*")).isEqualTo(25);
            Message dead = client.receiveMessage(b -> b.queueUrl(dlqUrl).waitTimeSeconds(1)).messages().get(0);
            assertThat(dead.body()).isEqualTo("{\"this is\": not json");
            // What the dead-letter runbook tells an operator to look up: the message's line, its outcome and reason.
            Map<String, String> line = log.fieldsOfLast("message cannot be ingested");
            assertThat(line).containsEntry("message_id", dead.messageId()).containsEntry("outcome", "malformed");
            assertThat(line.get("reason")).isNotBlank().doesNotStartWith("normalizer error:");
        }
    }

    @Test
    void hostileNumbersAndImpossibleTimesCostOnlyTheirOwnMessageNotTheBatch() {
        Instant began = Instant.now();
        String prefix = TestOpenSearch.uniquePrefix("sqshostile");
        String queue = "ingest-" + UUID.randomUUID();
        String queueUrl = sqs.createQueueWithDlq(queue, 2, 1);
        SqsHandler handler = new SqsHandler(runtime(openSearch.uri(), prefix, Duration.ofSeconds(1)));
        try (SqsClient client = sqs.client();
             SqsEventSourceMapping mapping = new SqsEventSourceMapping(client, queueUrl, TestSqs.REGION,
                     new SqsEventSourceMapping.Settings(10, Duration.ofMillis(500)), lambdaInvoke(handler, Duration.ofSeconds(30)))) {
            client.sendMessage(b -> b.queueUrl(queueUrl).messageBody(alarmEvent("good-1")));
            // A billion digits in plain form, and an epoch past any year an index can be named for.
            client.sendMessage(b -> b.queueUrl(queueUrl).messageBody("{\"id\":\"huge\",\"name\":\"x\",\"labels\":{\"count\":1e999999999},\"time\":1e600000000}"));
            client.sendMessage(b -> b.queueUrl(queueUrl).messageBody(
                    "{\"id\":\"far\",\"name\":\"y\",\"state\":\"firing\",\"time\":\"+999999999-12-31T23:00:00Z\"}"));
            client.sendMessage(b -> b.queueUrl(queueUrl).messageBody("{\"id\":\"epoch\",\"name\":\"z\",\"time\":0}"));
            // Two events concatenated (NDJSON): refused whole rather than keeping the first and dropping the second.
            client.sendMessage(b -> b.queueUrl(queueUrl).messageBody("{\"id\":\"a\",\"name\":\"n\"}\n{\"id\":\"b\",\"name\":\"n\"}"));
            // An id past OpenSearch's 512-byte _id and a name past the keyword's ignore_above: stored, not refused.
            String longId = "i".repeat(600);
            String longName = "n".repeat(40_000);
            client.sendMessage(b -> b.queueUrl(queueUrl).messageBody("{\"id\":\"" + longId + "\",\"name\":\"" + longName
                    + "\",\"service\":\"" + "s".repeat(40_000) + "\",\"state\":\"firing\"}"));
            client.sendMessage(b -> b.queueUrl(queueUrl).messageBody(alarmEvent("good-2")));

            mapping.start();
            String dlqUrl = client.getQueueUrl(b -> b.queueName(queue + "-dlq")).queueUrl();
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(approximateMessages(client, dlqUrl)).isEqualTo(1));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(approximateMessages(client, queueUrl) + inFlight(client, queueUrl)).isZero());
            assertThat(client.receiveMessage(b -> b.queueUrl(dlqUrl).waitTimeSeconds(1)).messages().get(0).body()).startsWith("{\"id\":\"a\"");
            openSearch.refresh(prefix + "-events-*");
            assertThat(openSearch.count(prefix + "-events-*")).isEqualTo(6);
            JsonNode long_ = AlertJson.readTree(openSearch.request("POST", "/" + prefix + "-events-*/_search",
                    "{\"query\":{\"term\":{\"service\":\"" + "s".repeat(8_191) + "\"}}}").body()).path("hits").path("hits");
            assertThat(long_).hasSize(1);
            assertThat(long_.get(0).path("_id").asText()).startsWith("custom:sha256:");
            assertThat(long_.get(0).path("_source").path("name").asText()).hasSize(1024);
            // Times too far from the arrival to believe land in the month the messages arrived, and are kept as a label.
            // The month the test began in, or the next when it ran across a month's end.
            List<String> arrivalMonths = List.of(new IndexNames(prefix).eventsIndex(began), new IndexNames(prefix).eventsIndex(Instant.now()));
            JsonNode far = storedEvent(prefix, "{\"ids\":{\"values\":[\"custom::far:firing:+999999999-12-31T23:00:00Z\"]}}");
            assertThat(far.path("_index").asText()).isIn(arrivalMonths);
            assertThat(far.path("_source").path("labels").path("source_time").asText()).isEqualTo("+999999999-12-31T23:00:00Z");
            JsonNode epoch = storedEvent(prefix, "{\"ids\":{\"values\":[\"custom::epoch:info:1970-01-01T00:00:00Z\"]}}");
            assertThat(epoch.path("_index").asText()).isIn(arrivalMonths);
            assertThat(epoch.path("_source").path("labels").path("source_time").asText()).isEqualTo("1970-01-01T00:00:00Z");
            // Without a time of its own it is known by its first send as well: found by the rest of its id.
            JsonNode huge = storedEvent(prefix, "{\"prefix\":{\"event_id\":\"custom::huge:info:sent:\"}}");
            assertThat(huge.path("_source").path("labels").path("count").asText()).isEqualTo("1E+999999999");
        }
    }

    /** The one event of {@code prefix}, in whichever month's index, that {@code query} finds. */
    private JsonNode storedEvent(String prefix, String query) {
        JsonNode hits = AlertJson.readTree(openSearch.request("POST", "/" + prefix + "-events-*/_search",
                "{\"query\":" + query + "}").body()).path("hits").path("hits");
        assertThat(hits).as(query).hasSize(1);
        return hits.get(0);
    }

    /**
     * A payload nested 1,000 levels parses with Jackson's defaults but its document (one level deeper) does not
     * serialize: refused up front as malformed, it costs only its own message on SQS and fails only its own
     * EventBridge invocation with a reason, never the whole batch with a stack trace.
     */
    @Test
    void aPayloadNestedAThousandLevelsCostsOnlyItsOwnMessage() throws Exception {
        String prefix = TestOpenSearch.uniquePrefix("sqsdeep");
        String queueUrl = sqs.createQueueWithDlq("deep-" + UUID.randomUUID(), 1, 1);
        String deep = "{\"id\":\"deep\",\"name\":\"deep\",\"d\":" + "[".repeat(999) + "]".repeat(999) + "}";
        SqsHandler handler = new SqsHandler(runtime(openSearch.uri(), prefix, Duration.ofSeconds(1)));
        try (SqsClient client = sqs.client()) {
            client.sendMessage(b -> b.queueUrl(queueUrl).messageBody(alarmEvent("deep-good-1")));
            client.sendMessage(b -> b.queueUrl(queueUrl).messageBody(deep));
            client.sendMessage(b -> b.queueUrl(queueUrl).messageBody(alarmEvent("deep-good-2")));
            SqsEventSourceMapping mapping = new SqsEventSourceMapping(client, queueUrl, TestSqs.REGION,
                    new SqsEventSourceMapping.Settings(10, Duration.ofMillis(500)), lambdaInvoke(handler, Duration.ofSeconds(30)));

            SqsEventSourceMapping.PollResult poll = mapping.pollOnce();

            assertThat(poll.invocationFailed()).isFalse();
            assertThat(poll.received()).isEqualTo(3);
            assertThat(poll.failed()).isEqualTo(1);
            openSearch.refresh(prefix + "-events-*");
            assertThat(openSearch.count(prefix + "-events-*")).isEqualTo(2);
        }
        EventBridgeHandler eventBridge = new EventBridgeHandler(runtime(openSearch.uri(), prefix, Duration.ofSeconds(1)));
        assertThatThrownBy(() -> invokeEventBridge(eventBridge, deep))
                .isInstanceOf(EventBridgeHandler.EventNotIngestedException.class)
                .hasMessageContaining("MALFORMED").hasMessageContaining("nested deeper than 500 levels");
    }

    @Test
    void openSearchDownEveryMessageIsRetriedAndAfterItComesBackEachIsIndexedExactlyOnce() throws Exception {
        OpenSearchProcess.Settings settings = new OpenSearchProcess.Settings(Path.of(System.getProperty("rollcall.opensearch.zip")),
                System.getProperty("rollcall.opensearch.version"), Path.of(System.getProperty("rollcall.root"), "target/test-servers/dist"),
                Path.of(System.getProperty("rollcall.root"), "target/test-servers/restartable-" + UUID.randomUUID()),
                freePort(), "256m", Duration.ofSeconds(180), true);
        String prefix = TestOpenSearch.uniquePrefix("outage");
        String queueUrl = sqs.createQueueWithDlq("outage-" + UUID.randomUUID(), 100, 1);
        OpenSearchProcess node = OpenSearchProcess.start(settings);
        try (SqsClient client = sqs.client()) {
            URI uri = node.uri();
            node.close(); // OpenSearch goes down before anything is ingested
            SqsHandler handler = new SqsHandler(runtime(uri, prefix, Duration.ofMillis(500)));
            sendAlarmEvents(client, queueUrl, "outage-", 30);
            SqsEventSourceMapping mapping = new SqsEventSourceMapping(client, queueUrl, TestSqs.REGION,
                    new SqsEventSourceMapping.Settings(10, Duration.ofMillis(100)), lambdaInvoke(handler, Duration.ofSeconds(3)));
            SqsEventSourceMapping.PollResult down = mapping.pollOnce();
            assertThat(down.received()).isPositive();
            assertThat(down.failed()).isEqualTo(down.received());

            node = OpenSearchProcess.start(settings); // back, same port, same data
            mapping.start();
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                    assertThat(approximateMessages(client, queueUrl) + inFlight(client, queueUrl)).isZero());
            mapping.close();
            TestOpenSearch restarted = new TestOpenSearch(node.uri());
            assertThat(restarted.count(prefix + "-events-*")).isEqualTo(30);
        } finally {
            node.close();
        }
    }

    @Test
    void a429OutlastingTheInvocationLeavesTheBatchForRedeliveryAndNothingIsLost() {
        String prefix = TestOpenSearch.uniquePrefix("busy");
        String queueUrl = sqs.createQueueWithDlq("busy-" + UUID.randomUUID(), 100, 1);
        try (FaultInjectingProxy proxy = FaultInjectingProxy.start(openSearch.uri());
             SqsClient client = sqs.client()) {
            SqsHandler handler = new SqsHandler(runtime(proxy.uri(), prefix, Duration.ofMillis(500)));
            sendAlarmEvents(client, queueUrl, "busy-", 12);
            SqsEventSourceMapping mapping = new SqsEventSourceMapping(client, queueUrl, TestSqs.REGION,
                    new SqsEventSourceMapping.Settings(12, Duration.ofMillis(300)), lambdaInvoke(handler, Duration.ofSeconds(3)));
            // Only _bulk is refused: template installation gets through, the writes never do.
            proxy.failNext(Integer.MAX_VALUE, 429, path -> path.endsWith("/_bulk"));
            SqsEventSourceMapping.PollResult busy = mapping.pollOnce();
            assertThat(busy.failed()).isEqualTo(busy.received()).isPositive();
            assertThat(proxy.faultsServed()).isGreaterThan(1); // it backed off and retried inside the invocation

            proxy.failNext(0, 429, path -> true);
            assertDrainedAndStoredOnce(mapping, client, queueUrl, prefix, 12);
        }
    }

    /**
     * OpenSearch that stops answering mid-write: with the stack's rule that the time kept free at the end of an
     * invocation is longer than one OpenSearch request may take (scaled down here: 1 s requests, 3 s margin), the
     * invocation still ends in time and names every message for redelivery; the redelivery stores each once.
     */
    @Test
    void aBulkThatHangsEndsInTimeAsRetryAndTheRedeliveryStoresEachOnce() {
        String prefix = TestOpenSearch.uniquePrefix("hung");
        String queueUrl = sqs.createQueueWithDlq("hung-" + UUID.randomUUID(), 100, 1);
        Duration invocationTimeout = Duration.ofSeconds(8);
        try (FaultInjectingProxy proxy = FaultInjectingProxy.start(openSearch.uri());
             SqsClient client = sqs.client()) {
            OpenSearchConfig store = new OpenSearchConfig(proxy.uri(), OpenSearchConfig.Auth.NONE, null, new IndexNames(prefix), 0,
                    Duration.ofSeconds(1));
            SqsHandler handler = new SqsHandler(new IngestRuntime(new IngestConfig(store, Duration.ofSeconds(3), Map.of()),
                    EventNormalizer.withBundledRules(), Clock.systemUTC()));
            sendAlarmEvents(client, queueUrl, "hung-", 6);
            // The invocation's own time, as Lambda would count it: not the queue's receive around it.
            UnaryOperator<String> invoke = lambdaInvoke(handler, invocationTimeout);
            long[] longestInvocationNanos = {0};
            UnaryOperator<String> timedInvoke = body -> {
                long started = System.nanoTime();
                try {
                    return invoke.apply(body);
                } finally {
                    longestInvocationNanos[0] = Math.max(longestInvocationNanos[0], System.nanoTime() - started);
                }
            };
            SqsEventSourceMapping mapping = new SqsEventSourceMapping(client, queueUrl, TestSqs.REGION,
                    new SqsEventSourceMapping.Settings(6, Duration.ofMillis(300)), timedInvoke);
            proxy.hangNext(Integer.MAX_VALUE, path -> path.endsWith("/_bulk"));

            SqsEventSourceMapping.PollResult hung = mapping.pollOnce();
            Duration took = Duration.ofNanos(longestInvocationNanos[0]);

            assertThat(hung.failed()).isEqualTo(hung.received()).isPositive();
            assertThat(hung.invocationFailed()).isFalse();
            assertThat(proxy.faultsServed()).isPositive();
            assertThat(took).as("the invocation ended before Lambda would have stopped it").isLessThan(invocationTimeout);

            proxy.hangNext(0, path -> false);
            assertDrainedAndStoredOnce(mapping, client, queueUrl, prefix, 6);
        }
    }

    /**
     * OpenSearch's usual 429 is per item inside a 200 {@code _bulk} answer, and it can come for a write that did
     * happen (the answer of a request OpenSearch acted on is all the client has). The retry inside the invocation then
     * finds every document already there: duplicates, a successful batch, and each event stored once.
     */
    @Test
    void aBulkStoredButAnsweredWithItem429sIsRetriedAsDuplicatesAndTheBatchSucceeds() {
        String prefix = TestOpenSearch.uniquePrefix("unconfirmed-items");
        String queueUrl = sqs.createQueueWithDlq("unconfirmed-" + UUID.randomUUID(), 100, 30);
        try (FaultInjectingProxy proxy = FaultInjectingProxy.start(openSearch.uri());
             SqsClient client = sqs.client();
             CapturedLog log = CapturedLog.of(SqsHandler.class)) {
            SqsHandler handler = new SqsHandler(runtime(proxy.uri(), prefix, Duration.ofSeconds(1)));
            sendAlarmEvents(client, queueUrl, "unconfirmed-", 5);
            SqsEventSourceMapping mapping = new SqsEventSourceMapping(client, queueUrl, TestSqs.REGION,
                    new SqsEventSourceMapping.Settings(10, Duration.ofMillis(500)), lambdaInvoke(handler, Duration.ofSeconds(30)));
            proxy.rewriteBulkItemsAfterForwardingNext(1, 429, path -> path.endsWith("/_bulk"));

            SqsEventSourceMapping.PollResult poll = mapping.pollOnce();

            assertThat(proxy.faultsServed()).as("the first _bulk was stored, then answered with 429 items").isEqualTo(1);
            assertThat(poll.invocationFailed()).isFalse();
            assertThat(poll.received()).isEqualTo(5);
            assertThat(poll.failed()).isZero();
            assertThat(log.fieldsOfLast("ingested 5 events"))
                    .containsEntry("indexed", "0").containsEntry("duplicates", "5")
                    .containsEntry("retried", "0").containsEntry("bulk_retries", "1");
            assertThat(approximateMessages(client, queueUrl) + inFlight(client, queueUrl)).isZero();
            assertThat(openSearch.count(prefix + "-events-*")).isEqualTo(5);
        }
    }

    /**
     * The whole {@code _bulk} answered 429 after OpenSearch stored it (an answer lost behind a load balancer looks
     * the same): the EventBridge invocation retries, finds the event stored, and succeeds without a second count.
     */
    @Test
    void aBulkStoredButAnswered429IsRetriedAsADuplicateAndTheInvocationSucceeds() throws Exception {
        String prefix = TestOpenSearch.uniquePrefix("unconfirmed-request");
        try (FaultInjectingProxy proxy = FaultInjectingProxy.start(openSearch.uri());
             CapturedLog log = CapturedLog.of(EventBridgeHandler.class)) {
            EventBridgeHandler handler = new EventBridgeHandler(runtime(proxy.uri(), prefix, Duration.ofSeconds(1)));
            proxy.failAfterForwardingNext(1, 429, path -> path.endsWith("/_bulk"));

            JsonNode answer = AlertJson.readTree(invokeEventBridge(handler, alarmEvent("unconfirmed-eb")));

            assertThat(proxy.faultsServed()).as("the first _bulk was stored, then answered 429").isEqualTo(1);
            assertThat(answer.path("status").asText()).isEqualTo("stored");
            assertThat(answer.path("indexed").asInt()).isZero();
            assertThat(answer.path("duplicates").asInt()).isEqualTo(1);
            assertThat(log.fieldsOfLast("ingested 1 events")).containsEntry("bulk_retries", "1");
            assertThat(openSearch.count(prefix + "-events-*")).isEqualTo(1);
        }
    }

    static long approximateMessages(SqsClient client, String url) {
        return Long.parseLong(client.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                .attributes().get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
    }

    static long inFlight(SqsClient client, String url) {
        return Long.parseLong(client.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                .attributes().get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    static int freePort() throws Exception {
        try (var socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
