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

    /** A glob; without wildcards it is an exact comparison and costs no regex. */
    static TextPattern glob(String glob) {
        if (glob.indexOf('*') < 0 && glob.indexOf('?') < 0) {
            return new Exact(glob);
        }
        StringBuilder regex = new StringBuilder(glob.length() + 8);
        StringBuilder literal = new StringBuilder();
        for (char c : glob.toCharArray()) {
            if (c == '*' || c == '?') {
                if (!literal.isEmpty()) {
                    regex.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                regex.append(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        if (!literal.isEmpty()) {
            regex.append(Pattern.quote(literal.toString()));
        }
        return new Glob(glob, Pattern.compile(regex.toString(), Pattern.DOTALL));
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

    /** A glob compiled to a regex. */
    record Glob(String glob, Pattern pattern) implements TextPattern {
        @Override
        public boolean matches(String text, Map<String, String> captures) {
            return pattern.matcher(text).matches();
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
