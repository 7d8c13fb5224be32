package dev.rollcall.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.rollcall.core.alert.Alert;
import dev.rollcall.core.alert.AlertJson;
import dev.rollcall.core.alert.AlertState;
import dev.rollcall.core.normalize.EventNormalizer;
import dev.rollcall.core.normalize.IncomingEvent;

class DemoGuideTest {

    private static final Path EVENT = Path.of("/tmp/rollcall-demo/example-alarm.json");
    private static final Instant NOW = Instant.parse("2026-12-06T16:10:42Z");

    @Test
    void examplesOfRoutesThatNeedAWindowCarryOne() {
        // The query API answers 400 without from and to on these routes; a printed example must work as pasted.
        String examples = DemoGuide.examples(LocalConfig.parse(List.of("--demo")), EVENT, NOW);
        List<String> windowed = examples.lines()
                .filter(l -> l.contains("/v1/rollups") || l.contains("/v1/alerts/top") || l.contains("/v1/noise")).toList();
        assertThat(windowed).hasSize(4).allSatisfy(l -> assertThat(l).contains("from=").contains("&to="));
    }

    /** The AWS CLI sends nothing without credentials, and a file it is told to send must exist. */
    @Test
    void awsCliExamplesCarryCredentialsAndSendTheWrittenEvent() {
        List<String> aws = DemoGuide.examples(LocalConfig.parse(List.of("--demo")), EVENT, NOW).lines()
                .filter(l -> l.contains(" aws ")).toList();
        assertThat(aws).hasSize(3).allSatisfy(l -> assertThat(l).contains("AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local aws --region us-east-1"));
        assertThat(aws.get(1)).contains("fileb://" + EVENT);
        assertThat(aws.get(2)).contains("file://" + EVENT);
    }

    /** The CLI truncates the file it writes the answer to: /dev/stdout would empty the log of a demo run into a file. */
    @Test
    void theInvokeExampleWritesItsAnswerToAFileInTheDataDirectoryAndShowsIt() {
        LocalConfig config = LocalConfig.parse(List.of("--demo"));
        String invoke = DemoGuide.examples(config, EVENT, NOW).lines().filter(l -> l.contains(" lambda invoke ")).findFirst().orElseThrow();
        String answer = config.dataDir().toAbsolutePath().resolve("invoke-answer.json").toString();
        assertThat(invoke).doesNotContain("/dev/stdout").endsWith(" " + answer + " && cat " + answer);
    }

    /**
     * The PutEvents example names a source and detail type the stack's rules route, with a detail that is JSON, and is
     * a checkout alarm of the hour the guide rolls up: the rollups request printed after it lists it.
     */
    @Test
    void thePutEventsExampleIsACheckoutAlarmOfTheHourTheGuideRollsUp() {
        String examples = DemoGuide.examples(LocalConfig.parse(List.of("--demo")), EVENT, NOW);
        Matcher entries = Pattern.compile("--entries '(.*)'").matcher(examples);
        assertThat(entries.find()).isTrue();
        JsonNode entry = AlertJson.readTree(entries.group(1)).get(0);
        assertThat(entry.path("Source").asText()).isEqualTo("aws.cloudwatch");
        assertThat(entry.path("DetailType").asText()).isEqualTo("CloudWatch Alarm State Change");
        // The event the bus makes of the entry.
        var event = AlertJson.mapper().createObjectNode().put("version", "0").put("id", "put-1")
                .put("detail-type", entry.path("DetailType").asText()).put("source", entry.path("Source").asText())
                .put("account", LocalConfig.ACCOUNT_ID).put("time", entry.path("Time").asText()).put("region", LocalConfig.REGION);
        event.putArray("resources");
        event.set("detail", AlertJson.readTree(entry.path("Detail").asText()));

        List<Alert> alerts = EventNormalizer.withBundledRules().normalize(new IncomingEvent(AlertJson.toBytes(event), null, Map.of(),
                IncomingEvent.Door.EVENTBRIDGE, NOW));

        assertThat(alerts).singleElement().satisfies(alert -> {
            assertThat(alert.name()).isEqualTo("checkout-TryItPutEvents");
            assertThat(alert.state()).isEqualTo(AlertState.FIRING);
            assertThat(alert.service()).isEqualTo("checkout");
            assertThat(alert.occurredAt()).isEqualTo(DemoGuide.exampleTime(NOW));
        });
    }

    /**
     * The example alarm fired in the hour that just ended, which a job may roll up at once (POST /v1/jobs refuses a
     * window starting in the current hour): the printed job and rollups requests cover exactly that hour.
     */
    @Test
    void theExampleEventIsAnAlarmOfTheHourThatJustEndedWhichTheGuideRollsUp() {
        Instant firedAt = DemoGuide.exampleTime(NOW);
        assertThat(firedAt).isEqualTo(Instant.parse("2026-12-06T15:30:00Z"));
        byte[] event = DemoGuide.exampleEvent(firedAt).getBytes(StandardCharsets.UTF_8);

        List<Alert> alerts = EventNormalizer.withBundledRules().normalize(new IncomingEvent(event, null, Map.of(), IncomingEvent.Door.SQS, NOW));

        assertThat(alerts).singleElement().satisfies(alert -> {
            assertThat(alert.source()).isEqualTo("cloudwatch");
            assertThat(alert.state()).isEqualTo(AlertState.FIRING);
            assertThat(alert.occurredAt()).isEqualTo(firedAt);
            assertThat(alert.service()).isEqualTo("checkout");
        });
        String examples = DemoGuide.examples(LocalConfig.parse(List.of("--demo")), EVENT, NOW);
        assertThat(examples).contains("/v1/jobs' -d '{\"from\":\"2026-12-06T15:00:00Z\",\"to\":\"2026-12-06T16:00:00Z\",\"interval\":\"all\"}'")
                .contains("/v1/rollups?interval=hour&group_by=name&service=checkout&from=2026-12-06T15:00:00Z&to=2026-12-06T16:00:00Z'")
                .contains("an alarm that fired at 2026-12-06T15:30:00Z")
                .contains("/v1/jobs?limit=5'   # yours is rollcall-aggregate-all-20261206T150000Z-20261206T160000Z");
    }
}
