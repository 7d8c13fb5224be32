package dev.rollcall.core.normalize;

import java.util.ArrayList;
import java.util.List;

/** Human one-liners made of the long texts sources send (descriptions, messages, stop reasons). */
final class Titles {

    private static final int LIMIT = 300;

    private Titles() {
    }

    /** The first non-blank line, shortened to fit a title; {@code fallback} when there is none. */
    static String firstLine(String text, String fallback) {
        if (text == null) {
            return fallback;
        }
        for (String line : text.split("\\R")) {
            String trimmed = line.strip();
            if (!trimmed.isEmpty()) {
                return trimmed.length() <= LIMIT ? trimmed : trimmed.substring(0, LIMIT - 1) + "…";
            }
        }
        return fallback;
    }

    /**
     * A monitor title without the bracketed prefixes its tool put before it: {@code "[P1] [Triggered on {host:a}] CPU
     * high"} becomes {@code "CPU high"}, the stable name of the alert. Only prefixes {@code isToolPrefix} accepts go,
     * up to the first it does not: {@code "[Triggered] [prod] Checkout 5xx"} keeps {@code "[prod] Checkout 5xx"}, the
     * monitor's own name, or prod's and staging's monitors of one name would be one alert.
     */
    static String withoutBracketPrefixes(String title, java.util.function.Predicate<String> isToolPrefix) {
        if (title == null) {
            return null;
        }
        String rest = title.strip();
        while (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            if (close < 0 || !isToolPrefix.test(rest.substring(1, close).strip())) {
                break;
            }
            rest = rest.substring(close + 1).strip();
        }
        return rest.isEmpty() ? title.strip() : rest;
    }

    /** The texts in a title's bracketed prefixes, in order: {@code "[P1] [Triggered] CPU high"} gives P1, Triggered. */
    static List<String> bracketPrefixes(String title) {
        return title == null ? List.of() : Bracketed.of(title).prefixes();
    }

    /** A title split into its leading {@code [...]} prefixes and the rest (the whole title when nothing follows). */
    private record Bracketed(List<String> prefixes, String rest) {

        static Bracketed of(String title) {
            List<String> prefixes = new ArrayList<>();
            String rest = title.strip();
            while (rest.startsWith("[")) {
                int close = rest.indexOf(']');
                if (close < 0) {
                    break;
                }
                prefixes.add(rest.substring(1, close).strip());
                rest = rest.substring(close + 1).strip();
            }
            return new Bracketed(List.copyOf(prefixes), rest.isEmpty() ? title.strip() : rest);
        }
    }
}
