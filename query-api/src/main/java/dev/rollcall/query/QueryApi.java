package dev.rollcall.query;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;

import dev.rollcall.core.store.OpenSearchClients;
import dev.rollcall.core.store.OpenSearchHttp;
import dev.rollcall.query.cache.AnswerCache;
import dev.rollcall.query.cache.AnswerCacheSettings;
import dev.rollcall.query.http.ApiError;
import dev.rollcall.query.http.ApiRequest;
import dev.rollcall.query.http.ApiResponse;
import dev.rollcall.query.http.Route;
import dev.rollcall.query.http.RouteCall;
import dev.rollcall.query.http.Router;
import dev.rollcall.query.jobs.AggregationJobs;
import dev.rollcall.query.jobs.BatchAggregationJobs;
import dev.rollcall.query.jobs.JobSizing;
import dev.rollcall.query.jobs.JobsEndpoint;
import dev.rollcall.query.params.QueryLimits;
import dev.rollcall.query.reports.HealthReport;
import dev.rollcall.query.reports.NoiseReport;
import dev.rollcall.query.reports.OnCallReport;
import dev.rollcall.query.reports.Report;
import dev.rollcall.query.reports.RollupReport;
import dev.rollcall.query.reports.RollupSearch;
import dev.rollcall.query.reports.ServicesReport;
import dev.rollcall.query.reports.TopAlertsReport;
import dev.rollcall.query.telemetry.LatencyMetrics;
import dev.rollcall.query.telemetry.RequestLog;

/**
 * The query API without Lambda: the route table, and {@link #handle} which routes a request, turns every error
 * into its JSON answer, and logs and measures it. Callable in-process (local mode, benchmarks) as it is.
 */
public final class QueryApi {

    /** The response header naming the request id of the answer's log lines. */
    public static final String REQUEST_ID_HEADER = "X-Request-Id";

    /** Name of requests that matched no route, in logs and metrics. */
    static final String UNMATCHED = "unmatched";

    private final Router router;
    private final LatencyMetrics metrics;
    private final Clock clock;

    public QueryApi(RollupSearch search, AggregationJobs jobs, QueryLimits limits, JobSizing jobSizing, Duration healthStaleAfter,
                    AnswerCacheSettings cacheSettings, Clock clock, LatencyMetrics metrics) {
        this.clock = clock;
        this.metrics = metrics;
        AnswerCache answers = new AnswerCache(cacheSettings, search == null ? Optional::empty : search::changeToken, clock);
        this.router = new Router(routes(search, answers, new JobsEndpoint(jobs, jobSizing, clock), limits,
                new HealthReport(search, healthStaleAfter, clock), clock));
    }

    /** The API for a config, with AWS Batch as job runner when the config names a queue. */
    public static QueryApi create(QueryApiConfig config) {
        return create(config, config.batch() == null ? null : BatchAggregationJobs.create(config.batch()));
    }

    /** The API for a config with another job runner (local mode's child processes, a test's fake). */
    public static QueryApi create(QueryApiConfig config, AggregationJobs jobs) {
        RollupSearch search = new RollupSearch(new OpenSearchHttp(OpenSearchClients.create(config.openSearch())),
                config.openSearch().indexNames());
        return new QueryApi(search, jobs, config.limits(), config.jobSizing(), config.healthStaleAfter(), config.answerCache(), Clock.systemUTC(),
                LatencyMetrics.toLog(config.metricsNamespace()));
    }

