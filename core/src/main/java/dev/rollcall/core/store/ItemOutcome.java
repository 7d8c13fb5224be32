package dev.rollcall.core.store;

/** What happened to one document of a bulk write. {@code reason} is set for the non-successful ones. */
public record ItemOutcome(String id, Status status, String reason) {

    /** Outcome kinds: only {@link #RETRY_LATER} is worth sending again. */
    public enum Status {
        /** Written now. */
        INDEXED,
        /** Already stored earlier (an at-least-once redelivery); nothing changed. */
        DUPLICATE,
        /** OpenSearch will never accept it as it is (mapping conflict, bad field); retrying cannot help. */
        REJECTED,
        /** Not written because OpenSearch was unreachable, overloaded (429) or failing (5xx) until the deadline. */
        RETRY_LATER
    }

    public boolean succeeded() {
        return status == Status.INDEXED || status == Status.DUPLICATE;
    }
}
