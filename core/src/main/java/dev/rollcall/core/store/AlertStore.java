package dev.rollcall.core.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
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

    /** Writes the alerts until {@code deadline}; one outcome per alert, in order. */
    public BulkResult store(List<Alert> alerts, Instant deadline) {
        List<BulkDocument> documents = new ArrayList<>(alerts.size());
        for (Alert alert : alerts) {
            documents.add(toDocument(alert));
        }
        return indexer.write(documents, deadline);
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
