package dev.rollcall.local.demo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.node.ObjectNode;

import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

import dev.rollcall.core.alert.AlertJson;
import dev.rollcall.ingest.webhook.WebhookAuthenticator;

/**
 * Loads generated traffic into a running local pipeline through its real doors: most CloudWatch alarm events via
 * SQS (as an SNS-to-SQS fan-out would deliver them), those of about one alarm in five via the EventBridge PutEvents
 * endpoint, and the Alertmanager and Sentry alerts as signed webhooks on the HTTP API.
 */
public final class DemoLoader {

    /** What was sent through which door. */
    public record Sent(int viaSqs, int viaPutEvents, int viaWebhooks, Instant from, Instant to) {
        public int total() {
            return viaSqs + viaPutEvents + viaWebhooks;
        }
    }

    private final SqsClient sqs;
    private final String queueUrl;
    private final URI api;
    private final URI eventBus;
    private final String webhookSecret;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public DemoLoader(SqsClient sqs, String queueUrl, URI api, URI eventBus, String webhookSecret) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.api = api;
        this.eventBus = eventBus;
        this.webhookSecret = webhookSecret;
    }

    /** Generates {@code days} of traffic ending at {@code end} (an hour boundary) and sends it; returns the counts per door. */
    public Sent load(long seed, int days, Instant end) throws Exception {
        Instant start = end.minus(Duration.ofDays(days));
        List<SimulatedEvent> events = new AlertTrafficGenerator(new AlertTrafficGenerator.Settings(seed, start, Duration.ofDays(days), days * 60)).events();
        List<String> sqsBodies = new ArrayList<>();
        List<SimulatedEvent> putEvents = new ArrayList<>();
        List<SimulatedEvent> webhooks = new ArrayList<>();
        for (SimulatedEvent event : events) {
            if (PayloadRenderer.webhookSource(event) != null) {
                webhooks.add(event);
            } else if (Math.floorMod(event.alert().name().hashCode(), 5) == 0) {
                // Whole alarms, not every n-th event: PutEvents stamps the caller's account (the local one), as AWS
                // does, so an alarm split between the two doors would show up as two alarms in two accounts.
                putEvents.add(event);
            } else {
                sqsBodies.add(PayloadRenderer.render(event));
            }
        }
        for (int i = 0; i < sqsBodies.size(); i += 10) {
            List<SendMessageBatchRequestEntry> batch = new ArrayList<>();
            for (int j = i; j < Math.min(i + 10, sqsBodies.size()); j++) {
                batch.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(j - i)).messageBody(sqsBodies.get(j)).build());
            }
            sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(batch));
        }
        AtomicInteger failures = new AtomicInteger();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<?>> sent = new ArrayList<>();
            for (int i = 0; i < putEvents.size(); i += 10) {
                List<SimulatedEvent> entries = putEvents.subList(i, Math.min(i + 10, putEvents.size()));
                sent.add(pool.submit(() -> {
                    count(putEvents(entries), failures);
                    return null;
                }));
            }
            for (SimulatedEvent event : webhooks) {
                sent.add(pool.submit(() -> {
                    count(webhook(event), failures);
                    return null;
                }));
            }
            for (Future<?> f : sent) {
                f.get();
            }
        }
        if (failures.get() > 0) {
            throw new IllegalStateException(failures.get() + " demo requests were refused; see the log above");
        }
        return new Sent(sqsBodies.size(), putEvents.size(), webhooks.size(), start, end);
    }

    private static void count(int status, AtomicInteger failures) {
        if (status >= 300) {
            failures.incrementAndGet();
        }
    }

    private int putEvents(List<SimulatedEvent> entries) throws Exception {
        ObjectNode request = AlertJson.mapper().createObjectNode();
        var array = request.putArray("Entries");
        for (SimulatedEvent event : entries) {
            ObjectNode rendered = PayloadRenderer.cloudWatch(event);
            array.addObject().put("Source", "aws.cloudwatch").put("DetailType", "CloudWatch Alarm State Change")
                    .put("Detail", rendered.get("detail").toString()).put("Time", event.time().getEpochSecond());
        }
        HttpRequest put = HttpRequest.newBuilder(eventBus).header("Content-Type", "application/x-amz-json-1.1")
                .header("X-Amz-Target", "AWSEvents.PutEvents").POST(HttpRequest.BodyPublishers.ofString(request.toString())).build();
        return http.send(put, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private int webhook(SimulatedEvent event) throws Exception {
        String source = PayloadRenderer.webhookSource(event);
        byte[] body = PayloadRenderer.render(event).getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder post = HttpRequest.newBuilder(api.resolve("/v1/events/" + source))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if ("sentry".equals(source)) {
            post.header("Sentry-Hook-Resource", "event_alert").header("Sentry-Hook-Signature", WebhookAuthenticator.hmacHex(webhookSecret, body));
        } else {
            post.header("Authorization", "Bearer " + webhookSecret);
        }
        return http.send(post.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
