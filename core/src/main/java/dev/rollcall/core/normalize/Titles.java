package dev.rollcall.core.normalize;

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
     * A monitor title without the bracketed prefixes tools put before it: {@code "[P1] [Triggered on {host:a}] CPU high"}
     * becomes {@code "CPU high"}, the stable name of the alert.
     */
    static String withoutBracketPrefixes(String title) {
        if (title == null) {
            return null;
        }
        String rest = title.strip();
        while (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            if (close < 0) {
                break;
            }
            rest = rest.substring(close + 1).strip();
        }
        return rest.isEmpty() ? title.strip() : rest;
    }
}
