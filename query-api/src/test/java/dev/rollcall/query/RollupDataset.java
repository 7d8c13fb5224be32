package dev.rollcall.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.opensearch.client.opensearch.OpenSearchClient;

import dev.rollcall.core.rollup.Interval;
import dev.rollcall.core.rollup.ResolveTimeSketch;
import dev.rollcall.core.rollup.RollupDocument;
import dev.rollcall.core.rollup.RollupKey;
import dev.rollcall.core.rollup.RollupMetrics;
import dev.rollcall.core.rollup.RollupWriter;
import dev.rollcall.core.store.BulkIndexer;
import dev.rollcall.core.store.BulkResult;
import dev.rollcall.core.store.IndexNames;
import dev.rollcall.core.store.IndexTemplateInstaller;
import dev.rollcall.core.store.OpenSearchClients;
import dev.rollcall.core.store.OpenSearchConfig;
import dev.rollcall.servers.junit.TestOpenSearch;

/**
 * A small set of rollups whose every answer is worked out by hand in {@code QueryApiIT}. Four alerts:
 * <pre>
 *   A  checkout  cloudwatch  high    critical  111111111111  prod     CheckoutHTTP5xx  fp-a
 *   B  checkout  datadog     low     medium    111111111111  prod     CheckoutLatency  fp-b
 *   C  payments  sentry      high    high      222222222222  prod     PaymentsError    fp-c
 *   D  search    cloudwatch  ignore  low       333333333333  staging  SearchDisk       fp-d
 * </pre>
 * Days 2026-01-01, -02 and -15; hours of 2026-01-01; months 2025-01, 2025-12, 2026-01 (the sum of its days) and
 * 2026-02. Resolve times equal firing times in every bucket.
 */
public final class RollupDataset {

    /** An hour before the fixtures' clock: the hourly job's last run, so /v1/health finds the rollups fresh. */
    static final Instant COMPUTED = Instant.parse("2026-02-15T11:00:00Z");

    private RollupDataset() {
    }

    /** Dimensions of one alert. */
    record Alert(String service, String source, String urgency, String severity, String account, String environment, String name, String fingerprint) {
        RollupKey at(Interval interval, String start) {
            return new RollupKey(interval, Instant.parse(start), service, source, urgency, severity, account, environment, name, fingerprint);
        }
    }

    static final Alert A = new Alert("checkout", "cloudwatch", "high", "critical", "111111111111", "prod", "CheckoutHTTP5xx", "fp-a");
    static final Alert B = new Alert("checkout", "datadog", "low", "medium", "111111111111", "prod", "CheckoutLatency", "fp-b");
    static final Alert C = new Alert("payments", "sentry", "high", "high", "222222222222", "prod", "PaymentsError", "fp-c");
    static final Alert D = new Alert("search", "cloudwatch", "ignore", "low", "333333333333", "staging", "SearchDisk", "fp-d");

    /**
     * Metrics with {@code count} episodes of {@code resolveMs} each (their resolve and firing times), every firing
     * classified, and actionable those left after duplicates, correlated and transients: in this dataset no firing is
     * in two categories, and the ignored alert's are all transient.
     */
    static RollupMetrics metrics(long events, long firing, long resolved, long pages, long interruptions, int count, long resolveMs,
                                 long duplicates, long correlated, long flaps, long transients, long standing, long ignored) {
        ResolveTimeSketch sketch = ResolveTimeSketch.empty();
        for (int i = 0; i < count; i++) {
            sketch = sketch.plus(resolveMs);
        }
        long total = count * resolveMs;
        return new RollupMetrics(events, firing, resolved, events - firing - resolved, pages, interruptions, count, total, sketch,
                total, duplicates, correlated, flaps, transients, standing, ignored, firing,
                Math.max(0, firing - duplicates - correlated - transients), 0);
    }

    /** {@code metrics} whose latest firing occurred at {@code at}. */
    static RollupMetrics lastFiredAt(RollupMetrics metrics, String at) {
        return metrics.plus(new RollupMetrics(0, 0, 0, 0, 0, 0, 0, 0, ResolveTimeSketch.empty(), 0, 0, 0, 0, 0, 0, 0, 0, 0,
                Instant.parse(at).toEpochMilli()));
    }

    /** One rollup of {@code alert}'s dimensions with {@code urgency} and {@code severity} instead of its own. */
    static RollupDocument rollup(Alert alert, String urgency, String severity, Interval interval, String start, RollupMetrics metrics) {
        RollupKey key = new RollupKey(interval, Instant.parse(start), alert.service(), alert.source(), urgency, severity, alert.account(),
                alert.environment(), alert.name(), alert.fingerprint());
        return new RollupDocument(key, metrics, COMPUTED, "dataset");
    }

