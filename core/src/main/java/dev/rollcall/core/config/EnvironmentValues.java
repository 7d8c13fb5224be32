package dev.rollcall.core.config;

import java.time.DateTimeException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Typed reads of environment variables with defaults, shared by every module's config; errors name the variable. */
public final class EnvironmentValues {

    private EnvironmentValues() {
    }

    /** A whole number; blank or absent means {@code defaultValue}. */
    public static int integer(Map<String, String> env, String name, int defaultValue) {
        return parsed(env, name, defaultValue, Integer::parseInt, "a whole number");
    }

    /** A whole number of {@code minimum} or more; blank or absent means {@code defaultValue}. */
    public static int integerAtLeast(Map<String, String> env, String name, int defaultValue, int minimum) {
        int value = integer(env, name, defaultValue);
        if (value < minimum) {
            throw new IllegalArgumentException(name + " must be " + minimum + " or more, got " + value);
        }
        return value;
    }

    /** A whole number of 0 or more; blank or absent means {@code defaultValue}. */
    public static long nonNegativeLong(Map<String, String> env, String name, long defaultValue) {
        long value = parsed(env, name, defaultValue, Long::parseLong, "a whole number");
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be 0 or more, got " + value);
        }
        return value;
    }

    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    /**
     * A duration as every Rollcall variable takes it: ISO-8601 ({@code PT15M}, {@code P7D}) or a whole number with a
     * unit ({@code 500ms}, {@code 90s}, {@code 15m}, {@code 3h}, {@code 31d}), case and surrounding blanks aside.
     *
     * @throws java.time.format.DateTimeParseException when it is neither
     * @throws ArithmeticException when it is too long for a {@link Duration}
     */
    public static Duration parseDuration(String text) {
        String value = text.trim();
        Matcher m = SHORT_DURATION.matcher(value.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return Duration.parse(value.toUpperCase(Locale.ROOT));
        }
        long n;
        try {
            n = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw new ArithmeticException("too long: " + text);
        }
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    /** A duration longer than zero ({@code PT3H}, {@code 3h}; see {@link #parseDuration}); blank or absent means the default. */
    public static Duration positiveDuration(Map<String, String> env, String name, Duration defaultValue) {
        Duration value = parsed(env, name, defaultValue, EnvironmentValues::parseDuration, "a duration such as PT3H or 3h");
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be longer than zero, got " + text(env, name, null));
        }
        return value;
    }

    /** A duration of zero or more ({@code PT0S} or {@code 0s} usually turning something off); blank or absent means the default. */
    public static Duration nonNegativeDuration(Map<String, String> env, String name, Duration defaultValue) {
        Duration value = parsed(env, name, defaultValue, EnvironmentValues::parseDuration, "a duration such as PT1M or 1m");
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + " must be zero or longer, got " + text(env, name, null));
        }
        return value;
    }

    /** The value {@code parse} reads; blank or absent means the default, a refused one fails naming the variable. */
    private static <T> T parsed(Map<String, String> env, String name, T defaultValue, Function<String, T> parse, String expected) {
        String text = text(env, name, null);
        if (text == null) {
            return defaultValue;
        }
        try {
            return parse.apply(text);
        } catch (IllegalArgumentException | DateTimeException | ArithmeticException e) {
            throw new IllegalArgumentException(name + " must be " + expected + ", got '" + env.get(name) + "'", e);
        }
    }

    /** The trimmed value; fails naming the variable and an example when it is blank or absent. */
    public static String required(Map<String, String> env, String name, String example) {
        String text = text(env, name, null);
        if (text == null) {
            throw new IllegalArgumentException(name + " is not set (e.g. " + example + ")");
        }
        return text;
    }

    /** An absolute URL, or empty when blank or absent; fails naming the variable when it is not one. */
    public static java.util.Optional<java.net.URI> optionalUri(Map<String, String> env, String name) {
        String text = text(env, name, null);
        if (text == null) {
            return java.util.Optional.empty();
        }
        try {
            java.net.URI uri = java.net.URI.create(text);
            if (uri.getScheme() != null && uri.getHost() != null) {
                return java.util.Optional.of(uri);
            }
        } catch (IllegalArgumentException e) {
            // reported below, with the variable's name
        }
        throw new IllegalArgumentException(name + " must be an absolute URL, got '" + env.get(name) + "'");
    }

    /** The trimmed value; blank or absent means {@code defaultValue}. */
    public static String text(Map<String, String> env, String name, String defaultValue) {
        String text = env.get(name);
        return text == null || text.isBlank() ? defaultValue : text.trim();
    }
}
