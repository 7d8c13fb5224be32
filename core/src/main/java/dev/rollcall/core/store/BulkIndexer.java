package dev.rollcall.core.store;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.opensearch.client.opensearch.OpenSearchClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.rollcall.core.alert.AlertJson;

/**
 * Writes documents with {@code _bulk}, checks every item of every response, retries what OpenSearch could not take
 * yet (429, 5xx, connection errors) with backoff and jitter until a deadline, and reports one outcome per document.
 * It never throws for a failed write: what could not be written by the deadline comes back as
 * {@link ItemOutcome.Status#RETRY_LATER}, so callers (the SQS handler) can ask for redelivery.
 */
public final class BulkIndexer {

    /**
     * How the reason of an item left {@code RETRY_LATER} because OpenSearch refused access (401/403) begins: unlike
     * a busy domain, retrying sooner or for longer does not help.
     */
    public static final String ACCESS_REFUSED = "OpenSearch refused access to _bulk";
    /** How a write refused by a block on its index or the cluster begins its reason; it is retried later, not here. */
    public static final String WRITES_BLOCKED = "OpenSearch blocks writes to the index";
    /** OpenSearch's error type for a block (read-only index, a domain short of storage or memory). */
    public static final String CLUSTER_BLOCK = "cluster_block_exception";
    /** Documents for an index that is missing and was not created for them. */
    public static final String INDEX_NOT_CREATED = "OpenSearch did not create the index (check action.auto_create_index)";
    private static final String INDEX_NOT_FOUND = "index_not_found_exception";
    /** How every block's reason starts ({@code blocked by: [FORBIDDEN/8/index write (api)];}). */
    private static final String BLOCKED_BY = "blocked by: [";
    /** OpenSearch's error type for a write to a closed index (an operator's {@code _close}, a snapshot restore). */
    public static final String INDEX_CLOSED = "index_closed_exception";

    /** Request bodies are split below this size; OpenSearch's default {@code http.max_content_length} is 100 MB. */
    public static final int DEFAULT_MAX_REQUEST_BYTES = 8 * 1024 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(BulkIndexer.class);
    private static final Map<String, String> QUERY = Map.of(
            "filter_path", "errors,items.*.status,items.*.error.type,items.*.error.reason");
    private static final JsonFactory JSON = new JsonFactory();

    private final OpenSearchHttp http;
    private final Backoff backoff;
    private final Clock clock;
    private final int maxRequestBytes;
    private final RetryReport.Sink retries;
    private final ObjectMapper mapper = AlertJson.mapper();

    public BulkIndexer(OpenSearchClient client, Backoff backoff, Clock clock, int maxRequestBytes) {
        this(new OpenSearchHttp(client), backoff, clock, maxRequestBytes, RetryReport.Sink.NONE);
    }

    private BulkIndexer(OpenSearchHttp http, Backoff backoff, Clock clock, int maxRequestBytes, RetryReport.Sink retries) {
        this.http = http;
        this.backoff = backoff;
        this.clock = clock;
        this.maxRequestBytes = maxRequestBytes;
        this.retries = retries;
    }

    public BulkIndexer(OpenSearchClient client) {
        this(client, Backoff.DEFAULT, Clock.systemUTC(), DEFAULT_MAX_REQUEST_BYTES);
    }

    /**
     * This indexer, telling {@code sink} while a write is being retried (a job waiting minutes on a busy domain);
     * by default nothing is said, the result's retry count being the report.
     */
    public BulkIndexer reportingRetriesTo(RetryReport.Sink sink) {
        return new BulkIndexer(http, backoff, clock, maxRequestBytes, sink);
    }

    /** Writes the documents, retrying until {@code deadline}; one outcome per document, in order. */
    public BulkResult write(List<BulkDocument> documents, Instant deadline) {
        ItemOutcome[] outcomes = new ItemOutcome[documents.size()];
        byte[][] actions = new byte[documents.size()][];
        for (int i = 0; i < documents.size(); i++) {
            actions[i] = actionLine(documents.get(i));
        }
        List<Integer> pending = new ArrayList<>(documents.size());
        for (int i = 0; i < documents.size(); i++) {
            pending.add(i);
        }
        // One element, so that a request sent again in halves counts its halves too.
        int[] requests = {0};
        int retries = 0;
        int attempt = 0;
        RetryReport report = new RetryReport(this.retries, clock, "POST /_bulk");
        while (!pending.isEmpty()) {
            List<Integer> retry = new ArrayList<>();
            String lastError = null;
            String retried = null;
            for (List<Integer> chunk : chunks(pending, documents, actions)) {
                int before = retry.size();
                String error = send(chunk, documents, actions, outcomes, retry, requests, deadline);
                lastError = error != null ? error : lastError;
                // What the retried documents got, not another chunk's refusal.
                retried = error != null && retry.size() > before ? error : retried;
            }
            if (retry.isEmpty()) {
                if (Arrays.stream(outcomes).allMatch(ItemOutcome::succeeded)) {
                    report.succeeded();
                }
                break;
            }
            Duration wait = backoff.delay(attempt++);
            if (clock.instant().plus(wait).isAfter(deadline)) {
                String reason = retried != null ? retried : lastError != null ? lastError : "OpenSearch asked to retry (429/5xx) until the deadline";
                for (int i : retry) {
                    outcomes[i] = new ItemOutcome(documents.get(i).id(), ItemOutcome.Status.RETRY_LATER, reason);
                }
                LOG.warn("bulk write gave up at its deadline: {} documents to retry later ({})", retry.size(), reason);
                break;
            }
            retries++;
            report.failed(retry.size() + " of " + documents.size() + " documents to retry: "
                    + (retried != null ? retried : "items answered 429 or 5xx"), deadline);
            sleep(wait);
            pending = retry;
        }
        return new BulkResult(Arrays.asList(outcomes), requests[0], retries);
    }

