package dev.rollcall.servers;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Lambda's SQS event source mapping, for a queue on a local SQS: polls with a batch size and batching window,
 * hands the batch to a function as the JSON event Lambda would send, reads the partial batch response, deletes the
 * messages that succeeded and leaves the rest to reappear after the visibility timeout, so the queue's redrive
 * policy moves repeat failures to the dead-letter queue. A function that throws fails the whole batch, as in Lambda.
 */
public final class SqsEventSourceMapping implements AutoCloseable {

    /** Poller settings, as on an AWS::Lambda::EventSourceMapping. */
    public record Settings(int batchSize, Duration maximumBatchingWindow) {
        public Settings {
            if (batchSize < 1 || batchSize > 10_000) {
                throw new IllegalArgumentException("batch size must be 1..10000, got " + batchSize);
            }
        }
    }

    /** What one poll did. */
    public record PollResult(int received, int succeeded, int failed, boolean invocationFailed) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SqsClient sqs;
    private final String queueUrl;
    private final String queueArn;
    private final String region;
    private final Settings settings;
    private final UnaryOperator<String> function;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicLong invocations = new AtomicLong();
    private Thread poller;
    private boolean closed;

    public SqsEventSourceMapping(SqsClient sqs, String queueUrl, String region, Settings settings, UnaryOperator<String> function) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.region = region;
        this.settings = settings;
        this.function = function;
        this.queueArn = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
    }

    /** Receives one batch (waiting up to the batching window to fill it), invokes the function, settles messages. */
    public PollResult pollOnce() {
        List<Message> batch = receiveBatch();
        if (batch.isEmpty()) {
            return new PollResult(0, 0, 0, false);
        }
        invocations.incrementAndGet();
        Set<String> failedIds = new HashSet<>();
        boolean invocationFailed = false;
        try {
            String response = function.apply(eventJson(batch));
            JsonNode failures = response == null || response.isBlank() ? JSON.missingNode() : JSON.readTree(response).path("batchItemFailures");
            for (JsonNode failure : failures) {
                String id = failure.path("itemIdentifier").asText("");
                if (id.isEmpty()) {
                    // Lambda treats an unidentifiable failure as a failure of the whole batch.
                    invocationFailed = true;
                }
                failedIds.add(id);
            }
        } catch (Exception e) {
            invocationFailed = true;
        }
        List<DeleteMessageBatchRequestEntry> deletes = new ArrayList<>();
        if (!invocationFailed) {
            for (Message m : batch) {
                if (!failedIds.contains(m.messageId())) {
                    deletes.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(deletes.size())).receiptHandle(m.receiptHandle()).build());
                }
            }
        }
        for (int i = 0; i < deletes.size(); i += 10) {
            List<DeleteMessageBatchRequestEntry> chunk = deletes.subList(i, Math.min(deletes.size(), i + 10));
            sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(chunk));
        }
        int failed = batch.size() - deletes.size();
        return new PollResult(batch.size(), deletes.size(), failed, invocationFailed);
    }

    /** Polls in a background thread until closed. */
    public synchronized SqsEventSourceMapping start() {
        // A close() that came first (local mode stopping while it starts) must not be followed by a poller for ever.
        if (!closed && running.compareAndSet(false, true)) {
            poller = Thread.ofPlatform().daemon().name("sqs-event-source").start(() -> {
                while (running.get()) {
                    try {
                        pollOnce();
                    } catch (RuntimeException e) {
                        sleep(Duration.ofMillis(500));
                    }
                }
            });
        }
        return this;
    }

    public long invocations() {
        return invocations.get();
    }

    @Override
    public void close() {
        Thread started;
        synchronized (this) {
            closed = true;
            running.set(false);
            started = poller;
        }
        if (started != null) {
            try {
                started.join(Duration.ofSeconds(25));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private List<Message> receiveBatch() {
        List<Message> batch = new ArrayList<>();
        Instant windowEnds = Instant.now().plus(settings.maximumBatchingWindow());
        do {
            int want = Math.min(10, settings.batchSize() - batch.size());
            long waitSeconds = Math.max(0, Math.min(1, Duration.between(Instant.now(), windowEnds).toSeconds()));
            List<Message> got = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(want)
                    .waitTimeSeconds(batch.isEmpty() ? 1 : (int) waitSeconds)
                    .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
                    .messageAttributeNames("All")).messages();
            batch.addAll(got);
            if (got.isEmpty() && (batch.isEmpty() || Instant.now().isAfter(windowEnds))) {
                break;
            }
        } while (batch.size() < settings.batchSize() && Instant.now().isBefore(windowEnds));
        return batch;
    }

    /** The event JSON Lambda sends for a batch (see the "Example Amazon SQS message event" in the Lambda docs). */
    String eventJson(List<Message> batch) {
        ObjectNode event = JSON.createObjectNode();
        ArrayNode records = event.putArray("Records");
        for (Message m : batch) {
            ObjectNode r = records.addObject();
            r.put("messageId", m.messageId());
            r.put("receiptHandle", m.receiptHandle());
            r.put("body", m.body());
            ObjectNode attributes = r.putObject("attributes");
            m.attributes().forEach((k, v) -> attributes.put(k.toString(), v));
            ObjectNode messageAttributes = r.putObject("messageAttributes");
            for (Map.Entry<String, MessageAttributeValue> a : m.messageAttributes().entrySet()) {
                ObjectNode value = messageAttributes.putObject(a.getKey());
                value.put("stringValue", a.getValue().stringValue());
                value.putArray("stringListValues");
                value.putArray("binaryListValues");
                value.put("dataType", a.getValue().dataType());
            }
            r.put("md5OfBody", m.md5OfBody());
            r.put("eventSource", "aws:sqs");
            r.put("eventSourceARN", queueArn);
            r.put("awsRegion", region);
        }
        return event.toString();
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
