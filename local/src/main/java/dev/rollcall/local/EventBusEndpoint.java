package dev.rollcall.local;

import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

import software.amazon.event.ruler.Machine;

import dev.rollcall.core.alert.AlertJson;
import dev.rollcall.core.alert.Timestamps;
import dev.rollcall.core.routing.EventPatterns;

/**
 * An EventBridge-compatible {@code PutEvents} endpoint (AWS JSON 1.1, so the AWS CLI and SDKs work with
 * {@code --endpoint-url}). Each entry becomes an EventBridge event, is matched with AWS's own event-ruler against
 * the same patterns as the CDK rules, and is delivered asynchronously to the target function (see
 * {@link AsyncInvocations}: Lambda's retries, then the function's failure destination). Unlike AWS, sources
 * starting with {@code aws.} are accepted, so real sample events can be replayed.
 */
final class EventBusEndpoint extends HttpEndpoint {

    private static final Logger LOG = LogManager.getLogger(EventBusEndpoint.class);
    private static final int MAX_ENTRIES = 10;
    /** EventBridge's limit on the entries of one request together, counted as {@link #entrySize} counts them. */
    static final int MAX_ENTRIES_BYTES = 256 * 1024;
    /** The request itself, with room for the JSON escaping of the entries' Detail strings; a bound on memory, no more. */
    static final int MAX_BODY_BYTES = 4 * 1024 * 1024;
    private final Machine machine = Machine.builder().build();
    private final AsyncInvocations invocations;
    private final String target;

    EventBusEndpoint(int port, AsyncInvocations invocations, String target) {
        super(port, "--events-port", MAX_BODY_BYTES);
        this.invocations = invocations;
        this.target = target;
        for (EventPatterns.NamedPattern pattern : EventPatterns.all()) {
            try {
                machine.addRule(pattern.name(), pattern.patternJson());
            } catch (IOException e) {
                throw new IllegalStateException("event pattern " + pattern.name() + " is not valid: " + e.getMessage(), e);
            }
        }
    }

    @Override
    void handle(HttpExchange exchange) throws IOException {
        String operation = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        if (!"POST".equals(exchange.getRequestMethod()) || operation == null) {
            error(exchange, 400, "UnknownOperationException", "POST an AWS JSON 1.1 request with X-Amz-Target: AWSEvents.PutEvents");
            return;
        }
        if (!operation.equals("AWSEvents.PutEvents")) {
            error(exchange, 400, "UnknownOperationException", "local mode serves AWSEvents.PutEvents only, not " + operation);
            return;
        }
        JsonNode request;
        try {
            request = AlertJson.readTree(body(exchange));
        } catch (AlertJson.MalformedJsonException e) {
            error(exchange, 400, "SerializationException", e.getMessage());
            return;
        }
        JsonNode entries = request.path("Entries");
        if (!entries.isArray() || entries.isEmpty() || entries.size() > MAX_ENTRIES) {
            error(exchange, 400, "ValidationException", "Entries must hold 1 to " + MAX_ENTRIES + " entries");
            return;
        }
        long size = 0;
        for (JsonNode entry : entries) {
            size += entrySize(entry);
        }
        if (size > MAX_ENTRIES_BYTES) {
            error(exchange, 400, "ValidationException", "Total size of the entries in the request is over the limit: "
                    + size + " bytes, at most " + MAX_ENTRIES_BYTES);
            return;
        }
        ObjectNode answer = AlertJson.mapper().createObjectNode();
        ArrayNode results = answer.putArray("Entries");
        int failed = 0;
        for (JsonNode entry : entries) {
            ObjectNode result = results.addObject();
            EntryRefusal refusal = validate(entry);
            ObjectNode event = null;
            if (refusal == null) {
                event = toEvent(entry);
                refusal = unreadableByTheFunction(event);
            }
            if (refusal != null) {
                failed++;
                result.put("ErrorCode", refusal.code()).put("ErrorMessage", refusal.message());
                continue;
            }
            result.put("EventId", event.path("id").asText());
            route(event);
        }
        answer.put("FailedEntryCount", failed);
        send(exchange, 200, "application/x-amz-json-1.1", answer.toString(), Map.of());
    }

    /** The rules an event matches; exposed for tests of the shared patterns. */
    List<String> matchingRules(String eventJson) {
        try {
            return machine.rulesForJSONEvent(eventJson);
        } catch (Exception e) {
            return List.of();
        }
    }

