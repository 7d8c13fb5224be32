package dev.rollcall.core.normalize;

import java.util.Locale;

import dev.rollcall.core.alert.Severity;

/** Maps the severity words and priorities sources use (critical, error, warning, P2, sev3, ...) onto Rollcall's scale. */
final class SeverityWords {

    private SeverityWords() {
    }

    /** The severity a word means, or {@code fallback} when the word is absent or unknown. */
    static Severity of(String word, Severity fallback) {
        if (word == null) {
            return fallback;
        }
        return switch (word.trim().toLowerCase(Locale.ROOT)) {
            case "critical", "crit", "fatal", "emergency", "emerg", "alert", "disaster", "page", "p1", "sev1", "sev-1", "s1" ->
                    Severity.CRITICAL;
            case "high", "error", "err", "major", "severe", "p2", "sev2", "sev-2", "s2" -> Severity.HIGH;
            case "medium", "moderate", "warning", "warn", "average", "p3", "sev3", "sev-3", "s3" -> Severity.MEDIUM;
            case "low", "minor", "p4", "sev4", "sev-4", "s4" -> Severity.LOW;
            case "info", "informational", "information", "notice", "debug", "none", "ok", "success", "p5", "sev5", "sev-5", "s5" ->
                    Severity.INFO;
            default -> fallback;
        };
    }
}
