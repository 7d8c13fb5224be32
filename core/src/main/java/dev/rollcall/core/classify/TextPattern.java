package dev.rollcall.core.classify;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One way a rule matches a text: exactly, by glob ({@code *} any run of characters, {@code ?} one character) or by
 * regular expression (whole text; named groups become captures a rule's service or environment can use).
 * Compiled once when the rules file loads.
 */
sealed interface TextPattern {

    /** Whether the text matches; named groups of a regex are put into {@code captures}. */
    boolean matches(String text, Map<String, String> captures);

    /** Named groups this pattern can capture. */
    default List<String> groupNames() {
        return List.of();
    }

    /** A glob; without wildcards it is an exact comparison. */
    static TextPattern glob(String glob) {
        if (glob.indexOf('*') < 0 && glob.indexOf('?') < 0) {
            return new Exact(glob);
        }
        return new Glob(glob, List.of(glob.split("\\*", -1)));
    }

    /** A regular expression matched against the whole text. */
    static TextPattern regex(String regex) throws PatternSyntaxException {
        Pattern pattern = Pattern.compile(regex);
        return new Regex(pattern, List.copyOf(pattern.namedGroups().keySet()));
    }

    /** Equal text. */
    record Exact(String value) implements TextPattern {
        @Override
        public boolean matches(String text, Map<String, String> captures) {
            return value.equals(text);
        }
    }

    /**
     * A glob matched segment by segment, the runs between its stars each taken at the leftmost place they fit. A
     * regex of {@code .*} runs backtracks: two stars against a long title a sender controls cost quadratic time, a
     * 40,000-character text 0.5 s for one rule. Leftmost is enough since each segment matches a fixed number of code
     * points, so an earlier start never ends later. {@code ?} is one code point, as a regex's {@code .} was.
     *
     * @param segments the glob split at its stars (empty segments kept): the first must start the text, the last end it
     */
    record Glob(String glob, List<String> segments) implements TextPattern {
        @Override
        public boolean matches(String text, Map<String, String> captures) {
            String first = segments.getFirst();
            int at = matchAt(first, text, 0);
            if (segments.size() == 1) {
                return at == text.length();
            }
            if (at < 0) {
                return false;
            }
            String last = segments.getLast();
            int lastStart = startOfLast(last, text, at);
            if (lastStart < 0 || matchAt(last, text, lastStart) != text.length()) {
                return false;
            }
            for (int i = 1; i < segments.size() - 1 && at >= 0; i++) {
                at = leftmostEnd(segments.get(i), text, at, lastStart);
            }
            return at >= 0;
        }

        /** Where {@code segment} ends when it matches at {@code from}, else -1. */
        private static int matchAt(String segment, String text, int from) {
            int t = from;
            for (int s = 0; s < segment.length(); ) {
                if (t >= text.length()) {
                    return -1;
                }
                int wanted = segment.codePointAt(s);
                int found = text.codePointAt(t);
                if (wanted != '?' && wanted != found) {
                    return -1;
                }
                s += Character.charCount(wanted);
                t += Character.charCount(found);
            }
            return t;
        }

        /** Where the last segment must start to end the text, or -1 when it would start before {@code notBefore}. */
        private static int startOfLast(String last, String text, int notBefore) {
            int codePoints = last.codePointCount(0, last.length());
            int start = text.length();
            for (int i = 0; i < codePoints; i++) {
                if (start <= notBefore) {
                    return -1;
                }
                start = text.offsetByCodePoints(start, -1);
            }
            return start >= notBefore ? start : -1;
        }

        /** The end of the leftmost match of {@code segment} in [from, limit), else -1. */
        private static int leftmostEnd(String segment, String text, int from, int limit) {
            if (segment.isEmpty()) {
                return from;
            }
            int literalEnd = segment.indexOf('?');
            String literal = literalEnd < 0 ? segment : segment.substring(0, literalEnd);
            for (int start = from; start < limit; ) {
                if (!literal.isEmpty()) {
                    // The part before the first '?' is found by indexOf, so the common star-literal-star glob is linear.
                    start = text.indexOf(literal, start);
                    if (start < 0 || start >= limit) {
                        return -1;
                    }
                }
                int end = matchAt(segment, text, start);
                if (end >= 0) {
                    return end <= limit ? end : -1;
                }
                start += Character.charCount(text.codePointAt(start));
            }
            return -1;
        }
    }

    /** A regex with its named groups. */
    record Regex(Pattern pattern, List<String> groupNames) implements TextPattern {
        @Override
        public boolean matches(String text, Map<String, String> captures) {
            Matcher matcher = pattern.matcher(text);
            if (!matcher.matches()) {
                return false;
            }
            for (String group : groupNames) {
                String value = matcher.group(group);
                if (value != null) {
                    captures.put(group, value);
                }
            }
            return true;
        }
    }
}
