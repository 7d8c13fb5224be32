package dev.rollcall.local;

import static dev.rollcall.local.LocalModeIT.DAY;
import static dev.rollcall.local.LocalModeIT.alertmanagerAlert;
import static dev.rollcall.local.LocalModeIT.assertRedrivesAsTheStackDoes;
import static dev.rollcall.local.LocalModeIT.dataDirUnder;
import static dev.rollcall.local.LocalModeIT.eventBridgeClient;
import static dev.rollcall.local.LocalModeIT.eventBridgeEvent;
import static dev.rollcall.local.LocalModeIT.eventsBySourceAfterAggregation;
import static dev.rollcall.local.LocalModeIT.post;
import static dev.rollcall.local.LocalModeIT.sampleDetail;
import static dev.rollcall.local.LocalModeIT.sqsClient;
import static dev.rollcall.local.LocalModeIT.term;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import dev.rollcall.core.routing.EventPatterns;
import dev.rollcall.servers.junit.TestOpenSearch;

/**
 * {@link LocalModeIT}'s end-to-end flow with LocalStack serving the AWS side: local mode runs with
 * {@code --sqs-endpoint} pointed at LocalStack's SQS, and events arrive through LocalStack's SQS and EventBridge.
 * Runs only with {@code -Plocalstack}, and is skipped where there is no Docker engine.
 */
class LocalStackIT {

    /**
     * The last LocalStack release that starts without an auth token (later images require one); it serves SQS and
     * EventBridge in one container.
     */
    private static final DockerImageName LOCALSTACK_IMAGE = DockerImageName.parse("localstack/localstack:4.14.0");
    private static final String BUS = "rollcall";

    @Test
    void eventsThroughLocalStacksSqsAndEventBridgeAreAnsweredByTheQueryApi(@TempDir Path temp) throws Exception {
        Assumptions.assumeTrue(dockerAvailable(), "no Docker engine found");
        try (LocalStackContainer localStack = new LocalStackContainer(LOCALSTACK_IMAGE).withServices("sqs", "events")) {
            localStack.start();
            URI endpoint = localStack.getEndpoint();
            try (LocalProcess local = LocalProcess.start(dataDirUnder(temp), List.of("--schedule-minutes", "0", "--sqs-endpoint", endpoint.toString()));
                 SqsClient sqs = sqsClient(endpoint);
                 EventBridgeClient events = eventBridgeClient(endpoint)) {
                assertThat(local.awaitReady(Duration.ofSeconds(240))).contains("sqs=" + endpoint + " (queue ");
                // Local mode created the queues in LocalStack, with the stack's redrive policy.
                assertRedrivesAsTheStackDoes(sqs);
                LocalModeIT.assertQueuesTakeTheLargestMessages(sqs);
                String queue = sqs.getQueueUrl(b -> b.queueName(LocalConfig.QUEUE)).queueUrl();

                // 1. PutEvents on an event bus whose rules carry the stack's patterns. In AWS the rules target the
                //    EventBridge function; here they target the ingest queue, so the events reach the same handlers
                //    without LocalStack having to run a Java Lambda.
                routeStackPatternsToQueue(events, sqs, queue);
                String detail = sampleDetail("via-localstack-putevents");
                PutEventsResponse put = events.putEvents(b -> b.entries(
                        PutEventsRequestEntry.builder().eventBusName(BUS).source("aws.cloudwatch").detailType("CloudWatch Alarm State Change")
                                .detail(detail).time(LocalModeIT.AT).build(),
                        PutEventsRequestEntry.builder().eventBusName(BUS).source("my.app").detailType("Unrelated").detail("{\"x\":1}").time(LocalModeIT.AT).build(),
                        PutEventsRequestEntry.builder().eventBusName(BUS).source("aws.partner/pagerduty.com/acme").detailType("Unrouted")
                                .detail("{\"x\":1}").build()));
                assertThat(put.failedEntryCount()).isZero();

                // 2. SQS SendMessage, as a producer would.
                String body = eventBridgeEvent("localstack-sqs-1", "via-localstack-sqs");
                sqs.sendMessage(b -> b.queueUrl(queue).messageBody(body));

                // 3. A webhook, which local mode's webhook function queues in LocalStack's SQS.
                assertThat(post(local.queryPort, "/v1/events/alertmanager", LocalConfig.WEBHOOK_SECRET,
                        alertmanagerAlert("ViaLocalStackQueue")).statusCode()).isEqualTo(202);

                TestOpenSearch openSearch = new TestOpenSearch(URI.create("http://127.0.0.1:" + local.openSearchPort));
                await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                    assertThat(openSearch.count("rollcall-events-*", term("name", "via-localstack-putevents"))).isEqualTo(1);
                    assertThat(openSearch.count("rollcall-events-*", term("name", "via-localstack-sqs"))).isEqualTo(1);
                    assertThat(openSearch.count("rollcall-events-*", term("name", "ViaLocalStackQueue"))).isEqualTo(1);
                });
                // The application's own event on the bus is a custom alert; the partner event no rule takes is not
                // stored; every message was consumed, none dead-lettered.
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                        assertThat(openSearch.count("rollcall-events-*", term("source", "custom"))).isEqualTo(1));
                assertThat(openSearch.count("rollcall-events-*")).isEqualTo(4);
                String dlq = sqs.getQueueUrl(b -> b.queueName(LocalConfig.DEAD_LETTER_QUEUE)).queueUrl();
                assertThat(sqs.getQueueAttributes(b -> b.queueUrl(dlq).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                        .attributes().get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).isEqualTo("0");

                assertThat(eventsBySourceAfterAggregation(local.queryPort, DAY)).containsExactlyEntriesOf(
                        new TreeMap<>(Map.of("alertmanager", 1L, "cloudwatch", 2L, "custom", 1L)));
            }
        }
    }

    /** The stack's event bus and one rule per pattern of {@link EventPatterns}, each delivering to the ingest queue. */
    private static void routeStackPatternsToQueue(EventBridgeClient events, SqsClient sqs, String queue) {
        String queueArn = sqs.getQueueAttributes(b -> b.queueUrl(queue).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        events.createEventBus(b -> b.name(BUS));
        for (EventPatterns.NamedPattern pattern : EventPatterns.all()) {
            events.putRule(b -> b.eventBusName(BUS).name(pattern.name()).description(pattern.description())
                    .eventPattern(pattern.patternJson()));
            events.putTargets(b -> b.eventBusName(BUS).rule(pattern.name()).targets(Target.builder().id("ingest-queue").arn(queueArn).build()));
        }
    }

    /**
     * Whether Testcontainers finds a Docker engine. Its failed probe logs every strategy it tried as errors, so the
     * probe runs with its loggers off and the outcome is this test's one line.
     */
    private static boolean dockerAvailable() {
        List<String> probeLoggers = List.of("org.testcontainers", "com.github.dockerjava");
        Map<String, Level> levels = new TreeMap<>();
        probeLoggers.forEach(name -> levels.put(name, LogManager.getLogger(name).getLevel()));
        probeLoggers.forEach(name -> Configurator.setLevel(name, Level.OFF));
        try {
            boolean available = DockerClientFactory.instance().isDockerAvailable();
            if (!available) {
                System.out.println("LocalStackIT skipped: no Docker engine found, and LocalStack runs in a container");
            }
            return available;
        } finally {
            levels.forEach(Configurator::setLevel);
        }
    }
}
