package dev.rollcall.aggregate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.rollcall.core.rollup.RollupEvent;

/**
 * The events of the last millisecond read so far, held back until a later millisecond (or the end) shows that the
 * millisecond is complete: pages come in (occurred_at, _shard_doc) order, and only a complete millisecond can be put
 * in {@link RollupEvent#STREAM_ORDER}.
 */
final class OpenMillisecond {

    /**
     * More events than this in one millisecond fail the run instead of filling the heap. Far above anything an
     * alerting source sends (a millisecond's events are a handful); at about 40 bytes an event it is some 40 MB.
     */
    static final int MAX_EVENTS = 1_000_000;

    private final List<RollupEvent> held = new ArrayList<>();
    private final int maxEvents;

    OpenMillisecond() {
        this(MAX_EVENTS);
    }

    OpenMillisecond(int maxEvents) {
        this.maxEvents = maxEvents;
    }

    /**
     * Takes the next page (in occurred_at order) and returns, in stream order, the events of every millisecond it
     * completes; holds back those of its last millisecond unless it is the {@code last} page.
     */
    List<RollupEvent> next(List<RollupEvent> page, boolean last) {
        if (page.isEmpty() && !last) {
            // Hits without a usable state: they prove nothing about whether the held millisecond is complete.
            return List.of();
        }
        long open = last ? Long.MIN_VALUE : page.getLast().occurredAt();
        List<RollupEvent> ready = new ArrayList<>(page.size() + held.size());
        if (!held.isEmpty() && held.getFirst().occurredAt() != open) {
            ready.addAll(held);
            held.clear();
        }
        for (RollupEvent event : page) {
            (event.occurredAt() == open ? held : ready).add(event);
        }
        if (held.size() > maxEvents) {
            throw new IllegalStateException("more than " + maxEvents + " events occurred in the millisecond "
                    + Instant.ofEpochMilli(open) + "; the job holds one millisecond in memory to order it");
        }
        // Mostly in time order already, so the sort only reorders the events of each millisecond.
        ready.sort(RollupEvent.STREAM_ORDER);
        return ready;
    }

    /** Forgets the held events at or after {@code millis}: the stream is read again from there. */
    void discardFrom(long millis) {
        held.removeIf(event -> event.occurredAt() >= millis);
    }

    int held() {
        return held.size();
    }
}
