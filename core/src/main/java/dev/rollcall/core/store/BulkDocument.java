package dev.rollcall.core.store;

/**
 * One document to write with {@code _bulk}: its index, deterministic id and JSON source.
 *
 * @param createOnly {@code true} writes with {@code op_type=create}, so a document that already exists is reported
 *                   as a duplicate and left untouched (raw events); {@code false} overwrites (rollups)
 */
public record BulkDocument(String index, String id, byte[] source, boolean createOnly) {
    public BulkDocument {
        if (index == null || index.isBlank() || id == null || id.isBlank() || source == null) {
            throw new IllegalArgumentException("a bulk document needs an index, an id and a source");
        }
    }
}
