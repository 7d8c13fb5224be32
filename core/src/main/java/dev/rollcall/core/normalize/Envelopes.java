package dev.rollcall.core.normalize;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;

import dev.rollcall.core.alert.AlertJson;

/**
 * Takes payloads out of the envelopes they travel in, recursively: an SQS event's {@code Records[].body}, an
 * SNS-to-Lambda event's {@code Records[].Sns.Message}, an SNS envelope delivered by HTTP or in an SQS body
 * ({@code Type: Notification}, {@code Message}), a Lambda on-failure record's {@code requestPayload}, and JSON
 * written as a string. SNS subscription and unsubscribe
 * confirmations are no alerts and yield nothing.
 */
final class Envelopes {

    /** Deep enough for SQS holding SNS holding a JSON string; deeper nesting is not unwrapped further. */
    private static final int MAX_DEPTH = 6;
    private static final Field TYPE = Field.of("type");
    private static final Field MESSAGE = Field.of("message");
    private static final Field MESSAGE_ID = Field.of("messageId");
    private static final Field SUBJECT = Field.of("subject");
    private static final Field TIMESTAMP = Field.of("timestamp");
    private static final Field TOPIC_ARN = Field.of("topicArn");
    private static final Field SNS = Field.of("sns");
    private static final Field EVENT_SOURCE = Field.of("eventSource");
    private static final String SOURCE_ATTRIBUTE = "rollcall-source";

    private Envelopes() {
    }

    /** The payloads inside {@code inbound}'s payload, each with what its envelopes said; empty for non-alerts. */
    static List<Inbound> unwrap(Inbound inbound) {
        List<Inbound> out = new ArrayList<>(1);
        unwrap(inbound, 0, out);
        return out;
    }

    private static void unwrap(Inbound inbound, int depth, List<Inbound> out) {
        JsonNode payload = inbound.payload();
        if (depth >= MAX_DEPTH) {
            out.add(inbound);
        } else if (payload.isTextual()) {
            JsonNode parsed = parseIfJson(payload.asText());
            if (parsed == null) {
                out.add(inbound);
            } else {
                // An alert's part goes back into the string it came in, so its raw keeps the envelope's shape.
                unwrap(inbound.inside(parsed, part -> part == parsed ? payload : TextNode.valueOf(AlertJson.toJson(part))), depth + 1, out);
            }
        } else if (payload.isObject() && isRecordsEnvelope(payload)) {
            JsonNode records = payload.get("Records");
            // Each record's alerts keep their record, not every record of the body (N records, N copies of all).
            // Nested in another envelope too: there the one SNS message id or body hash of the outer envelope would
            // make every record after the first a duplicate of it, so each is known by its own part instead.
            boolean narrow = records.size() > 1;
            GroupEnvelope shared = GroupEnvelope.of(payload, "Records");
            for (JsonNode record : records) {
                Inbound inRecord = (narrow ? inbound.ofRecord(() -> inbound.rawOf(AlertJson.withList(payload, "Records", List.of(record)))) : inbound)
                        .inside(record, part -> part == record && records.size() == 1 ? payload : shared.holdingOnly(part));
                unwrapRecord(inRecord, record, depth, out);
            }
        } else if (payload.isObject() && isSnsEnvelope(payload)) {
            unwrapSns(inbound, payload, depth, out);
        } else if (payload.isObject() && isLambdaFailureRecord(payload)) {
            JsonNode request = payload.get("requestPayload");
            unwrap(inbound.inside(request, field(payload, request)), depth + 1, out);
        } else {
            out.add(inbound);
        }
    }

    /** {@code inbound}'s payload is {@code record}. */
    private static void unwrapRecord(Inbound inbound, JsonNode record, int depth, List<Inbound> out) {
        JsonNode sns = SNS.in(record);
        if (sns.isObject()) {
            unwrapSns(inbound.inside(sns, field(record, sns)), sns, depth, out);
        } else if (record.has("body")) {
            JsonNode body = record.get("body");
            // A webhook's path names its source; an SQS record written inside its body does not get to rename it.
            Inbound hinted = inbound.event().door() == IncomingEvent.Door.WEBHOOK ? inbound : inbound.withHint(sqsSourceAttribute(record));
            unwrap(hinted.inside(body, field(record, body)), depth + 1, out);
        } else {
            out.add(inbound);
        }
    }

