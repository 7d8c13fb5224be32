package dev.rollcall.ingest.webhook;

import java.util.List;

/** Where webhook secrets come from: Secrets Manager in AWS, a static map in local mode and tests. */
public interface WebhookSecrets {

    /**
     * Every secret a request from {@code source} may be signed or authorized with (more than one while a secret is
     * being rotated), falling back to the {@code default} entry; empty when neither exists.
     */
    List<String> secretsFor(String source);
}
