package dev.rollcall.core.alert;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Parses the timestamps sources send into UTC instants: ISO-8601 with any fraction and {@code Z}, {@code +0000} or
 * {@code +01:00}; RFC 1123; epoch seconds, milliseconds, microseconds or nanoseconds as numbers or strings; and the
 * English medium form Amazon Inspector and Systems Manager events use ({@code Jan 19, 2023, 10:46:15 PM}, UTC).
 */
public final class Timestamps {

    // Epoch values are told apart by magnitude: seconds stay below 1e11 until the year 5138.
    private static final long SECONDS_LIMIT = 100_000_000_000L;
    private static final long MILLIS_LIMIT = 100_000_000_000_000L;
    private static final long MICROS_LIMIT = 100_000_000_000_000_000L;
    private static final BigDecimal SECONDS_LIMIT_EXACT = BigDecimal.valueOf(SECONDS_LIMIT);
    private static final BigDecimal MILLIS_LIMIT_EXACT = BigDecimal.valueOf(MILLIS_LIMIT);
    private static final BigDecimal MICROS_LIMIT_EXACT = BigDecimal.valueOf(MICROS_LIMIT);
    private static final BigInteger NANOS_PER_SECOND = BigInteger.valueOf(1_000_000_000L);
    /** Longer numeric text is no epoch value in any unit (nanoseconds with a long fraction fit well within it). */
    private static final int MAX_EPOCH_TEXT = 40;

