package dev.rollcall.core.alert;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** The one JSON mapping of Rollcall documents: snake_case fields, ISO-8601 UTC times, exact numbers. */
public final class AlertJson {

    /**
     * Deepest nesting accepted in a payload from outside. Jackson reads and writes 1,000 levels; the alert document
     * holds a payload one level deeper, so a payload of exactly 1,000 levels would parse and then fail to serialize.
     * Half that leaves room for the document and any envelope around it, and no real alert comes near it.
     */
    public static final int PAYLOAD_DEPTH = 500;

    private static final ObjectMapper MAPPER = newMapper();
    private static final String NOT_UTF8 = "JSON must be UTF-8 (RFC 8259)";
    private static final Pattern START_MARKER = Pattern.compile("\\(start marker at \\[Source: .*?; line: (\\d+), column: (\\d+)\\]\\)");
    private static final Pattern SOURCE_LOCATION = Pattern.compile("\\[Source: .*?; line: (\\d+), column: (\\d+)\\]");
    private static final Pattern CONSTRAINT_SETTING = Pattern.compile(", from `[A-Za-z.]+\\(\\)`");
    private static final ObjectMapper PAYLOADS = configure(JsonMapper.builder(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(PAYLOAD_DEPTH).build()).build()));

    private AlertJson() {
    }

    /** A mapper configured the Rollcall way; shared instances are thread-safe once configured. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** A fresh mapper with the same configuration. */
    public static ObjectMapper newMapper() {
        return configure(JsonMapper.builder());
    }

    private static ObjectMapper configure(JsonMapper.Builder builder) {
        return builder
                .addModule(new JavaTimeModule())
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                // Source payloads carry ids and amounts past 2^53; doubles would silently change their digits.
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                // Concatenated or NDJSON bodies are refused whole instead of silently keeping only their first value.
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                .build();
    }

    public static byte[] toBytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String toJson(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads an alert document; missing required fields fail with the field's name. */
    public static Alert readAlert(String json) {
        try {
            return MAPPER.readValue(json, Alert.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("not an alert document: " + rootCause(e), e);
        }
    }

    /** Parses JSON text, with a short message (no stack trace needed) when it is malformed. */
    public static JsonNode readTree(String json) {
        return read(MAPPER, json);
    }

    public static JsonNode readTree(byte[] json) {
        return read(MAPPER, json);
    }

    /**
     * Parses a payload from outside (a webhook body, a queue message, an event, JSON inside one of them) like
     * {@link #readTree(String)}, refusing nesting deeper than {@value #PAYLOAD_DEPTH} levels as malformed, so that
     * whatever is accepted can also be stored.
     */
    public static JsonNode readPayload(String json) {
        return read(PAYLOADS, json);
    }

    public static JsonNode readPayload(byte[] json) {
        if (json != null) {
            requireWellFormedUtf8(json);
        }
        return read(PAYLOADS, json);
    }

    private static JsonNode read(ObjectMapper mapper, String json) {
        if (json == null || json.isBlank()) {
            throw new MalformedJsonException("empty body", null);
        }
        try {
            return nonEmpty(mapper.readTree(json));
        } catch (JsonProcessingException e) {
            throw new MalformedJsonException(problemOf(e, mapper) + locationOf(e), e);
        }
    }

    private static JsonNode read(ObjectMapper mapper, byte[] json) {
        if (json == null || json.length == 0) {
            throw new MalformedJsonException("empty body", null);
        }
        if (!utf8(json)) {
            throw new MalformedJsonException(NOT_UTF8, null);
        }
        try {
            return nonEmpty(mapper.readTree(json));
        } catch (JsonProcessingException e) {
            throw new MalformedJsonException(problemOf(e, mapper) + locationOf(e), e);
        } catch (IOException e) {
            // Nothing is read from a device here: whatever Jackson could not decode is the sender's bytes.
            throw new MalformedJsonException(NOT_UTF8 + " (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Refuses bytes that are not well-formed UTF-8, before Jackson reads them. Jackson's byte reader lets overlong
     * forms ({@code C0 BC} for {@code <}) through as the character they spell, while the text sent on (the queue
     * message, the stored raw) decodes them as U+FFFD: the body would be accepted and kept altered, and grow past the
     * size it was checked at. Checked in slices, so a large body is not copied.
     */
    private static void requireWellFormedUtf8(byte[] json) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(json);
        CharBuffer slice = CharBuffer.allocate(Math.min(json.length, 8_192) + 1);
        CoderResult result;
        do {
            slice.clear();
            result = decoder.decode(in, slice, true);
        } while (result.isOverflow());
        if (!result.isError()) {
            slice.clear();
            result = decoder.flush(slice);
        }
        if (result.isError()) {
            throw new MalformedJsonException(NOT_UTF8 + ": the bytes at offset " + in.position() + " are no UTF-8 character", null);
        }
    }

    /**
     * Whether the bytes may be UTF-8 JSON. Jackson would also take UTF-16 and UTF-32, detected by a byte order mark or
     * by zero bytes among the first four, which UTF-8 JSON never has: a body in them is refused as a client error
     * rather than read in an encoding nothing downstream (the queue, OpenSearch) keeps.
     */
    private static boolean utf8(byte[] json) {
        if (json.length >= 2 && ((json[0] == (byte) 0xFE && json[1] == (byte) 0xFF) || (json[0] == (byte) 0xFF && json[1] == (byte) 0xFE))) {
            return false;
        }
        for (int i = 0; i < Math.min(4, json.length); i++) {
            if (json[i] == 0) {
                return false;
            }
        }
        return true;
    }

    private static JsonNode nonEmpty(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            throw new MalformedJsonException("empty body", null);
        }
        return node;
    }

    /**
     * {@code object}'s fields in their order with {@code field}'s list holding only {@code entries}. Shallow: the
     * other fields are shared, not copied, so taking a part for each of N entries costs N small objects, not N copies.
     */
    public static ObjectNode withList(JsonNode object, String field, List<JsonNode> entries) {
        ObjectNode copy = MAPPER.createObjectNode();
        object.properties().forEach(e -> {
            if (e.getKey().equals(field)) {
                copy.putArray(field).addAll(entries);
            } else {
                copy.set(e.getKey(), e.getValue());
            }
        });
        return copy;
    }

    /** Jackson's words, except where it describes the problem in terms of its own API: a second value, too deep a nesting. */
    private static String problemOf(JsonProcessingException e, ObjectMapper mapper) {
        if (e instanceof StreamConstraintsException && e.getOriginalMessage() != null && e.getOriginalMessage().contains("nesting depth")) {
            return "nested deeper than " + mapper.getFactory().streamReadConstraints().getMaxNestingDepth() + " levels";
        }
        String original = e.getOriginalMessage();
        return original != null && original.startsWith("Trailing token") ? "more than one JSON value (send one event per message)" : withoutParserTerms(original);
    }

    /**
     * Jackson's message in the sender's terms: where an unclosed object or array began, not the parser's source
     * description ({@code [Source: REDACTED (`StreamReadFeature...` disabled); line: 1, column: 1]}), and a limit
     * without the name of the setting behind it.
     */
    static String withoutParserTerms(String message) {
        if (message == null) {
            return null;
        }
        String opened = START_MARKER.matcher(message).replaceAll("(opened at line $1, column $2)");
        String located = SOURCE_LOCATION.matcher(opened).replaceAll("line $1, column $2");
        return CONSTRAINT_SETTING.matcher(located).replaceAll("");
    }

    private static String locationOf(JsonProcessingException e) {
        return e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
    }

    private static String rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage();
    }

    /** Input that is not valid JSON. */
    public static final class MalformedJsonException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        MalformedJsonException(String message, Throwable cause) {
            super("malformed JSON: " + message, cause);
        }
    }
}
