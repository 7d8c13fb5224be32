package dev.rollcall.local;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import dev.rollcall.core.routing.DeliveryDefaults;

/**
 * Lambda's asynchronous invocation, as the stack configures it: the first attempt and Lambda's retries, then the
 * function's on-failure destination where it has one (the EventBridge function's is the event-delivery dead-letter
 * queue); a function without one loses the event, as in AWS, with a log line saying so.
 */
final class AsyncInvocations implements AutoCloseable {

    private static final Logger LOG = LogManager.getLogger(AsyncInvocations.class);
    static final int ATTEMPTS = 1 + DeliveryDefaults.ASYNC_RETRY_ATTEMPTS;

    private final LocalFunctions functions;
    private final Map<String, Consumer<String>> failureDestinations;
    private final long retryDelayMillis;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicInteger pending = new AtomicInteger();

    /** {@code failureDestinations}: per function, where events go that failed every attempt. */
    AsyncInvocations(LocalFunctions functions, Map<String, Consumer<String>> failureDestinations, long retryDelayMillis) {
        this.functions = functions;
        this.failureDestinations = Map.copyOf(failureDestinations);
        this.retryDelayMillis = retryDelayMillis;
    }

    /** Invokes {@code function} with {@code event} in the background; {@code cause} names who asked, for the logs. */
    void submit(String function, String event, String cause) {
        pending.incrementAndGet();
        executor.submit(() -> {
            try {
                invoke(function, event, cause);
            } finally {
                pending.decrementAndGet();
            }
        });
    }

    /** Waits until every invocation submitted so far has ended, retries included; false when {@code timeout} passed first. */
    boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (pending.get() > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    private void invoke(String function, String event, String cause) {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            LocalFunctions.Result result = functions.invoke(function, event);
            if (result.error() == null) {
                return;
            }
            LOG.warn("{}: asynchronous invocation of {}, attempt {} of {}, failed", cause, function, attempt, ATTEMPTS);
            if (attempt < ATTEMPTS && !sleep(attempt * retryDelayMillis)) {
                return;
            }
        }
        Consumer<String> destination = failureDestinations.get(function);
        if (destination != null) {
            destination.accept(event);
        } else {
            LOG.warn("{}: {} has no failure destination; the event is dropped after {} attempts, as Lambda drops it", cause, function, ATTEMPTS);
        }
    }

    private static boolean sleep(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
