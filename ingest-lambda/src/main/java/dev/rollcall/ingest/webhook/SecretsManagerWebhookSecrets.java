package dev.rollcall.ingest.webhook;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Secrets from one Secrets Manager secret whose value is a JSON object of source name to secret. Cached for a few
 * minutes, so a rotation is picked up without a redeploy and most invocations make no call.
 */
public final class SecretsManagerWebhookSecrets implements WebhookSecrets {

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
    public Optional<String> secretFor(String source) {
        if (cached == null || clock.instant().isAfter(fetchedAt.plus(ttl))) {
            String value = client.getSecretValue(b -> b.secretId(secretArn)).secretString();
            cached = StaticWebhookSecrets.parse(value, "secret " + secretArn);
            fetchedAt = clock.instant();
        }
        return cached.secretFor(source);
    }
}
