package dev.rollcall.core.classify;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The value a rule gives {@code service} or {@code environment}: literal text, {@code ${labels.<key>}} for a label of
 * the alert, or {@code ${<group>}} for a named group captured by the rule's regex patterns; mixed freely
 * ({@code "team-${labels.team}"}). When a reference has no value the rule leaves the field as the normalizer set it.
 */
record ValueTemplate(String text, List<Part> parts) {

    private static final String LABELS = "labels.";

    /** A piece of a template. */
    sealed interface Part {
    }

    /** Literal text. */
    record Literal(String text) implements Part {
    }

    /** A label of the alert. */
    record LabelRef(String key) implements Part {
    }

    /** A named group of the rule's regexes. */
    record GroupRef(String group) implements Part {
    }

    /** Parses a template; the message of the exception says what is wrong with it. */
    static ValueTemplate parse(String text) {
        List<Part> parts = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            int open = text.indexOf("${", i);
            if (open < 0) {
                parts.add(new Literal(text.substring(i)));
                break;
            }
            if (open > i) {
                parts.add(new Literal(text.substring(i, open)));
            }
            int close = text.indexOf('}', open);
            if (close < 0) {
                throw new IllegalArgumentException("'" + text + "' has an unclosed ${");
            }
            String ref = text.substring(open + 2, close).trim();
            if (ref.isEmpty() || ref.equals(LABELS.substring(0, LABELS.length() - 1)) || ref.equals(LABELS)) {
                throw new IllegalArgumentException("'" + text + "' has an empty reference");
            }
            parts.add(ref.startsWith(LABELS) ? new LabelRef(ref.substring(LABELS.length())) : new GroupRef(ref));
            i = close + 1;
        }
        return new ValueTemplate(text, List.copyOf(parts));
    }

    /** The groups this template refers to. */
    List<String> groups() {
        return parts.stream().filter(GroupRef.class::isInstance).map(p -> ((GroupRef) p).group()).toList();
    }

    /** The value for an alert, or null when a reference has no value. */
    String resolve(AlertFacts alert, Map<String, String> captures) {
        if (parts.size() == 1 && parts.get(0) instanceof Literal literal) {
            return literal.text();
        }
        StringBuilder value = new StringBuilder();
        for (Part part : parts) {
            String piece = switch (part) {
                case Literal literal -> literal.text();
                case LabelRef label -> alert.labels().get(label.key());
                case GroupRef group -> captures.get(group.group());
            };
            if (piece == null) {
                return null;
            }
            value.append(piece);
        }
        return value.isEmpty() ? null : value.toString();
    }
}
