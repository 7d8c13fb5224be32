package dev.rollcall.core.normalize;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;

import dev.rollcall.core.alert.Alert;
import dev.rollcall.core.alert.AlertJson;
import dev.rollcall.core.classify.Classification;
import dev.rollcall.core.classify.ClassificationRules;
import dev.rollcall.core.classify.Fingerprint;
import dev.rollcall.core.classify.RulesFileException;

/**
 * Turns one incoming payload into the alerts it carries, whatever its source and envelope: the single entry point
 * the ingest handlers and local mode call. Pure and thread-safe.
 *
 * <p>Contract: malformed JSON throws {@link AlertJson.MalformedJsonException} (plain text on the SQS door is kept
 * as text, see {@link #payloadOf}); a payload that is not an alert
 * (an SNS subscription confirmation, an alarm configuration change, an ECS task or Batch job that did not fail)
 * yields an empty list; anything else that no normalizer knows is kept as one {@code custom} alert with {@code raw}
 * intact, never dropped.
 *
 * <p>The source is read from the payload itself (EventBridge {@code source} and {@code detail-type}, the SNS
 * {@code Type}, field shapes); {@link IncomingEvent#sourceHint()} decides among webhook shapes. Every alert is
 * classified by the rules file and fingerprinted by its source's fingerprint fields.
 */
public final class EventNormalizer {

    /** The environment variable naming a rules file (YAML or JSON); unset means the bundled default rules. */
    public static final String RULES_FILE_VARIABLE = "ROLLCALL_RULES_FILE";

    /** The label keeping a source time too far from the arrival to be believed (see {@link OccurrenceTime}). */
    public static final String SOURCE_TIME_LABEL = "source_time";

    private final ClassificationRules rules;

    EventNormalizer(ClassificationRules rules) {
        this.rules = rules;
    }

    /**
     * A normalizer with the rules file named by {@value #RULES_FILE_VARIABLE}, or the bundled default rules when
     * it is unset. A missing or invalid file fails here, at start-up, with a message naming the variable, the file
     * and the bad rule.
     */
    public static EventNormalizer fromEnvironment(Map<String, String> env) {
        String file = env.get(RULES_FILE_VARIABLE);
        if (file == null || file.isBlank()) {
            return withBundledRules();
        }
        try {
            return withRulesFile(Path.of(file.trim()));
        } catch (RulesFileException e) {
            throw new IllegalArgumentException(RULES_FILE_VARIABLE + "=" + file + ": " + e.getMessage(), e);
        }
    }

    /** A normalizer with the rules of {@code file}; a missing or invalid file throws {@link RulesFileException}. */
    public static EventNormalizer withRulesFile(Path file) {
        return new EventNormalizer(ClassificationRules.load(file));
    }

    /** A normalizer with the default rules that ship with Rollcall. */
    public static EventNormalizer withBundledRules() {
        return new EventNormalizer(ClassificationRules.bundled());
    }

    /**
     * Whether a webhook body for {@code source} is read alert by alert (a group in Alertmanager's format), so that a
     * body too large for one queue message may be queued in parts without changing what is counted.
     */
    public static boolean readsAlertByAlert(JsonNode payload, String source) {
        return SourceDispatch.readsAlertByAlert(payload, source);
    }

    /**
     * Why a webhook body POSTed for {@code source} is no event, for the door to refuse it (400) before it is queued:
     * a JSON value that is no object or array (null, a number, a string that holds no JSON), or a group of alerts in
     * Alertmanager's format that breaks it (an entry or its labels no object, a status other than firing or resolved),
     * wherever it sits in the envelopes the body is read through (JSON written as a string, SNS, {@code Records}).
     * Empty when it is read as the class contract says.
     */
    public static Optional<String> webhookBodyMalformation(byte[] body, JsonNode payload, String source) {
        IncomingEvent asQueued = new IncomingEvent(body, source, Map.of(), IncomingEvent.Door.WEBHOOK, Instant.EPOCH);
        for (Inbound inbound : Envelopes.unwrap(new Inbound(payload, asQueued))) {
            JsonNode inner = inbound.payload();
            if (inner == payload && !inner.isContainerNode()) {
                // Text inside an envelope (an SNS message that is a sentence) is kept as text; a body that is only a
                // scalar is no event at all.
                return Optional.of("body must be a JSON object, got " + (inner.isNull() ? "null" : "a " + inner.getNodeType().name().toLowerCase(Locale.ROOT)));
            }
            if (inner.isObject() && readsAlertByAlert(inner, inbound.sourceHint())) {
                Optional<String> malformed = AlertmanagerNormalizer.malformation(inner);
                if (malformed.isPresent()) {
                    return malformed;
                }
            }
        }
        return Optional.empty();
    }

