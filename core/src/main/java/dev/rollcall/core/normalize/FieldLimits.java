package dev.rollcall.core.normalize;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * Keeps the values a source controls within what OpenSearch stores and the aggregation job can read: an {@code _id}
 * of at most 512 bytes, keyword values with doc values (the {@code name} mapping ignores values over 1,024
 * characters, which would leave the alert without a name to roll up under), labels whose terms fit. Without these, one
 * long id, alarm name or label is refused on every delivery until it reaches the dead-letter queue.
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
    /**
     * UTF-8 bytes of a label's key and value together that OpenSearch takes. The {@code flat_object} field indexes
     * each label as the term {@code labels.<key>=<value>}, and refuses the whole document ("immense term", or a doc
     * value "too large") once that passes 32,759 bytes (measured on OpenSearch 3): 32,751 bytes for key and value.
     * Up to it a label is stored as it always was.
     */
    static final int LABEL_BYTES = 32_751;
    /** Characters kept of the key of a label that must be cut: a key is a name, not a payload. */
    static final int LABEL_KEY_CHARS = 256;
    /**
     * Characters kept of a label a group notification gives every alert of it (Alertmanager's {@code receiver}): a
     * configuration name, which would otherwise be stored once per alert at up to {@value #LABEL_BYTES} bytes.
     */
    static final int GROUP_LABEL_CHARS = 256;

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

    /**
     * {@code labels} as they are when every key and value fit together in {@value #LABEL_BYTES} bytes; otherwise a copy
     * in which each label that does not has its key cut to {@value #LABEL_KEY_CHARS} characters and its value to the
     * bytes left. A cut key that meets a label already there leaves that label as it was.
     */
    static Map<String, String> labels(Map<String, String> labels) {
        if (labels.entrySet().stream().allMatch(e -> fits(e.getKey(), e.getValue()))) {
            return labels;
        }
        Map<String, String> kept = new TreeMap<>();
        Map<String, String> cut = new TreeMap<>();
        labels.forEach((key, value) -> (fits(key, value) ? kept : cut).put(key, value));
        cut.forEach((key, value) -> {
            String shortKey = truncate(key, LABEL_KEY_CHARS);
            kept.putIfAbsent(shortKey, truncateUtf8(value, LABEL_BYTES - utf8Length(shortKey)));
        });
        return kept;
    }

    private static boolean fits(String key, String value) {
        // Three bytes per character at most: most labels are decided without counting.
        return 3L * (key.length() + value.length()) <= LABEL_BYTES || utf8Length(key) + utf8Length(value) <= LABEL_BYTES;
    }

    /** The longest start of {@code value} of at most {@code maxBytes} UTF-8 bytes (never splitting a character). */
    static String truncateUtf8(String value, int maxBytes) {
        int bytes = 0;
        for (int i = 0; i < value.length(); ) {
            int codePoint = value.codePointAt(i);
            bytes += utf8Length(codePoint);
            if (bytes > maxBytes) {
                return value.substring(0, i);
            }
            i += Character.charCount(codePoint);
        }
        return value;
    }

    static int utf8Length(String value) {
        int bytes = 0;
        for (int i = 0; i < value.length(); ) {
            int codePoint = value.codePointAt(i);
            bytes += utf8Length(codePoint);
            i += Character.charCount(codePoint);
        }
        return bytes;
    }

    private static int utf8Length(int codePoint) {
        return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
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
