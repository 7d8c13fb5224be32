package dev.rollcall.core.normalize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import dev.rollcall.core.alert.Alert;
import dev.rollcall.core.alert.AlertJson;

/**
 * Every sample (published, or derived from one as samples/SOURCES.md says), mutated at random (fields removed, set
 * to null or to values of another type, embedded JSON strings broken): a vendor's payload that differs from its documentation either becomes alerts that serialize, or
 * is refused as malformed (MalformedJsonException, IllegalArgumentException, which the pipeline reports per event).
 * Any other exception is a normalizer bug that would send a whole event to the dead-letter queue with a stack trace.
 */
class NormalizerMutationFuzzTest {

    /** Webhook samples carry no envelope naming their source; the webhook door passes it as a hint from the URL. */
    private static final Set<String> HINTED = Set.of("sentry", "datadog", "alertmanager", "pagerduty");
    private static final int CASES_PER_SAMPLE = 150;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<JsonNode> REPLACEMENTS = List.of(NODES.nullNode(), NODES.numberNode(42), NODES.numberNode(-1),
            NODES.numberNode(1e308), NODES.textNode(""), NODES.textNode("x"), NODES.textNode("2026-13-45T99:99:99Z"),
            NODES.textNode("{\"broken\":"), NODES.booleanNode(true), NODES.objectNode(), NODES.arrayNode(),
            NODES.textNode("ü".repeat(5_000)), NODES.arrayNode().add(NODES.nullNode()));

    static Stream<String> samples() throws IOException, URISyntaxException {
        Path root = Path.of(NormalizerMutationFuzzTest.class.getResource("/samples").toURI());
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(f -> f.toString().endsWith(".json")).map(f -> root.relativize(f).toString().replace('\\', '/'))
                    .sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("samples")
    void aMutatedSampleBecomesAlertsOrIsRefusedAsMalformed(String sample) {
        String folder = sample.substring(0, sample.indexOf('/'));
        String hint = HINTED.contains(folder) ? folder : null;
        JsonNode original = AlertJson.readTree(Samples.bytes(sample));
        Random random = new Random(sample.hashCode());
        int becameAlerts = 0;
        for (int i = 0; i < CASES_PER_SAMPLE; i++) {
            JsonNode mutated = original.deepCopy();
            List<String> changes = new ArrayList<>();
            int count = 1 + random.nextInt(3);
            for (int c = 0; c < count; c++) {
                mutated = mutate(mutated, random, changes);
            }
            byte[] body = AlertJson.toJson(mutated).getBytes(StandardCharsets.UTF_8);
            try {
                List<Alert> alerts = Samples.UNCLASSIFIED.normalize(Samples.incoming(body, hint, Map.of()));
                for (Alert alert : alerts) {
                    // What the store writes must read back as the same alert.
                    assertThat(AlertJson.readAlert(AlertJson.toJson(alert))).as(sample + " " + changes).isEqualTo(alert);
                }
                becameAlerts += alerts.isEmpty() ? 0 : 1;
            } catch (NumberFormatException bug) {
                // An IllegalArgumentException, but a parse a normalizer forgot to guard, not a refusal.
                fail(sample + " with " + changes + " threw " + bug, bug);
            } catch (IllegalArgumentException refused) { // MalformedJsonException among them
                assertThat(refused.getMessage()).as(sample + " " + changes).isNotBlank();
            } catch (RuntimeException bug) {
                fail(sample + " with " + changes + " threw " + bug, bug);
            }
        }
        // Most mutations leave a payload its normalizer still reads: a normalizer that refused everything odd would
        // pass the loop above while losing vendors' alerts whose payloads differ from their documentation.
        if (!Samples.UNCLASSIFIED.normalize(Samples.incoming(Samples.bytes(sample), hint, Map.of())).isEmpty()) {
            assertThat(becameAlerts).as(sample + ": mutated cases that still became alerts").isGreaterThan(CASES_PER_SAMPLE / 3);
        }
    }

    /** One random change somewhere in the tree; {@code changes} says which, for the failure message. */
    private static JsonNode mutate(JsonNode root, Random random, List<String> changes) {
        List<Location> locations = new ArrayList<>();
        collect(root, "$", locations);
        if (locations.isEmpty()) {
            return root;
        }
        Location at = locations.get(random.nextInt(locations.size()));
        JsonNode current = at.value();
        JsonNode replacement;
        String what;
        JsonNode inner = embeddedJson(current);
        if (inner != null && random.nextBoolean()) {
            // An envelope's embedded JSON (SNS Message, SQS body): mutate inside it and put it back as text.
            replacement = TextNode.valueOf(AlertJson.toJson(mutate(inner, random, changes)));
            what = "inner";
        } else if (random.nextInt(4) == 0) {
            at.remove().accept(null);
            changes.add("removed " + at.path());
            return root;
        } else {
            replacement = REPLACEMENTS.get(random.nextInt(REPLACEMENTS.size()));
            what = replacement.toString().length() > 30 ? replacement.toString().substring(0, 30) + "..." : replacement.toString();
        }
        changes.add(at.path() + "=" + what);
        at.set().accept(replacement);
        return root;
    }

    private static JsonNode embeddedJson(JsonNode node) {
        if (!node.isTextual() || !node.asText().trim().startsWith("{")) {
            return null;
        }
        try {
            return AlertJson.readTree(node.asText().getBytes(StandardCharsets.UTF_8));
        } catch (AlertJson.MalformedJsonException e) {
            return null;
        }
    }

    private record Location(String path, JsonNode value, Consumer<JsonNode> set, Consumer<Void> remove) {
    }

    private static void collect(JsonNode node, String path, List<Location> into) {
        if (node instanceof ObjectNode object) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                JsonNode child = object.get(name);
                into.add(new Location(path + "." + name, child, v -> object.set(name, v), v -> object.remove(name)));
                collect(child, path + "." + name, into);
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                int index = i;
                JsonNode child = array.get(i);
                into.add(new Location(path + "[" + i + "]", child, v -> array.set(index, v), v -> array.remove(index)));
                collect(child, path + "[" + i + "]", into);
            }
        }
    }
}
