package dev.rollcall.ingest.webhook;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import dev.rollcall.core.alert.AlertJson;

/**
 * Secrets given as a JSON object of source name to secret, e.g. {@code {"sentry":"…","default":"…"}}; a source may
 * list several ({@code {"sentry":["new","old"]}}) so that a rotation has no gap: the sender switches to the new one
 * while the old one is still accepted. Which entry serves a source is {@link WebhookSecrets#secretsFor}'s rule.
 */
public record StaticWebhookSecrets(Map<String, List<String>> secrets) implements WebhookSecrets {

    private static final String EXPECTED = "a JSON object of source name to secret (or to a list of secrets while rotating), "
            + "e.g. {\"sentry\":\"...\",\"default\":\"...\"}";

    public StaticWebhookSecrets {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        secrets.forEach((source, values) -> copy.put(source, List.copyOf(values)));
        secrets = Map.copyOf(copy);
    }

    /** One secret per source. */
    public static StaticWebhookSecrets of(Map<String, String> secrets) {
        Map<String, List<String>> lists = new LinkedHashMap<>();
        secrets.forEach((source, secret) -> lists.put(source, List.of(secret)));
        return new StaticWebhookSecrets(lists);
    }

    /** Parses the JSON object; the error names {@code variable} and never echoes the secrets. */
    public static StaticWebhookSecrets parse(String json, String variable) {
        JsonNode tree;
        try {
            tree = AlertJson.mapper().readTree(json);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(variable + " must be " + EXPECTED);
        }
        if (tree == null || !tree.isObject()) {
            throw new IllegalArgumentException(variable + " must be " + EXPECTED);
        }
        Map<String, List<String>> secrets = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : tree.properties()) {
            List<String> values = new ArrayList<>();
            JsonNode value = entry.getValue();
            if (value.isTextual()) {
                values.add(value.asText());
            } else if (value.isArray()) {
                for (JsonNode item : value) {
                    if (!item.isTextual()) {
                        throw new IllegalArgumentException(variable + ": the secrets of '" + entry.getKey() + "' must be strings; expected "
                                + EXPECTED);
                    }
                    values.add(item.asText());
                }
            } else {
                throw new IllegalArgumentException(variable + ": the secret of '" + entry.getKey() + "' must be a string or a list "
                        + "of strings; expected " + EXPECTED);
            }
            secrets.put(entry.getKey(), values);
        }
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException(variable + " holds no secrets; expected {\"sentry\":\"...\",\"default\":\"...\"}");
        }
        return new StaticWebhookSecrets(secrets);
    }

    @Override
    public List<String> secretsFor(String source) {
        List<String> own = usable(secrets.get(source));
        return !own.isEmpty() || SIGNING_SOURCES.contains(source) ? own : usable(secrets.get("default"));
    }

    private static List<String> usable(List<String> values) {
        return values == null ? List.of() : values.stream().filter(s -> !s.isEmpty() && !s.startsWith(PLACEHOLDER_PREFIX)).toList();
    }

    @Override
    public String toString() {
        return "StaticWebhookSecrets" + secrets.keySet();
    }
}
