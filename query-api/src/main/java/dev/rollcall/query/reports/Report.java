package dev.rollcall.query.reports;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.rollcall.core.rollup.Interval;
import dev.rollcall.query.params.QueryParameters;
import dev.rollcall.query.table.Page;

/**
 * A tabular report over the rollups: how it reads its parameters, the one search it sends, and how it reads the
 * answer into a page. Parsing and reading are pure, so each step is testable alone.
 *
 * @param <R> the parsed request
 */
public interface Report<R> {

    /** Checks every parameter; the first bad one is an {@link dev.rollcall.query.http.ApiError} 400. */
    R parse(QueryParameters parameters);

    /** Intervals whose rollup indices the search reads. */
    List<Interval> intervals(R request);

    ObjectNode body(R request);

    Page read(R request, JsonNode answer);

    /** Parses, runs the one search, reads the page. */
    default Page run(RollupSearch search, QueryParameters parameters) {
        return answer(search, parse(parameters));
    }

    /**
     * Runs the one search of a parsed request, with the job's watermark in the same request, and reads the page: a
     * function of the request and the rollups alone. The query echo says how far the job has computed
     * ({@link #COMPUTED_UNTIL}), since the buckets from there on are still growing.
     */
    default Page answer(RollupSearch search, R request) {
        RollupSearch.Together found = search.searchWithJobProgress(List.of(Map.entry(intervals(request), body(request))));
        return withComputedUntil(read(request, found.answers().get(0)), found.jobProgress());
    }

    /** The query echo's field naming the job's watermark, or null before its first incremental run. */
    String COMPUTED_UNTIL = "computed_until";

    /** {@code page} with the watermark in its query echo. */
    static Page withComputedUntil(Page page, Optional<RollupSearch.JobProgress> progress) {
        if (progress.isPresent()) {
            page.query().put(COMPUTED_UNTIL, progress.get().computedUntil().toString());
        } else {
            page.query().putNull(COMPUTED_UNTIL);
        }
        return page;
    }
}