    /** {@code inbound}'s payload is {@code sns}. */
    private static void unwrapSns(Inbound inbound, JsonNode sns, int depth, List<Inbound> out) {
        String type = TYPE.text(sns);
        if ("SubscriptionConfirmation".equals(type) || "UnsubscribeConfirmation".equals(type)) {
            return;
        }
        Inbound fromSns = inbound.fromSns(MESSAGE_ID.text(sns), SUBJECT.text(sns), TIMESTAMP.text(sns));
        JsonNode message = MESSAGE.in(sns);
        if (message.isMissingNode()) {
            // An envelope without a message: nothing inside to unwrap, so the envelope itself is the payload.
            out.add(fromSns);
            return;
        }
        unwrap(fromSns.inside(message, field(sns, message)), depth + 1, out);
    }

    /**
     * Puts a part of {@code child} back in its place in {@code container}: {@code container} as received when the
     * part is all of the child, else the container's bounded shared fields around the part.
     */
    private static UnaryOperator<JsonNode> field(JsonNode container, JsonNode child) {
        GroupEnvelope shared = GroupEnvelope.around(container, child);
        return part -> part == child ? container : shared.holding(part);
    }

    /**
     * What Lambda sends an asynchronous invocation's on-failure destination once its retries are spent
     * ({@code requestContext.functionArn}, {@code requestPayload}: the event it failed on). The EventBridge function's
     * failures land in the event-delivery dead-letter queue this way; moved to the ingest queue, each is its event.
     */
    private static boolean isLambdaFailureRecord(JsonNode payload) {
        JsonNode context = payload.get("requestContext");
        return context != null && context.isObject() && context.path("functionArn").isTextual()
                && payload.has("requestPayload") && !payload.get("requestPayload").isNull();
    }

    /** {@code {"Records":[...]}} from SNS or SQS, told apart from payloads that merely have a Records field. */
    private static boolean isRecordsEnvelope(JsonNode payload) {
        JsonNode records = payload.get("Records");
        if (records == null || !records.isArray() || records.isEmpty()) {
            return false;
        }
        JsonNode first = records.get(0);
        String eventSource = EVENT_SOURCE.text(first);
        return SNS.in(first).isObject()
                || "aws:sns".equals(eventSource)
                || "aws:sqs".equals(eventSource)
                || (first.has("body") && first.has("messageId"));
    }

    private static boolean isSnsEnvelope(JsonNode payload) {
        String type = TYPE.text(payload);
        return type != null
                && (type.equals("Notification") || type.equals("SubscriptionConfirmation") || type.equals("UnsubscribeConfirmation"))
                && (TOPIC_ARN.in(payload).isTextual() || MESSAGE_ID.in(payload).isTextual());
    }

    /** The {@code rollcall-source} message attribute of an SQS record in a Lambda event, if any. */
    private static String sqsSourceAttribute(JsonNode record) {
        JsonNode attribute = record.path("messageAttributes").path(SOURCE_ATTRIBUTE);
        String value = Field.firstOf(Field.textOf(attribute.get("stringValue")), Field.textOf(attribute.get("StringValue")));
        return value == null ? null : value.trim().toLowerCase(Locale.ROOT);
    }

    /** A string that holds a JSON object or array, parsed; null when it holds anything else. */
    private static JsonNode parseIfJson(String text) {
        int i = 0;
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        if (i == text.length() || (text.charAt(i) != '{' && text.charAt(i) != '[')) {
            return null;
        }
        try {
            return AlertJson.readPayload(text);
        } catch (AlertJson.MalformedJsonException e) {
            // Text that looks like JSON but is not stays text: it is still kept, as a custom alert.
            return null;
        }
    }
}
