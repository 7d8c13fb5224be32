package dev.rollcall.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

import dev.rollcall.core.alert.Alert;
import dev.rollcall.core.alert.AlertState;
import dev.rollcall.servers.ClosedPort;
import dev.rollcall.servers.FaultInjectingProxy;
import dev.rollcall.servers.junit.RealServers;
import dev.rollcall.servers.junit.TestOpenSearch;

/** What a busy or failing OpenSearch does to a run: smaller pages, or a failed run that leaves the watermark alone. */
@RealServers
class FaultsIT {

    @Test
    void rejectedPagesAreRetriedSmallerAndNothingIsLost(TestOpenSearch openSearch) {
        JobFixture fixture = new JobFixture(openSearch, "faults-429");
        Map<String, JsonNode> expected = rolledUpCleanly(fixture, JobFixture.randomAlerts(41, 2_000, "2026-06-01T00:00:00Z", 1, 30),
                "2026-06-01", "2026-06-02");
        try (FaultInjectingProxy proxy = FaultInjectingProxy.start(openSearch.uri())) {
            proxy.failNext(3, 429, path -> path.equals("/_search"));
            JobFixture.LoggedRun rerun = fixture.runLogged(Instant.now().toString(), List.of("ROLLCALL_OPENSEARCH_ENDPOINT", proxy.uri().toString(),
                    "ROLLCALL_JOB_PAGE_SIZE", "400"), "--from", "2026-06-01", "--to", "2026-06-02");
            assertThat(rerun.summary().rejectedPages()).isEqualTo(3);
            assertThat(rerun.summary().eventsRead()).isEqualTo(2_000);
            // The three rejections hit the first page one after another: each retry asked for half the events.
            List<JsonNode> rejected = rerun.lines("page_rejected");
            assertThat(rejected).extracting(l -> l.path("page_size").asInt()).containsExactly(400, 200, 100);
            assertThat(rejected).extracting(l -> l.path("next_page_size").asInt()).containsExactly(200, 100, 50);
            assertThat(fixture.rollups()).isEqualTo(expected);
            fixture.assertRewroteAll(rerun.summary(), expected);
        }
    }

    @Test
    void aRunWhoseWritesFailExitsWithOneAndLeavesTheWatermark(TestOpenSearch openSearch) {
        JobFixture fixture = new JobFixture(openSearch, "faults-bulk");
        JsonNode before = watermarkAtNoonThenTheRest(fixture, JobFixture.randomAlerts(43, 500, "2026-06-10T00:00:00Z", 1, 20), "2026-06-10");
        try (FaultInjectingProxy proxy = FaultInjectingProxy.start(openSearch.uri())) {
            proxy.failNext(Integer.MAX_VALUE, 400, path -> path.endsWith("/_bulk"));
            JobFixture.JobExit exit = fixture.exec("2026-06-11T00:30:00Z", List.of("ROLLCALL_OPENSEARCH_ENDPOINT", proxy.uri().toString()), "--incremental");
            assertThat(exit.code()).isEqualTo(AggregationJob.FAILED);
            exit.line("failed");
        }
        assertThat(fixture.lease()).as("a failed run alone releases its lease").isEmpty();
        assertThat(fixture.watermark()).isEqualTo(before);
    }

    @Test
    void rejectedRollupWritesAreRetriedToTheRollupsOfACleanRun(TestOpenSearch openSearch) {
        List<Alert> alerts = JobFixture.randomAlerts(47, 1_000, "2026-06-20T00:00:00Z", 1, 20);
        Map<String, JsonNode> expected = JobFixture.rollupsOfACleanRun(openSearch, "faults-bulk-clean", alerts,
                "--from", "2026-06-20", "--to", "2026-06-21");

        JobFixture busy = new JobFixture(openSearch, "faults-bulk-429");
        busy.store(alerts);
        try (FaultInjectingProxy proxy = FaultInjectingProxy.start(openSearch.uri())) {
            proxy.failNext(3, 429, path -> path.endsWith("/_bulk"));
            JobFixture.LoggedRun run = busy.runLogged(Instant.now().toString(), List.of("ROLLCALL_OPENSEARCH_ENDPOINT", proxy.uri().toString(),
                    "ROLLCALL_JOB_RETRY_FOR", "30s"), "--from", "2026-06-20", "--to", "2026-06-21");
            assertThat(proxy.faultsServed()).as("bulk writes rejected").isEqualTo(3);
            assertThat(busy.rollupsWrittenBy(run.summary().jobId())).isEqualTo(expected.size());
            // Each retried write says so at its first retry and once it got through; the two writer threads may
            // share the three rejections between them.
            List<JsonNode> retrying = run.lines(OpenSearchRetryLog.RETRYING);
            List<JsonNode> recovered = run.lines(OpenSearchRetryLog.RECOVERED);
            assertThat(retrying).isNotEmpty().allSatisfy(line -> {
                assertThat(line.path("level").asText()).isEqualTo("warn");
                assertThat(line.path("request").asText()).isEqualTo("POST /_bulk");
                assertThat(line.path("failures").asInt()).isEqualTo(1);
                assertThat(line.path("reason").asText()).contains("OpenSearch answered 429 to _bulk");
                assertThat(Instant.parse(line.path("gives_up_at").asText())).isAfter(Instant.parse(line.path("ts").asText()));
            });
            assertThat(recovered).hasSameSizeAs(retrying);
            assertThat(recovered).extracting(line -> line.path("request").asText()).containsOnly("POST /_bulk");
            assertThat(recovered.stream().mapToInt(line -> line.path("failures").asInt()).sum()).isEqualTo(3);
        }
        assertThat(busy.rollups()).isEqualTo(expected);
    }