    public static List<RollupDocument> documents() {
        Map<RollupKey, RollupMetrics> rollups = new LinkedHashMap<>();
        // days
        rollups.put(A.at(Interval.DAY, "2026-01-01T00:00:00Z"), metrics(10, 5, 5, 5, 4, 5, 60_000, 0, 1, 2, 1, 0, 0));
        rollups.put(B.at(Interval.DAY, "2026-01-01T00:00:00Z"), metrics(4, 2, 2, 0, 0, 2, 600_000, 1, 0, 0, 0, 1, 0));
        rollups.put(C.at(Interval.DAY, "2026-01-01T00:00:00Z"), metrics(6, 3, 3, 3, 3, 3, 120_000, 0, 0, 0, 0, 0, 0));
        rollups.put(A.at(Interval.DAY, "2026-01-02T00:00:00Z"), metrics(2, 1, 1, 1, 1, 1, 60_000, 0, 0, 0, 0, 0, 0));
        rollups.put(D.at(Interval.DAY, "2026-01-02T00:00:00Z"), metrics(8, 4, 4, 0, 0, 4, 30_000, 0, 0, 4, 4, 0, 8));
        rollups.put(C.at(Interval.DAY, "2026-01-15T00:00:00Z"), metrics(2, 1, 1, 1, 1, 1, 3_600_000, 0, 0, 0, 0, 0, 0));
        // January 2026 is the sum of its days
        Map<RollupKey, RollupMetrics> january = new LinkedHashMap<>();
        rollups.forEach((key, m) -> january.merge(key.in(Interval.MONTH), m, RollupMetrics::plus));
        // hours of 2026-01-01 (A's add up to its day; C's too)
        rollups.put(A.at(Interval.HOUR, "2026-01-01T03:00:00Z"), metrics(4, 2, 2, 2, 2, 2, 60_000, 0, 1, 2, 1, 0, 0));
        rollups.put(A.at(Interval.HOUR, "2026-01-01T05:00:00Z"), metrics(6, 3, 3, 3, 2, 3, 60_000, 0, 0, 0, 0, 0, 0));
        rollups.put(C.at(Interval.HOUR, "2026-01-01T10:00:00Z"), metrics(6, 3, 3, 3, 3, 3, 120_000, 0, 0, 0, 0, 0, 0));
        rollups.putAll(january);
        // other months, for on-call comparisons
        rollups.put(A.at(Interval.MONTH, "2025-01-01T00:00:00Z"), metrics(6, 3, 3, 3, 3, 3, 60_000, 0, 0, 0, 0, 0, 0));
        rollups.put(C.at(Interval.MONTH, "2025-01-01T00:00:00Z"), metrics(4, 2, 2, 2, 1, 2, 120_000, 0, 0, 0, 0, 0, 0));
        rollups.put(A.at(Interval.MONTH, "2025-12-01T00:00:00Z"), metrics(8, 4, 4, 4, 2, 4, 60_000, 0, 0, 0, 0, 0, 0));
        rollups.put(C.at(Interval.MONTH, "2025-12-01T00:00:00Z"), metrics(16, 8, 8, 8, 8, 8, 120_000, 0, 0, 0, 0, 0, 0));
        rollups.put(A.at(Interval.MONTH, "2026-02-01T00:00:00Z"), metrics(6, 3, 3, 3, 3, 3, 60_000, 0, 0, 0, 0, 0, 0));
        List<RollupDocument> documents = new ArrayList<>();
        rollups.forEach((key, m) -> documents.add(new RollupDocument(key, m, COMPUTED, "dataset")));
        return documents;
    }

    /** Installs the templates under a fresh prefix, writes {@link #documents()} and makes them searchable. */
    public static IndexNames writeTo(TestOpenSearch openSearch, String prefixStem) {
        return writeTo(openSearch, prefixStem, documents());
    }

    /** Installs the templates under a fresh prefix, writes {@code documents} in their order and makes them searchable. */
    public static IndexNames writeTo(TestOpenSearch openSearch, String prefixStem, List<RollupDocument> documents) {
        IndexNames names = new IndexNames(TestOpenSearch.uniquePrefix(prefixStem));
        installTemplates(openSearch, names);
        write(openSearch, names, documents);
        return names;
    }

    public static void installTemplates(TestOpenSearch openSearch, IndexNames names) {
        new IndexTemplateInstaller(client(openSearch, names), names, 0).install();
    }

    /** Writes {@code documents} under {@code names}, whose templates are installed, and makes them searchable. */
    public static void write(TestOpenSearch openSearch, IndexNames names, List<RollupDocument> documents) {
        BulkResult written = new RollupWriter(new BulkIndexer(client(openSearch, names)), names).write(documents, Instant.now().plusSeconds(60));
        assertThat(written.allSucceeded()).as("%s", written.counts()).isTrue();
        openSearch.refresh(names.rollupsPattern());
    }

    private static OpenSearchClient client(TestOpenSearch openSearch, IndexNames names) {
        return OpenSearchClients.create(OpenSearchConfig.local(openSearch.uri(), names.prefix()));
    }

    public static long count(Interval interval) {
        return documents().stream().filter(d -> d.key().interval() == interval).count();
    }
}
