package dev.rollcall.core.ingest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.rollcall.core.alert.Alert;
import dev.rollcall.core.alert.AlertJson;
import dev.rollcall.core.normalize.EventNormalizer;
import dev.rollcall.core.normalize.IncomingEvent;
import dev.rollcall.core.store.AlertStore;
import dev.rollcall.core.store.BulkResult;
import dev.rollcall.core.store.ItemOutcome;

/**
 * Normalizes a batch of incoming events and stores all their alerts in one bulk write, then reports per event.
 * What every door (EventBridge, SQS, local mode) calls; it never throws for bad input or an unavailable store.
 */
public final class IngestPipeline {

    private static final Logger LOG = LoggerFactory.getLogger(IngestPipeline.class);

    private final EventNormalizer normalizer;
    private final AlertStore store;

    public IngestPipeline(EventNormalizer normalizer, AlertStore store) {
        this.normalizer = normalizer;
        this.store = store;
    }

    /** Ingests the events, retrying the store until {@code deadline}; one outcome per event, in order. */
    public IngestReport ingest(List<IncomingEvent> events, Instant deadline) {
        EventOutcome[] outcomes = new EventOutcome[events.size()];
        List<Alert> alerts = new ArrayList<>();
        int[] firstAlert = new int[events.size()];
        int[] alertCount = new int[events.size()];
        for (int i = 0; i < events.size(); i++) {
            firstAlert[i] = alerts.size();
            try {
                List<Alert> normalized = normalizer.normalize(events.get(i));
                alertCount[i] = normalized.size();
                alerts.addAll(normalized);
                if (normalized.isEmpty()) {
                    outcomes[i] = new EventOutcome(EventOutcome.Kind.NOT_AN_ALERT, 0, 0, 0, null);
                }
            } catch (AlertJson.MalformedJsonException e) {
                outcomes[i] = new EventOutcome(EventOutcome.Kind.MALFORMED, 0, 0, 0, e.getMessage());
            } catch (IllegalArgumentException e) {
                outcomes[i] = new EventOutcome(EventOutcome.Kind.MALFORMED, 0, 0, 0, "cannot normalize: " + e.getMessage());
            } catch (RuntimeException e) {
                // A normalizer bug, not bad input: keep the stack trace, fail only this event.
                LOG.error("normalizer failed on an event", e);
                outcomes[i] = new EventOutcome(EventOutcome.Kind.MALFORMED, 0, 0, 0, "normalizer error: " + e);
            }
        }
        BulkResult stored = alerts.isEmpty() ? new BulkResult(List.of(), 0, 0) : store.store(alerts, deadline);
        for (int i = 0; i < events.size(); i++) {
            if (outcomes[i] == null) {
                outcomes[i] = summarize(stored.outcomes().subList(firstAlert[i], firstAlert[i] + alertCount[i]));
            }
        }
        return new IngestReport(List.of(outcomes), stored.retries());
    }

    /** An event is stored only when all its alerts are; a retryable failure wins, so redelivery can finish it. */
    private static EventOutcome summarize(List<ItemOutcome> items) {
        int indexed = 0;
        int duplicates = 0;
        String retry = null;
        String rejected = null;
        for (ItemOutcome item : items) {
            switch (item.status()) {
                case INDEXED -> indexed++;
                case DUPLICATE -> duplicates++;
                case RETRY_LATER -> retry = retry == null ? item.reason() : retry;
                case REJECTED -> rejected = rejected == null ? item.reason() : rejected;
            }
        }
        if (retry != null) {
            return new EventOutcome(EventOutcome.Kind.RETRY, items.size(), indexed, duplicates, retry);
        }
        if (rejected != null) {
            return new EventOutcome(EventOutcome.Kind.REJECTED, items.size(), indexed, duplicates, rejected);
        }
        return new EventOutcome(EventOutcome.Kind.STORED, items.size(), indexed, duplicates, null);
    }
}
