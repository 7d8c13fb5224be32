package dev.rollcall.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

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
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(parked).containsExactly("{\"id\":\"e-1\"}"));
        }
        assertThat(calls.get()).isEqualTo(AsyncInvocations.ATTEMPTS).isEqualTo(3);
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

        assertThat(parked).containsExactly("{\"id\":\"e-4\"}", "{\"id\":\"e-5\"}");
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
