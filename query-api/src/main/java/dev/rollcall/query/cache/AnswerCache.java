package dev.rollcall.query.cache;

import java.time.Clock;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import dev.rollcall.query.http.ApiResponse;

/**
 * Answers of the rollup reports kept in memory and given again while the rollups are unchanged: a dashboard
 * refreshing the same panels is then answered without a search. Before answering, the cache reads the token the
 * aggregation job replaces whenever it writes ({@link dev.rollcall.core.store.RollupsChange}), one GET by id; an
 * answer computed under another token, or older than the max age, is computed again. Without a token (no job
 * has run, or the reader may not read it) nothing is remembered.
 *
 * <p>The token is read before the answer is computed, so an answer never outlives a change that began after it was
 * read. The max age bounds what the token cannot see: rollups a killed run wrote becoming visible at the next
 * periodic refresh, or changes made by hand.
 */
public final class AnswerCache {

    /** What became of a request, for its access log line: given from memory, computed and remembered, or neither. */
    public enum Outcome { HIT, MISS, UNCACHED }

    private record Entry(String token, Instant storedAt, ApiResponse response, long size) {
    }

    /** The most answers kept whatever their size: a bound on the map itself. */
    static final int MAX_ENTRIES = 10_000;

    private final AnswerCacheSettings settings;
    private final Supplier<Optional<String>> token;
    private final Clock clock;
    private final LinkedHashMap<Object, Entry> entries = new LinkedHashMap<>(64, 0.75f, true);
    private long size;

    /** {@code token} reads the current change token, throwing the request's error when OpenSearch cannot be reached. */
    public AnswerCache(AnswerCacheSettings settings, Supplier<Optional<String>> token, Clock clock) {
        this.settings = settings;
        this.token = token;
        this.clock = clock;
    }

    /** A remembered answer for {@code key} if still current, else {@code compute}'s (remembered when it is a 200). */
    public Result answer(Object key, Supplier<ApiResponse> compute) {
        if (!settings.enabled()) {
            return new Result(compute.get(), Outcome.UNCACHED);
        }
        Optional<String> current = token.get();
        if (current.isEmpty()) {
            return new Result(compute.get(), Outcome.UNCACHED);
        }
        Instant now = clock.instant();
        synchronized (this) {
            Entry entry = entries.get(key);
            if (entry != null && entry.token().equals(current.get()) && now.isBefore(entry.storedAt().plus(settings.maxAge()))) {
                return new Result(entry.response(), Outcome.HIT);
            }
        }
        ApiResponse response = compute.get();
        boolean remembered = response.status() == 200 && remember(key, new Entry(current.get(), now, response, sizeOf(key, response)));
        return new Result(response, remembered ? Outcome.MISS : Outcome.UNCACHED);
    }

    /** An answer and whether it was remembered. */
    public record Result(ApiResponse response, Outcome outcome) {
    }

    /** Answers kept now, for tests and metrics. */
    public synchronized int entries() {
        return entries.size();
    }

    private synchronized boolean remember(Object key, Entry entry) {
        // One answer may not take more than a quarter: a huge CSV would otherwise push out every other answer.
        if (entry.size() > settings.maxBytes() / 4) {
            return false;
        }
        Entry replaced = entries.put(key, entry);
        size += entry.size() - (replaced == null ? 0 : replaced.size());
        Iterator<Map.Entry<Object, Entry>> eldest = entries.entrySet().iterator();
        while ((size > settings.maxBytes() || entries.size() > MAX_ENTRIES) && eldest.hasNext()) {
            size -= eldest.next().getValue().size();
            eldest.remove();
        }
        return true;
    }

    /**
     * What an answer holds on to: its body, its headers and its key, whose request may carry kilobytes of filter
     * values a CSV body does not repeat (a budget of bodies alone let small answers to long requests fill the heap).
     */
    private static long sizeOf(Object key, ApiResponse response) {
        long headers = 0;
        for (Map.Entry<String, String> header : response.headers().entrySet()) {
            headers += header.getKey().length() + header.getValue().length();
        }
        return response.body().length() + headers + key.toString().length() + 256L;
    }
}
