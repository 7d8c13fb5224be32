package dev.rollcall.infra;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.aws_apigatewayv2_authorizers.HttpIamAuthorizer;
import software.amazon.awscdk.aws_apigatewayv2_integrations.HttpLambdaIntegration;
import software.amazon.awscdk.services.apigateway.AccessLogFormat;
import software.amazon.awscdk.services.apigatewayv2.AddRoutesOptions;
import software.amazon.awscdk.services.apigatewayv2.CfnStage;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.apigatewayv2.HttpMethod;
import software.amazon.awscdk.services.apigatewayv2.HttpRoute;
import software.amazon.awscdk.services.apigatewayv2.HttpStage;
import software.amazon.awscdk.services.apigatewayv2.IAccessLogDestination;
import software.amazon.awscdk.services.apigatewayv2.IAccessLogSettings;
import software.amazon.awscdk.services.apigatewayv2.LogGroupLogDestination;
import software.amazon.awscdk.services.apigatewayv2.ThrottleSettings;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.Unit;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.logs.FilterPattern;
import software.amazon.awscdk.services.logs.JsonPattern;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.MetricFilterOptions;
import software.constructs.Construct;

import dev.rollcall.core.config.FunctionBudgets;

/**
 * The HTTP API: {@code POST /v1/events/{source}} for webhooks (the handler verifies each sender's signature with
 * the shared secret, since senders cannot sign with SigV4) and every other path to the query function behind IAM
 * authorization. One access-logged {@code $default} stage, throttled per route.
 */
final class ApiConstruct extends Construct {

    static final String QUERY_HANDLER = "dev.rollcall.query.QueryApiHandler::handleRequest";
    static final String WEBHOOK_ROUTE = "/v1/events/{source}";
    /** How API Gateway names the webhook route in route settings and in the access log's {@code route}. */
    static final String WEBHOOK_ROUTE_KEY = "POST " + WEBHOOK_ROUTE;
    static final String QUERY_ROUTE_KEY = "ANY /{proxy+}";
    /** The health route, whose 503s (stale or missing rollups) the query route's 5xx count leaves out. */
    static final String HEALTH_PATH = "/v1/health";

    /**
     * One JSON line per request: who called (IAM caller for the query API), what, and how it ended. The path next to
     * the route names the webhook source, so that refusals (a 401, a throttled 429) can be traced to their sender.
     * The status is a number, so that the route metrics' filters can compare it.
     */
    private static final String ACCESS_LOG_FORMAT = """
            {"requestId":"$context.requestId","time":"$context.requestTime","ip":"$context.identity.sourceIp",\
            "caller":"$context.identity.caller","user":"$context.identity.user","route":"$context.routeKey",\
            "path":"$context.path","status":$context.status,"length":"$context.responseLength","latencyMs":"$context.responseLatency",\
            "integrationError":"$context.integrationErrorMessage"}""";

    private final HttpApi api;
    private final HttpStage stage;
    private final JavaFunction queryFunction;
    private final HttpRoute webhookRoute;
    private final LogGroup accessLogs;

