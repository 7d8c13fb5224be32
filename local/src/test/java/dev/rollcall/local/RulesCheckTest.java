package dev.rollcall.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.rollcall.core.alert.AlertJson;

/** {@code ./rollcall rules}: a rules file checked offline, and sample events classified by it. */
class RulesCheckTest {

    private static final Path ALARM = Path.of("src/test/resources/cloudwatch-alarm-state-change.json");

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return RulesCheck.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void aValidFileIsListedAndEachEventShowsTheRuleThatClassifiedIt() throws IOException {
        Path rules = Files.writeString(dir.resolve("rules.yaml"), """
                version: 1
                rules:
                  - id: staging-never-pages
                    match: {environment: staging}
                    urgency: ignore
                  - id: cpu-alarms
                    match:
                      source: cloudwatch
                      name: {regex: '(?<what>[A-Za-z]+)CpuTooHigh'}
                    urgency: low
                    service: ${what}
                """);

        assertThat(run(rules.toString(), ALARM.toString())).isZero();

        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines.get(0)).isEqualTo("rules " + rules + ": valid, 2 rules in order: staging-never-pages, cpu-alarms");
        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).startsWith(ALARM + ": {");
        JsonNode alert = AlertJson.readTree(lines.get(1).substring(ALARM.toString().length() + 2));
        assertThat(alert.path("urgency").asText()).isEqualTo("low");
        assertThat(alert.path("classified_by").asText()).isEqualTo("cpu-alarms");
        assertThat(alert.path("unclassified").asBoolean()).isFalse();
        assertThat(alert.path("service").asText()).isEqualTo("Server");
        assertThat(alert.path("name").asText()).isEqualTo("ServerCpuTooHigh");
        assertThat(alert.path("state").asText()).isEqualTo("firing");
        assertThat(alert.path("fingerprint").asText()).startsWith("cloudwatch:");
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void anEventNoRuleMatchesSaysItIsUnclassifiedAndPages() throws IOException {
        Path rules = Files.writeString(dir.resolve("rules.yaml"), "version: 1\nrules:\n  - id: none\n    match: {source: sentry}\n    urgency: low\n");

        assertThat(run(rules.toString(), ALARM.toString())).isZero();

        JsonNode alert = AlertJson.readTree(out.toString(StandardCharsets.UTF_8).lines().toList().get(1).substring(ALARM.toString().length() + 2));
        assertThat(alert.path("urgency").asText()).isEqualTo("high");
        assertThat(alert.path("unclassified").asBoolean()).isTrue();
        assertThat(alert.has("classified_by")).isTrue();
        assertThat(alert.path("classified_by").isNull()).isTrue();
    }

    @Test
    void aWrongRulesFileIsExit2WithTheRuleAndWhatIsWrong() throws IOException {
        Path rules = Files.writeString(dir.resolve("rules.yaml"), "version: 1\nrules:\n  - id: typo\n    urgency: hgh\n");

        assertThat(run(rules.toString(), ALARM.toString())).isEqualTo(2);

        assertThat(err.toString(StandardCharsets.UTF_8).strip())
                .isEqualTo("rules: rules file " + rules + ": rule 'typo' (#1): urgency 'hgh' is not one of: high, low, ignore");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void missingOrBrokenEventFilesAreNamedAndTheOthersStillClassified() throws IOException {
        Path broken = Files.writeString(dir.resolve("broken.json"), "{\"source\": ");
        Path missing = dir.resolve("missing.json");

        assertThat(run(RulesCheckTest.bundledRulesCopy(dir).toString(), missing.toString(), broken.toString(), ALARM.toString())).isEqualTo(2);

        String errors = err.toString(StandardCharsets.UTF_8);
        assertThat(errors).contains(missing + ": no such file").contains(broken + ": ");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains(ALARM + ": {");
    }

    @Test
    void aNamedSourceDecidesAmongWebhookShapesAsTheWebhookPathDoes() throws IOException {
        // A Datadog webhook from a custom template: only its path, /v1/events/datadog, says it is Datadog's.
        Path hook = Files.writeString(dir.resolve("datadog.json"), "{\"id\":\"42\",\"title\":\"[Triggered] High latency\",\"scope\":\"service:checkout\"}");
        Path rules = RulesCheckTest.bundledRulesCopy(dir);

        assertThat(run(rules.toString(), hook.toString())).isZero();
        assertThat(run(rules.toString(), "--source", "datadog", hook.toString())).isZero();

        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith(hook.toString())).toList();
        assertThat(lines).hasSize(2);
        assertThat(AlertJson.readTree(lines.get(0).substring(hook.toString().length() + 2)).path("source").asText()).isEqualTo("custom");
        assertThat(AlertJson.readTree(lines.get(1).substring(hook.toString().length() + 2)).path("source").asText()).isEqualTo("datadog");
        assertThat(run(rules.toString(), hook.toString(), "--source")).isEqualTo(2);
    }

    @Test
    void withoutArgumentsItPrintsUsageAndExits2() {
        assertThat(run()).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("usage: ./rollcall rules FILE [--source NAME] [EVENT ...]");
    }

    /** The rules that ship with Rollcall, as a file. */
    static Path bundledRulesCopy(Path dir) throws IOException {
        try (var in = RulesCheckTest.class.getResourceAsStream(dev.rollcall.core.classify.ClassificationRules.BUNDLED_RESOURCE)) {
            return Files.write(dir.resolve("bundled.yaml"), in.readAllBytes());
        }
    }
}
