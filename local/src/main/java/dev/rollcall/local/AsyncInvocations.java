package dev.rollcall.local;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import dev.rollcall.core.routing.DeliveryDefaults;

/**
 * Lambda's asynchronous invocation, as the stack configures it: the first attempt and Lambda's retries, then the
 * function's on-failure destination where it has one (the EventBridge function's is the event-delivery dead-letter
 * queue), which receives Lambda's {@link InvocationRecord}; a function without one loses the event, as in AWS, with a
 * log line saying so.
 */
final class AsyncInvocations implements AutoCloseable {

    private static final Logger LOG = LogManager.getLogger(AsyncInvocations.class);
    static final int ATTEMPTS = 1 + DeliveryDefaults.ASYNC_RETRY_ATTEMPTS;

    private final LocalFunctions functions;
    private final Map<String, Consumer<String>> failureDestinations;
    private final long retryDelayMillis;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicInteger pending = new AtomicInteger();

    /** {@code failureDestinations}: per function, where the invocation records of events that failed every attempt go. */
    AsyncInvocations(LocalFunctions functions, Map<String, Consumer<String>> failureDestinations, long retryDelayMillis) {
        this.functions = functions;
        this.failureDestinations = Map.copyOf(failureDestinations);
        this.retryDelayMillis = retryDelayMillis;
    }

    /** Invokes {@code function} with {@code event} in the background; {@code cause} names who asked, for the logs. */
    void submit(String function, String event, String cause) {
        pending.incrementAndGet();
        try {
            executor.submit(() -> {
                try {
                    invoke(function, event, cause);
                } finally {
                    pending.decrementAndGet();
                }
            });
        } catch (RejectedExecutionException e) {
            // A request the HTTP endpoint took as local mode stopped: as an invocation that could not run.
            pending.decrementAndGet();
            toFailureDestination(function, InvocationRecord.of(function, event, null, 0, InvocationRecord.LOCAL_MODE_STOPPED, Instant.now()),
                    cause + ": local mode is stopping");
        }
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
        String error = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            LocalFunctions.Result result = functions.invoke(function, event);
            if (result.error() == null) {
                return;
            }
            error = result.error();
            LOG.warn("{}: asynchronous invocation of {}, attempt {} of {}, failed", cause, function, attempt, ATTEMPTS);
            if (attempt < ATTEMPTS && !sleep(attempt * retryDelayMillis)) {
                // Local mode stops while a retry waits: the event was accepted (PutEvents answered with its id), so it
                // goes where it would go after the last attempt, not nowhere.
                toFailureDestination(function, InvocationRecord.of(function, event, error, attempt, InvocationRecord.LOCAL_MODE_STOPPED, Instant.now()),
                        cause + ": local mode stopped before the retry");
                return;
            }
        }
        toFailureDestination(function, InvocationRecord.of(function, event, error, ATTEMPTS, InvocationRecord.RETRIES_EXHAUSTED, Instant.now()), cause);
    }

    private void toFailureDestination(String function, String record, String cause) {
        Consumer<String> destination = failureDestinations.get(function);
        if (destination == null) {
            LOG.warn("{}: {} has no failure destination; the event is dropped after {} attempts, as Lambda drops it", cause, function, ATTEMPTS);
            return;
        }
        // A stop interrupts this thread, and an interrupted SDK client refuses to send: the interrupt is set aside.
        boolean interrupted = Thread.interrupted();
        try {
            destination.accept(record);
        } catch (RuntimeException e) {
            LOG.error("{}: the event could not be parked in {}'s failure destination and is lost: {}", cause, function, e.toString());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
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

    /**
     * Stops: invocations in flight get {@link #CLOSE_GRACE} to end, then waiting retries are cut short and their events
     * go to the failure destination.
     */
    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                executor.shutdownNow();
                executor.awaitTermination(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /** How long a stop waits for invocations in flight, and then for those cut short to park their events. */
    static final Duration CLOSE_GRACE = Duration.ofSeconds(2);
}