    ApiConstruct(Construct scope, String id, CentralSettings settings, Network network, SearchDomain search,
                 FunctionDefaults defaults, LogRetention retention, JavaFunction webhookFunction,
                 AggregationConstruct aggregation) {
        super(scope, id);
        this.api = HttpApi.Builder.create(this, "HttpApi")
                .description("Rollcall: webhooks in, rollups out")
                .createDefaultStage(false)
                .build();
        this.accessLogs = retention.logGroup(this, "AccessLogs", RemovalPolicy.DESTROY);
        this.stage = HttpStage.Builder.create(this, "DefaultStage")
                .httpApi(api)
                .stageName("$default")
                .autoDeploy(true)
                .throttle(ThrottleSettings.builder().rateLimit(settings.apiRateLimit()).burstLimit(settings.apiBurstLimit()).build())
                .accessLogSettings(new IAccessLogSettings() {
                    @Override
                    public IAccessLogDestination getDestination() {
                        return new LogGroupLogDestination(accessLogs);
                    }

                    @Override
                    public AccessLogFormat getFormat() {
                        return AccessLogFormat.custom(ACCESS_LOG_FORMAT);
                    }
                })
                .build();

        this.webhookRoute = api.addRoutes(AddRoutesOptions.builder()
                .path(WEBHOOK_ROUTE)
                .methods(List.of(HttpMethod.POST))
                .integration(new HttpLambdaIntegration("Webhook", webhookFunction.alias()))
                .build()).get(0);
        AcceptedFindings.accept(webhookRoute, "AwsSolutions-APIG4", "Webhook senders (Sentry, Datadog, Alertmanager, "
                + "PagerDuty) cannot sign with SigV4 or fetch tokens; the webhook function verifies each request's "
                + "HMAC signature or shared secret from Secrets Manager, and the route has its own throttle.");

        this.queryFunction = new JavaFunction(this, "Query", new JavaFunction.Spec(
                "Rollcall: serves rollups and submits aggregation jobs",
                settings.queryLambdaJar(), QUERY_HANDLER, FunctionBudgets.QUERY_TIMEOUT,
                Map.of("POWERTOOLS_SERVICE_NAME", "rollcall-query",
                        // A search that hangs ends as the API's own retryable 503, long before the function's
                        // timeout would end it as API Gateway's bare 500 (rollup searches take milliseconds).
                        "ROLLCALL_OPENSEARCH_TIMEOUT_MS", Long.toString(FunctionBudgets.QUERY_OPENSEARCH_TIMEOUT.toMillis()),
                        "ROLLCALL_BATCH_JOB_QUEUE", aggregation.jobQueue().getJobQueueArn(),
                        "ROLLCALL_BATCH_JOB_DEFINITION", aggregation.jobDefinitionName(),
                        // /v1/health calls the rollups stale when the RollupsStale or RollupsBehind alarm does.
                        "ROLLCALL_HEALTH_STALE_AFTER", "PT" + settings.rollupsStaleAfterHours() + "H"),
                network), defaults);
        search.grantRead(queryFunction.role());
        queryFunction.role().addToPrincipalPolicy(aggregation.submitJobStatement());
        queryFunction.role().addToPrincipalPolicy(PolicyStatement.Builder.create()
                .actions(List.of("batch:DescribeJobs", "batch:ListJobs"))
                .resources(List.of("*"))
                .build());
        AcceptedFindings.acceptWildcardResource(queryFunction.role(), "batch:DescribeJobs and batch:ListJobs support no "
                + "resource-level permissions and only read job status (the function asks only for its own queue's); "
                + "batch:SubmitJob is limited to Rollcall's job queue and job definition.");

        HttpRoute queryRoute = api.addRoutes(AddRoutesOptions.builder()
                .path("/{proxy+}")
                .methods(List.of(HttpMethod.ANY))
                .integration(new HttpLambdaIntegration("Query", queryFunction.alias()))
                .authorizer(new HttpIamAuthorizer())
                .build()).get(0);
        throttlePerRoute(settings, queryRoute);
        for (RouteAnswers answers : RouteAnswers.values()) {
            // The webhook function answers no 500 of its own: a 500 there is a failed invocation, which its 5xx count
            // and its function's errors already say.
            if (answers != RouteAnswers.INTERNAL_ERRORS) {
                countAnswers(WEBHOOK_ROUTE_KEY, answers);
            }
            countAnswers(QUERY_ROUTE_KEY, answers);
        }
    }

    /** What a route metric counts of a route's requests. */
    enum RouteAnswers {
        REQUESTS("Requests", 0, 1000),
        CLIENT_ERRORS("4xx", 400, 500),
        SERVER_ERRORS("5xx", 500, 600),
        /** The query function's answer to a fault no input causes (its own failures are Lambda errors, not answers). */
        INTERNAL_ERRORS("500", 500, 501);

