package dev.rollcall.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import dev.rollcall.aggregate.CarryStore.Snapshot;
import dev.rollcall.core.rollup.CarryState;
import dev.rollcall.core.store.BulkResult;
import dev.rollcall.servers.junit.RealServers;
import dev.rollcall.servers.junit.TestOpenSearch;

/** Which carry snapshot a run starts from, read from the real state index. */
@RealServers
class CarryStoreIT {

    private static final Instant COMPLETE = Instant.parse("2026-07-01T00:00:00Z");

    /**
     * An array plan whose second child never ran leaves a half snapshot at every instant of its window: the run
     * after it must look past all of them, not give up after the newest few and replay from no state.
     */
    @Test
    void theLatestCompleteSnapshotIsFoundBehindAnyNumberOfIncompleteOnes(TestOpenSearch openSearch) {
        CarryStore carries = new JobFixture(openSearch, "carry-behind").carryStore();
        Instant started = Instant.parse("2026-07-03T00:00:00Z");
        write(carries, CarryState.empty(COMPLETE), "hourly", ShardSpec.WHOLE, "run-a", started);
        Instant newest = COMPLETE;
        for (int hour = 1; hour <= 45; hour++) {
            newest = COMPLETE.plus(Duration.ofHours(hour));
            write(carries, CarryState.empty(newest), "backfill", new ShardSpec(0, 2), "run-b", started.plusSeconds(60));
        }

        assertThat(carries.latestAtOrBefore(newest)).map(Snapshot::at).contains(COMPLETE);
        assertThat(carries.latestAtOrBefore(COMPLETE.minusMillis(1))).isEmpty();
    }

    private static void write(CarryStore carries, CarryState carry, String generation, ShardSpec shard, String runId, Instant started) {
        BulkResult result = carries.write(carries.documents(carry, generation, shard, runId, started), Instant.now().plusSeconds(30));
        assertThat(result.allSucceeded()).as("snapshot at " + carry.at() + " written").isTrue();
    }
}
