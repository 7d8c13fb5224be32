package dev.rollcall.query.reports;

import java.util.List;

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
        R request = parse(parameters);
        return read(request, search.search(intervals(request), body(request)));
    }
}