    /** Normalizes one payload; see the class contract. */
    public List<Alert> normalize(IncomingEvent event) {
        JsonNode root = payloadOf(event);
        Inbound received = new Inbound(root, event);
        List<Alert> alerts = new ArrayList<>(1);
        for (Inbound inbound : Envelopes.unwrap(received)) {
            for (AlertDraft draft : SourceDispatch.normalize(inbound)) {
                alerts.add(finish(draft, inbound));
            }
        }
        return alerts;
    }

    /**
     * The body as JSON; on the SQS door, a body that does not even try to be JSON (no leading {@code {} or
     * {@code [}: a text message from SNS with raw delivery, a producer sending text) is kept as text, as the same text
     * inside an SNS envelope is, rather than refused on every receive until it lands in the dead-letter queue.
     */
    private static JsonNode payloadOf(IncomingEvent event) {
        try {
            return AlertJson.readPayload(event.body());
        } catch (AlertJson.MalformedJsonException e) {
            String text = new String(event.body(), java.nio.charset.StandardCharsets.UTF_8).strip();
            if (event.door() != IncomingEvent.Door.SQS || text.isEmpty() || text.charAt(0) == '{' || text.charAt(0) == '[') {
                throw e;
            }
            return com.fasterxml.jackson.databind.node.TextNode.valueOf(text);
        }
    }

    /**
     * The payload as received, in its envelopes; for a payload carrying several alerts, the part this alert came
     * from, in the envelopes cut down to what they share (see {@link GroupEnvelope}), so that a group of N alerts
     * is stored in about the size of its body, not N copies of it, whatever it arrived in.
     */
    private static JsonNode rawOf(AlertDraft draft, Inbound inbound) {
        return inbound.rawOf(draft.rawPart() != null ? draft.rawPart() : inbound.payload());
    }

    private Alert finish(AlertDraft draft, Inbound inbound) {
        Fingerprint fingerprint = rules.fingerprint(draft);
        Classification classification = rules.classify(draft.forRules());
        IncomingEvent event = inbound.event();
        Map<String, String> labels = draft.labels();
        if (draft.occurredAt() != null && !OccurrenceTime.believable(draft.occurredAt(), event.sentAt())) {
            // Kept, so that nothing the source said is lost; the alert counts when it arrived.
            labels = new TreeMap<>(labels);
            labels.put(SOURCE_TIME_LABEL, draft.occurredAt().toString());
        }
        labels = FieldLimits.labels(labels);
        String source = draft.source();
        return new Alert(
                FieldLimits.eventId(source, draft.eventId()),
                OccurrenceTime.of(draft.occurredAt(), event.sentAt()),
                event.receivedAt(),
                source,
                FieldLimits.truncate(draft.account(), FieldLimits.KEYWORD_CHARS),
                FieldLimits.truncate(draft.region(), FieldLimits.KEYWORD_CHARS),
                FieldLimits.truncate(classification.environment() != null ? classification.environment() : draft.environment(), FieldLimits.KEYWORD_CHARS),
                FieldLimits.truncate(classification.service() != null ? classification.service() : draft.service(), FieldLimits.KEYWORD_CHARS),
                FieldLimits.truncate(draft.name(), FieldLimits.NAME_CHARS),
                draft.title(),
                draft.state(),
                draft.severity(),
                classification.urgency(),
                classification.unclassified(),
                classification.ruleId(),
                FieldLimits.fingerprint(source, fingerprint.value()),
                fingerprint.fields(),
                labels,
                rawOf(draft, inbound));
    }
}
