package dev.rollcall.ingest;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

import dev.rollcall.core.config.EnvironmentValues;

/**
 * Where the EventBridge function leaves an event it could not store yet (OpenSearch down, pushing back, its
 * templates not installed): the ingest queue, whose redeliveries ride out an outage of half an hour and whose
 * dead-letter queue a redrive empties, instead of Lambda's two asynchronous retries within about three minutes
 * and a hand-run replay.
 *
 * <table>
 * <caption>Environment variables</caption>
 * <tr><td>ROLLCALL_RETRY_QUEUE_URL</td><td>the ingest queue's URL; unset: a failed event fails the invocation, and
 * Lambda's retries and the event-delivery dead-letter queue keep it</td></tr>
 * <tr><td>ROLLCALL_SQS_ENDPOINT</td><td>SQS endpoint override (local mode); default the Region's</td></tr>
 * </table>
 */
public interface EventRetryQueue {

    /** The longest one send may take, retries included, when the invocation has longer left. */
    Duration SEND_TIMEOUT = Duration.ofSeconds(5);

    /**
     * Queues {@code event}, the EventBridge event's bytes as received, within {@code timeLeft}; throws when the queue
     * does not take it in time.
     */
    void offer(byte[] event, Duration timeLeft);

    /** The queue the environment names, or empty when {@code ROLLCALL_RETRY_QUEUE_URL} is unset. */
    static Optional<EventRetryQueue> fromEnvironment(Map<String, String> env) {
        Optional<URI> url = EnvironmentValues.optionalUri(env, "ROLLCALL_RETRY_QUEUE_URL");
        if (url.isEmpty()) {
            return Optional.empty();
        }
        SqsClientBuilder builder = SqsClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder())
                // A queue that hangs fails the send, and Lambda's retries take over.
                .overrideConfiguration(c -> c.apiCallTimeout(SEND_TIMEOUT));
        EnvironmentValues.optionalUri(env, "ROLLCALL_SQS_ENDPOINT").ifPresent(builder::endpointOverride);
        return Optional.of(new SqsEventRetryQueue(builder.build(), url.get()));
    }

    /** Sends each event as one message marked as EventBridge's, so that the SQS function reads it as this one would. */
    record SqsEventRetryQueue(SqsClient sqs, URI queueUrl) implements EventRetryQueue {

        @Override
        public void offer(byte[] event, Duration timeLeft) {
            if (timeLeft.toMillis() <= 0) {
                throw new IllegalStateException("no time left in the invocation to queue the event");
            }
            Duration limit = timeLeft.compareTo(SEND_TIMEOUT) < 0 ? timeLeft : SEND_TIMEOUT;
            String body = new String(event, java.nio.charset.StandardCharsets.UTF_8);
            sqs.sendMessage(b -> b.queueUrl(queueUrl.toString()).messageBody(body).messageAttributes(Map.of(
                    SqsHandler.DOOR_ATTRIBUTE, MessageAttributeValue.builder().dataType("String")
                            .stringValue(SqsHandler.EVENTBRIDGE_DOOR).build()))
                    // Within the invocation: a send cut off by the function's timeout would be retried by Lambda and
                    // raise an error, though it may have queued the event.
                    .overrideConfiguration(o -> o.apiCallTimeout(limit)));
        }
    }
}
