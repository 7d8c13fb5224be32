package dev.rollcall.core.normalize;

import java.nio.charset.StandardCharsets;

/**
 * Keeps the values a source controls within what OpenSearch stores and the aggregation job can read: an {@code _id}
 * of at most 512 bytes, keyword values with doc values (the {@code name} mapping ignores values over 1,024
 * characters, which would leave the alert without a name to roll up under). Without these, one long id or alarm
 * name is refused on every delivery until it reaches the dead-letter queue.
 */
public final class FieldLimits {

    /**
     * Bytes of an event id kept as it is, OpenSearch's own limit, so that no id it accepted before changes (a
     * redelivery across an upgrade would count twice); a longer one is replaced by its hash.
     */
    static final int ID_BYTES = 512;
    /**
     * Characters of a keyword value OpenSearch always takes: its term limit is 32,766 bytes, and 8,191 characters are
     * at most 32,764 bytes of UTF-8. Fingerprints past it become their hash, other dimensions are cut there; below
     * it nothing that was stored before changes.
     */
    public static final int KEYWORD_CHARS = 8_191;
    /** Characters kept of a name: the mapping's ignore_above, past which it would have no doc values to roll up by. */
    public static final int NAME_CHARS = 1024;

    private FieldLimits() {
    }

    /** {@code id} when short enough, else {@code <source>:sha256:<hash of id>}. */
    static String eventId(String source, String id) {
        return id == null || id.getBytes(StandardCharsets.UTF_8).length <= ID_BYTES ? id : source + ":sha256:" + ContentHash.sha256(id);
    }

    /** {@code fingerprint} when short enough, else {@code <source>:sha256:<hash of it>}: still one value per alert. */
    static String fingerprint(String source, String fingerprint) {
        return fingerprint == null || fingerprint.length() <= KEYWORD_CHARS ? fingerprint : source + ":sha256:" + ContentHash.sha256(fingerprint);
    }

    /** The first {@code max} characters of {@code value} (never splitting a surrogate pair). */
    static String truncate(String value, int max) {
        if (value == null || value.length() <= max) {
            return value;
        }
        int end = Character.isHighSurrogate(value.charAt(max - 1)) ? max - 1 : max;
        return value.substring(0, end);
    }
}
