package dev.rollcall.bench;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;

import dev.rollcall.core.alert.Alert;
import dev.rollcall.core.alert.AlertJson;
import dev.rollcall.core.normalize.EventNormalizer;
import dev.rollcall.core.store.AlertStore;
import dev.rollcall.core.store.BulkDocument;
import dev.rollcall.core.store.BulkIndexer;
import dev.rollcall.core.store.IndexNames;
import dev.rollcall.core.store.IndexTemplateInstaller;
import dev.rollcall.core.store.OpenSearchHttp;
import dev.rollcall.ingest.IngestConfig;
import dev.rollcall.ingest.IngestRuntime;
import dev.rollcall.ingest.SqsHandler;
import dev.rollcall.local.demo.PayloadRenderer;
import dev.rollcall.local.demo.SimulatedEvent;

/**
 * The SQS handler path (normalize, classify, serialize, bulk, check every item) against a raw {@code _bulk} of the
 * very same documents already serialized, with the same batch size and the same concurrency, into one node; twice,
 * once each side first, the seconds of both rounds summed per side.
 */
final class IngestScenario {

    private IngestScenario() {
    }

    static BenchResult run(BenchEnvironment env, int events, int batchSize, int concurrency) throws Exception {
        List<SimulatedEvent> simulated = BenchData.events(11, events);
        List<SQSEvent> batches = sqsBatches(simulated, batchSize);

        // Warm both paths up on a throwaway prefix so neither pays the JIT alone.
        int warm = Math.min(simulated.size(), 3_000);
        rawBulk(env, "bench-warm-raw", BenchData.alerts(simulated.subList(0, warm)), batchSize, concurrency);
        handler(env, "bench-warm-sqs", sqsBatches(simulated.subList(0, warm), batchSize), concurrency);

        List<Alert> alerts = BenchData.alerts(simulated);
        // Two rounds in opposite orders: the side that goes second writes into a node already holding the first's
        // documents, and neither side may always have the emptier node.
        double rawSeconds = 0;
        double sqsSeconds = 0;
        long documents = -1;
        BenchResult.Builder result = new BenchResult.Builder("ingest");
        for (boolean rawFirst : new boolean[] {true, false}) {
            String rawPrefix = "bench-raw-" + UUID.randomUUID().toString().substring(0, 6);
            String sqsPrefix = "bench-sqs-" + UUID.randomUUID().toString().substring(0, 6);
            double raw;
            double sqs;
            if (rawFirst) {
                raw = rawBulk(env, rawPrefix, alerts, batchSize, concurrency);
                sqs = handler(env, sqsPrefix, batches, concurrency);
            } else {
                sqs = handler(env, sqsPrefix, batches, concurrency);
                raw = rawBulk(env, rawPrefix, alerts, batchSize, concurrency);
            }
            long rawCount = count(env, rawPrefix);
            long sqsCount = count(env, sqsPrefix);
            if (rawCount != sqsCount) {
                throw new IllegalStateException("the two paths stored different counts: raw " + rawCount + ", handler " + sqsCount);
            }
            documents = sqsCount;
            result.put((rawFirst ? "raw_first" : "handler_first") + "_ratio_handler_to_raw", raw / sqs);
            rawSeconds += raw;
            sqsSeconds += sqs;
        }
        double rawRate = 2.0 * alerts.size() / rawSeconds;
        double sqsRate = 2.0 * alerts.size() / sqsSeconds;
        return result
                .put("events", simulated.size()).put("documents", documents).put("batch_size", batchSize).put("concurrency", concurrency)
                .put("raw_bulk_seconds", rawSeconds).put("raw_bulk_events_per_s", rawRate)
                .put("sqs_handler_seconds", sqsSeconds).put("sqs_handler_events_per_s", sqsRate)
                .put("ratio_handler_to_raw", sqsRate / rawRate)
                .target("ratio_handler_to_raw >= 0.8 (both rounds: raw first, then handler first)").build();
    }

    static List<SQSEvent> sqsBatches(List<SimulatedEvent> events, int batchSize) {
        List<SQSEvent> batches = new ArrayList<>();
        for (int i = 0; i < events.size(); i += batchSize) {
            List<SQSEvent.SQSMessage> records = new ArrayList<>();
            for (SimulatedEvent event : events.subList(i, Math.min(events.size(), i + batchSize))) {
                SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
                message.setMessageId(event.id());
                message.setBody(PayloadRenderer.render(event));
                String source = PayloadRenderer.webhookSource(event);
                if (source != null) {
                    SQSEvent.MessageAttribute attribute = new SQSEvent.MessageAttribute();
                    attribute.setDataType("String");
                    attribute.setStringValue(source);
                    message.setMessageAttributes(Map.of(SqsHandler.SOURCE_ATTRIBUTE, attribute));
                }
                records.add(message);
            }
            SQSEvent batch = new SQSEvent();
            batch.setRecords(records);
            batches.add(batch);
        }
        return batches;
    }

