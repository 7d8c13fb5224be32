package dev.rollcall.core.ingest;

import java.util.List;

/**
 * Outcomes of one ingest call, one per incoming event in the order given, with the totals operators watch.
 *
 * @param outcomes    one per event
 * @param bulkRetries retry rounds of the bulk writes, each sending again what OpenSearch answered 429 or 5xx for or
 *                    did not answer: above zero, OpenSearch is pushing back even when every event is stored in the end
 */
public record IngestReport(List<EventOutcome> outcomes, int bulkRetries) {

    public IngestReport {
        outcomes = List.copyOf(outcomes);
    }

    /** A report of a call that wrote nothing, or whose writes went through at once. */
    public IngestReport(List<EventOutcome> outcomes) {
        this(outcomes, 0);
    }

    public long events() {
        return outcomes.size();
    }

    /** Alerts newly stored. */
    public long indexed() {
        return outcomes.stream().mapToLong(EventOutcome::indexed).sum();
    }

    /** Alerts already stored by an earlier delivery. */
    public long duplicates() {
        return outcomes.stream().mapToLong(EventOutcome::duplicates).sum();
    }

    public long count(EventOutcome.Kind kind) {
        return outcomes.stream().filter(o -> o.kind() == kind).count();
    }

    /** Events that failed, for any reason. */
    public long failed() {
        return outcomes.stream().filter(EventOutcome::isFailure).count();
    }
}
