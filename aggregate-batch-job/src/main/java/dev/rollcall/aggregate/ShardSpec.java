package dev.rollcall.aggregate;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.rollcall.core.alert.AlertJson;
import dev.rollcall.core.rollup.ArrayJobSize;

/**
 * Which fingerprints one child of an array job owns: fingerprints hash into {@value #PARTITIONS} fixed partitions
 * and child {@code index} of {@code count} owns the partitions {@code p} with {@code p % count == index}. A
 * fingerprint's whole history goes to one child, so episodes never cross children and the children's rollups are
 * disjoint; the partitions are fixed so state written by one array size is readable by another.
 */
public record ShardSpec(int index, int count) {

    public static final int PARTITIONS = ArrayJobSize.MOST_CHILDREN;
    public static final ShardSpec WHOLE = new ShardSpec(0, 1);

    // The same arithmetic as partition(), in Painless (java.lang.String#hashCode is the same there).
    private static final String SCRIPT = "int p = doc['fingerprint'].value.hashCode() % " + PARTITIONS
            + "; if (p < 0) { p += " + PARTITIONS + "; } return p % params.count == params.index;";

    public ShardSpec {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException("shard " + index + " of " + count + " does not exist");
        }
    }

    public static int partition(String fingerprint) {
        int p = fingerprint.hashCode() % PARTITIONS;
        return p < 0 ? p + PARTITIONS : p;
    }

    public boolean isWhole() {
        return count == 1;
    }

    public boolean owns(String fingerprint) {
        return count == 1 || partition(fingerprint) % count == index;
    }

    /** Children past the number of partitions have nothing to do. */
    public boolean ownsNothing() {
        return index >= PARTITIONS;
    }

    /** A query clause matching documents whose {@code fingerprint} this shard owns; null when it owns all. */
    public ObjectNode fingerprintQuery() {
        if (isWhole()) {
            return null;
        }
        ObjectNode query = AlertJson.mapper().createObjectNode();
        ObjectNode script = query.putObject("script").putObject("script");
        script.put("source", SCRIPT);
        script.putObject("params").put("count", count).put("index", index);
        return query;
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