        private final String suffix;
        private final int fromStatus;
        private final int toStatus;

        RouteAnswers(String suffix, int fromStatus, int toStatus) {
            this.suffix = suffix;
            this.fromStatus = fromStatus;
            this.toStatus = toStatus;
        }
    }

    /** The metric name of {@code answers} on a route: {@code Webhook4xx}, {@code QueryRequests}, ... */
    static String routeMetricName(String routeKey, RouteAnswers answers) {
        return (routeKey.equals(WEBHOOK_ROUTE_KEY) ? "Webhook" : "Query") + answers.suffix;
    }

    /**
     * Counts one route's answers from the access log. API Gateway's own per-route metrics are dimensioned by method
     * and resource path, whose values for an {@code ANY /{proxy+}} route are not documented; the access log names
     * the route by its key, which this stack sets.
     */
    private void countAnswers(String routeKey, RouteAnswers answers) {
        List<JsonPattern> clauses = new ArrayList<>(List.of(FilterPattern.stringValue("$.route", "=", routeKey),
                FilterPattern.numberValue("$.status", ">=", answers.fromStatus),
                FilterPattern.numberValue("$.status", "<", answers.toStatus)));
        if (routeKey.equals(QUERY_ROUTE_KEY) && answers == RouteAnswers.SERVER_ERRORS) {
            // /v1/health answers 503 by design while the rollups are stale or missing (RollupsStale's and
            // RollupsBehind's to say, with their own remedy): a probe calling it every minute would otherwise raise
            // QueryFailed for the same cause. Its 502 (OpenSearch unreachable or refusing) still counts.
            clauses.add(FilterPattern.any(FilterPattern.stringValue("$.path", "!=", HEALTH_PATH),
                    FilterPattern.numberValue("$.status", "!=", 503)));
        }
        accessLogs.addMetricFilter(routeMetricName(routeKey, answers), MetricFilterOptions.builder()
                .filterPattern(FilterPattern.all(clauses.toArray(JsonPattern[]::new)))
                .metricNamespace(CentralStack.METRIC_NAMESPACE)
                .metricName(routeMetricName(routeKey, answers))
                .metricValue("1")
                .unit(Unit.COUNT)
                .build());
    }

    /**
     * Each route gets its own limits, so that unauthenticated POSTs to the webhook route (bound for 401s or not)
     * cannot use up the query routes' share. The stage default stays for any other route.
     */
    private void throttlePerRoute(CentralSettings settings, HttpRoute queryRoute) {
        ((CfnStage) stage.getNode().getDefaultChild()).setRouteSettings(Map.of(
                WEBHOOK_ROUTE_KEY, Map.of(
                        "ThrottlingRateLimit", settings.webhook().rateLimit(),
                        "ThrottlingBurstLimit", settings.webhook().burstLimit()),
                QUERY_ROUTE_KEY, Map.of(
                        "ThrottlingRateLimit", settings.apiRateLimit(),
                        "ThrottlingBurstLimit", settings.apiBurstLimit())));
        // API Gateway refuses settings for a route key it does not know yet.
        stage.getNode().addDependency(webhookRoute, queryRoute);
    }

    /** One route's requests or error answers, as counted from the access log (no data while there are none). */
    Metric routeMetric(String routeKey, RouteAnswers answers, MetricOptions options) {
        return Metric.Builder.create()
                .namespace(CentralStack.METRIC_NAMESPACE)
                .metricName(routeMetricName(routeKey, answers))
                .build()
                .with(options);
    }

    /** The base URL, ending in '/'. */
    String url() {
        return stage.getUrl();
    }

    HttpApi api() {
        return api;
    }

    JavaFunction queryFunction() {
        return queryFunction;
    }

    HttpRoute webhookRoute() {
        return webhookRoute;
    }
}