    @Test
    void searchesAnswered503AreRetriedAndSaidInTheLog(TestOpenSearch openSearch) {
        JobFixture fixture = new JobFixture(openSearch, "faults-search-503");
        Map<String, JsonNode> expected = rolledUpCleanly(fixture, JobFixture.randomAlerts(67, 500, "2026-06-24T00:00:00Z", 1, 10),
                "2026-06-24", "2026-06-25");
        try (FaultInjectingProxy proxy = FaultInjectingProxy.start(openSearch.uri())) {
            proxy.failNext(2, 503, path -> path.equals("/_search"));
            JobFixture.LoggedRun rerun = fixture.runLogged(Instant.now().toString(), List.of("ROLLCALL_OPENSEARCH_ENDPOINT", proxy.uri().toString()),
                    "--from", "2026-06-24", "--to", "2026-06-25");
            assertThat(proxy.faultsServed()).isEqualTo(2);
            assertThat(rerun.summary().rejectedPages()).as("a 503 is an outage, not a page too large").isZero();
            JsonNode retrying = single(rerun.lines(OpenSearchRetryLog.RETRYING));
            assertThat(retrying.path("request").asText()).isEqualTo("POST /_search");
            assertThat(retrying.path("reason").asText()).startsWith("search answered 503");
            JsonNode recovered = single(rerun.lines(OpenSearchRetryLog.RECOVERED));
            assertThat(recovered.path("request").asText()).isEqualTo("POST /_search");
            assertThat(recovered.path("failures").asInt()).isEqualTo(2);
            assertThat(recovered.path("waited_seconds").asDouble()).isPositive();
        }
        assertThat(fixture.rollups()).isEqualTo(expected);
    }

    /** Stores {@code alerts} and rolls the window up with OpenSearch answering everything: what a faulty rerun must equal. */
    private static Map<String, JsonNode> rolledUpCleanly(JobFixture fixture, List<Alert> alerts, String from, String to) {
        fixture.store(alerts);
        fixture.run("--from", from, "--to", to);
        Map<String, JsonNode> rollups = fixture.rollups();
        assertThat(rollups).isNotEmpty();
        return rollups;
    }

    private static JsonNode single(List<JsonNode> lines) {
        assertThat(lines).hasSize(1);
        return lines.get(0);
    }

    @Test
    void rollupWritesRejectedPastTheirDeadlineFailTheRunAsOpenSearchUnavailable(TestOpenSearch openSearch) {
        JobFixture fixture = new JobFixture(openSearch, "faults-bulk-busy");
        fixture.store(JobFixture.randomAlerts(61, 300, "2026-06-22T00:00:00Z", 1, 10));
        try (FaultInjectingProxy proxy = FaultInjectingProxy.start(openSearch.uri())) {
            proxy.failNext(Integer.MAX_VALUE, 429, path -> path.endsWith("/_bulk"));
            JobFixture.JobExit exit = fixture.exec("2026-06-23T00:30:00Z", List.of("ROLLCALL_OPENSEARCH_ENDPOINT", proxy.uri().toString(),
                    "ROLLCALL_JOB_RETRY_FOR", "1s"), "--from", "2026-06-22", "--to", "2026-06-23");

            assertThat(exit.code()).isEqualTo(AggregationJob.FAILED);
            // A domain that stays busy is no fault of the job's: the reason an operator can filter on, no stack trace.
            assertThat(exit.line("failed").path("reason").asText()).isEqualTo("opensearch_unavailable");
            assertThat(exit.lines()).noneSatisfy(line -> assertThat(line.has("stack_trace")).isTrue());
        }
        assertThat(fixture.rollups()).as("every _bulk was refused").isEmpty();
    }

