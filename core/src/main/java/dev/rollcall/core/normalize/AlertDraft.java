package dev.rollcall.core.normalize;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import dev.rollcall.core.alert.AlertState;
import dev.rollcall.core.alert.Severity;
import dev.rollcall.core.classify.AlertFacts;
import dev.rollcall.core.classify.SourceIdentities;

/**
 * What a source normalizer makes of one payload, before classification and fingerprinting make it an
 * {@link dev.rollcall.core.alert.Alert}. A null {@code occurredAt} means "when it was received". {@code rawPart} is
 * the part of a payload carrying several alerts that this one came from (the payload with its list holding only this
 * alert's entry), or null when the whole payload is this alert's.
 */
record AlertDraft(
        String eventId,
        Instant occurredAt,
        String source,
        String account,
        String region,
        String environment,
        String service,
        String name,
        String title,
        AlertState state,
        Severity severity,
        Map<String, String> labels,
        Map<String, String> identities,
        JsonNode rawPart) implements AlertFacts {

    /**
     * Characters of each text that classification rules read (of a name, the {@value FieldLimits#NAME_CHARS} stored):
     * a sender controls these texts, and a rule's regex can take time quadratic (or worse) in their length. As many
     * as a keyword dimension keeps.
     */
    static final int RULE_TEXT_CHARS = FieldLimits.KEYWORD_CHARS;

    static Builder builder(String source) {
        return new Builder(source);
    }

    /** This draft as classification rules see it: its name as stored, every other text and label value cut to {@value #RULE_TEXT_CHARS} characters. */
    AlertDraft forRules() {
        if (name.length() <= FieldLimits.NAME_CHARS && !longerThanRules(title) && !longerThanRules(account) && !longerThanRules(region)
                && !longerThanRules(environment) && !longerThanRules(service)
                && labels.values().stream().noneMatch(AlertDraft::longerThanRules)) {
            return this;
        }
        Map<String, String> boundedLabels = new java.util.TreeMap<>();
        labels.forEach((key, value) -> boundedLabels.put(key, FieldLimits.truncate(value, RULE_TEXT_CHARS)));
        return new AlertDraft(eventId, occurredAt, source, FieldLimits.truncate(account, RULE_TEXT_CHARS),
                FieldLimits.truncate(region, RULE_TEXT_CHARS), FieldLimits.truncate(environment, RULE_TEXT_CHARS),
                FieldLimits.truncate(service, RULE_TEXT_CHARS), FieldLimits.truncate(name, FieldLimits.NAME_CHARS),
                FieldLimits.truncate(title, RULE_TEXT_CHARS), state, severity, boundedLabels, identities, rawPart);
    }

    private static boolean longerThanRules(String text) {
        return text != null && text.length() > RULE_TEXT_CHARS;
    }

    /** Collects a draft field by field; each source normalizer fills what its payload has. */
    static final class Builder {
        private final String source;
        private String eventId;
        private Instant occurredAt;
        private String account;
        private String region;
        private String environment;
        private String service;
        private String name;
        private String title;
        private AlertState state = AlertState.INFO;
        private Severity severity = Severity.INFO;
        private Map<String, String> labels = Map.of();
        private final Labels identities = new Labels();
        private JsonNode rawPart;

        private Builder(String source) {
            this.source = source;
        }

        Builder eventId(String value) {
            eventId = value;
            return this;
        }

        Builder occurredAt(Instant value) {
            occurredAt = value;
            return this;
        }

        Builder account(String value) {
            account = value;
            return this;
        }

        Builder region(String value) {
            region = value;
            return this;
        }

        Builder environment(String value) {
            environment = value;
            return this;
        }

        Builder service(String value) {
            service = value;
            return this;
        }

        Builder name(String value) {
            name = value;
            return this;
        }

        Builder title(String value) {
            title = value;
            return this;
        }

        Builder state(AlertState value) {
            state = value;
            return this;
        }

        Builder severity(Severity value) {
            severity = value;
            return this;
        }

        Builder labels(Labels value) {
            labels = value.toMap();
            return this;
        }

        /** The labels, and the service and environment their tags name ({@link Labels#serviceTag()}, {@link Labels#environmentTag()}). */
        Builder labelsWithTaggedPlace(Labels value) {
            service = value.serviceTag();
            environment = value.environmentTag();
            return labels(value);
        }

        Builder rawPart(JsonNode value) {
            rawPart = value;
            return this;
        }

        Builder identity(String key, String value) {
            if (!SourceIdentities.NAMES.contains(key)) {
                throw new IllegalArgumentException("identity '" + key + "' is not in SourceIdentities: a rules file could not use it");
            }
            identities.put(key, value);
            return this;
        }

        AlertDraft build() {
            return new AlertDraft(eventId, occurredAt, source, account, region, environment, service,
                    name == null || name.isBlank() ? source + " event" : name, title, state, severity, labels, identities.toMap(), rawPart);
        }
    }
}
