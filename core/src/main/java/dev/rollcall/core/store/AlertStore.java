package dev.rollcall.core.store;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import dev.rollcall.core.alert.Alert;
import dev.rollcall.core.alert.AlertJson;

/**
 * Stores alerts in their monthly events index with {@code op_type=create} and the event id as {@code _id}: a
 * redelivered event is reported as {@link ItemOutcome.Status#DUPLICATE} and changes nothing.
 */
public final class AlertStore {

    /** OpenSearch caps {@code _id} at 512 bytes; longer source ids are hashed. */
    private static final int MAX_ID_BYTES = 256;

    /**
     * Bytes of documents serialized and written at a time: a batch's documents never sit in memory all at once, so
     * however large they come out (ten messages of a storm, each a megabyte), the function only ever holds a slice.
     */
    public static final int SLICE_BYTES = BulkIndexer.DEFAULT_MAX_REQUEST_BYTES;

    private static final String PAST_DEADLINE = "the invocation's deadline passed before this part of the batch was sent";

    private final BulkIndexer indexer;
    private final IndexNames names;
    private final int sliceBytes;
    private final Clock clock;

    public AlertStore(BulkIndexer indexer, IndexNames names) {
        this(indexer, names, SLICE_BYTES, Clock.systemUTC());
    }

    public AlertStore(BulkIndexer indexer, IndexNames names, int sliceBytes, Clock clock) {
        this.indexer = indexer;
        this.names = names;
        this.sliceBytes = sliceBytes;
        this.clock = clock;
    }

    /**
     * Writes the alerts until {@code deadline}, a slice of about {@link #SLICE_BYTES} at a time; one outcome per alert,
     * in order. An alert that cannot even be serialized (nested deeper than Jackson writes) is
     * {@link ItemOutcome.Status#REJECTED} alone: the rest of the batch is still written. Slices the deadline leaves
     * no time for are {@link ItemOutcome.Status#RETRY_LATER} without being sent.
     */
    public BulkResult store(List<Alert> alerts, Instant deadline) {
        ItemOutcome[] outcomes = new ItemOutcome[alerts.size()];
        int requests = 0;
        int retries = 0;
        int next = 0;
        // A document that would take its slice past the limit starts the next slice instead: the indexer splits
        // requests at the same limit, so one document more would cost a second, nearly empty _bulk request.
        BulkDocument carried = null;
        while (next < alerts.size() || carried != null) {
            if (requests > 0 && !clock.instant().isBefore(deadline)) {
                // Nothing more is sent, so nothing more needs serializing: the rest waits for redelivery.
                for (int k = carried != null ? next - 1 : next; k < alerts.size(); k++) {
                    outcomes[k] = new ItemOutcome(documentId(alerts.get(k).eventId()), ItemOutcome.Status.RETRY_LATER, PAST_DEADLINE);
                }
                break;
            }
            List<BulkDocument> slice = new ArrayList<>();
            List<Integer> positions = new ArrayList<>();
            long bytes = 0;
            if (carried != null) {
                slice.add(carried);
                positions.add(next - 1);
                bytes = BulkIndexer.requestBytes(carried);
                carried = null;
            }
            for (; next < alerts.size(); next++) {
                Alert alert = alerts.get(next);
                BulkDocument document;
                try {
                    document = toDocument(alert);
                } catch (UncheckedIOException e) {
                    outcomes[next] = new ItemOutcome(documentId(alert.eventId()), ItemOutcome.Status.REJECTED,
                            "the alert document cannot be serialized: " + e.getCause().getMessage());
                    continue;
                }
                long size = BulkIndexer.requestBytes(document);
                if (!slice.isEmpty() && bytes + size > sliceBytes) {
                    carried = document;
                    next++;
                    break;
                }
                slice.add(document);
                positions.add(next);
                bytes += size;
            }
            if (slice.isEmpty()) {
                continue;
            }
            BulkResult written = indexer.write(slice, deadline);
            for (int k = 0; k < positions.size(); k++) {
                outcomes[positions.get(k)] = written.outcomes().get(k);
            }
            requests += written.requests();
            retries += written.retries();
        }
        return new BulkResult(Arrays.asList(outcomes), requests, retries);
    }

    public BulkDocument toDocument(Alert alert) {
        return new BulkDocument(names.eventsIndex(alert.occurredAt()), documentId(alert.eventId()), AlertJson.toBytes(alert), true);
    }

    /** The {@code _id} of an event: its event id, or a SHA-256 of it when that is too long for OpenSearch. */
    public static String documentId(String eventId) {
        byte[] bytes = eventId.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_ID_BYTES) {
            return eventId;
        }
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public IndexNames names() {
        return names;
    }
}
