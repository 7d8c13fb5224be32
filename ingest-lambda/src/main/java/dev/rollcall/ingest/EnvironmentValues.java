package dev.rollcall.ingest;

import java.util.Map;

/** Typed reads of environment variables with defaults; errors name the variable. */
public final class EnvironmentValues {

    private EnvironmentValues() {
    }

    public static long positiveLong(Map<String, String> env, String name, long defaultValue) {
        String text = env.get(name);
        if (text == null || text.isBlank()) {
            return defaultValue;
        }
        try {
            long value = Long.parseLong(text.trim());
            if (value < 0) {
                throw new IllegalArgumentException(name + " must be 0 or more, got " + value);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got '" + text + "'", e);
        }
    }

    public static String required(Map<String, String> env, String name, String example) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is not set (e.g. " + example + ")");
        }
        return value.trim();
    }
}
