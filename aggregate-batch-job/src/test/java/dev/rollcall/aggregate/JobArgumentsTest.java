package dev.rollcall.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.rollcall.core.rollup.Interval;

class JobArgumentsTest {

    @ParameterizedTest(name = "[{0}] -> {1}")
    @CsvSource(delimiter = '|', value = {
            "''                                                   | one of --from/--to, --incremental or --previous-day is required",
            "--from 2026-11-01                                    | --to is required with --from",
            "--to 2026-11-01                                      | --from is required with --to",
            "--from yesterday --to 2026-11-01                     | --from 'yesterday' is not an ISO-8601 instant",
            "--from 20261101 --to 20261201                        | --from '20261101' is not an ISO-8601 instant",
            "--from 2026-11-0110:00 --to 2026-11-02               | --from '2026-11-0110:00' is not an ISO-8601 instant",
            "--from 2026-11-01T10:00ZZ --to 2026-11-02            | --from '2026-11-01T10:00ZZ' is not an ISO-8601 instant",
            "--from 2026-11-01 --to 1764547200                    | --to '1764547200' is not an ISO-8601 instant",
            "--from 2026-11-02 --to 2026-11-01                    | --from (2026-11-02T00:00:00Z) must be before --to",
            "--from                                               | --from needs a value",
            "--incremental --interval week                        | --interval 'week' is not one of: hour, day, month, all",
            "--incremental --interval day                         | --interval must be all with --incremental",
            "--incremental --previous-day                         | --previous-day cannot be combined with --incremental",
            "--incremental --from 2026-11-01 --to 2026-11-02      | --from cannot be combined with --incremental",
            "--incremental --verbose                              | unknown argument '--verbose'",
            "--dry-run=yes --incremental                          | --dry-run takes no value"})
    void badArgumentsNameTheArgument(String line, String message) {
        String[] args = line.isBlank() ? new String[0] : line.trim().split("\\s+");
        assertThatThrownBy(() -> JobArguments.parse(args)).isInstanceOf(UsageException.class).hasMessageContaining(message);
    }

    @Test
    void windowsIncrementalAndPreviousDayParse() {
        JobArguments window = JobArguments.parse("--from", "2026-11-01T10:15:00Z", "--to=2026-11-02", "--interval", "hour", "--dry-run");
        assertThat(window.mode()).isEqualTo(JobArguments.Mode.WINDOW);
        assertThat(window.from()).isEqualTo(Instant.parse("2026-11-01T10:15:00Z"));
        assertThat(window.to()).isEqualTo(Instant.parse("2026-11-02T00:00:00Z"));
        assertThat(window.intervals()).containsExactly(Interval.HOUR);
        assertThat(window.dryRun()).isTrue();
        assertThat(JobArguments.parse("--incremental").intervals()).isEqualTo(EnumSet.allOf(Interval.class));
        assertThat(JobArguments.parse("--previous-day", "--interval", "all").mode()).isEqualTo(JobArguments.Mode.PREVIOUS_DAY);
        assertThat(JobArguments.parse("--from", "2026-11-01T12:00:00+02:00", "--to", "2026-11-01T13:00:00+02:00").from())
                .isEqualTo(Instant.parse("2026-11-01T10:00:00Z"));
        assertThat(JobArguments.parse("--from", "2026-11-01T12:00:00", "--to", "2026-11-01T13:00:00.5Z").from())
                .isEqualTo(Instant.parse("2026-11-01T12:00:00Z"));
        // RFC 3339 as date --rfc-3339=seconds writes it, and an offset as %z writes it.
        assertThat(JobArguments.parse("--from", "2026-11-01 12:00:00+02:00", "--to", "2026-11-01T13:00:00+0200").from())
                .isEqualTo(Instant.parse("2026-11-01T10:00:00Z"));
    }

    @Test
    void badUsageExitsWithTwoAndTheMessageBeforeTouchingOpenSearch() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = AggregationJob.run(new String[] {"--incremental", "--interval", "week"}, Map.of(), Clock.systemUTC(),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(AggregationJob.BAD_USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("aggregation-job: --interval 'week' is not one of").contains("usage:");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"event\":\"bad_usage\"").doesNotContain("stack_trace");

        int missingEndpoint = AggregationJob.run(new String[] {"--incremental"}, Map.of(), Clock.systemUTC(),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(missingEndpoint).isEqualTo(AggregationJob.BAD_USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("ROLLCALL_OPENSEARCH_ENDPOINT is not set");

        assertThat(AggregationJob.run(new String[] {"--help"}, Map.of(), Clock.systemUTC(),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))).isZero();
    }
}
