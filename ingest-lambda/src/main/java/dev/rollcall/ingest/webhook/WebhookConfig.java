package dev.rollcall.ingest.webhook;

import java.net.URI;
import java.util.Map;

import dev.rollcall.core.config.EnvironmentValues;


/**
 * Configuration of the webhook handler, read once at init.
 *
 * <table>
 * <caption>Environment variables</caption>
 * <tr><td>ROLLCALL_QUEUE_URL</td><td>required: the SQS queue webhooks are put on</td></tr>
 * <tr><td>ROLLCALL_WEBHOOK_SECRET_ARN</td><td>Secrets Manager secret holding {@code {"sentry":"…","default":"…"}}</td></tr>
 * <tr><td>ROLLCALL_WEBHOOK_SECRETS</td><td>the same JSON inline (local mode); one of the two is required</td></tr>
 * <tr><td>ROLLCALL_WEBHOOK_MAX_BYTES</td><td>largest accepted body; default 4194304 (a group of alerts over one 1 MiB queue message is queued in parts)</td></tr>
 * <tr><td>ROLLCALL_SQS_ENDPOINT</td><td>SQS endpoint override (local mode); default the regional endpoint</td></tr>
 * </table>
 */
public record WebhookConfig(URI queueUrl, String secretArn, String inlineSecrets, int maxBodyBytes, URI sqsEndpoint) {

    /**
     * 4 MiB: a body up to one queue message (1 MiB) is queued whole, a larger group of alerts in parts. Senders such
     * as Alertmanager (a group of thousands of alerts in a cluster-wide outage) or Sentry (events up to 1 MB) do not
     * retry a 413, so a limit below what they send loses events for good; the bound is Lambda's 6 MB request, which
     * the API Gateway event holding the body (JSON-escaped, with its headers) must fit in.
     */
    public static final int DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;

    public WebhookConfig {
        if (queueUrl == null) {
            throw new IllegalArgumentException("ROLLCALL_QUEUE_URL is not set (e.g. https://sqs.eu-west-1.amazonaws.com/123456789012/rollcall-events)");
        }
        if ((secretArn == null || secretArn.isBlank()) && (inlineSecrets == null || inlineSecrets.isBlank())) {
            throw new IllegalArgumentException("ROLLCALL_WEBHOOK_SECRET_ARN or ROLLCALL_WEBHOOK_SECRETS must be set: webhooks are never accepted unauthenticated");
        }
        if (maxBodyBytes <= 0) {
            throw new IllegalArgumentException("ROLLCALL_WEBHOOK_MAX_BYTES must be positive");
        }
    }

    /** Lambda's limit on a synchronous request, which the API Gateway event holding the body must fit in. */
    static final long LAMBDA_REQUEST_BYTES = 6 * 1024 * 1024;

    public static WebhookConfig fromEnvironment(Map<String, String> env) {
        long max = EnvironmentValues.nonNegativeLong(env, "ROLLCALL_WEBHOOK_MAX_BYTES", DEFAULT_MAX_BODY_BYTES);
        if (max > LAMBDA_REQUEST_BYTES) {
            // A larger body never reaches the function: Lambda refuses the request first, with a 413 the limit would not explain.
            throw new IllegalArgumentException("ROLLCALL_WEBHOOK_MAX_BYTES must be at most " + LAMBDA_REQUEST_BYTES
                    + " (Lambda's 6 MB request, which also holds the event around the body), got " + max);
        }
        return new WebhookConfig(EnvironmentValues.optionalUri(env, "ROLLCALL_QUEUE_URL").orElse(null),
                env.get("ROLLCALL_WEBHOOK_SECRET_ARN"), env.get("ROLLCALL_WEBHOOK_SECRETS"), (int) Math.min(max, Integer.MAX_VALUE),
                EnvironmentValues.optionalUri(env, "ROLLCALL_SQS_ENDPOINT").orElse(null));
    }
}
