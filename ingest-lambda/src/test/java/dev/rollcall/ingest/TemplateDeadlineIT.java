package dev.rollcall.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.rollcall.core.ingest.EventOutcome;
import dev.rollcall.core.ingest.IngestReport;
import dev.rollcall.core.normalize.EventNormalizer;
import dev.rollcall.core.normalize.IncomingEvent;
import dev.rollcall.core.store.IndexTemplateInstaller;
import dev.rollcall.core.store.OpenSearchConfig;
import dev.rollcall.servers.junit.RealServers;
import dev.rollcall.servers.junit.TestOpenSearch;

/**
 * A container's first invocation installs the index templates before it writes: on a slow domain that can use the
 * invocation's time, and a write started then could outlive it. The templates stop at the deadline, and the events
 * wait for their redelivery instead of a Lambda timeout.
 */
@RealServers
class TemplateDeadlineIT {

    /** The clock reads {@code readsInTime} times at the start, then an hour later: the deadline passed meanwhile. */
    private static Clock passingTheDeadlineAfter(int readsInTime) {
        Instant start = Instant.parse("2026-12-06T16:00:00Z");
        AtomicInteger reads = new AtomicInteger();
        return new Clock() {
            @Override
            public Instant instant() {
                return reads.incrementAndGet() <= readsInTime ? start : start.plus(Duration.ofHours(1));
            }

            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }
        };
    }

    private static IngestReport ingestOne(TestOpenSearch openSearch, String prefix, Clock clock) throws Exception {
        IngestRuntime runtime = new IngestRuntime(new IngestConfig(OpenSearchConfig.local(openSearch.uri(), prefix), Duration.ZERO,
                Map.of()), EventNormalizer.withBundledRules(), clock);
        byte[] event = LambdaRuntimeSerialization.resource("cloudwatch-alarm-state-change.json").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return runtime.ingest(List.of(new IncomingEvent(event, null, Map.of(), IncomingEvent.Door.EVENTBRIDGE, Instant.now())), null);
    }

    @Test
    void templatesLeftForLackOfTimeLeaveTheEventsForRedeliveryAndWriteNothing(TestOpenSearch openSearch) throws Exception {
        String prefix = TestOpenSearch.uniquePrefix("tpl-deadline");

        // Read once for the deadline, then before each request: the first template's GET and PUT have time, the second
        // template's GET finds none left.
        IngestReport report = ingestOne(openSearch, prefix, passingTheDeadlineAfter(3));

        assertThat(report.outcomes()).singleElement().satisfies(outcome -> {
            assertThat(outcome.kind()).isEqualTo(EventOutcome.Kind.RETRY);
            // The cause itself, as a refusal would be named: not a guess that OpenSearch was down.
            assertThat(outcome.reason()).startsWith("index templates could not be installed: no time left for GET /_index_template/"
                    + prefix + "-rollups");
        });
        assertThat(openSearch.request("GET", "/_index_template/" + prefix + "-events", null).status()).isEqualTo(200);
        assertThat(openSearch.request("GET", "/_index_template/" + prefix + "-rollups", null).status()).isEqualTo(404);
        assertNoEventWritten(openSearch, prefix);
    }

    @Test
    void templatesThatUsedTheTimeLeaveTheEventsForRedeliveryWithoutAWrite(TestOpenSearch openSearch) throws Exception {
        String prefix = TestOpenSearch.uniquePrefix("tpl-used");

        // Time for the deadline and each template's GET and PUT, none left after them.
        IngestReport report = ingestOne(openSearch, prefix, passingTheDeadlineAfter(1 + 2 * IndexTemplateInstaller.TEMPLATES.size()));

        assertThat(report.outcomes()).singleElement().satisfies(outcome -> {
            assertThat(outcome.kind()).isEqualTo(EventOutcome.Kind.RETRY);
            assertThat(outcome.reason()).isEqualTo("installing index templates used the invocation's time");
        });
        for (String template : IndexTemplateInstaller.TEMPLATES) {
            assertThat(openSearch.request("GET", "/_index_template/" + prefix + "-" + template, null).status()).isEqualTo(200);
        }
        assertNoEventWritten(openSearch, prefix);

        // The redelivery, with time to spare, stores it.
        IngestReport again = ingestOne(openSearch, prefix, Clock.systemUTC());
        assertThat(again.indexed()).isEqualTo(1);
    }

    /** Refreshed first (events become searchable within 5 s otherwise), and no events index made: nothing written. */
    private static void assertNoEventWritten(TestOpenSearch openSearch, String prefix) {
        assertThat(openSearch.count(prefix + "-events-*")).isZero();
        assertThat(openSearch.request("GET", "/_cat/indices/" + prefix + "-events-*", null).body()).isBlank();
    }
}
