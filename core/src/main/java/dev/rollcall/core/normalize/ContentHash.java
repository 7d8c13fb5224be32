package dev.rollcall.core.normalize;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import dev.rollcall.core.alert.Timestamps;

/** SHA-256 hex digests: the event id of payloads that carry none, or whose envelope id differs between copies. */
final class ContentHash {

    private static final HexFormat HEX = HexFormat.of();

    private ContentHash() {
    }

    static String sha256(byte[] bytes) {
        return HEX.formatHex(digest().digest(bytes));
    }

    /**
     * The id part of a delivery without an id of its own: the digest of the bytes received and, through SQS (which
     * webhooks go through too), of when they were first handed to Rollcall ({@link IncomingEvent#sentAt()}). A redelivery repeats both and is one document; the
     * same bytes sent again are another event (a Grafana OK, a plain custom status look the same every time, and
     * the month's index would otherwise have taken the second for a redelivery of the first).
     */
    static String ofDelivery(Inbound inbound) {
        String body = sha256(inbound.contentBytes());
        // Only an SQS message keeps its first send time on redelivery (SentTimestamp), webhooks' included; a Lambda
        // retry of any other door is received anew, so there the bytes alone must tell a retry.
        IncomingEvent.Door door = inbound.event().door();
        return door == IncomingEvent.Door.SQS || door == IncomingEvent.Door.WEBHOOK
                ? sha256(body, Long.toString(inbound.event().sentAt().toEpochMilli())) : body;
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

    /**
     * {@code <source>:} and the digest of the parts: an id made of what the event says, so every copy of it (another
     * route, another account's bus, another Region) is one document. Bounded whatever the parts are.
     */
    static String eventId(String source, String... parts) {
        return source + ":" + sha256(parts);
    }

    /**
     * A time as an id part: its epoch milliseconds where it parses, so one instant written two ways gives one id;
     * else the text as written.
     */
    static String timePart(String time) {
        return Timestamps.parse(time).map(t -> Long.toString(t.toEpochMilli())).orElse(time);
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
