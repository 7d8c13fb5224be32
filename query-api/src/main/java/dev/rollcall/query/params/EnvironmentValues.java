package dev.rollcall.query.params;

import java.util.Map;

/** Reading typed values from environment variables, failing with the variable's name. */
public final class EnvironmentValues {

    private EnvironmentValues() {
    }

    public static int integer(Map<String, String> env, String name, int defaultValue) {
        String text = env.get(name);
        if (text == null || text.isBlank()) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got '" + text + "'", e);
        }
    }

    public static String required(Map<String, String> env, String name, String example) {
        String text = env.get(name);
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(name + " is not set (e.g. " + example + ")");
        }
        return text.trim();
    }

    public static String text(Map<String, String> env, String name, String defaultValue) {
        String text = env.get(name);
        return text == null || text.isBlank() ? defaultValue : text.trim();
    }
}
