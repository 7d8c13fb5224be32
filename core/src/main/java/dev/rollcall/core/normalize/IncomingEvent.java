package dev.rollcall.core.normalize;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One payload as it reached Rollcall, before normalization: its bytes, how it came in and what the door knew about
 * it (the webhook path's source, an SQS message attribute, HTTP headers such as {@code Sentry-Hook-Resource}).
 *
 * @param body       the payload exactly as received (an EventBridge event, an SNS envelope, a webhook body, ...)
 * @param sourceHint the source named by the door ({@code sentry} from {@code /v1/events/sentry}, the
 *                   {@code rollcall-source} message attribute), or null when the payload must speak for itself
 * @param headers    HTTP headers that came with it, keys lower-cased; empty when none
 * @param door       which entry point received it
 * @param receivedAt when Rollcall received it: the {@code ingested_at} of the alerts it becomes
 * @param sentAt     when it was first handed to Rollcall, the same on every redelivery (an SQS message's
 *                   {@code SentTimestamp}): the {@code occurred_at} of alerts whose source gives no time, so that a
 *                   redelivery lands in the same monthly index and overwrites rather than counting twice
 */
public record IncomingEvent(byte[] body, String sourceHint, Map<String, String> headers, Door door, Instant receivedAt,
                            Instant sentAt) {

    /** The entry point an event came through. */
    public enum Door { EVENTBRIDGE, SQS, WEBHOOK, SNS, LAMBDA_ACTION }

    public IncomingEvent {
        if (body == null) {
            throw new IllegalArgumentException("body is required");
        }
        if (receivedAt == null) {
            throw new IllegalArgumentException("receivedAt is required");
        }
        if (sentAt == null) {
            sentAt = receivedAt;
        }
        Map<String, String> lower = new TreeMap<>();
        if (headers != null) {
            headers.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
        }
        headers = java.util.Collections.unmodifiableMap(lower);
        sourceHint = sourceHint == null || sourceHint.isBlank() ? null : sourceHint.trim().toLowerCase(Locale.ROOT);
    }

    /** An event whose door knows no earlier time than its arrival (EventBridge, a direct call). */
    public IncomingEvent(byte[] body, String sourceHint, Map<String, String> headers, Door door, Instant receivedAt) {
        this(body, sourceHint, headers, door, receivedAt, receivedAt);
    }

    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }
}
