package dev.rollcall.aggregate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.smile.SmileFactory;

import dev.rollcall.core.alert.AlertJson;
import dev.rollcall.core.alert.AlertState;
import dev.rollcall.core.rollup.AlertDimensions;
import dev.rollcall.core.rollup.RollupEvent;
import dev.rollcall.core.store.Backoff;
import dev.rollcall.core.store.IndexNames;
import dev.rollcall.core.store.OpenSearchHttp;
import dev.rollcall.core.store.OpenSearchRefusedException;
import dev.rollcall.core.store.RetryReport;

/**
 * Streams the events of a time range in {@link RollupEvent#STREAM_ORDER} with bounded memory: a point-in-time and
 * {@code search_after}, reading only the fields rollups need from doc values, the next page fetched while the
 * current one is being counted. When OpenSearch rejects a page (429, circuit breaker, too many buckets) the page
 * size halves and grows back after a run of good pages; a lost point-in-time is reopened at the millisecond being read,
 * unless a month index it covered, with events still to read, has been deleted meanwhile ({@link EventsDeletedException}).
 *
 * <p>Pages are sorted by (occurred_at, _shard_doc), not by event id: on the time-sorted events index that scan costs
 * OpenSearch less than half as much (the id tie-break alone was most of the search time). _shard_doc orders the
 * events of one millisecond arbitrarily, so each millisecond is held back until complete ({@link OpenMillisecond})
 * and then put in content order.
 */
final class EventReader {

    /** Doc-value fields read per event, in {@link AlertDimensions} order, then the state. */
    static final List<String> FIELDS = List.of("service", "source", "urgency", "severity", "account", "environment", "name",
            "fingerprint", "state");
    private static final Map<String, Integer> FIELD_INDEX = new HashMap<>();
    private static final String KEEP_ALIVE = "5m";
    // Smile (binary JSON) pages are about 40 % smaller than JSON ones and cheaper for both sides to write and read.
    // A shard that fails must fail the page: read as "no events", its buckets would be rewritten empty and swept.
    private static final Map<String, String> PAGE_QUERY = Map.of("filter_path", "pit_id,hits.hits.fields,hits.hits.sort", "format", "smile",
            "allow_partial_search_results", "false");
    /**
     * Closed month indices are matched too, so that a closed month fails the run (Batch retries, the alarm fires)
     * instead of reading as a month without events.
     */
    static final String EVERY_INDEX = "open,closed";
    private static final SmileFactory SMILE = new SmileFactory();
    private static final int GROW_AFTER_PAGES = 10;
    private static final int MAX_PIT_REOPENS = 5;
    private static final long NOT_REREAD = Long.MIN_VALUE;
    /** How long a run that ends waits for the fetch thread, interrupted, to let go of the point-in-time. */
    private static final Duration FETCHER_STOP = Duration.ofSeconds(5);

    static {
        for (int i = 0; i < FIELDS.size(); i++) {
            FIELD_INDEX.put(FIELDS.get(i), i);
        }
    }

    private final OpenSearchCalls calls;
    private final IndexNames names;
    private final int maxPageSize;
    private final Duration pagePause;
    private final JsonLog log;
    private final Clock clock;
    // Only the fetching thread touches these, one page at a time.
    private final Map<String, String> strings = new HashMap<>();
    private final Map<AlertDimensions, AlertDimensions> dimensions = new HashMap<>();
    private int pageSize;
    private int goodPages;
    private int rejectedPages;
    private int hitsInPage;
    private long lastSortAt;
    private long lastShardDoc;
    private boolean cursorInPage;

    EventReader(OpenSearchCalls calls, IndexNames names, int pageSize, Duration pagePause, JsonLog log, Clock clock) {
        this.calls = calls;
        this.names = names;
        this.maxPageSize = pageSize;
        this.pageSize = pageSize;
        this.pagePause = pagePause;
        this.log = log;
        this.clock = clock;
    }

