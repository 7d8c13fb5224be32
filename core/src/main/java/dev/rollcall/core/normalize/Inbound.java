package dev.rollcall.core.normalize;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One payload to normalize, out of its envelopes: the payload itself, what the envelopes said about it, and the
 * event it arrived in ({@code raw} is that event's whole parsed body, envelopes included; of a body of several
 * records, the body with only the record this payload came from).
 *
 * @param sourceHint   the source named by the door or an SQS message attribute; null when unknown
 * @param snsMessageId the id SNS gave the message, when it came through SNS
 * @param snsSubject   the SNS subject, when it came through SNS
 * @param snsTimestamp the SNS publish time as sent, when it came through SNS
 */
record Inbound(JsonNode payload, String sourceHint, String snsMessageId, String snsSubject, String snsTimestamp,
               IncomingEvent event, JsonNode raw) {

    Inbound withPayload(JsonNode newPayload) {
        return new Inbound(newPayload, sourceHint, snsMessageId, snsSubject, snsTimestamp, event, raw);
    }

    Inbound fromSns(JsonNode newPayload, String messageId, String subject, String timestamp) {
        return new Inbound(newPayload, sourceHint, messageId, subject, timestamp, event, raw);
    }

    Inbound withRaw(JsonNode newRaw) {
        return new Inbound(payload, sourceHint, snsMessageId, snsSubject, snsTimestamp, event, newRaw);
    }

    Inbound withHint(String hint) {
        return hint == null ? this : new Inbound(payload, hint, snsMessageId, snsSubject, snsTimestamp, event, raw);
    }

    String header(String name) {
        return event.header(name);
    }
}
