package dev.rollcall.core.store;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Outcomes of a bulk write, one per document, in the order the documents were given. */
public record BulkResult(List<ItemOutcome> outcomes, int requests, int retries) {

    public BulkResult {
        outcomes = List.copyOf(outcomes);
    }

    public long count(ItemOutcome.Status status) {
        return outcomes.stream().filter(o -> o.status() == status).count();
    }

    public Map<ItemOutcome.Status, Long> counts() {
        Map<ItemOutcome.Status, Long> counts = new EnumMap<>(ItemOutcome.Status.class);
        for (ItemOutcome.Status s : ItemOutcome.Status.values()) {
            counts.put(s, count(s));
        }
        return counts;
    }

    public boolean allSucceeded() {
        return outcomes.stream().allMatch(ItemOutcome::succeeded);
    }
}
