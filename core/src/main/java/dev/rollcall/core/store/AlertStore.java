package dev.rollcall.core.store;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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

    private final BulkIndexer indexer;
    private final IndexNames names;

    public AlertStore(BulkIndexer indexer, IndexNames names) {
        this.indexer = indexer;
        this.names = names;
    }

    /**
     * Writes the alerts until {@code deadline}; one outcome per alert, in order. An alert that cannot even be
     * serialized (nested deeper than Jackson writes) is {@link ItemOutcome.Status#REJECTED} alone: the rest of the
     * batch is still written.
     */
    public BulkResult store(List<Alert> alerts, Instant deadline) {
        ItemOutcome[] outcomes = new ItemOutcome[alerts.size()];
        List<BulkDocument> documents = new ArrayList<>(alerts.size());
        List<Integer> positions = new ArrayList<>(alerts.size());
        for (int i = 0; i < alerts.size(); i++) {
            Alert alert = alerts.get(i);
            try {
                documents.add(toDocument(alert));
                positions.add(i);
            } catch (UncheckedIOException e) {
                outcomes[i] = new ItemOutcome(documentId(alert.eventId()), ItemOutcome.Status.REJECTED,
                        "the alert document cannot be serialized: " + e.getCause().getMessage());
            }
        }
        BulkResult written = documents.isEmpty() ? new BulkResult(List.of(), 0, 0) : indexer.write(documents, deadline);
        for (int k = 0; k < positions.size(); k++) {
            outcomes[positions.get(k)] = written.outcomes().get(k);
        }
        return new BulkResult(Arrays.asList(outcomes), written.requests(), written.retries());
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
