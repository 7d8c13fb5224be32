package dev.rollcall.core.normalize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.rollcall.core.alert.AlertJson;

/** The part of a payload carrying several alerts that one of them came from: what its document keeps as {@code raw}. */
final class RawParts {

    private RawParts() {
    }

    /**
     * {@code payload} with its list {@code field} holding only {@code entry}. Shallow: the other fields are shared,
     * not copied, so taking the part of each of N entries costs N small objects, not N copies of the payload.
     */
    static JsonNode withOnly(JsonNode payload, String field, JsonNode entry) {
        ObjectNode part = AlertJson.mapper().createObjectNode();
        payload.properties().forEach(e -> part.set(e.getKey(), e.getKey().equals(field) ? AlertJson.mapper().createArrayNode().add(entry) : e.getValue()));
        return part;
    }
}
