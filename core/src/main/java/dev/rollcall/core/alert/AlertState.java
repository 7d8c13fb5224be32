package dev.rollcall.core.alert;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Whether an alert event opens a problem, closes one, or only informs. */
public enum AlertState {
    FIRING, RESOLVED, INFO;

    @JsonValue
    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    @JsonCreator
    public static AlertState fromWire(String value) {
        return Wire.parse(AlertState.class, value, "state");
    }
}
