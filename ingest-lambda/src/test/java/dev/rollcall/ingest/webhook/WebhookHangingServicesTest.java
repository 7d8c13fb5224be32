package dev.rollcall.ingest.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

import dev.rollcall.ingest.WebhookTestEvents;
import dev.rollcall.servers.SilentServer;

/**
 * A queue that accepts the connection and never answers (the handler's own SQS client, as the Lambda builds it):
 * the sender gets the retryable 503 before the function's 10 s timeout would turn it into a bare 500.
 */
class WebhookHangingServicesTest {

    /** The webhook function's timeout in the stack, less the time Lambda needs to hand the answer back. */
    private static final Duration ANSWER_BEFORE = Duration.ofSeconds(9);

    @Test
    void aQueueThatNeverAnswersIsA503BeforeTheFunctionTimesOut() {
        try (SilentServer queue = SilentServer.start()) {
            WebhookHandler handler = new WebhookHandler(new WebhookConfig(queue.uri().resolve("/000000000000/events"), null,
                    "{\"default\":\"shared-secret\"}", 4096, queue.uri()));

            long started = System.nanoTime();
            APIGatewayV2HTTPResponse response = handler.handleRequest(WebhookTestEvents.request("POST", "/v1/events/alertmanager",
                    Map.of("Authorization", "Bearer shared-secret"), "{\"alerts\":[]}"), WebhookTestEvents.invocation());
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertThat(queue.accepted()).as("the client connected and waited").isPositive();
            assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(503);
            assertThat(response.getHeaders()).containsEntry("Retry-After", "5");
            assertThat(took).isGreaterThanOrEqualTo(WebhookHandler.AWS_CALL_TIMEOUT).isLessThan(ANSWER_BEFORE);
        }
    }
}
