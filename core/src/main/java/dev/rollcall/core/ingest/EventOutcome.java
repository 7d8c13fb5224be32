package dev.rollcall.core.ingest;

/**
 * What happened to one incoming event.
 *
 * @param alerts     alerts the event normalized to
 * @param indexed    of those, newly stored
 * @param duplicates of those, already stored by an earlier delivery
 * @param reason     why it failed, for the failing kinds
 */
public record EventOutcome(Kind kind, int alerts, int indexed, int duplicates, String reason) {

    /** Outcome kinds; {@link #isFailure()} ones must be redelivered or dead-lettered, never acknowledged. */
    public enum Kind {
        /** Every alert of the event is stored (new or duplicate). */
        STORED,
        /** A valid payload that carries no alert (SNS subscription confirmation, configuration change). */
        NOT_AN_ALERT,
        /** Not JSON, or JSON no normalizer can make an alert of; retrying cannot help. */
        MALFORMED,
        /** OpenSearch refused a document for good (mapping conflict); retrying cannot help. */
        REJECTED,
        /** OpenSearch could not take it in time (down, 429, 5xx); redelivery will store it. */
        RETRY
    }

    public boolean isFailure() {
        return kind == Kind.MALFORMED || kind == Kind.REJECTED || kind == Kind.RETRY;
    }

    /** Whether trying again later can succeed. */
    public boolean isRetryable() {
        return kind == Kind.RETRY;
    }
}
