package dev.rollcall.ingest.webhook;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
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

    /** Strings of an alert too big for a message are cut to at most this many characters first, then to halves of it. */
    static final int CUT_CHARS = 32_768;
    /** The least a cut leaves of a string; an alert that does not fit even so is refused with its group. */
    private static final int LEAST_CUT_CHARS = 256;
    /** The annotation that marks an alert whose strings were cut, saying to how many characters. */
    static final String CUT_MARK = "rollcall_cut";

    /**
     * The queue messages of a group and how many of its alerts had their longest strings cut to fit one: a single
     * alert larger than a message (a runaway annotation) otherwise cost the whole group, which most senders do not
     * send again after a 413.
     */
    record Parts(List<String> messages, int cutAlerts) {
    }

    /**
     * The parts of {@code group}, each at most {@code maxBytes}; empty when it is no group, when the group or one of
     * its parts is not what {@code readAlertByAlert} accepts (a part is read on its own: one whose first alert lacks
     * what made the whole a group would read as one alert), or when an alert does not fit even with its strings cut to
     * {@value #LEAST_CUT_CHARS} characters.
     */
    static Optional<Parts> split(JsonNode group, int maxBytes, Predicate<JsonNode> readAlertByAlert) {
        if (!group.isObject() || !group.path(ALERTS).isArray() || group.path(ALERTS).isEmpty() || !readAlertByAlert.test(group)) {
            return Optional.empty();
        }
        // The group's fields as each alert's stored raw keeps them, bounded: Grafana's message lists every alert, and
        // repeated whole in every part it alone could outgrow a message, refusing a group of small alerts.
        ObjectNode envelope = GroupEnvelope.of(group, ALERTS).holding(JsonNodeFactory.instance.arrayNode());
        int envelopeBytes = bytes(envelope);
        List<String> parts = new ArrayList<>();
        List<JsonNode> current = new ArrayList<>();
        int currentBytes = envelopeBytes;
        int cutAlerts = 0;
        for (JsonNode whole : group.path(ALERTS)) {
            JsonNode alert = whole;
            int alertBytes = bytes(alert);
            if (envelopeBytes + alertBytes > maxBytes) {
                Optional<JsonNode> cut = cut(alert, maxBytes - envelopeBytes);
                if (cut.isEmpty()) {
                    return Optional.empty();
                }
                alert = cut.get();
                alertBytes = bytes(alert);
                cutAlerts++;
            }
            int added = alertBytes + (current.isEmpty() ? 0 : 1);
            if (currentBytes + added > maxBytes) {
                if (!add(parts, part(envelope, current), readAlertByAlert)) {
                    return Optional.empty();
                }
                current.clear();
                currentBytes = envelopeBytes;
                added = alertBytes;
            }
            current.add(alert);
            currentBytes += added;
        }
        return add(parts, part(envelope, current), readAlertByAlert) ? Optional.of(new Parts(parts, cutAlerts)) : Optional.empty();
    }

    /** Adds the part as its message when {@code readAlertByAlert} accepts it; false when it does not. */
    private static boolean add(List<String> parts, JsonNode part, Predicate<JsonNode> readAlertByAlert) {
        if (!readAlertByAlert.test(part)) {
            return false;
        }
        parts.add(write(part));
        return true;
    }

    /**
     * The alert with every string longer than {@value #CUT_CHARS} characters cut to that (then to halves of it)
     * until it fits {@code maxBytes}, marked with an annotation; empty when it cannot fit. Labels are never cut. The same alert is cut the
     * same way every time, so a retried group is still stored once per alert.
     */
    static Optional<JsonNode> cut(JsonNode alert, int maxBytes) {
        if (!alert.isObject()) {
            return Optional.empty();
        }
        for (int keep = CUT_CHARS; keep >= LEAST_CUT_CHARS; keep /= 2) {
            ObjectNode cut = (ObjectNode) cutStrings(alert, keep);
            String mark = "strings cut to " + keep + " characters to fit one queue message";
            JsonNode annotations = cut.get("annotations");
            if (annotations == null) {
                cut.putObject("annotations").put(CUT_MARK, mark);
            } else if (annotations.isObject()) {
                ((ObjectNode) annotations).put(CUT_MARK, mark);
            } else {
                // Whatever the sender put there stays as it was.
                cut.put(CUT_MARK, mark);
            }
            if (bytes(cut) <= maxBytes) {
                return Optional.of(cut);
            }
        }
        return Optional.empty();
    }

    private static JsonNode cutStrings(JsonNode node, int keep) {
        if (node.isTextual() && node.asText().length() > keep) {
            String text = node.asText();
            int end = Character.isHighSurrogate(text.charAt(keep - 1)) ? keep - 1 : keep;
            return JsonNodeFactory.instance.textNode(text.substring(0, end) + "…");
        }
        if (node.isObject()) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            // Labels stay whole: an alert without a fingerprint is known by them.
            node.properties().forEach(field -> copy.set(field.getKey(),
                    field.getKey().equals("labels") ? field.getValue() : cutStrings(field.getValue(), keep)));
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            node.forEach(element -> copy.add(cutStrings(element, keep)));
            return copy;
        }
        return node;
    }

    private static JsonNode part(ObjectNode envelope, List<JsonNode> alerts) {
        return AlertJson.withList(envelope, ALERTS, alerts);
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
