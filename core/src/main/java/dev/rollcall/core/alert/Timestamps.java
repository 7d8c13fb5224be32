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
import java.time.temporal.ChronoField;
import java.util.Optional;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Parses the timestamps sources send into UTC instants: ISO-8601 with any fraction and {@code Z}, {@code +0000} or
 * {@code +01:00}; RFC 1123; epoch seconds, milliseconds, microseconds or nanoseconds as numbers or strings.
 */
public final class Timestamps {

    // Epoch values are told apart by magnitude: seconds stay below 1e11 until the year 5138.
    private static final BigDecimal SECONDS_LIMIT = new BigDecimal("1e11");
    private static final BigDecimal MILLIS_LIMIT = new BigDecimal("1e14");
    private static final BigDecimal MICROS_LIMIT = new BigDecimal("1e17");
    private static final Pattern NUMERIC = Pattern.compile("[+-]?\\d+(\\.\\d+)?([eE][+-]?\\d+)?");

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
            .toFormatter();

    private Timestamps() {
    }

    /** Parses a JSON value (string or number); empty when it is missing, null or not a time. */
    public static Optional<Instant> parse(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return Optional.empty();
        }
        if (node.isNumber()) {
            return fromEpoch(node.isIntegralNumber() ? new BigDecimal(node.bigIntegerValue()) : node.decimalValue());
        }
        return node.isTextual() ? parse(node.asText()) : Optional.empty();
    }

    /** Parses text; empty when it is blank or in no known format. */
    public static Optional<Instant> parse(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        String value = text.trim();
        if (NUMERIC.matcher(value).matches()) {
            return fromEpoch(new BigDecimal(value));
        }
        try {
            var parsed = ISO_FLEXIBLE.parseBest(value, OffsetDateTime::from, LocalDateTime::from);
            // A time without an offset is taken as UTC, which is what every source we know means by it.
            return Optional.of(parsed instanceof OffsetDateTime odt ? odt.toInstant() : ((LocalDateTime) parsed).toInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException ignored) {
            // not ISO; try RFC 1123 below
        }
        try {
            return Optional.of(OffsetDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** Like {@link #parse(String)} but fails with a message naming the field. */
    public static Instant require(String text, String field) {
        return parse(text).orElseThrow(() -> new IllegalArgumentException(
                field + " '" + text + "' is not a timestamp (ISO-8601, RFC 1123 or epoch seconds/ms/ns)"));
    }

    private static Optional<Instant> fromEpoch(BigDecimal value) {
        BigDecimal abs = value.abs();
        BigDecimal nanos;
        if (abs.compareTo(SECONDS_LIMIT) < 0) {
            nanos = value.movePointRight(9);
        } else if (abs.compareTo(MILLIS_LIMIT) < 0) {
            nanos = value.movePointRight(6);
        } else if (abs.compareTo(MICROS_LIMIT) < 0) {
            nanos = value.movePointRight(3);
        } else {
            nanos = value;
        }
        try {
            BigInteger[] parts = nanos.toBigInteger().divideAndRemainder(BigInteger.valueOf(1_000_000_000L));
            long seconds = parts[0].longValueExact();
            long rest = parts[1].longValue();
            return Optional.of(Instant.ofEpochSecond(seconds, rest));
        } catch (ArithmeticException | DateTimeException e) {
            return Optional.empty();
        }
    }
}
