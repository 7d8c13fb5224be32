package dev.rollcall.ingest.webhook;

import java.util.Optional;

/** Where webhook secrets come from: Secrets Manager in AWS, a static map in local mode and tests. */
public interface WebhookSecrets {

    /** The secret for {@code source}, falling back to the {@code default} entry; empty when neither exists. */
    Optional<String> secretFor(String source);
}
