package dev.rollcall.query.params;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;

import dev.rollcall.query.http.ApiError;

/**
 * Dates a client may send: a UTC month ({@code 2026-01}), a UTC day ({@code 2026-01-31}) or an ISO-8601 time with
 * a zone ({@code 2026-01-31T12:00:00Z}, {@code ...+02:00}). A time without a zone is refused rather than guessed:
 * reports that silently shift by a few hours are worse than a 400.
 */
public final class DateParameter {

    public static final String EXAMPLE = "2026-01-01";
    private static final Pattern MONTH = Pattern.compile("\\d{4}-\\d{2}");
    private static final Pattern DAY = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9000-01-01T00:00:00Z");

    private DateParameter() {
    }

    /** The longest text that may be a date: a time with nanoseconds and an offset is 35 characters. */
    public static final int MAX_CHARS = 64;

    /** The instant {@code text} names; a 400 for {@code name} when it is not one of the accepted forms. */
    public static Instant parse(String name, String text) {
        if (text.length() > MAX_CHARS) {
            // Refused before any parsing or pattern: a value of a few hundred kilobytes (a job body has no size
            // limit of API Gateway's) must cost no more than a short one.
            throw ApiError.badParameter(name, name + " " + ApiError.quoted(text) + " is not a date: a date is at most "
                    + MAX_CHARS + " characters, e.g. " + EXAMPLE + " or 2026-01-31T12:00:00Z");
        }
        Instant instant;
        try {
            if (MONTH.matcher(text).matches()) {
                instant = YearMonth.parse(text).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            } else if (DAY.matcher(text).matches()) {
                instant = LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
            } else {
                instant = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
            }
        } catch (DateTimeException e) {
            // A '+' sent unencoded in a query string arrives as a space: the offset of "+02:00" is then " 02:00".
            String plusHint = text.matches(".*T.* \\d{2}:?\\d{2}$") ? "; send the '+' of an offset as %2B"
                    : isLocalTime(text) ? "; this time has no zone: add Z for UTC or its offset, e.g. " + text + "Z" : "";
            throw ApiError.badParameter(name, name + " " + ApiError.quoted(text) + " is not a date: use " + EXAMPLE
                    + " (a UTC day), 2026-01 (a UTC month) or an ISO-8601 time with a zone, e.g. 2026-01-31T12:00:00Z" + plusHint);
        }
        if (instant.isBefore(EARLIEST) || !instant.isBefore(LATEST)) {
            throw ApiError.badParameter(name, name + " " + ApiError.quoted(text) + " is outside 1970-01-01 to 8999-12-31");
        }
        return instant;
    }

    private static boolean isLocalTime(String text) {
        try {
            LocalDateTime.parse(text);
            return true;
        } catch (DateTimeException e) {
            return false;
        }
    }
}
