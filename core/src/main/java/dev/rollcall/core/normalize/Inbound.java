package dev.rollcall.core.normalize;

import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.JsonNode;

import dev.rollcall.core.alert.AlertJson;

/**
 * One payload to normalize, out of its envelopes: the payload itself, what the envelopes said about it, and the
 * event it arrived in ({@code raw} gives that event's whole parsed body, envelopes included; of a body of several
 * records, the body with only the record this payload came from, made only when an id is hashed from it: made for
 * every record up front, N records cost N times the envelope's fields even where no id needs them).
 *
 * @param sourceHint   the source named by the door or an SQS message attribute; null when unknown
 * @param snsMessageId the id SNS gave the message, when it came through SNS
 * @param snsSubject   the SNS subject, when it came through SNS
 * @param snsTimestamp the SNS publish time as sent, when it came through SNS
 * @param partOfBody   whether {@code raw} is one record's part of a body of several, not the whole body
 * @param around       what is stored as the raw of an alert whose own part of {@code payload} is the node it is
 *                     given: that part inside its envelopes, each cut down to its shared fields and this record
 *                     (see {@link GroupEnvelope}); given the payload itself, the envelopes exactly as received
 */
record Inbound(JsonNode payload, String sourceHint, String snsMessageId, String snsSubject, String snsTimestamp,
               IncomingEvent event, Supplier<JsonNode> raw, boolean partOfBody, UnaryOperator<JsonNode> around) {

    /** A payload that is the whole body of {@code event}. */
    Inbound(JsonNode body, IncomingEvent event) {
        this(body, event.sourceHint(), null, null, null, event, () -> body, false, UnaryOperator.identity());
    }

    /**
     * {@code inner}, a part of this payload, as the payload; {@code rebuild} turns a replacement for {@code inner}
     * into a replacement for this payload, so that alerts found inside are stored in their envelopes.
     */
    Inbound inside(JsonNode inner, UnaryOperator<JsonNode> rebuild) {
        UnaryOperator<JsonNode> outer = around;
        return new Inbound(inner, sourceHint, snsMessageId, snsSubject, snsTimestamp, event, raw, partOfBody,
                part -> outer.apply(rebuild.apply(part)));
    }

    Inbound fromSns(String messageId, String subject, String timestamp) {
        return new Inbound(payload, sourceHint, messageId, subject, timestamp, event, raw, partOfBody, around);
    }

    /**
     * One record of several in this payload, whose part of the body {@code recordRaw} makes (once, when first asked):
     * an SNS message id of an envelope around all of them is not this record's own.
     */
    Inbound ofRecord(Supplier<JsonNode> recordRaw) {
        JsonNode[] made = new JsonNode[1];
        Supplier<JsonNode> once = () -> {
            if (made[0] == null) {
                made[0] = recordRaw.get();
            }
            return made[0];
        };
        return new Inbound(payload, sourceHint, null, snsSubject, snsTimestamp, event, once, true, around);
    }

    Inbound withHint(String hint) {
        return hint == null ? this : new Inbound(payload, hint, snsMessageId, snsSubject, snsTimestamp, event, raw, partOfBody, around);
    }

    /** The raw stored for an alert that is {@code part} of this payload (the payload itself when it is all of it). */
    JsonNode rawOf(JsonNode part) {
        return around.apply(part);
    }

    /**
     * What an id made from the content hashes: the body as received, or for one record of a body of several, that
     * record's part, so that records without ids of their own are not all one event.
     */
    byte[] contentBytes() {
        return partOfBody ? AlertJson.toBytes(raw.get()) : event.body();
    }

    String header(String name) {
        return event.header(name);
    }
}