    /**
     * Sends one request (or, refused as too large, its halves), counting each in {@code requests}; fills outcomes, adds
     * retryable positions to {@code retry}; returns a request-level error, or else what the first item to retry was
     * answered (null when none is).
     */
    private String send(List<Integer> chunk, List<BulkDocument> documents, byte[][] actions, ItemOutcome[] outcomes, List<Integer> retry,
                        int[] requests, Instant deadline) {
        requests[0]++;
        ByteArrayOutputStream body = new ByteArrayOutputStream(estimate(chunk, documents, actions));
        for (int i : chunk) {
            body.writeBytes(actions[i]);
            body.writeBytes(documents.get(i).source());
            body.write('\n');
        }
        OpenSearchHttp.Answer http;
        try {
            http = this.http.execute("POST", "/_bulk", QUERY, body.toByteArray(), "application/x-ndjson");
        } catch (IOException | RuntimeException e) {
            // Connection refused, reset or timed out: nothing is known to be written, so everything may be retried.
            retry.addAll(chunk);
            return "OpenSearch unreachable: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
        if (http.status() == 429 || http.status() >= 500) {
            retry.addAll(chunk);
            return "OpenSearch answered " + http.status() + " to _bulk";
        }
        if (http.status() == 401 || http.status() == 403) {
            // The deployment's to fix (credentials, the role mapping, a domain short of storage), not the documents':
            // they wait for redelivery instead of being retried here until the deadline, which would only hold the
            // function for nothing.
            String answer = new String(http.body(), StandardCharsets.UTF_8);
            String reason = saysWritesBlocked(answer) ? WRITES_BLOCKED + ": " + abbreviate(answer)
                    : ACCESS_REFUSED + " with " + http.status() + ": check the function's credentials and its OpenSearch role mapping";
            for (int i : chunk) {
                outcomes[i] = new ItemOutcome(documents.get(i).id(), ItemOutcome.Status.RETRY_LATER, reason);
            }
            return reason;
        }
        if (http.status() == 413 && chunk.size() > 1) {
            return sendInHalves(chunk, documents, actions, outcomes, retry, requests, deadline);
        }
        if (http.status() >= 400) {
            String reason = "OpenSearch rejected the _bulk request with " + http.status() + ": "
                    + abbreviate(new String(http.body(), StandardCharsets.UTF_8));
            for (int i : chunk) {
                outcomes[i] = new ItemOutcome(documents.get(i).id(), ItemOutcome.Status.REJECTED, reason);
            }
            return reason;
        }
        JsonNode answer;
        try {
            answer = mapper.readTree(http.body());
        } catch (IOException e) {
            retry.addAll(chunk);
            return "unreadable _bulk answer: " + e.getMessage();
        }
        JsonNode items = answer.path("items");
        if (items.size() != chunk.size()) {
            retry.addAll(chunk);
            return "_bulk answered " + items.size() + " items for " + chunk.size() + " documents";
        }
        String pushedBack = null;
        for (int k = 0; k < chunk.size(); k++) {
            int i = chunk.get(k);
            BulkDocument doc = documents.get(i);
            JsonNode item = items.get(k).elements().next();
            int itemStatus = item.path("status").asInt();
            if (itemStatus == 200 || itemStatus == 201) {
                outcomes[i] = new ItemOutcome(doc.id(), ItemOutcome.Status.INDEXED, null);
            } else if (itemStatus == 409 && doc.createOnly()) {
                outcomes[i] = new ItemOutcome(doc.id(), ItemOutcome.Status.DUPLICATE, null);
            } else if (itemStatus == 429 || itemStatus >= 500) {
                retry.add(i);
                // Kept for the give-up line: a flood-stage block also answers 429, and it is storage, not load.
                if (pushedBack == null) {
                    JsonNode error = item.path("error");
                    pushedBack = "items answered " + itemStatus + ": " + error.path("type").asText("error") + ": "
                            + abbreviate(error.path("reason").asText(""));
                }
            } else if (blocksWrites(item.path("error").path("type").asText())) {
                // An index or cluster that blocks writes (Amazon OpenSearch Service's "index write (api)" block when
                // storage or JVM memory runs short, a read-only index, a closed index): the domain's to fix, not the
                // document's. It waits for redelivery, as refused access does, instead of failing as a bad document would.
                outcomes[i] = new ItemOutcome(doc.id(), ItemOutcome.Status.RETRY_LATER, WRITES_BLOCKED + ": "
                        + abbreviate(item.path("error").path("reason").asText("status " + itemStatus)));
            } else if (itemStatus == 404 && INDEX_NOT_FOUND.equals(item.path("error").path("type").asText())) {
                // The month's index does not exist and may not be created (action.auto_create_index leaves Rollcall's
                // out): the cluster's to fix, like a block, not a bad document for the dead-letter queue.
                outcomes[i] = new ItemOutcome(doc.id(), ItemOutcome.Status.RETRY_LATER, INDEX_NOT_CREATED + ": "
                        + abbreviate(item.path("error").path("reason").asText("status " + itemStatus)));
            } else if (itemStatus == 401 || itemStatus == 403) {
                // A role allowed _bulk but not this index (its mapping names other index patterns): the deployment's.
                outcomes[i] = new ItemOutcome(doc.id(), ItemOutcome.Status.RETRY_LATER, ACCESS_REFUSED + " for the index: "
                        + abbreviate(item.path("error").path("reason").asText("status " + itemStatus))
                        + ": check the function's OpenSearch role mapping");
            } else {
                JsonNode error = item.path("error");
                outcomes[i] = new ItemOutcome(doc.id(), ItemOutcome.Status.REJECTED,
                        error.path("type").asText("error") + ": " + abbreviate(error.path("reason").asText("status " + itemStatus)));
            }
        }
        return pushedBack;
    }

    /**
     * A request too large for the domain (a lower http.max_content_length, a proxy's limit) is the request's fault,
     * not its documents': its halves are sent at once, down to a document alone, which is the one refused. Halves
     * the deadline leaves no time for wait for redelivery. Returns the error of the half whose documents are retried,
     * else any.
     */
    private String sendInHalves(List<Integer> chunk, List<BulkDocument> documents, byte[][] actions, ItemOutcome[] outcomes,
                                List<Integer> retry, int[] requests, Instant deadline) {
        int half = chunk.size() / 2;
        String reason = null;
        for (List<Integer> part : List.of(chunk.subList(0, half), chunk.subList(half, chunk.size()))) {
            if (!clock.instant().isBefore(deadline)) {
                String late = "OpenSearch refused the _bulk request as too large (413), and its deadline came before all its parts were sent";
                for (int i : part) {
                    outcomes[i] = new ItemOutcome(documents.get(i).id(), ItemOutcome.Status.RETRY_LATER, late);
                }
                reason = reason == null ? late : reason;
                continue;
            }
            int before = retry.size();
            String error = send(part, documents, actions, outcomes, retry, requests, deadline);
            if (error != null && (reason == null || retry.size() > before)) {
                reason = error;
            }
        }
        return reason;
    }

    /**
     * Whether an error answer is a block on writes. The signed transport turns every 403 into a security exception
     * and keeps only the reason, so the block's own wording is looked for as well as its type.
     */
    static boolean saysWritesBlocked(String answer) {
        return answer != null && (answer.contains(CLUSTER_BLOCK) || answer.contains(BLOCKED_BY));
    }

    private static boolean blocksWrites(String errorType) {
        return CLUSTER_BLOCK.equals(errorType) || INDEX_CLOSED.equals(errorType);
    }

    private List<List<Integer>> chunks(List<Integer> pending, List<BulkDocument> documents, byte[][] actions) {
        List<List<Integer>> chunks = new ArrayList<>();
        List<Integer> current = new ArrayList<>();
        long bytes = 0;
        for (int i : pending) {
            long size = actions[i].length + documents.get(i).source().length + 1L;
            if (!current.isEmpty() && bytes + size > maxRequestBytes) {
                chunks.add(current);
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(i);
            bytes += size;
        }
        if (!current.isEmpty()) {
            chunks.add(current);
        }
        return chunks;
    }

    private static int estimate(List<Integer> chunk, List<BulkDocument> documents, byte[][] actions) {
        long total = 0;
        for (int i : chunk) {
            total += actions[i].length + documents.get(i).source().length + 1L;
        }
        return (int) Math.min(Integer.MAX_VALUE - 8, total);
    }

    /** The bytes {@code doc} takes in a {@code _bulk} request body: its action line, its source and a newline. */
    public static long requestBytes(BulkDocument doc) {
        return actionLine(doc).length + doc.source().length + 1L;
    }

    private static byte[] actionLine(BulkDocument doc) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(96);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeObjectFieldStart(doc.createOnly() ? "create" : "index");
            g.writeStringField("_index", doc.index());
            g.writeStringField("_id", doc.id());
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        out.write('\n');
        return out.toByteArray();
    }

    private static String abbreviate(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "…";
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
