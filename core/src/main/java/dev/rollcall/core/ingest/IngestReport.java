package dev.rollcall.core.ingest;

import java.util.List;

/** Outcomes of one ingest call, one per incoming event in the order given, with the totals operators watch. */
public record IngestReport(List<EventOutcome> outcomes) {

    public IngestReport {
        outcomes = List.copyOf(outcomes);
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
