package dev.rollcall.core.normalize;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;

import dev.rollcall.core.alert.Timestamps;

/** The envelope fields every EventBridge event has, read once; {@code detail} is the source's own part. */
record EventBridgeEvent(String id, String source, String detailType, String account, String region, JsonNode time,
                        JsonNode resources, JsonNode detail) {

    /** The event in {@code payload}, or null when the payload is no EventBridge event. */
    static EventBridgeEvent of(JsonNode payload) {
        if (!payload.isObject()) {
            return null;
        }
        String detailType = Field.textOf(payload.get("detail-type"));
        String source = Field.textOf(payload.get("source"));
        if (detailType == null || source == null) {
            return null;
        }
        return new EventBridgeEvent(Field.textOf(payload.get("id")), source, detailType, Field.textOf(payload.get("account")),
                Field.textOf(payload.get("region")), payload.path("time"), payload.path("resources"), payload.path("detail"));
    }

    /** The same event known by {@code newId}. */
    EventBridgeEvent withId(String newId) {
        return new EventBridgeEvent(newId, source, detailType, account, region, time, resources, detail);
    }

    Instant eventTime() {
        return Timestamps.parse(time).orElse(null);
    }

    /** The first resource ARN, if any. */
    String firstResource() {
        return resources.isArray() && !resources.isEmpty() ? Field.textOf(resources.get(0)) : null;
    }
}
