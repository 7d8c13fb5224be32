package dev.rollcall.ingest.webhook;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Secrets from one Secrets Manager secret whose value is a JSON object of source name to secret. Cached for a few
 * minutes, so a rotation is picked up without a redeploy and most invocations make no call.
 */
public final class SecretsManagerWebhookSecrets implements WebhookSecrets {

    private static final Logger LOG = LogManager.getLogger(SecretsManagerWebhookSecrets.class);
    private static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(30);

    private final SecretsManagerClient client;
    private final String secretArn;
    private final Duration ttl;
    private final Clock clock;
    private volatile StaticWebhookSecrets cached;
    private volatile Instant fetchedAt = Instant.MIN;

    public SecretsManagerWebhookSecrets(SecretsManagerClient client, String secretArn, Duration ttl, Clock clock) {
        this.client = client;
        this.secretArn = secretArn;
        this.ttl = ttl;
        this.clock = clock;
    }

    @Override
    public List<String> secretsFor(String source) {
        StaticWebhookSecrets current = cached;
        if (current == null || clock.instant().isAfter(fetchedAt.plus(ttl))) {
            current = refresh();
        }
        return current.secretsFor(source);
    }

    /**
     * Reads the secret again. When that fails and an earlier value is cached, the earlier value keeps serving for
     * another {@link #RETRY_AFTER_FAILURE}: a sender such as Sentry never retries a delivery, so a refusal for a
     * Secrets Manager hiccup would lose the event, and trying again on every request would slow each one down. A
     * refusal is no hiccup: a secret deleted (or scheduled for deletion), its read or its key's use denied, is how an
     * operator cuts off a leaked token, so the cached value is dropped at the next read (within the cache's lifetime)
     * and nothing is accepted until the secret reads again.
     */
    private StaticWebhookSecrets refresh() {
        StaticWebhookSecrets previous = cached;
        try {
            String value = client.getSecretValue(b -> b.secretId(secretArn)).secretString();
            StaticWebhookSecrets read = StaticWebhookSecrets.parse(value, "secret " + secretArn);
            cached = read;
            fetchedAt = clock.instant();
            return read;
        } catch (RuntimeException e) {
            if (previous != null && refused(e)) {
                LOG.warn("reading secret {} was refused, dropping the cached value: {}", secretArn, e.getMessage());
                cached = null;
                previous = null;
            }
            if (previous == null) {
                throw e;
            }
            LOG.warn("reading secret {} failed, keeping the cached value for {}: {}", secretArn, RETRY_AFTER_FAILURE, e.getMessage());
            fetchedAt = clock.instant().minus(ttl).plus(RETRY_AFTER_FAILURE);
            return previous;
        }
    }

    /** A 4xx answer other than throttling: the secret is gone or this function may no longer read it. */
    private static boolean refused(RuntimeException e) {
        return e instanceof AwsServiceException service && service.statusCode() >= 400 && service.statusCode() < 500
                && !service.isThrottlingException();
    }
}
