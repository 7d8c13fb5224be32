package dev.rollcall.core.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.provider.Arguments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.rollcall.core.alert.Alert;
import dev.rollcall.core.alert.AlertJson;
import dev.rollcall.core.classify.ClassificationRules;

/** Loads the sample payloads under src/test/resources/samples (published, or derived as its SOURCES.md says) and checks what they normalize to. */
final class Samples {

    /** The ingest time every sample is normalized at. */
    static final Instant RECEIVED = Instant.parse("2026-03-14T12:00:00Z");

    /** No rules: normalizer tests see every alert unclassified, whatever the default rules say. */
    static final EventNormalizer UNCLASSIFIED = new EventNormalizer(ClassificationRules.empty());

    private Samples() {
    }

    /** One row of a sample table: the sample's path under samples/ and the alert documents it must become. */
    static Arguments row(String sample, String expectedJson) {
        return Arguments.of(sample, expectedJson);
    }

    static byte[] bytes(String sample) {
        try (InputStream in = Samples.class.getResourceAsStream("/samples/" + sample)) {
            if (in == null) {
                throw new IllegalArgumentException("no sample " + sample);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static IncomingEvent incoming(String sample, String hint, Map<String, String> headers) {
        return incoming(bytes(sample), hint, headers);
    }

    /**
     * A sample through a door with no rules of its own, so that it is normalized by what it is and its id is its bytes':
     * what the webhook door refuses to believe is tested by itself ({@code WebhookNormalizersTest}).
     */
    static IncomingEvent incoming(byte[] body, String hint, Map<String, String> headers) {
        return new IncomingEvent(body, hint, headers, IncomingEvent.Door.EVENTBRIDGE, RECEIVED);
    }

    /** Normalizes JSON text (a sample edited for one case) with no hint and no headers. */
    static List<Alert> normalizeJson(String json) {
        return UNCLASSIFIED.normalize(incoming(json.getBytes(StandardCharsets.UTF_8), null, Map.of()));
    }

    /** A sample parsed, to edit for one case. */
    static ObjectNode tree(String sample) {
        return (ObjectNode) AlertJson.readTree(bytes(sample));
    }

    /**
     * The first alert of a sample EventBridge event as another bus receives its copy: the administrator account's,
     * or the aggregation Region's, with an EventBridge id of its own.
     */
    static Alert normalizeCopyReceivedBy(String sample, String account, String region) {
        ObjectNode copy = tree(sample);
        copy.put("id", "0b7c6f1e-1111-2222-3333-444455556666").put("account", account).put("region", region);
        return normalizeJson(copy.toString()).get(0);
    }

    static List<Alert> normalize(String sample) {
        return UNCLASSIFIED.normalize(incoming(sample, null, Map.of()));
    }

    /** The alerts as their JSON documents without {@code raw}, for comparing every other field at once. */
    static JsonNode documentsWithoutRaw(List<Alert> alerts) {
        ArrayNode documents = AlertJson.mapper().createArrayNode();
        for (Alert alert : alerts) {
            ObjectNode document = (ObjectNode) AlertJson.readTree(AlertJson.toJson(alert));
            document.remove("raw");
            documents.add(document);
        }
        return documents;
    }

    /**
     * Normalizes a sample and checks every field of every alert against {@code expectedJson} (a JSON array of alert
     * documents without raw), and that each alert's raw is the payload as received, envelopes included: whole, or for
     * a payload carrying several alerts, with its list ({@code alerts}, {@code Records}) holding only the alert's entry.
     */
    static void assertNormalizesTo(String sample, String hint, Map<String, String> headers, String expectedJson) {
        byte[] body = bytes(sample);
        List<Alert> alerts = UNCLASSIFIED.normalize(incoming(body, hint, headers));
        assertThat(documentsWithoutRaw(alerts)).as(sample).isEqualTo(AlertJson.readTree(expectedJson));
        JsonNode original = AlertJson.readTree(body);
        assertThat(alerts).allSatisfy(alert -> assertThat(isWholeOrOnePart(alert.raw(), original)).as(sample + ": raw " + alert.raw()).isTrue());
    }

    private static boolean isWholeOrOnePart(JsonNode raw, JsonNode original) {
        if (raw.equals(original)) {
            return true;
        }
        for (String list : List.of("alerts", "Records")) {
            JsonNode entries = original.path(list);
            if (entries.isArray() && entries.size() > 1 && raw.path(list).size() == 1) {
                ObjectNode rest = ((ObjectNode) original).deepCopy();
                rest.set(list, raw.path(list));
                boolean ownEntry = false;
                for (JsonNode entry : entries) {
                    ownEntry |= entry.equals(raw.path(list).get(0));
                }
                return ownEntry && rest.equals(raw);
            }
        }
        return false;
    }
}