    private static List<Route> routes(RollupSearch search, AnswerCache answers, JobsEndpoint jobs, QueryLimits limits, HealthReport health,
                                      Clock clock) {
        return List.of(
                report("/v1/rollups", RollupReport.ROUTE, RollupReport.PARAMETERS, new RollupReport(limits), search, answers),
                report("/v1/alerts/top", TopAlertsReport.ROUTE, TopAlertsReport.PARAMETERS, new TopAlertsReport(limits), search, answers),
                report("/v1/oncall", OnCallReport.ROUTE, OnCallReport.PARAMETERS, new OnCallReport(limits, clock), search, answers),
                report("/v1/noise", NoiseReport.ROUTE, NoiseReport.PARAMETERS, new NoiseReport(limits), search, answers),
                report("/v1/services", ServicesReport.ROUTE, ServicesReport.PARAMETERS, new ServicesReport(limits), search, answers),
                new Route("GET", "/v1/jobs", JobsEndpoint.LIST_ROUTE, List.of("limit"), call -> jobs.list(call.parameters()
                        .limit("limit", JobsEndpoint.DEFAULT_LIST_LIMIT, JobsEndpoint.MAX_LIST_LIMIT))),
                new Route("POST", "/v1/jobs", JobsEndpoint.SUBMIT_ROUTE, List.of(), call -> jobs.submit(call.request().body())),
                new Route("GET", "/v1/jobs/{id}", JobsEndpoint.STATUS_ROUTE, List.of(), call -> jobs.status(call.pathParameter("id"))),
                new Route("GET", "/v1/health", HealthReport.ROUTE, List.of(), call -> health.run()),
                new Route("GET", "/v1/openapi.json", OpenApiDocument.ROUTE, List.of(), call -> OpenApiDocument.response()));
    }

    /**
     * A tabular route: the report's page as JSON, or as CSV when the client asks for it; remembered by its parsed
     * request (so a window the clock decides is part of it) and format while the rollups are unchanged.
     */
    private static <R extends Record> Route report(String template, String name, List<String> parameters, Report<R> report,
                                                   RollupSearch search, AnswerCache answers) {
        return new Route("GET", template, name, parameters, call -> {
            R request = report.parse(call.parameters());
            boolean csv = call.request().prefersCsv();
            AnswerCache.Result result = answers.answer(new AnswerKey(name, request, csv),
                    () -> report.answer(search, request).toResponse(csv));
            RequestLog.cache(result.outcome().name().toLowerCase(Locale.ROOT));
            return result.response();
        });
    }

    /** What a remembered answer is looked up by: a record of records, so equal requests are equal keys. */
    private record AnswerKey(String route, Record request, boolean csv) {
    }

    public List<Route> routes() {
        return router.routes();
    }

    /** Answers an HTTP API event; malformed encodings in it are a 400 like any other bad input. */
    public ApiResponse handle(APIGatewayV2HTTPEvent event, String lambdaRequestId) {
        if (event == null) {
            // Invoked directly with a JSON null: a 400 like any other request the API cannot read.
            return respond(lambdaRequestId, null, () -> {
                throw ApiError.badParameter("event", "the function takes API Gateway HTTP API events (payload format 2.0), not null");
            });
        }
        String apiRequestId = event.getRequestContext() == null ? null : event.getRequestContext().getRequestId();
        String requestId = lambdaRequestId != null ? lambdaRequestId : apiRequestId;
        return respond(requestId, apiRequestId, () -> ApiRequest.from(event, lambdaRequestId));
    }

    public ApiResponse handle(ApiRequest request) {
        return respond(request.requestId(), null, () -> request);
    }

    private ApiResponse respond(String requestId, String apiRequestId, Supplier<ApiRequest> read) {
        long started = System.nanoTime();
        RequestLog.open(requestId);
        RequestLog.apiRequest(apiRequestId);
        String route = UNMATCHED;
        RequestLog.route(route);
        ApiRequest request = null;
        ApiResponse response;
        try {
            request = read.get();
            Router.Match match = router.match(request);
            route = match.route().name();
            RequestLog.route(route);
            RouteCall call = RouteCall.of(match, request);
            response = match.route().endpoint().handle(call);
        } catch (ApiError e) {
            RequestLog.expected(e);
            response = e.toResponse(requestId);
        } catch (RuntimeException e) {
            RequestLog.unexpected(e);
            response = ApiError.internal(requestId).toResponse(requestId);
        }
        if (request != null && request.isHead()) {
            response = response.withoutBody();
        }
        if (requestId != null) {
            // Every answer names the id its log lines carry, not only errors, so a slow or odd 200 can be traced too.
            response = response.withHeader(REQUEST_ID_HEADER, requestId);
        }
        try {
            double millis = (System.nanoTime() - started) / 1_000_000.0;
            RequestLog.access(request, response.status(), millis);
            metrics.record(route, response.status(), millis, requestId, clock.instant(), RequestLog.cacheOutcome());
        } finally {
            RequestLog.close();
        }
        return response;
    }
}