    @Test
    void anUnreachableOpenSearchFailsTheRunWithOneLineAtTheRetryDeadline(TestOpenSearch openSearch) {
        JobFixture fixture = new JobFixture(openSearch, "faults-down");
        JsonNode before = watermarkAtNoonThenTheRest(fixture, JobFixture.randomAlerts(59, 200, "2026-06-15T00:00:00Z", 1, 10), "2026-06-15");

        long started = System.nanoTime();
        JobFixture.JobExit exit = fixture.exec("2026-06-16T00:30:00Z", List.of("ROLLCALL_OPENSEARCH_ENDPOINT", ClosedPort.http().toString(),
                "ROLLCALL_JOB_RETRY_FOR", "2s"), "--incremental");

        // Retried for the configured 2 s, not the default 5 minutes.
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
        assertThat(exit.code()).isEqualTo(AggregationJob.FAILED);
        JsonNode failed = exit.line("failed");
        assertThat(failed.path("reason").asText()).isEqualTo("opensearch_unavailable");
        assertThat(failed.path("message").asText()).contains("OpenSearch unreachable").contains("gave up after PT2S").doesNotContain("\n");
        // While it waited, the log said what it was waiting for: once, at the first retry (the next would be 30 s on).
        JsonNode retrying = exit.line(OpenSearchRetryLog.RETRYING);
        assertThat(retrying.path("request").asText()).startsWith("HEAD /");
        assertThat(retrying.path("reason").asText()).contains("OpenSearch unreachable");
        assertThat(exit.lines().indexOf(retrying)).isLessThan(exit.lines().indexOf(failed));
        assertThat(exit.lines()).noneSatisfy(line -> assertThat(line.path("event").asText()).isEqualTo(OpenSearchRetryLog.RECOVERED));
        // Expected when the domain is down: the message says it all, a stack trace would bury it.
        assertThat(exit.lines()).noneSatisfy(line -> assertThat(line.has("stack_trace")).isTrue());
        assertThat(fixture.watermark()).isEqualTo(before);
    }

    /** A domain that pushes back while the templates are installed is busy, not broken: one line, no stack trace. */
    @Test
    void templatesAnsweredWithA503FailTheRunAsOpenSearchUnavailable(TestOpenSearch openSearch) {
        JobFixture fixture = new JobFixture(openSearch, "faults-template");
        fixture.store(JobFixture.randomAlerts(71, 50, "2026-06-19T00:00:00Z", 1, 5));
        try (FaultInjectingProxy proxy = FaultInjectingProxy.start(openSearch.uri())) {
            proxy.failNext(Integer.MAX_VALUE, 503, path -> path.startsWith("/_index_template/"));
            JobFixture.JobExit exit = fixture.exec("2026-06-20T00:30:00Z", List.of("ROLLCALL_OPENSEARCH_ENDPOINT", proxy.uri().toString()),
                    "--incremental");

            assertThat(proxy.faultsServed()).isPositive();
            assertThat(exit.code()).isEqualTo(AggregationJob.FAILED);
            JsonNode failed = exit.line("failed");
            assertThat(failed.path("reason").asText()).as(failed.toString()).isEqualTo("opensearch_unavailable");
            assertThat(failed.path("message").asText()).startsWith("installing index templates: ").contains("503");
            assertThat(exit.lines()).noneSatisfy(line -> assertThat(line.has("stack_trace")).isTrue());
        }
        assertThat(fixture.rollups()).isEmpty();
    }

    /**
     * A job whose role OpenSearch does not know (the role mapping left out, the first deploy's usual fault) fails in
     * one line that names the status and the remedy, without a stack trace, and leaves the watermark.
     */
    @Test
    void aRefusalOfAccessFailsTheRunWithOneLineNamingTheRoleMapping(TestOpenSearch openSearch) {
        JobFixture fixture = new JobFixture(openSearch, "faults-403");
        JsonNode before = watermarkAtNoonThenTheRest(fixture, JobFixture.randomAlerts(67, 100, "2026-06-17T00:00:00Z", 1, 10), "2026-06-17");
        try (FaultInjectingProxy proxy = FaultInjectingProxy.start(openSearch.uri())) {
            proxy.failNext(Integer.MAX_VALUE, 403, path -> true);
            JobFixture.JobExit exit = fixture.exec("2026-06-18T00:30:00Z", List.of("ROLLCALL_OPENSEARCH_ENDPOINT", proxy.uri().toString()),
                    "--incremental");

            assertThat(exit.code()).isEqualTo(AggregationJob.FAILED);
            JsonNode failed = exit.line("failed");
            assertThat(failed.path("reason").asText()).as(failed.toString()).isEqualTo("opensearch_refused");
            assertThat(failed.path("status").asInt()).isEqualTo(403);
            assertThat(failed.path("message").asText()).contains("failed with 403").contains("role mapping");
            assertThat(exit.lines()).noneSatisfy(line -> assertThat(line.has("stack_trace")).isTrue());
        }
        assertThat(fixture.watermark()).isEqualTo(before);
    }