    private static double handler(BenchEnvironment env, String prefix, List<SQSEvent> batches, int concurrency) throws Exception {
        IngestRuntime runtime = new IngestRuntime(new IngestConfig(env.config(prefix), Duration.ofSeconds(1), Map.of()),
                EventNormalizer.withBundledRules(), Clock.systemUTC());
        // Its first invocation installs the index templates; the raw side installs them before its clock starts too.
        runtime.ingest(List.of(), null);
        if (!new IndexTemplateInstaller(env.client(prefix), new IndexNames(prefix), 0).install().values().stream()
                .allMatch(IndexTemplateInstaller.Action.UNCHANGED::equals)) {
            throw new IllegalStateException("the handler's first invocation did not install the index templates");
        }
        return timed(batches.size(), concurrency, i -> {
            SQSBatchResponse response = new SqsHandler(runtime).handleRequest(batches.get(i), null);
            if (!response.getBatchItemFailures().isEmpty()) {
                throw new IllegalStateException(response.getBatchItemFailures().size() + " messages failed in the handler path");
            }
        });
    }

    private static double rawBulk(BenchEnvironment env, String prefix, List<Alert> alerts, int batchSize, int concurrency) throws Exception {
        var client = env.client(prefix);
        IndexNames names = new IndexNames(prefix);
        new IndexTemplateInstaller(client, names, 0).install();
        AlertStore store = new AlertStore(new BulkIndexer(client), names);
        List<byte[]> bodies = new ArrayList<>();
        List<Integer> documents = new ArrayList<>();
        for (int i = 0; i < alerts.size(); i += batchSize) {
            documents.add(Math.min(alerts.size(), i + batchSize) - i);
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            for (Alert alert : alerts.subList(i, Math.min(alerts.size(), i + batchSize))) {
                BulkDocument doc = store.toDocument(alert);
                body.writeBytes(("{\"create\":{\"_index\":\"" + doc.index() + "\",\"_id\":" + AlertJson.toJson(doc.id()) + "}}\n").getBytes(StandardCharsets.UTF_8));
                body.writeBytes(doc.source());
                body.write('\n');
            }
            bodies.add(body.toByteArray());
        }
        OpenSearchHttp http = new OpenSearchHttp(client);
        return timed(bodies.size(), concurrency, i -> {
            try {
                // Same response filter as the store uses, so the ratio measures Rollcall's own work, not a bigger answer.
                OpenSearchHttp.Answer answer = http.execute("POST", "/_bulk", Map.of("filter_path", RAW_FILTER), bodies.get(i), "application/x-ndjson");
                if (!answer.ok()) {
                    throw new IllegalStateException("raw _bulk failed: " + answer.status());
                }
                var items = AlertJson.readTree(answer.body()).path("items");
                if (items.size() != documents.get(i)) {
                    // As the store checks: an answer for fewer items than were sent is no success.
                    throw new IllegalStateException("raw _bulk answered " + items.size() + " items for " + documents.get(i) + " documents");
                }
                // 409 is a duplicate id (generated alerts can repeat exactly), as the handler path counts it too.
                for (var item : items) {
                    int status = item.elements().next().path("status").asInt();
                    if (status != 201 && status != 409) {
                        throw new IllegalStateException("raw _bulk item failed with " + status);
                    }
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    /** The response filter the store's {@code BulkIndexer} sends. */
    private static final String RAW_FILTER = "errors,items.*.status,items.*.error.type,items.*.error.reason";

    /** Runs tasks 0..n-1 on {@code concurrency} threads and returns the wall time in seconds. */
    static double timed(int n, int concurrency, IntConsumer task) throws Exception {
        long start = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(concurrency)) {
            List<Future<?>> futures = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int index = i;
                futures.add(pool.submit(() -> task.accept(index)));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        }
        return (System.nanoTime() - start) / 1e9;
    }

    static long count(BenchEnvironment env, String prefix) throws Exception {
        OpenSearchHttp http = new OpenSearchHttp(env.client(prefix));
        http.execute("POST", "/" + prefix + "-events-*/_refresh", Map.of(), null, null);
        return AlertJson.readTree(http.get("/" + prefix + "-events-*/_count").body()).path("count").asLong();
    }
}
