package dev.rollcall.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

import dev.rollcall.aggregate.JobFixture.ArrayChild;
import dev.rollcall.core.alert.Alert;
import dev.rollcall.servers.junit.RealServers;
import dev.rollcall.servers.junit.TestOpenSearch;

/**
 * A child of a window array job retried after the plan completed (it failed past its done mark: a Spot reclaim as it
 * exited, OpenSearch gone while it checked on its siblings). The last child's completion pruned the hourly snapshot
 * the plan starts from, which no child needs any more: the retry redoes nothing, and the rollups stay a single run's.
 */
@RealServers
class ArrayRetryAfterCompletionIT {

    static final String[] WINDOW = {"--from", "2026-09-01T10:00:00Z", "--to", "2026-09-05"};

    @Test
    void aChildRetriedAfterThePlanCompletedKeepsTheRollupsOfOneRun(TestOpenSearch openSearch) {
        List<Alert> alerts = JobFixture.randomAlerts(71, 3_000, "2026-09-01T00:00:00Z", 4, 40);
        JobFixture single = new JobFixture(openSearch, "retry-done-single");
        single.store(alerts);
        single.run("--from", "2026-09-01", "--to", "2026-09-01T10:00:00Z");
        single.run(WINDOW);
        Map<String, JsonNode> expected = single.rollups();

        JobFixture array = new JobFixture(openSearch, "retry-done-array");
        array.store(alerts);
        // An earlier run leaves an hourly snapshot at 10:00, where the array's plan starts: more than three days
        // before the plan's end, it is pruned when the plan completes.
        array.run("--from", "2026-09-01", "--to", "2026-09-01T10:00:00Z");
        for (int child = 0; child < 3; child++) {
            RunSummary summary = array.run(Instant.now().toString(), new ArrayChild("window-plan", child, 3), WINDOW);
            assertThat(summary.replayFrom()).isEqualTo(Instant.parse("2026-09-01T10:00:00Z"));
            assertThat(summary.planComplete()).isEqualTo(child == 2);
        }
        assertThat(array.carryStore().completeAt(Instant.parse("2026-09-01T10:00:00Z"))).as("the plan's start snapshot, pruned").isEmpty();
        Map<String, JsonNode> written = array.storedRollups();
        assertThat(JobFixture.withoutProvenance(written)).isEqualTo(expected);

        JobFixture.JobExit retried = array.exec(Instant.now().toString(), new ArrayChild("window-plan", 0, 3).env(), WINDOW);

        assertThat(retried.code()).as(retried.lines().toString()).isZero();
        assertThat(retried.line("already_done").path("shard").asText()).isEqualTo("0/3");
        assertThat(retried.lines()).noneSatisfy(l -> assertThat(l.has("stack_trace")).isTrue());
        assertThat(array.storedRollups()).as("nothing rewritten").isEqualTo(written);
    }
}
