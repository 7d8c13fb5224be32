package dev.rollcall.core.routing;

/**
 * How often a delivery into Rollcall is retried before it is parked, defined once: the CDK stack deploys these
 * defaults and local mode runs with them, so a poison message behaves the same in both.
 */
public final class DeliveryDefaults {

    /** Receives of an ingest-queue message before SQS moves it to the dead-letter queue (the stack's default). */
    public static final int MAX_RECEIVE_COUNT = 5;

    /** Lambda's retries of a failed asynchronous invocation (an EventBridge rule target) before its failure destination. */
    public static final int ASYNC_RETRY_ATTEMPTS = 2;

    /**
     * The ingest queue's visibility timeout: six times its consumer's function timeout plus the batching window, as
     * Lambda advises, so that a batch still being worked on, or retried within the function, is not delivered again
     * meanwhile and its receives count failures, not waits.
     */
    public static int ingestQueueVisibilitySeconds(int functionTimeoutSeconds, int batchingWindowSeconds) {
        return 6 * functionTimeoutSeconds + batchingWindowSeconds;
    }

    private DeliveryDefaults() {
    }
}
