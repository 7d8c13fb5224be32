package dev.rollcall.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.rollcall.core.alert.AlertJson;
import dev.rollcall.servers.junit.RealServers;
import dev.rollcall.servers.junit.TestOpenSearch;

/** Every scenario at a tiny size against the build's OpenSearch, so the benchmarks cannot rot. No timings are judged. */
@RealServers
class BenchSmokeIT {

    @Test
    void everyScenarioRunsAndWritesItsFigures(TestOpenSearch openSearch, @TempDir Path temp) throws Exception {
        Path json = temp.resolve("bench.json");
        BenchMain.Options options = BenchMain.parse(List.of("all", "--smoke", "--events", "600",
                "--opensearch", openSearch.uri().toString(), "--json", json.toString(),
                "--work-dir", temp.resolve("work").toString(), "--repository", System.getProperty("rollcall.root")));

        List<BenchResult> results = BenchMain.run(options);

        assertThat(results).extracting(BenchResult::scenario).containsExactlyElementsOf(BenchMain.SCENARIOS);
        JsonNode written = AlertJson.readTree(Files.readString(json));
        assertThat(written.path("results")).hasSize(BenchMain.SCENARIOS.size());
        BenchResult ingest = results.stream().filter(r -> r.scenario().equals("ingest")).findFirst().orElseThrow();
        assertThat(ingest.figures()).containsKeys("raw_bulk_events_per_s", "sqs_handler_events_per_s", "ratio_handler_to_raw",
                "raw_first_ratio_handler_to_raw", "handler_first_ratio_handler_to_raw");
        assertThat(((Number) ingest.figures().get("documents")).longValue()).isEqualTo(600);
        BenchResult aggregate = results.stream().filter(r -> r.scenario().equals("aggregate")).findFirst().orElseThrow();
        assertThat(aggregate.figures()).containsKeys("ratio_job_to_composite", "rerun_ratio_job_to_composite");
        assertThat(((Number) aggregate.figures().get("job_events_read")).longValue()).isEqualTo(600);
        BenchResult query = results.stream().filter(r -> r.scenario().equals("query")).findFirst().orElseThrow();
        // The scenario fails when the job wrote no change token or a remembered answer differs from a searched one.
        assertThat(query.figures()).containsKeys("daily_by_service_90d_speedup_p50", "daily_by_service_90d_remembered_speedup_p50",
                "change_token_get_p50_ms");
        BenchResult normalize = results.get(0);
        assertThat(normalize.figures()).containsKey("cloudwatch_events_per_s");
    }

    @Test
    void badArgumentsNameTheOption() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> BenchMain.parse(List.of("fastest")))
                .hasMessageContaining("unknown scenario or option 'fastest'");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> BenchMain.parse(List.of("--events", "5")))
                .hasMessageContaining("--events must be at least 100");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> BenchMain.parse(List.of("--events", "1e6")))
                .hasMessage("--events must be a whole number such as 1000000, got '1e6'");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> BenchMain.parse(List.of("--opensearch", "127.0.0.1:9200")))
                .hasMessage("--opensearch must be an http(s) URL such as http://127.0.0.1:9200, got '127.0.0.1:9200'");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> BenchMain.parse(List.of("--opensearch", "http://a b")))
                .hasMessageContaining("--opensearch must be an http(s) URL");
    }
}
