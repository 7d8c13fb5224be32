package dev.rollcall.aggregate;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.rollcall.core.store.RetryReport;

/**
 * Says in the job's log that a request to OpenSearch is being retried ({@code opensearch_retrying}, a warning at the
 * first retry and then every half minute) and when it got through ({@code opensearch_recovered}): a run held up by a
 * busy (429, such as the disk flood-stage block), failing (5xx) or absent domain would otherwise print nothing until it
 * succeeds or gives up minutes later.
 */
final class OpenSearchRetryLog implements RetryReport.Sink {

    static final String RETRYING = "opensearch_retrying";
    static final String RECOVERED = "opensearch_recovered";

    private final JsonLog log;

    OpenSearchRetryLog(JsonLog log) {
        this.log = log;
    }

    @Override
    public void retrying(RetryReport.Retrying retrying) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("request", retrying.request());
        fields.put("reason", OpenSearchCalls.abbreviate(retrying.reason()));
        fields.put("failures", retrying.failures());
        fields.put("retrying_for_seconds", seconds(retrying.waited()));
        fields.put("gives_up_at", retrying.givesUpAt().toString());
        log.warn(RETRYING, fields);
    }

    @Override
    public void recovered(String request, int failures, Duration waited) {
        log.info(RECOVERED, Map.of("request", request, "failures", failures, "waited_seconds", seconds(waited)));
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }
}
