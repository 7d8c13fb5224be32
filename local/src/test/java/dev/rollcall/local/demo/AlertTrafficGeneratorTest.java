package dev.rollcall.local.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.rollcall.core.alert.AlertJson;

class AlertTrafficGeneratorTest {

    private static final AlertTrafficGenerator.Settings MONTH =
            new AlertTrafficGenerator.Settings(42, Instant.parse("2026-10-01T00:00:00Z"), Duration.ofDays(30), 1800);

    @Test
    void theSameSeedGivesTheSameEventsAndAnotherSeedOthers() {
        List<SimulatedEvent> a = new AlertTrafficGenerator(MONTH).events();
        List<SimulatedEvent> b = new AlertTrafficGenerator(MONTH).events();
        List<SimulatedEvent> c = new AlertTrafficGenerator(new AlertTrafficGenerator.Settings(7, MONTH.start(), MONTH.span(), MONTH.episodes())).events();
        assertThat(a).isEqualTo(b);
        assertThat(a).isNotEqualTo(c);
        assertThat(a).extracting(SimulatedEvent::id).doesNotHaveDuplicates();
        assertThat(a).isSortedAccordingTo(Comparator.comparing(SimulatedEvent::time));
        assertThat(a).allMatch(e -> !e.time().isBefore(MONTH.start()) && !e.time().isAfter(MONTH.start().plus(MONTH.span())));
    }

    @Test
    void aFewAlertsMakeMostOfTheVolume() {
        List<SimulatedEvent> events = new AlertTrafficGenerator(MONTH).events();
        Map<String, Long> perAlert = events.stream().collect(Collectors.groupingBy(e -> e.alert().name(), Collectors.counting()));
        List<Long> sorted = perAlert.values().stream().sorted(Comparator.reverseOrder()).toList();
        long top10 = sorted.stream().limit(10).mapToLong(Long::longValue).sum();
        assertThat((double) top10 / events.size()).isGreaterThan(0.5);
        assertThat(perAlert.size()).isGreaterThan(30);
    }

    @Test
    void theServicesSpreadOverEveryAccount() {
        List<AlertDefinition> estate = new AlertTrafficGenerator(MONTH).estate();
        assertThat(estate.stream().map(AlertDefinition::account).distinct()).containsExactlyInAnyOrderElementsOf(AlertTrafficGenerator.ACCOUNTS);
        assertThat(estate.stream().map(AlertDefinition::service).distinct()).hasSize(8);
        // One service, one account: its alarms are one team's.
        assertThat(estate.stream().collect(Collectors.groupingBy(AlertDefinition::service,
                Collectors.mapping(AlertDefinition::account, Collectors.toSet()))).values()).allMatch(accounts -> accounts.size() == 1);
    }

    @Test
    void everyKindOfEpisodeAndSourceOccurs() {
        List<SimulatedEvent> events = new AlertTrafficGenerator(MONTH).events();
        assertThat(events.stream().map(e -> e.alert().profile()).distinct()).containsExactlyInAnyOrder(AlertDefinition.Profile.values());
        assertThat(events.stream().map(e -> e.alert().kind()).distinct()).containsExactlyInAnyOrder(AlertDefinition.Kind.values());
        Map<Boolean, Long> states = events.stream().collect(Collectors.groupingBy(SimulatedEvent::firing, Collectors.counting()));
        assertThat(states.get(true)).isPositive();
        assertThat(states.get(false)).isPositive();
    }

    @Test
    void payloadsHaveTheShapeOfTheirRealSources() {
        Map<AlertDefinition.Kind, SimulatedEvent> one = new AlertTrafficGenerator(MONTH).events().stream()
                .collect(Collectors.toMap(e -> e.alert().kind(), Function.identity(), (x, y) -> x));
        JsonNode cw = AlertJson.readTree(PayloadRenderer.render(one.get(AlertDefinition.Kind.CLOUDWATCH)));
        assertThat(cw.path("detail-type").asText()).isEqualTo("CloudWatch Alarm State Change");
        assertThat(cw.path("detail").path("state").path("value").asText()).isIn("ALARM", "OK");
        JsonNode am = AlertJson.readTree(PayloadRenderer.render(one.get(AlertDefinition.Kind.ALERTMANAGER)));
        assertThat(am.path("alerts")).hasSize(1);
        assertThat(am.path("alerts").get(0).path("labels").path("service").asText()).isNotBlank();
        JsonNode sentry = AlertJson.readTree(PayloadRenderer.render(one.get(AlertDefinition.Kind.SENTRY)));
        assertThat(sentry.path("data").path("event").path("title").asText()).isNotBlank();
        assertThat(PayloadRenderer.webhookSource(one.get(AlertDefinition.Kind.SENTRY))).isEqualTo("sentry");
    }
}
