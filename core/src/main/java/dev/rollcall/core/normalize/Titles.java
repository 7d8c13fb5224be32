package dev.rollcall.core.normalize;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

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
     * Bracketed prefixes read at most: tools put two or three before a title. A title of thousands of them (a webhook
     * body is anyone's with a token) keeps the rest as its name instead of costing time for each.
     */
    static final int MAX_PREFIXES = 16;

    /**
     * A monitor title without the bracketed prefixes its tool put before it: {@code "[P1] [Triggered on {host:a}] CPU
     * high"} becomes {@code "CPU high"}, the stable name of the alert. Only prefixes {@code isToolPrefix} accepts go,
     * up to the first it does not: {@code "[Triggered] [prod] Checkout 5xx"} keeps {@code "[prod] Checkout 5xx"}, the
     * monitor's own name, or prod's and staging's monitors of one name would be one alert.
     */
    static String withoutBracketPrefixes(String title, Predicate<String> isToolPrefix) {
        return title == null ? null : Bracketed.of(title, isToolPrefix).rest();
    }

    /** The texts in a title's bracketed prefixes, in order: {@code "[P1] [Triggered] CPU high"} gives P1, Triggered. */
    static List<String> bracketPrefixes(String title) {
        return title == null ? List.of() : Bracketed.of(title, prefix -> true).prefixes();
    }

    /**
     * A title split into its leading {@code [...]} prefixes that {@code accepted} takes, at most {@link #MAX_PREFIXES},
     * and the rest (the whole title when nothing follows). Walked by index, so a long title costs its length once.
     */
    private record Bracketed(List<String> prefixes, String rest) {

        static Bracketed of(String title, Predicate<String> accepted) {
            String stripped = title.strip();
            List<String> prefixes = new ArrayList<>();
            int at = 0;
            while (prefixes.size() < MAX_PREFIXES && at < stripped.length() && stripped.charAt(at) == '[') {
                int close = stripped.indexOf(']', at);
                if (close < 0) {
                    break;
                }
                String prefix = stripped.substring(at + 1, close).strip();
                if (!accepted.test(prefix)) {
                    break;
                }
                prefixes.add(prefix);
                at = close + 1;
                while (at < stripped.length() && Character.isWhitespace(stripped.charAt(at))) {
                    at++;
                }
            }
            String rest = stripped.substring(at);
            return new Bracketed(List.copyOf(prefixes), rest.isEmpty() ? stripped : rest);
        }
    }
}
