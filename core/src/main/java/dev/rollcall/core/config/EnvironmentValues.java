package dev.rollcall.core.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;

/** Typed reads of environment variables with defaults, shared by every module's config; errors name the variable. */
public final class EnvironmentValues {

    private EnvironmentValues() {
    }

    /** A whole number; blank or absent means {@code defaultValue}. */
    public static int integer(Map<String, String> env, String name, int defaultValue) {
        String text = text(env, name, null);
        if (text == null) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got '" + env.get(name) + "'", e);
        }
    }

    /** A whole number of 0 or more; blank or absent means {@code defaultValue}. */
    public static long nonNegativeLong(Map<String, String> env, String name, long defaultValue) {
        String text = text(env, name, null);
        if (text == null) {
            return defaultValue;
        }
        long value;
        try {
            value = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got '" + env.get(name) + "'", e);
        }
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be 0 or more, got " + value);
        }
        return value;
    }

    /** An ISO-8601 duration longer than zero ({@code PT3H}, {@code P1D}); blank or absent means {@code defaultValue}. */
    public static Duration positiveDuration(Map<String, String> env, String name, Duration defaultValue) {
        String text = text(env, name, null);
        if (text == null) {
            return defaultValue;
        }
        Duration value;
        try {
            value = Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + " must be an ISO-8601 duration such as PT3H, got '" + env.get(name) + "'", e);
        }
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be longer than zero, got " + text);
        }
        return value;
    }

    /** The trimmed value; fails naming the variable and an example when it is blank or absent. */
    public static String required(Map<String, String> env, String name, String example) {
        String text = text(env, name, null);
        if (text == null) {
            throw new IllegalArgumentException(name + " is not set (e.g. " + example + ")");
        }
        return text;
    }

    /** The trimmed value; blank or absent means {@code defaultValue}. */
    public static String text(Map<String, String> env, String name, String defaultValue) {
        String text = env.get(name);
        return text == null || text.isBlank() ? defaultValue : text.trim();
    }
}
