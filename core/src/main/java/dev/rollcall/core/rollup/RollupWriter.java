package dev.rollcall.core.rollup;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.rollcall.core.alert.AlertJson;
import dev.rollcall.core.store.BulkDocument;
import dev.rollcall.core.store.BulkIndexer;
import dev.rollcall.core.store.BulkResult;
import dev.rollcall.core.store.IndexNames;

/** Writes rollup documents by their deterministic ids, overwriting what an earlier run wrote for the same key. */
public final class RollupWriter {

    private final BulkIndexer indexer;
    private final IndexNames names;

    public RollupWriter(BulkIndexer indexer, IndexNames names) {
        this.indexer = indexer;
        this.names = names;
    }

    /** Writes the documents until {@code deadline}; one outcome per document, in order. */
    public BulkResult write(List<RollupDocument> rollups, Instant deadline) {
        List<BulkDocument> documents = new ArrayList<>(rollups.size());
        for (RollupDocument rollup : rollups) {
            documents.add(new BulkDocument(names.rollupsIndex(rollup.key().interval().wire()), rollup.id(),
                    AlertJson.toBytes(rollup.toJson()), false));
        }
        return indexer.write(documents, deadline);
    }
}