    private void route(ObjectNode event) {
        String json = event.toString();
        List<String> rules = matchingRules(json);
        if (rules.isEmpty()) {
            LOG.info("event {} from {} matched no rule", event.path("id").asText(), event.path("source").asText());
            return;
        }
        // One rule target, as in the stack: an event matching several rules is still delivered once per rule.
        for (String rule : rules) {
            invocations.submit(target, json, "rule " + rule);
        }
    }

    /** An entry's size as EventBridge counts it: 14 bytes for a Time, then the UTF-8 bytes of its text fields. */
    static long entrySize(JsonNode entry) {
        long size = entry.hasNonNull("Time") ? 14 : 0;
        for (String field : List.of("Source", "DetailType", "Detail")) {
            size += entry.path(field).asText("").getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        }
        for (JsonNode resource : entry.path("Resources")) {
            size += resource.asText("").getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        }
        return size;
    }

    /** Why EventBridge fails one entry of a request, in its words: an ErrorCode and an ErrorMessage. */
    record EntryRefusal(String code, String message) {

        static EntryRefusal invalidArgument(String message) {
            return new EntryRefusal("InvalidArgument", message);
        }

        static EntryRefusal malformedDetail(String why) {
            return new EntryRefusal("MalformedDetail", "Detail is malformed: " + why);
        }
    }

    private static EntryRefusal validate(JsonNode entry) {
        for (String field : List.of("Source", "DetailType", "Detail")) {
            if (!entry.path(field).isTextual() || entry.path(field).asText().isBlank()) {
                return EntryRefusal.invalidArgument(field + " is required");
            }
        }
        try {
            // Read as the ingest function reads what it is sent, so that no entry is accepted here to fail there.
            if (!AlertJson.readPayload(entry.path("Detail").asText()).isObject()) {
                return EntryRefusal.malformedDetail("it must be a JSON object");
            }
        } catch (AlertJson.MalformedJsonException e) {
            return EntryRefusal.malformedDetail(e.getMessage());
        }
        JsonNode resources = entry.path("Resources");
        if (!resources.isMissingNode() && !resources.isNull()) {
            if (!resources.isArray()) {
                return EntryRefusal.invalidArgument("Resources must be a list of strings (ARNs), got " + resources.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
            }
            for (JsonNode resource : resources) {
                if (!resource.isTextual()) {
                    return EntryRefusal.invalidArgument("Resources must hold strings (ARNs) only, got " + resource.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
                }
            }
        }
        JsonNode time = entry.path("Time");
        if (!time.isMissingNode() && !time.isNull() && Timestamps.parse(time).isEmpty()) {
            return EntryRefusal.invalidArgument("Time must be a timestamp (epoch seconds or ISO-8601), got " + time);
        }
        return null;
    }

    /**
     * The event's refusal when the ingest function would refuse to read it: its detail sits one level below the
     * event, so a Detail at the very limit of nesting is one level too deep once delivered.
     */
    private static EntryRefusal unreadableByTheFunction(ObjectNode event) {
        try {
            AlertJson.readPayload(event.toString());
            return null;
        } catch (AlertJson.MalformedJsonException e) {
            return EntryRefusal.malformedDetail("in its event, as the target function reads it: " + e.getMessage());
        }
    }

    private static ObjectNode toEvent(JsonNode entry) {
        ObjectNode event = AlertJson.mapper().createObjectNode();
        event.put("version", "0");
        event.put("id", UUID.randomUUID().toString());
        event.put("detail-type", entry.path("DetailType").asText());
        event.put("source", entry.path("Source").asText());
        event.put("account", LocalConfig.ACCOUNT_ID);
        event.put("time", time(entry.path("Time")).truncatedTo(ChronoUnit.SECONDS).toString());
        event.put("region", LocalConfig.REGION);
        ArrayNode resources = event.putArray("resources");
        entry.path("Resources").forEach(resources::add);
        event.set("detail", AlertJson.readPayload(entry.path("Detail").asText()));
        return event;
    }

    /** SDKs send Time as epoch seconds (a number); the CLI may send ISO-8601; without one, now. Checked by {@link #validate}. */
    private static Instant time(JsonNode time) {
        return Timestamps.parse(time).orElseGet(Instant::now);
    }

    @Override
    void refuseTooLarge(HttpExchange exchange, int limit) throws IOException {
        error(exchange, 413, "ValidationException", "a PutEvents request's entries may hold " + MAX_ENTRIES_BYTES
                + " bytes together; local mode takes requests of up to " + limit + " bytes");
    }

    private static void error(HttpExchange exchange, int status, String type, String message) throws IOException {
        ObjectNode body = AlertJson.mapper().createObjectNode().put("__type", type).put("message", message);
        send(exchange, status, "application/x-amz-json-1.1", body.toString(), Map.of());
    }
}