    /** What {@link #parseIsoDateTime} takes: one separator, at most one offset. */
    private static final Pattern RFC_3339_SHAPE = Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}[Tt ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?([Zz]|[+-]\\d{2}:?\\d{2})?");
    private static final DateTimeFormatter ISO_FLEXIBLE = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .optionalStart().appendLiteral('T').optionalEnd()
            .optionalStart().appendLiteral(' ').optionalEnd()
            .appendValue(ChronoField.HOUR_OF_DAY, 2).appendLiteral(':')
            .appendValue(ChronoField.MINUTE_OF_HOUR, 2)
            .optionalStart().appendLiteral(':').appendValue(ChronoField.SECOND_OF_MINUTE, 2).optionalEnd()
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .optionalStart().appendOffset("+HH:MM:ss", "Z").optionalEnd()
            .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HH", "Z").optionalEnd()
            // Strict: the default would turn February 30 into February 28 instead of rejecting it.
            .toFormatter().withResolverStyle(ResolverStyle.STRICT);

    /**
     * RFC 1123 without its day of week ({@code 05 Jun 2016 15:10:09 GMT}): the weekday is dropped before parsing,
     * because published AWS Health samples carry wrong ones and the date alone says when.
     */
    private static final DateTimeFormatter RFC_1123_WITHOUT_WEEKDAY = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .appendPattern("d MMM uuuu HH:mm")
            .optionalStart().appendPattern(":ss").optionalEnd()
            .appendLiteral(' ')
            .appendOffset("+HHMM", "GMT")
            .toFormatter(Locale.ENGLISH);

    /** Inspector2 ({@code Jan 19, 2023, 10:46:15 PM}) and SSM ({@code Nov 29, 2024 7:43:25 PM}) events; always UTC. */
    private static final DateTimeFormatter ENGLISH_MEDIUM = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .appendPattern("MMM d, uuuu")
            .optionalStart().appendLiteral(',').optionalEnd()
            .appendPattern(" h:mm:ss a")
            .toFormatter(Locale.ENGLISH);

    private Timestamps() {
    }

    /** Parses a JSON value (string or number); empty when it is missing, null or not a time. */
    public static Optional<Instant> parse(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return Optional.empty();
        }
        if (node.isIntegralNumber()) {
            return node.canConvertToLong() ? fromEpoch(node.longValue()) : fromEpoch(new BigDecimal(node.bigIntegerValue()));
        }
        if (node.isNumber()) {
            return fromEpoch(node.decimalValue());
        }
        return node.isTextual() ? parse(node.asText()) : Optional.empty();
    }

    /** Parses text; empty when it is blank or in no known format. */
    public static Optional<Instant> parse(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        String value = text.trim();
        if (isNumeric(value)) {
            if (value.length() > MAX_EPOCH_TEXT) {
                return Optional.empty();
            }
            if (value.length() <= 18 && value.indexOf('.') < 0 && value.indexOf('e') < 0 && value.indexOf('E') < 0) {
                return fromEpoch(Long.parseLong(value));
            }
            try {
                return fromEpoch(new BigDecimal(value));
            } catch (NumberFormatException e) {
                // An exponent past what BigDecimal holds ("1e9999999999") is no time either.
                return Optional.empty();
            }
        }
        Instant fast = parseCommonIso(value);
        if (fast != null) {
            return Optional.of(fast);
        }
        Optional<Instant> slow = parseIsoOrRfc1123(value);
        if (slow.isEmpty() && value.contains(": ")) {
            // AWS's published alarm Lambda-action samples write times as "12: 36: 15.490+0000".
            return parseIsoOrRfc1123(value.replace(": ", ":"));
        }
        return slow;
    }

    /** Like {@link #parse(String)} but fails with a message naming the field. */
    public static Instant require(String text, String field) {
        return parse(text).orElseThrow(() -> new IllegalArgumentException(
                field + " '" + text + "' is not a timestamp (ISO-8601, RFC 1123 or epoch seconds/ms/ns)"));
    }

    /**
     * An ISO-8601 / RFC 3339 date and time only ({@code T} or a space, an offset as {@code Z}, {@code +HH:MM},
     * {@code +HHMM} or none for UTC): for values a person types, where a number or another form is more likely a
     * mistake than a time. Empty when it is none.
     */
    public static Optional<Instant> parseIsoDateTime(String text) {
        String value = text.trim();
        // ISO_FLEXIBLE, lenient for what senders write, would also take no separator or two offsets.
        if (!RFC_3339_SHAPE.matcher(value).matches()) {
            return Optional.empty();
        }
        return parseFlexibleIso(value);
    }

    private static Optional<Instant> parseFlexibleIso(String value) {
        try {
            var parsed = ISO_FLEXIBLE.parseBest(value, OffsetDateTime::from, LocalDateTime::from);
            // A time without an offset is taken as UTC, which is what every source we know means by it.
            return Optional.of(parsed instanceof OffsetDateTime odt ? odt.toInstant() : ((LocalDateTime) parsed).toInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException notIso) {
            return Optional.empty();
        }
    }

    private static Optional<Instant> parseIsoOrRfc1123(String value) {
        Optional<Instant> iso = parseFlexibleIso(value);
        if (iso.isPresent()) {
            return iso;
        }
        try {
            String withoutWeekday = value.length() > 5 && value.charAt(3) == ',' ? value.substring(4).strip() : value;
            return Optional.of(OffsetDateTime.parse(withoutWeekday, RFC_1123_WITHOUT_WEEKDAY).toInstant());
        } catch (DateTimeParseException ignored) {
            // not RFC 1123; try the English medium form below
        }
        try {
            return Optional.of(LocalDateTime.parse(value, ENGLISH_MEDIUM).toInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /**
     * The shape nearly every source sends, {@code yyyy-MM-ddTHH:mm:ss[.f...][Z|±HH[:]MM|±HH]}, read without the
     * formatter machinery: it is on the hot path of every event. Null when the text has any other shape.
     */
    private static Instant parseCommonIso(String s) {
        int n = s.length();
        if (n < 19 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(13) != ':' || s.charAt(16) != ':') {
            return null;
        }
        char t = s.charAt(10);
        if (t != 'T' && t != 't' && t != ' ') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if ((year | month | day | hour | minute | second) < 0) {
            return null;
        }
        int i = 19;
        int nanos = 0;
        if (i < n && s.charAt(i) == '.') {
            int start = ++i;
            while (i < n && isDigit(s.charAt(i))) {
                if (i - start < 9) {
                    nanos = nanos * 10 + (s.charAt(i) - '0');
                }
                i++;
            }
            int count = i - start;
            if (count == 0) {
                return null;
            }
            for (int k = count; k < 9; k++) {
                nanos *= 10;
            }
        }
        int offsetSeconds;
        if (i == n) {
            offsetSeconds = 0;
        } else {
            char c = s.charAt(i);
            if ((c == 'Z' || c == 'z') && i + 1 == n) {
                offsetSeconds = 0;
            } else if (c == '+' || c == '-') {
                offsetSeconds = offsetSeconds(s, i + 1);
                if (offsetSeconds == Integer.MIN_VALUE) {
                    return null;
                }
                offsetSeconds = c == '-' ? -offsetSeconds : offsetSeconds;
            } else {
                return null;
            }
        }
        try {
            return LocalDateTime.of(year, month, day, hour, minute, second, nanos)
                    .toInstant(ZoneOffset.ofTotalSeconds(offsetSeconds));
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** Reads {@code HH}, {@code HHMM} or {@code HH:MM} to the end of the text; MIN_VALUE when it is none of them. */
    private static int offsetSeconds(String s, int from) {
        int rest = s.length() - from;
        int hours = rest >= 2 ? digits(s, from, 2) : -1;
        int minutes;
        if (rest == 2) {
            minutes = 0;
        } else if (rest == 4) {
            minutes = digits(s, from + 2, 2);
        } else if (rest == 5 && s.charAt(from + 2) == ':') {
            minutes = digits(s, from + 3, 2);
        } else {
            return Integer.MIN_VALUE;
        }
        return hours < 0 || minutes < 0 || hours > 18 || minutes > 59 ? Integer.MIN_VALUE : hours * 3600 + minutes * 60;
    }

    private static int digits(String s, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (!isDigit(c)) {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** Whether the text is a plain decimal number, optionally signed, with a fraction or an exponent. */
    private static boolean isNumeric(String s) {
        int i = 0;
        int n = s.length();
        if (s.charAt(0) == '+' || s.charAt(0) == '-') {
            i++;
        }
        int intDigits = 0;
        while (i < n && isDigit(s.charAt(i))) {
            i++;
            intDigits++;
        }
        if (intDigits == 0) {
            return false;
        }
        if (i < n && s.charAt(i) == '.') {
            int start = ++i;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
            }
            if (i == start) {
                return false;
            }
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int start = i;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
            }
            if (i == start) {
                return false;
            }
        }
        return i == n;
    }

    private static Optional<Instant> fromEpoch(long value) {
        long abs = Math.abs(value);
        try {
            if (abs < SECONDS_LIMIT) {
                return Optional.of(Instant.ofEpochSecond(value));
            } else if (abs < MILLIS_LIMIT) {
                return Optional.of(Instant.ofEpochMilli(value));
            } else if (abs < MICROS_LIMIT) {
                return Optional.of(Instant.ofEpochSecond(Math.floorDiv(value, 1_000_000L), Math.floorMod(value, 1_000_000L) * 1_000L));
            }
            return Optional.of(Instant.ofEpochSecond(Math.floorDiv(value, 1_000_000_000L), Math.floorMod(value, 1_000_000_000L)));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<Instant> fromEpoch(BigDecimal value) {
        // Checked before scaling, since 1e600000000 and 1e-600000000 are a few bytes of JSON and minutes of
        // arithmetic: integer digits past any epoch in nanoseconds (19) are no time, and neither is a value too
        // small to be one at all.
        long magnitude = (long) value.precision() - value.scale();
        if (magnitude > 30 || magnitude < -30) {
            return Optional.empty();
        }
        BigDecimal abs = value.abs();
        BigDecimal nanos;
        if (abs.compareTo(SECONDS_LIMIT_EXACT) < 0) {
            nanos = value.movePointRight(9);
        } else if (abs.compareTo(MILLIS_LIMIT_EXACT) < 0) {
            nanos = value.movePointRight(6);
        } else if (abs.compareTo(MICROS_LIMIT_EXACT) < 0) {
            nanos = value.movePointRight(3);
        } else {
            nanos = value;
        }
        try {
            BigInteger[] parts = nanos.toBigInteger().divideAndRemainder(NANOS_PER_SECOND);
            long seconds = parts[0].longValueExact();
            long rest = parts[1].longValue();
            return Optional.of(Instant.ofEpochSecond(seconds, rest));
        } catch (ArithmeticException | DateTimeException e) {
            return Optional.empty();
        }
    }
}
