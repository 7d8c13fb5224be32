package dev.rollcall.core.alert;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Who an alert interrupts: {@code HIGH} pages someone, {@code LOW} waits for the next business day. */
public enum Urgency {
    HIGH, LOW, IGNORE;

    @JsonValue
    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    @JsonCreator
    public static Urgency fromWire(String value) {
        return Wire.parse(Urgency.class, value, "urgency");
    }
}