    @Test
    void aClosedMonthFailsTheRunInsteadOfReadingAsAMonthWithoutEvents(TestOpenSearch openSearch) {
        JobFixture fixture = new JobFixture(openSearch, "faults-closed");
        fixture.store(twoMonths());
        fixture.run("2026-12-05T00:20:00Z", List.of(), "--from", "2026-11-30", "--to", "2026-12-02");
        Map<String, JsonNode> before = fixture.rollups();
        String november = fixture.names.eventsIndex(Instant.parse("2026-11-15T00:00:00Z"));
        openSearch.request("POST", "/" + november + "/_close", null);
        try {
            JobFixture.JobExit exit = fixture.exec("2026-12-05T00:30:00Z", List.of(), "--from", "2026-11-30", "--to", "2026-12-02");

            assertThat(exit.code()).isEqualTo(AggregationJob.FAILED);
            assertThat(exit.line("failed").path("message").asText()).contains("closed");
            // The operator's to fix (open the index), which the line says without a stack trace.
            assertThat(exit.line("failed").path("reason").asText()).as(exit.line("failed").toString()).isEqualTo("opensearch_refused");
            assertThat(exit.lines()).noneSatisfy(line -> assertThat(line.has("stack_trace")).isTrue());
        } finally {
            openSearch.request("POST", "/" + november + "/_open", null);
        }
        assertThat(fixture.rollups()).as("November's rollups are not swept as if it had no events").isEqualTo(before);
    }

    @Test
    void aMonthWhoseShardsFailTheSearchFailsTheRun(TestOpenSearch openSearch) {
        JobFixture fixture = new JobFixture(openSearch, "faults-shard");
        // November's index as an old release might have left it: `state` as text, which cannot be read as doc values.
        String november = fixture.names.eventsIndex(Instant.parse("2026-11-15T00:00:00Z"));
        openSearch.request("PUT", "/" + november, "{\"mappings\":{\"properties\":{\"state\":{\"type\":\"text\"}}}}");
        fixture.store(twoMonths());

        JobFixture.JobExit exit = fixture.exec("2026-12-05T00:30:00Z", List.of(), "--from", "2026-11-30", "--to", "2026-12-02");

        assertThat(exit.code()).isEqualTo(AggregationJob.FAILED);
        // For the failed shards, not for some other fault: the line names them.
        assertThat(exit.line("failed").path("message").asText()).as(exit.line("failed").toString()).containsIgnoringCase("shard");
        assertThat(fixture.rollups()).as("December alone is not published as the whole window").isEmpty();
    }

    private static List<Alert> twoMonths() {
        return List.of(
                JobFixture.alert("n1", "2026-11-30T10:10:00Z", "nov", AlertState.FIRING, "high", "pay"),
                JobFixture.alert("n2", "2026-11-30T10:40:00Z", "nov", AlertState.RESOLVED, "high", "pay"),
                JobFixture.alert("d1", "2026-12-01T10:10:00Z", "dec", AlertState.FIRING, "high", "pay"),
                JobFixture.alert("d2", "2026-12-01T10:40:00Z", "dec", AlertState.RESOLVED, "high", "pay"));
    }

    /**
     * Stores the first half of {@code alerts}, lets an incremental run move the watermark to noon of {@code day}, then
     * stores the rest for the run under test; answers that watermark, which a failed run must leave as it is.
     */
    private static JsonNode watermarkAtNoonThenTheRest(JobFixture fixture, List<Alert> alerts, String day) {
        fixture.store(alerts.subList(0, alerts.size() / 2));
        fixture.run(day + "T12:30:00Z", List.of(), "--incremental");
        JsonNode before = fixture.watermark();
        assertThat(before.path("computed_until").asText()).isEqualTo(day + "T12:00:00Z");
        fixture.store(alerts.subList(alerts.size() / 2, alerts.size()));
        return before;
    }
}