    /** Events in [from, to) this shard reads: its own fingerprints' and, for correlation, everyone's firings. */
    long count(Instant from, Instant to, ShardSpec shard) {
        ObjectNode body = AlertJson.mapper().createObjectNode();
        body.set("query", query(from, to, shard));
        JsonNode answer = calls.json("POST", "/" + indices(from, to) + "/_count",
                Map.of("allow_no_indices", "true", "expand_wildcards", EVERY_INDEX), body);
        requireEveryShard(answer, "counting events");
        return answer.path("count").asLong();
    }

    /** Fails unless every shard answered: a partial answer undercounts without saying so. */
    static void requireEveryShard(JsonNode answer, String what) {
        int failed = answer.path("_shards").path("failed").asInt();
        if (failed > 0) {
            throw new IllegalStateException(what + ": " + failed + " shard(s) failed: "
                    + OpenSearchCalls.abbreviate(answer.path("_shards").path("failures").toString()));
        }
    }

    /** Pages that were rejected and retried smaller. */
    int rejectedPages() {
        return rejectedPages;
    }

    /** Streams the events of [from, to) for {@code shard} to {@code pages}, page by page, in stream order. */
    void read(Instant from, Instant to, ShardSpec shard, Consumer<List<RollupEvent>> pages) {
        String indices = indices(from, to);
        // Resolved before the point-in-time opens, to tell on a reopen which months have gone since.
        Set<String> covered = concreteIndices(indices);
        if (covered.isEmpty()) {
            // A month nothing has arrived in yet (a quiet first hour of a month): a point-in-time over no index is
            // refused, while there is simply nothing to read.
            return;
        }
        ObjectNode query = query(from, to, shard);
        String[] pit = {openPit(indices)};
        ExecutorService fetcher = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "event-reader");
            t.setDaemon(true);
            return t;
        });
        OpenMillisecond open = new OpenMillisecond();
        try {
            Future<Page> next = fetcher.submit(() -> fetch(indices, covered, pit, query, null, false));
            while (true) {
                Page page = await(next);
                if (!page.last()) {
                    next = fetcher.submit(() -> fetch(indices, covered, pit, query, page.after(), true));
                }
                if (page.rereadFrom() != NOT_REREAD) {
                    open.discardFrom(page.rereadFrom());
                }
                List<RollupEvent> complete = open.next(page.events(), page.last());
                if (!complete.isEmpty()) {
                    pages.accept(complete);
                }
                if (page.last()) {
                    break;
                }
            }
        } finally {
            closeAfter(fetcher, pit);
        }
    }

    /**
     * Closes the point-in-time once the fetch thread has stopped, so that it is the last one that thread opened (it
     * reopens one when OpenSearch loses it), even when a stop interrupted this thread.
     */
    private void closeAfter(ExecutorService fetcher, String[] pit) {
        fetcher.shutdownNow();
        Termination.despiteInterrupt(() -> {
            boolean stoppedAgain = false;
            try {
                if (!fetcher.awaitTermination(FETCHER_STOP.toMillis(), TimeUnit.MILLISECONDS)) {
                    log.warn("event_fetch_still_running", Map.of("waited_s", FETCHER_STOP.toSeconds()));
                }
            } catch (InterruptedException e) {
                stoppedAgain = true;
            }
            closePit(pit[0]);
            if (stoppedAgain) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /**
     * One page of hits, in (occurred_at, _shard_doc) order.
     *
     * @param rereadFrom the millisecond this page was read again from after a new point-in-time, or {@link #NOT_REREAD}
     */
    private record Page(List<RollupEvent> events, ArrayNode after, boolean last, long rereadFrom) {
    }

    private Page fetch(String indices, Set<String> covered, String[] pit, ObjectNode pageQuery, ArrayNode pageAfter, boolean pause)
            throws IOException {
        if (pause && !pagePause.isZero()) {
            OpenSearchCalls.sleep(pagePause);
        }
        Instant giveUpAt = null;
        // 429s and other rejections say so themselves (page_rejected); an absent or failing domain is said by this.
        RetryReport failures = calls.retryReport("POST /_search");
        boolean rejected = false;
        int attempt = 0;
        int reopened = 0;
        ObjectNode query = pageQuery;
        ArrayNode after = pageAfter;
        long rereadFrom = NOT_REREAD;
        while (true) {
            int size = pageSize;
            ObjectNode body = AlertJson.mapper().createObjectNode();
            body.putObject("pit").put("id", pit[0]).put("keep_alive", KEEP_ALIVE);
            body.put("size", size);
            body.put("track_total_hits", false);
            body.put("_source", false);
            body.put("stored_fields", "_none_");
            ArrayNode fields = body.putArray("docvalue_fields");
            FIELDS.forEach(fields::add);
            ArrayNode sort = body.putArray("sort");
            sort.addObject().put("occurred_at", "asc");
            // Valid only within one point-in-time; see the reopening below.
            sort.addObject().put("_shard_doc", "asc");
            if (after != null) {
                body.set("search_after", after);
            }
            body.set("query", query);
            String problem;
            try {
                OpenSearchHttp.Answer answer = calls.http().execute("POST", "/_search", PAGE_QUERY, AlertJson.toBytes(body), "application/json");
                if (answer.ok()) {
                    failures.succeeded();
                    Page page;
                    try {
                        page = parse(answer.body(), size, pit, rereadFrom);
                    } catch (IOException e) {
                        throw new IllegalStateException("unreadable page of events: " + e.getMessage(), e);
                    }
                    if (++goodPages >= GROW_AFTER_PAGES && pageSize < maxPageSize) {
                        pageSize = Math.min(maxPageSize, pageSize * 2);
                        goodPages = 0;
                    }
                    return page;
                }
                String text = readable(answer.body());
                if (answer.status() == 429 || text.contains("circuit_breaking_exception") || text.contains("too_many_buckets")
                        || text.contains("rejected_execution")) {
                    rejectedPages++;
                    rejected = true;
                    goodPages = 0;
                    pageSize = Math.max(1, size / 2);
                    log.warn("page_rejected", Map.of("status", answer.status(), "page_size", size, "next_page_size", pageSize,
                            "reason", OpenSearchCalls.abbreviate(text)));
                    problem = "OpenSearch kept rejecting pages (" + answer.status() + ") down to " + pageSize + " events";
                } else if (answer.status() == 404 && reopened < MAX_PIT_REOPENS) {
                    // The point-in-time expired (a long pause, a node restart): reopen it. The cursor's _shard_doc means
                    // nothing in the new one, so read the cursor's whole millisecond again; the reader drops what it
                    // held of it. Earlier milliseconds were complete and stay counted.
                    reopened++;
                    log.warn("point_in_time_reopened", Map.of("reason", OpenSearchCalls.abbreviate(text)));
                    pit[0] = openPit(indices);
                    if (after != null || rereadFrom != NOT_REREAD) {
                        // Deleting an index also ends the point-in-time's contexts on it: this is where a month the
                        // retention deleted mid-read shows.
                        requireUnread(covered, after != null ? after.get(0).asLong() : rereadFrom, indices);
                    }
                    if (after != null) {
                        rereadFrom = after.get(0).asLong();
                        query = from(pageQuery, rereadFrom);
                        after = null;
                    }
                    continue;
                } else if (answer.status() >= 500) {
                    problem = "search answered " + answer.status() + ": " + OpenSearchCalls.abbreviate(text);
                } else {
                    throw new OpenSearchRefusedException("search", answer.status(), text);
                }
            } catch (IOException e) {
                problem = "OpenSearch unreachable while reading events: " + e.getMessage();
            }
            Instant now = clock.instant();
            giveUpAt = giveUpAt == null ? now.plus(calls.retryFor()) : giveUpAt;
            Duration wait = Backoff.DEFAULT.delay(attempt++);
            if (now.plus(wait).isAfter(giveUpAt)) {
                throw new OpenSearchUnavailableException(problem + "; gave up after " + calls.retryFor());
            }
            if (!rejected) {
                failures.failed(problem, giveUpAt);
            }
            rejected = false;
            OpenSearchCalls.sleep(wait);
        }
    }

    private Page parse(byte[] body, int requested, String[] pit, long rereadFrom) throws IOException {
        List<RollupEvent> events = new ArrayList<>(Math.min(requested, 10_000));
        hitsInPage = 0;
        cursorInPage = false;
        try (JsonParser p = SMILE.createParser(body)) {
            p.nextToken();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                if (field.equals("pit_id")) {
                    pit[0] = p.getText();
                } else if (field.equals("hits")) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        boolean hits = p.currentName().equals("hits");
                        p.nextToken();
                        if (!hits) {
                            p.skipChildren();
                            continue;
                        }
                        while (p.nextToken() == JsonToken.START_OBJECT) {
                            RollupEvent event = hit(p);
                            if (event != null) {
                                events.add(event);
                            }
                        }
                    }
                } else {
                    p.skipChildren();
                }
            }
        }
        ArrayNode after = cursorInPage ? AlertJson.mapper().createArrayNode().add(lastSortAt).add(lastShardDoc) : null;
        // A short page is the last one; the page size may have changed since, so compare with what was asked.
        return new Page(events, after, hitsInPage < requested, rereadFrom);
    }

    private RollupEvent hit(JsonParser p) throws IOException {
        String[] values = new String[FIELDS.size()];
        long occurredAt = Long.MIN_VALUE;
        long shardDoc = 0;
        boolean hasSort = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (field.equals("fields") && value == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    Integer i = FIELD_INDEX.get(p.currentName());
                    p.nextToken();
                    String first = null;
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        first = first == null ? p.getText() : first;
                    }
                    if (i != null) {
                        values[i] = intern(first);
                    }
                }
            } else if (field.equals("sort") && value == JsonToken.START_ARRAY) {
                p.nextToken();
                occurredAt = p.getLongValue();
                p.nextToken();
                shardDoc = p.getLongValue();
                hasSort = true;
                p.nextToken();
            } else {
                p.skipChildren();
            }
        }
        hitsInPage++;
        if (hasSort) {
            lastSortAt = occurredAt;
            lastShardDoc = shardDoc;
            cursorInPage = true;
        }
        AlertState state = state(values[8]);
        if (state == null || !hasSort) {
            return null;
        }
        AlertDimensions d = new AlertDimensions(values[0], values[1], values[2], values[3], values[4], values[5], values[6], values[7]);
        AlertDimensions shared = dimensions.putIfAbsent(d, d);
        if (dimensions.size() > 200_000) {
            dimensions.clear();
            strings.clear();
        }
        return new RollupEvent(occurredAt, shared == null ? d : shared, state);
    }

    /** An answer's body as text for messages: errors come back as Smile too, since the page asked for it. */
    static String readable(byte[] body) {
        if (body.length >= 3 && body[0] == ':' && body[1] == ')' && body[2] == '\n') {
            try {
                return AlertJson.mapper().readTree(SMILE.createParser(body)).toString();
            } catch (IOException | RuntimeException e) {
                return "(an unreadable Smile answer of " + body.length + " bytes)";
            }
        }
        return new String(body, StandardCharsets.UTF_8);
    }

    private static AlertState state(String value) {
        if (value == null) {
            return null;
        }
        return switch (value) {
            case "firing" -> AlertState.FIRING;
            case "resolved" -> AlertState.RESOLVED;
            case "info" -> AlertState.INFO;
            default -> null;
        };
    }

    private String intern(String s) {
        if (s == null) {
            return null;
        }
        String shared = strings.putIfAbsent(s, s);
        return shared == null ? s : shared;
    }

    private ObjectNode query(Instant from, Instant to, ShardSpec shard) {
        ObjectNode query = AlertJson.mapper().createObjectNode();
        ArrayNode filter = query.putObject("bool").putArray("filter");
        filter.addObject().putObject("range").putObject("occurred_at")
                .put("gte", from.toEpochMilli()).put("lt", to.toEpochMilli()).put("format", "epoch_millis");
        ObjectNode own = shard.fingerprintQuery();
        if (own != null) {
            ObjectNode either = filter.addObject().putObject("bool");
            either.putArray("should").add(own).addObject().putObject("term").put("state", "firing");
            either.put("minimum_should_match", 1);
        }
        return query;
    }

    /** {@code query} narrowed to events at or after {@code millis}: where a read in a new point-in-time resumes. */
    private static ObjectNode from(ObjectNode query, long millis) {
        ObjectNode narrowed = query.deepCopy();
        ((ArrayNode) narrowed.path("bool").path("filter")).addObject().putObject("range").putObject("occurred_at")
                .put("gte", millis).put("format", "epoch_millis");
        return narrowed;
    }

    /** The monthly indices that can hold events of [from, to); wildcards, so months without events are no error. */
    String indices(Instant from, Instant to) {
        LocalDate month = LocalDate.ofInstant(from, ZoneOffset.UTC).withDayOfMonth(1);
        LocalDate last = LocalDate.ofInstant(to.minusMillis(1), ZoneOffset.UTC).withDayOfMonth(1);
        StringJoiner joined = new StringJoiner(",");
        for (int n = 0; !month.isAfter(last); n++, month = month.plusMonths(1)) {
            if (n >= 120) {
                return names.eventsPattern();
            }
            joined.add(names.eventsIndex(month.atStartOfDay(ZoneOffset.UTC).toInstant()) + "*");
        }
        return joined.toString();
    }

    /** The indices (open or closed) that {@code indices} names now. */
    private Set<String> concreteIndices(String indices) {
        Set<String> found = new TreeSet<>();
        calls.json("GET", "/_resolve/index/" + indices, Map.of("expand_wildcards", EVERY_INDEX), null).path("indices")
                .forEach(index -> found.add(index.path("name").asText()));
        return found;
    }

    /**
     * Fails when an index of {@code covered} that can hold events at or after {@code resumeAt} (its month, or a later
     * one) is gone: its events before the deletion are counted, the rest would be read as none.
     * Indices of earlier months were read to their end and may go.
     */
    private void requireUnread(Set<String> covered, long resumeAt, String indices) {
        Set<String> now = concreteIndices(indices);
        // Month names sort as text, suffixed ones after their month: the month being read and every later one. Not
        // the patterns of indices(): over 120 months they are the whole events pattern, months read to their end too.
        String monthBeingRead = names.eventsIndex(Instant.ofEpochMilli(resumeAt));
        for (String index : covered) {
            if (!now.contains(index) && index.compareTo(monthBeingRead) >= 0) {
                throw new EventsDeletedException("events index " + index + " was deleted while the run read it (the events retention?), "
                        + "with its events from " + Instant.ofEpochMilli(resumeAt) + " on not yet read; a retry reads the events left");
            }
        }
    }

    private String openPit(String indices) {
        String id = calls.json("POST", "/" + indices + "/_search/point_in_time",
                Map.of("keep_alive", KEEP_ALIVE, "allow_partial_pit_creation", "false", "expand_wildcards", EVERY_INDEX), null)
                .path("pit_id").asText(null);
        if (id == null) {
            throw new IllegalStateException("OpenSearch opened no point-in-time over " + indices);
        }
        return id;
    }

    /** It expires by itself after KEEP_ALIVE; nothing is lost if this fails. */
    private void closePit(String id) {
        ObjectNode body = AlertJson.mapper().createObjectNode();
        body.putArray("pit_id").add(id);
        calls.release("/_search/point_in_time", body);
    }

    private static Page await(Future<Page> page) {
        try {
            return page.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading events", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("reading events failed: " + e.getCause().getMessage(), e.getCause());
        }
    }
}
