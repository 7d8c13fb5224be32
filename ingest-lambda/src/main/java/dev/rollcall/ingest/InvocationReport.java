package dev.rollcall.ingest;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.logging.log4j.CloseableThreadContext;
import org.apache.logging.log4j.Logger;

import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.MetricsFactory;
import software.amazon.lambda.powertools.metrics.model.DimensionSet;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

import dev.rollcall.core.config.OperatorMetrics;
import dev.rollcall.core.ingest.EventOutcome;
import dev.rollcall.core.ingest.IngestReport;

/**
 * Reports one invocation: a structured log line with its counts and the same counts as CloudWatch metrics
 * (embedded metric format through Powertools) where an operator looks for them.
 */
final class InvocationReport {

    /** Read once: outside Lambda, Powertools would look for a CloudWatch agent, and the log line carries the numbers. */
    private static final boolean IN_LAMBDA = System.getenv("AWS_LAMBDA_FUNCTION_NAME") != null;

    private InvocationReport() {
    }

    static Map<String, Long> counts(IngestReport report) {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("events", report.events());
        counts.put("indexed", report.indexed());
        counts.put("duplicates", report.duplicates());
        counts.put("not_alerts", report.count(EventOutcome.Kind.NOT_AN_ALERT));
        counts.put("malformed", report.count(EventOutcome.Kind.MALFORMED));
        counts.put("rejected", report.count(EventOutcome.Kind.REJECTED));
        counts.put("retried", report.count(EventOutcome.Kind.RETRY));
        counts.put("bulk_retries", (long) report.bulkRetries());
        return counts;
    }

    /** The metrics of one invocation by name, in the order they are published; all are counts. */
    static Map<String, Long> metricValues(IngestReport report) {
        Map<String, Long> counts = counts(report);
        Map<String, Long> metrics = new LinkedHashMap<>();
        metrics.put(OperatorMetrics.EVENTS_RECEIVED, counts.get("events"));
        metrics.put(OperatorMetrics.ALERTS_INDEXED, counts.get("indexed"));
        metrics.put(OperatorMetrics.ALERTS_DUPLICATE, counts.get("duplicates"));
        metrics.put(OperatorMetrics.EVENTS_NOT_ALERTS, counts.get("not_alerts"));
        metrics.put(OperatorMetrics.EVENTS_FAILED, counts.get("malformed") + counts.get("rejected"));
        metrics.put(OperatorMetrics.EVENTS_RETRIED, counts.get("retried"));
        metrics.put(OperatorMetrics.BULK_RETRIES, counts.get("bulk_retries"));
        return metrics;
    }

    /** Logs the invocation's counts in one line and publishes them as metrics with the door as a dimension. */
    static void publish(Logger log, String door, IngestReport report) {
        Map<String, Long> counts = counts(report);
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("door", door);
        counts.forEach((k, v) -> fields.put(k, Long.toString(v)));
        try (CloseableThreadContext.Instance ignored = CloseableThreadContext.putAll(fields)) {
            // Failed as the EventsFailed metric counts them: events left for redelivery (OpenSearch down or busy) are
            // not lost, and read as failures they made an outage look like data loss.
            log.info("ingested {} events: {} new alerts, {} duplicates, {} failed, {} left for redelivery, {} bulk retries",
                    report.events(), report.indexed(), report.duplicates(), counts.get("malformed") + counts.get("rejected"),
                    counts.get("retried"), report.bulkRetries());
        }
        if (!IN_LAMBDA) {
            return;
        }
        Metrics metrics = MetricsFactory.getMetricsInstance();
        metrics.addDimension(DimensionSet.of(OperatorMetrics.DOOR, door));
        metricValues(report).forEach((name, value) -> metrics.addMetric(name, value, MetricUnit.COUNT));
        metrics.flush();
    }
}
