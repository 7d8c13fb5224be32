package dev.rollcall.core.normalize;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 hex digests: the event id of payloads that carry none, and of label sets. */
final class ContentHash {

    private static final HexFormat HEX = HexFormat.of();

    private ContentHash() {
    }

    static String sha256(byte[] bytes) {
        return HEX.formatHex(digest().digest(bytes));
    }

    /** The digest of the parts joined by a separator no part contains, so ("a","bc") and ("ab","c") differ. */
    static String sha256(String... parts) {
        MessageDigest digest = digest();
        for (String part : parts) {
            digest.update((part == null ? "" : part).getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
        }
        return HEX.formatHex(digest.digest());
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
