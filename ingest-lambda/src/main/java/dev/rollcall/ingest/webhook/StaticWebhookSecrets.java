package dev.rollcall.ingest.webhook;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.type.TypeReference;

import dev.rollcall.core.alert.AlertJson;

/** Secrets given as a JSON object of source name to secret, e.g. {@code {"sentry":"…","default":"…"}}. */
public record StaticWebhookSecrets(Map<String, String> secrets) implements WebhookSecrets {

    public StaticWebhookSecrets {
        secrets = Map.copyOf(secrets);
    }

    /** Parses the JSON object; the error names {@code variable} and never echoes the secrets. */
    public static StaticWebhookSecrets parse(String json, String variable) {
        try {
            Map<String, String> map = AlertJson.mapper().readValue(json, new TypeReference<Map<String, String>>() {
            });
            if (map.isEmpty()) {
                throw new IllegalArgumentException(variable + " holds no secrets; expected {\"sentry\":\"...\",\"default\":\"...\"}");
            }
            return new StaticWebhookSecrets(map);
        } catch (IOException e) {
            throw new IllegalArgumentException(variable + " must be a JSON object of source name to secret, e.g. {\"sentry\":\"...\",\"default\":\"...\"}");
        }
    }

    @Override
    public Optional<String> secretFor(String source) {
        String secret = secrets.get(source);
        return Optional.ofNullable(secret != null ? secret : secrets.get("default")).filter(s -> !s.isEmpty());
    }

    @Override
    public String toString() {
        return "StaticWebhookSecrets" + secrets.keySet();
    }
}
