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
 * Children of a window array job that find the snapshot their plan starts from gone. Retried after the plan completed
 * (it failed past its done mark: a Spot reclaim as it exited, OpenSearch gone while it checked on its siblings), the
 * last child's completion having pruned that hourly snapshot: the retry redoes nothing. Started after its siblings
 * finished and another plan, taking the lapsed lease meanwhile, removed it: the child starts from an earlier snapshot.
 * Either way the rollups stay a single run's.
 */
@RealServers
class ArrayRetryAfterCompletionIT {

    static final String[] WINDOW = {"--from", "2026-09-01T10:00:00Z", "--to", "2026-09-05"};
    static final String[] BEFORE = {"--from", "2026-09-01", "--to", "2026-09-01T10:00:00Z"};
    static final Instant START = Instant.parse("2026-09-01T10:00:00Z");

    @Test
    void aChildRetriedAfterThePlanCompletedKeepsTheRollupsOfOneRun(TestOpenSearch openSearch) {
        List<Alert> alerts = JobFixture.randomAlerts(71, 3_000, "2026-09-01T00:00:00Z", 4, 40);
        Map<String, JsonNode> expected = rollupsOfOneRun(openSearch, "retry-done-single", alerts);

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

    @Test
    void aChildStartedAfterAnotherPlanRemovedItsStartSnapshotStartsFromAnEarlierOne(TestOpenSearch openSearch) throws Exception {
        List<Alert> alerts = JobFixture.randomAlerts(72, 3_000, "2026-09-01T00:00:00Z", 4, 40);
        Map<String, JsonNode> expected = rollupsOfOneRun(openSearch, "late-child-single", alerts);

        JobFixture array = new JobFixture(openSearch, "late-child-array");
        array.store(alerts);
        array.run(BEFORE);
        // A short lease: it lapses soon after the first two children, whose third Batch starts late.
        List<String> shortLease = List.of("ROLLCALL_JOB_LEASE_EXPIRY", "3s");
        for (int child = 0; child < 2; child++) {
            array.run(Instant.now().toString(), new ArrayChild("late-plan", child, 3), shortLease, WINDOW);
        }
        Thread.sleep(4_000);
        // Meanwhile a run of another plan takes the lapsed lease: its window holds 10:00 but takes no snapshot there,
        // so completing it removes the array plan's start snapshot (computed before events that may have arrived since).
        RunSummary other = array.run(Instant.now().toString(), List.of("AWS_BATCH_JOB_ID", "other-plan"),
                "--from", "2026-09-01", "--to", "2026-09-03");
        assertThat(other.planComplete()).isTrue();
        assertThat(array.carryStore().completeAt(START)).as("the array plan's start snapshot, removed").isEmpty();

        List<String> env = new java.util.ArrayList<>(new ArrayChild("late-plan", 2, 3).env());
        env.addAll(shortLease);
        JobFixture.JobExit late = array.exec(Instant.now().toString(), env, WINDOW);

        assertThat(late.code()).as(late.lines().toString()).isZero();
        JsonNode gone = late.line("start_snapshot_gone");
        assertThat(gone.path("snapshot_at").asText()).isEqualTo("2026-09-01T10:00:00Z");
        // The other plan removed the earlier hours' snapshots too: from nothing one episode max age before, as a plan
        // made now would start.
        assertThat(gone.path("replay_from").asText()).isEqualTo("2026-08-25T10:00:00Z");
        assertThat(late.lines()).noneSatisfy(l -> assertThat(l.has("stack_trace")).isTrue());
        assertThat(late.line("done").path("plan_complete").asBoolean()).isTrue();
        assertThat(array.rollups()).isEqualTo(expected);
    }

    /** What one process writes over the day before the window and then the window. */
    private static Map<String, JsonNode> rollupsOfOneRun(TestOpenSearch openSearch, String hint, List<Alert> alerts) {
        JobFixture single = new JobFixture(openSearch, hint);
        single.store(alerts);
        single.run(BEFORE);
        single.run(WINDOW);
        return single.rollups();
    }
}
