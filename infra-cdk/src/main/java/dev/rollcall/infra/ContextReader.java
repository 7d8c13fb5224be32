package dev.rollcall.infra;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import software.constructs.Node;

/**
 * Typed reads of CDK context values ({@code -c key=value} or cdk.json): values from the command line arrive as
 * text, values from cdk.json as JSON numbers and booleans; either way a wrong value fails the synth with a message
 * that names its key.
 */
final class ContextReader {

    private final Node node;

    ContextReader(Node node) {
        this.node = node;
    }

    Optional<String> optional(String key) {
        Object value = node.tryGetContext(key);
        if (value == null) {
            return Optional.empty();
        }
        String text = value.toString().strip();
        return text.isEmpty() ? Optional.empty() : Optional.of(text);
    }

    String text(String key, String defaultValue) {
        return optional(key).orElse(defaultValue);
    }

    String matching(String key, String defaultValue, Pattern pattern, String expected) {
        String value = text(key, defaultValue);
        if (!pattern.matcher(value).matches()) {
            throw invalid(key, value, expected);
        }
        return value;
    }

    Optional<String> optionalMatching(String key, Pattern pattern, String expected) {
        Optional<String> value = optional(key);
        value.ifPresent(v -> {
            if (!pattern.matcher(v).matches()) {
                throw invalid(key, v, expected);
            }
        });
        return value;
    }

    int integer(String key, int defaultValue, int min, int max) {
        Optional<String> text = optional(key);
        if (text.isEmpty()) {
            return defaultValue;
        }
        int value;
        try {
            value = new java.math.BigDecimal(text.get()).intValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            throw invalid(key, text.get(), "a whole number from " + min + " to " + max);
        }
        if (value < min || value > max) {
            throw invalid(key, text.get(), "a whole number from " + min + " to " + max);
        }
        return value;
    }

    int oneOf(String key, int defaultValue, Set<Integer> allowed) {
        int value = integer(key, defaultValue, Integer.MIN_VALUE, Integer.MAX_VALUE);
        if (!allowed.contains(value)) {
            throw invalid(key, Integer.toString(value), "one of " + new java.util.TreeSet<>(allowed));
        }
        return value;
    }

    boolean bool(String key, boolean defaultValue) {
        Optional<String> text = optional(key);
        if (text.isEmpty()) {
            return defaultValue;
        }
        return switch (text.get().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw invalid(key, text.get(), "true or false");
        };
    }

    private static IllegalArgumentException invalid(String key, String value, String expected) {
        return new IllegalArgumentException("context value " + key + "='" + value + "' is invalid: expected " + expected);
    }
}
