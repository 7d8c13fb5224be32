package dev.rollcall.core.normalize;

import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Collects an alert's labels: tags and dimensions flattened to string pairs, whatever shape the source gave them
 * ({@code {"k":"v"}}, {@code [{"key":"k","value":"v"}]}, {@code ["k:v"]}, {@code [["k","v"]]}, {@code "k:v,k2:v2"}).
 */
final class Labels {

    private static final Field KEY = Field.of("key");
    private static final Field NAME = Field.of("name");
    private static final Field VALUE = Field.of("value");

    private final Map<String, String> values = new HashMap<>();

    /** Adds a label; null or blank keys and values are skipped. */
    Labels put(String key, String value) {
        if (key != null && value != null && !key.isBlank() && !value.isBlank()) {
            values.put(key, value);
        }
        return this;
    }

    /** Sets a label Rollcall itself decides, over any tag of that name: removed when {@code value} is null or blank. */
    Labels set(String key, String value) {
        values.remove(key);
        return put(key, value);
    }

    /** Adds every tag in any of the shapes sources use, each key prefixed with {@code prefix} (may be empty). */
    Labels putTags(String prefix, JsonNode tags) {
        if (tags == null || tags.isMissingNode() || tags.isNull()) {
            return this;
        }
        if (tags.isObject()) {
            tags.properties().forEach(e -> put(prefix + e.getKey(), Field.textOf(e.getValue())));
        } else if (tags.isArray()) {
            for (JsonNode tag : tags) {
                putTag(prefix, tag);
            }
        } else if (tags.isTextual()) {
            for (String tag : tags.asText().split(",")) {
                putColonPair(prefix, tag.trim());
            }
        }
        return this;
    }

    private void putTag(String prefix, JsonNode tag) {
        if (tag.isTextual()) {
            putColonPair(prefix, tag.asText());
        } else if (tag.isArray() && tag.size() == 2) {
            put(prefix + Field.textOf(tag.get(0)), Field.textOf(tag.get(1)));
        } else if (tag.isObject()) {
            String key = Field.firstOf(KEY.text(tag), NAME.text(tag));
            put(key == null ? null : prefix + key, VALUE.text(tag));
        }
    }

    /** {@code "service:checkout"} becomes service=checkout; a bare {@code "canary"} becomes canary=true. */
    private void putColonPair(String prefix, String tag) {
        if (tag.isEmpty()) {
            return;
        }
        int colon = tag.indexOf(':');
        if (colon < 0) {
            put(prefix + tag, "true");
        } else {
            put(prefix + tag.substring(0, colon), tag.substring(colon + 1));
        }
    }

    String get(String key) {
        return values.get(key);
    }

    /** The first of the keys that has a value. */
    String first(String... keys) {
        for (String key : keys) {
            String value = values.get(key);
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    /** The service a resource's tags name, by the usual tag keys. */
    String serviceTag() {
        return first("service", "Service", "app", "App", "application", "Application");
    }

    /** The environment a resource's tags name, by the usual tag keys. */
    String environmentTag() {
        return first("environment", "Environment", "env", "Env", "stage", "Stage");
    }

    Map<String, String> toMap() {
        return values;
    }
}
