package dev.rollcall.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

import dev.rollcall.core.alert.AlertJson;

/** Lambda's asynchronous invocation in local mode: retries, then the failure destination, or dropped as in AWS. */
class AsyncInvocationsTest {

    @Test
    void aFailingEventIsRetriedThenGoesToTheFunctionsFailureDestination() {
        AtomicInteger calls = new AtomicInteger();
        List<String> parked = new CopyOnWriteArrayList<>();
        LocalFunctions functions = new LocalFunctions().register("Failing", event -> {
            calls.incrementAndGet();
            throw new IllegalStateException("OpenSearch is down");
        });
        try (AsyncInvocations async = new AsyncInvocations(functions, Map.of("Failing", parked::add), 10)) {
            async.submit("Failing", "{\"id\":\"e-1\"}", "test");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(parked).hasSize(1));
        }
        assertThat(calls.get()).isEqualTo(AsyncInvocations.ATTEMPTS).isEqualTo(3);
        // Lambda's invocation record, as the stack's destination receives it: the event, and why its last attempt failed.
        JsonNode record = AlertJson.readTree(parked.get(0));
        assertThat(record.path("version").asText()).isEqualTo("1.0");
        assertThat(Instant.parse(record.path("timestamp").asText())).isBeforeOrEqualTo(Instant.now());
        assertThat(record.path("requestContext").path("condition").asText()).isEqualTo("RetriesExhausted");
        assertThat(record.path("requestContext").path("approximateInvokeCount").asInt()).isEqualTo(3);
        assertThat(record.path("requestContext").path("functionArn").asText()).isEqualTo("arn:aws:lambda:us-east-1:000000000000:function:Failing:$LATEST");
        assertThat(record.path("requestContext").path("requestId").asText()).hasSize(36);
        assertThat(record.path("requestPayload")).isEqualTo(AlertJson.readTree("{\"id\":\"e-1\"}"));
        assertThat(record.path("responseContext").path("functionError").asText()).isEqualTo("Unhandled");
        assertThat(record.path("responsePayload").path("errorMessage").asText()).isEqualTo("OpenSearch is down");
        assertThat(record.path("responsePayload").path("errorType").asText()).isEqualTo("java.lang.IllegalStateException");
    }

    @Test
    void aRetrySucceedingDeliversOnceAndParksNothing() {
        AtomicInteger calls = new AtomicInteger();
        List<String> parked = new CopyOnWriteArrayList<>();
        List<String> handled = new CopyOnWriteArrayList<>();
        LocalFunctions functions = new LocalFunctions().register("Flaky", event -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("first attempt fails");
            }
            handled.add(event);
            return "{}";
        });
        try (AsyncInvocations async = new AsyncInvocations(functions, Map.of("Flaky", parked::add), 10)) {
            async.submit("Flaky", "{\"id\":\"e-2\"}", "test");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(handled).containsExactly("{\"id\":\"e-2\"}"));
        }
        assertThat(parked).isEmpty();
        assertThat(calls.get()).isEqualTo(2);
    }

    /** An event whose retry waits when local mode stops was accepted: it is parked, not dropped, and so is a late one. */
    @Test
    void stoppingWhileARetryWaitsParksTheEventInsteadOfDroppingIt() {
        AtomicInteger calls = new AtomicInteger();
        List<String> parked = new CopyOnWriteArrayList<>();
        LocalFunctions functions = new LocalFunctions().register("Failing", event -> {
            calls.incrementAndGet();
            throw new IllegalStateException("OpenSearch is down");
        });
        // As the SDK's client does, the destination refuses to send from an interrupted thread.
        Consumer<String> destination = event -> {
            if (Thread.currentThread().isInterrupted()) {
                throw new IllegalStateException("aborted: the thread is interrupted");
            }
            parked.add(event);
        };
        AsyncInvocations async = new AsyncInvocations(functions, Map.of("Failing", destination), 60_000);
        async.submit("Failing", "{\"id\":\"e-4\"}", "test");
        await().atMost(Duration.ofSeconds(10)).until(() -> calls.get() == 1);

        async.close();
        async.submit("Failing", "{\"id\":\"e-5\"}", "test");

        assertThat(parked).extracting(record -> AlertJson.readTree(record).path("requestPayload").path("id").asText()).containsExactly("e-4", "e-5");
        assertThat(parked).extracting(record -> AlertJson.readTree(record).path("requestContext").path("condition").asText())
                .containsOnly("LocalModeStopped");
        assertThat(parked).extracting(record -> AlertJson.readTree(record).path("requestContext").path("approximateInvokeCount").asInt())
                .as("e-4 was tried once, e-5 never").containsExactly(1, 0);
        assertThat(AlertJson.readTree(parked.get(0)).path("responsePayload").path("errorMessage").asText()).isEqualTo("OpenSearch is down");
        assertThat(AlertJson.readTree(parked.get(1)).has("responsePayload")).isFalse();
        assertThat(calls.get()).isEqualTo(1);
    }

    /** The demo aggregates only once every PutEvents delivery has ended, retries included. */
    @Test
    void idleOnlyOnceEveryInvocationAndItsRetriesHaveEnded() throws InterruptedException {
        AtomicInteger calls = new AtomicInteger();
        List<String> handled = new CopyOnWriteArrayList<>();
        LocalFunctions functions = new LocalFunctions().register("Slow", event -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("first attempt fails");
            }
            handled.add(event);
            return "{}";
        });
        // A retry delay far above the 50 ms asked, so that a stalled machine cannot let it pass first.
        try (AsyncInvocations async = new AsyncInvocations(functions, Map.of(), 2_000)) {
            assertThat(async.awaitIdle(Duration.ZERO)).isTrue();
            async.submit("Slow", "{\"id\":\"e-3\"}", "test");
            assertThat(async.awaitIdle(Duration.ofMillis(50))).as("its retry waits 2 s").isFalse();

            assertThat(async.awaitIdle(Duration.ofSeconds(10))).isTrue();
            assertThat(handled).containsExactly("{\"id\":\"e-3\"}");
        }
    }
}
