package dev.rollcall.core.normalize;

import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * The fields that the alerts of one payload share (a group's receiver, status and Grafana's {@code message}; an SNS
 * envelope's subject and signature), as each alert's {@code raw} repeats them around its own part. They are bounded
 * once per payload, so that an alert's stored raw grows with its own share, not with the group: Grafana's
 * {@code message} lists every alert, and 600 alerts each keeping it made 147 MB of documents out of a 641 KB body.
 *
 * <p>A string longer than {@value #TEXT_CHARS} characters anywhere in them keeps that many, followed by a marker with
 * its full length; fields past {@value #FIELDS_BYTES} bytes in all are left out, counted in the field
 * {@value #CUT_FIELD}.
 *
 * @param fields the container's fields in their order, bounded, with {@code slot} holding null
 * @param slot   the field each alert's own part goes in
 */
public record GroupEnvelope(ObjectNode fields, String slot) {

    /** Characters kept of a shared string: a few lines of text, not a list of the whole group. */
    static final int TEXT_CHARS = 2_048;
    /** Bytes of shared fields kept (about: strings are counted in characters). */
    static final int FIELDS_BYTES = 16 * 1024;
    /** The field that says how many shared fields were left out. */
    static final String CUT_FIELD = "rollcall_cut";
    private static final Pattern CUT_MARK = Pattern.compile("…\\[cut from \\d+ characters]$");

    /** The bounded fields of {@code container} around its field {@code slot}. */
    public static GroupEnvelope of(JsonNode container, String slot) {
        ObjectNode fields = JsonNodeFactory.instance.objectNode();
        long budget = FIELDS_BYTES;
        int leftOut = 0;
        long leftOutBytes = 0;
        for (Map.Entry<String, JsonNode> field : container.properties()) {
            if (field.getKey().equals(slot)) {
                fields.putNull(slot);
                continue;
            }
            JsonNode value = cut(field.getValue());
            long bytes = field.getKey().length() + approximateBytes(value);
            if (bytes > budget) {
                leftOut++;
                leftOutBytes += bytes;
            } else {
                budget -= bytes;
                fields.set(field.getKey(), value);
            }
        }
        if (leftOut > 0) {
            fields.put(CUT_FIELD, leftOut + " fields shared by the group (" + leftOutBytes + " bytes) are not repeated for each alert");
        }
        return new GroupEnvelope(fields, slot);
    }

    /** The bounded fields of {@code container} around whichever field holds {@code child} (by identity); null if none. */
    static GroupEnvelope around(JsonNode container, JsonNode child) {
        for (Map.Entry<String, JsonNode> field : container.properties()) {
            if (field.getValue() == child) {
                return of(container, field.getKey());
            }
        }
        return null;
    }

    /** The shared fields in their order with {@code value} in the slot. */
    public ObjectNode holding(JsonNode value) {
        ObjectNode copy = JsonNodeFactory.instance.objectNode();
        fields.properties().forEach(field -> copy.set(field.getKey(), field.getKey().equals(slot) ? value : field.getValue()));
        return copy;
    }

    /** The shared fields in their order with a list of just {@code entry} in the slot. */
    ObjectNode holdingOnly(JsonNode entry) {
        return holding(JsonNodeFactory.instance.arrayNode(1).add(entry));
    }

    /**
     * {@code value} with each string longer than {@value #TEXT_CHARS} characters cut; shares what it leaves alone. A
     * string cut already stays as it is: a group the webhook queued in parts arrives with its fields cut, and cut
     * again its marker would name the cut length instead of the original.
     */
    private static JsonNode cut(JsonNode value) {
        if (value.isTextual()) {
            String text = value.textValue();
            return text.length() <= TEXT_CHARS || isCut(text) ? value
                    : TextNode.valueOf(FieldLimits.truncate(text, TEXT_CHARS) + "…[cut from " + text.length() + " characters]");
        }
        if (value.isObject()) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            value.properties().forEach(field -> copy.set(field.getKey(), cut(field.getValue())));
            return copy;
        }
        if (value.isArray()) {
            var copy = JsonNodeFactory.instance.arrayNode(value.size());
            value.forEach(item -> copy.add(cut(item)));
            return copy;
        }
        return value;
    }

    private static boolean isCut(String text) {
        // The marker is at most 40 characters; anything longer was never cut here.
        return text.length() <= TEXT_CHARS + 40 && CUT_MARK.matcher(text.substring(TEXT_CHARS - 1)).find();
    }

    /** About the bytes of {@code value} as JSON, without writing it (a lone surrogate would not even write). */
    private static long approximateBytes(JsonNode value) {
        if (value.isTextual()) {
            return value.textValue().length() + 2L;
        }
        if (value.isContainerNode()) {
            long bytes = 2;
            for (Map.Entry<String, JsonNode> field : value.properties()) {
                bytes += field.getKey().length() + 4L + approximateBytes(field.getValue());
            }
            for (int i = 0; value.isArray() && i < value.size(); i++) {
                bytes += 1 + approximateBytes(value.get(i));
            }
            return bytes;
        }
        return value.asText().length();
    }
}
