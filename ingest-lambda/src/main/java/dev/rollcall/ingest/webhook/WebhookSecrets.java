package dev.rollcall.ingest.webhook;

import java.util.List;
import java.util.Set;

/** Where webhook secrets come from: Secrets Manager in AWS, a static map in local mode and tests. */
public interface WebhookSecrets {

    /**
     * Sources whose senders sign each request with a secret they generate (Sentry's integration client secret,
     * PagerDuty's webhook subscription secret): only their own entry is theirs. Falling back to the shared default
     * would let anyone holding the shared token sign as them.
     */
    Set<String> SIGNING_SOURCES = Set.of("sentry", "pagerduty");

    /**
     * A value starting with this is a placeholder (the stack creates the secret with
     * {@code "replace-with-the-sentry-integration-client-secret"}): it counts as unset, never as a secret anyone may
     * sign with.
     */
    String PLACEHOLDER_PREFIX = "replace-with-";

    /**
     * Every secret a request from {@code source} may be signed or authorized with (more than one while a secret is
     * being rotated): its own entry, or for a source not in {@link #SIGNING_SOURCES} without one, the
     * {@code default} entry; placeholders and empty values left out. Empty when nothing is configured.
     */
    List<String> secretsFor(String source);
}
