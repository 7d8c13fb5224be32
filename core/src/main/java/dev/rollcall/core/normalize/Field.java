package dev.rollcall.core.normalize;

import java.math.BigDecimal;
import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

import dev.rollcall.core.alert.Timestamps;

/**
 * A JSON field under both spellings real payloads use for it ({@code alarmName} from EventBridge,
 * {@code AlarmName} from SNS or an SDK dump). Both names are computed once, not per event.
 */
record Field(String camel, String pascal) {

    static Field of(String camelCaseName) {
        return new Field(camelCaseName, Character.toUpperCase(camelCaseName.charAt(0)) + camelCaseName.substring(1));
    }

    /** The field's value under either spelling, or a missing node; never null. */
    JsonNode in(JsonNode node) {
        if (node == null) {
            return MissingNode.getInstance();
        }
        JsonNode value = node.get(camel);
        if (value == null || value.isNull()) {
            value = node.get(pascal);
        }
        return value == null ? MissingNode.getInstance() : value;
    }

    /** The field's scalar value as text, or null when it is absent, null, blank or not a scalar. */
    String text(JsonNode node) {
        return textOf(in(node));
    }

    /**
     * A scalar as text without loss: integers keep every digit (Jackson reads them as long or BigInteger, never
     * double) and decimals print plainly. Null for blank strings, nulls, objects and arrays.
     */
    static String textOf(JsonNode value) {
        if (value == null || !value.isValueNode() || value.isNull()) {
            return null;
        }
        String text = value.isBigDecimal() ? decimalText(value.decimalValue()) : value.asText();
        return text.isBlank() ? null : text;
    }

    /**
     * Plain digits for the decimals sources send, scientific notation past a hundred digits: {@code 1e999999999}
     * is eleven bytes of JSON and a billion digits in plain form.
     */
    static String decimalText(BigDecimal value) {
        boolean huge = value.precision() - (long) value.scale() > 100;
        boolean tiny = value.scale() > 100;
        return huge || tiny ? value.toString() : value.toPlainString();
    }

    /** The first of the given texts that is present. */
    @SafeVarargs
    static <T> T firstOf(T... candidates) {
        for (T candidate : candidates) {
            if (candidate != null) {
                return candidate;
            }
        }
        return null;
    }

    /** The text of the first of the named fields (exact names) that has a scalar value. */
    static String firstText(JsonNode node, String... fields) {
        for (String field : fields) {
            String value = textOf(node.get(field));
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    /** The time in the first of the named fields (exact names) that holds one. */
    static Instant firstTime(JsonNode node, String... fields) {
        for (String field : fields) {
            var parsed = Timestamps.parse(node.get(field));
            if (parsed.isPresent()) {
                return parsed.get();
            }
        }
        return null;
    }
}
