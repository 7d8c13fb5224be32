package dev.rollcall.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

import dev.rollcall.core.alert.Alert;
import dev.rollcall.core.store.RollupsChange;
import dev.rollcall.servers.junit.RealServers;
import dev.rollcall.servers.junit.TestOpenSearch;

/** The children of an array job together write exactly what one run writes, also across two windows. */
@RealServers
class ShardUnionIT {

    @Test
    void threeChildrenInTwoWindowsEqualOneRun(TestOpenSearch openSearch) {
        List<Alert> alerts = JobFixture.randomAlerts(11, 4_000, "2026-04-01T00:00:00Z", 2, 90);
        Map<String, JsonNode> expected = JobFixture.rollupsOfACleanRun(openSearch, "union-single", alerts,
                "--from", "2026-04-01", "--to", "2026-04-03");

        JobFixture sharded = new JobFixture(openSearch, "union-sharded");
        sharded.store(alerts);
        Map<Integer, Long> eventsRead = new HashMap<>();
        long rolledUp = 0;
        List<String> phases = new ArrayList<>();
        for (String[] window : new String[][] {{"2026-04-01", "2026-04-02T12:00:00Z"}, {"2026-04-02T12:00:00Z", "2026-04-03"}}) {
            String plan = "array-" + window[0].substring(0, 10) + window[0].length();
            for (int child = 0; child < 3; child++) {
                RunSummary summary = sharded.run(java.time.Instant.now().toString(), new JobFixture.ArrayChild(plan, child, 3),
                        "--from", window[0], "--to", window[1]);
                eventsRead.merge(child, summary.eventsRead(), Long::sum);
                rolledUp += summary.eventsRolledUp();
                phases.add(sharded.stateDocument(RollupsChange.ID).orElseThrow().path(RollupsChange.PHASE).asText());
            }
        }
        // The query API remembers answers only once the last child of a plan is done: until then a sibling writes.
        assertThat(phases).containsExactly("writing", "writing", "done", "writing", "writing", "done");
        Map<String, JsonNode> union = sharded.rollups();
        assertThat(union).hasSameSizeAs(expected);
        assertThat(union).isEqualTo(expected);
        // Each child reads its own fingerprints' events and everyone's firings (for correlation), not all events.
        assertThat(eventsRead.values()).allSatisfy(read -> assertThat(read).isLessThan(alerts.size()));
        // So the children's reads add up to more than the events; what they rolled up adds up to the events exactly
        // (the deployment's AggregatedEvents metric sums it).
        assertThat(eventsRead.values().stream().mapToLong(Long::longValue).sum()).isGreaterThan(alerts.size());
        assertThat(rolledUp).isEqualTo(alerts.size());
        assertThat(expected.values().stream().mapToLong(d -> d.path("interval").asText().equals("hour") ? d.path("events").asLong() : 0).sum())
                .isEqualTo(alerts.size());
    }
}
