package dev.rollcall.ingest.webhook;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.rollcall.core.alert.AlertJson;
import dev.rollcall.core.normalize.GroupEnvelope;

/**
 * Splits a group of alerts ({@code {"alerts":[...], ...}}, as Alertmanager and Grafana send) that is larger than one
 * queue message into groups that each fit: the group's fields as storage bounds them ({@link GroupEnvelope}), the
 * alerts shared out in order. Each alert's event id
 * depends on the alert alone, never on its group, so a group sent in parts, or retried whole after some parts were
 * queued, is stored once per alert.
 */
final class AlertGroupParts {

    static final String ALERTS = "alerts";
    // Non-ASCII is escaped: a character SQS refuses (U+FFFF), escaped in the body as received, must stay escaped.
    private static final ObjectWriter WRITER = AlertJson.mapper().writer().with(JsonWriteFeature.ESCAPE_NON_ASCII);

    private AlertGroupParts() {
    }

    /** The parts of {@code group}, each at most {@code maxBytes}; empty when it is no group or one alert alone is too big. */
    static Optional<List<String>> split(JsonNode group, int maxBytes) {
        if (!group.isObject() || !group.path(ALERTS).isArray() || group.path(ALERTS).size() < 2) {
            return Optional.empty();
        }
        // The group's fields as each alert's stored raw keeps them, bounded: Grafana's message lists every alert, and
        // repeated whole in every part it alone could outgrow a message, refusing a group of small alerts.
        ObjectNode envelope = GroupEnvelope.of(group, ALERTS).holding(JsonNodeFactory.instance.arrayNode());
        int envelopeBytes = bytes(envelope);
        List<String> parts = new ArrayList<>();
        List<JsonNode> current = new ArrayList<>();
        int currentBytes = envelopeBytes;
        for (JsonNode alert : group.path(ALERTS)) {
            int alertBytes = bytes(alert);
            int added = alertBytes + (current.isEmpty() ? 0 : 1);
            if (envelopeBytes + alertBytes > maxBytes) {
                return Optional.empty();
            }
            if (currentBytes + added > maxBytes) {
                parts.add(part(envelope, current));
                current.clear();
                currentBytes = envelopeBytes;
                added = alertBytes;
            }
            current.add(alert);
            currentBytes += added;
        }
        parts.add(part(envelope, current));
        return Optional.of(parts);
    }

    private static String part(ObjectNode envelope, List<JsonNode> alerts) {
        return write(AlertJson.withList(envelope, ALERTS, alerts));
    }

    private static int bytes(JsonNode node) {
        // ASCII only (non-ASCII is escaped), so characters are bytes.
        return write(node).length();
    }

    private static String write(JsonNode node) {
        try {
            return WRITER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed tree always serializes", e);
        }
    }
}
