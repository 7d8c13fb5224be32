package dev.rollcall.infra;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.sqs.IQueue;
import software.constructs.Construct;

import dev.rollcall.core.config.OperatorMetrics;

/**
 * The one CloudWatch dashboard an operator opens first: events in and out of ingestion, the queues, the functions,
 * the query API's latency per route, the aggregation job's throughput and watermark, the OpenSearch domain, and the
 * webhook route's answers.
 */
final class OperationsDashboard extends Construct {

    private static final Duration PERIOD = Duration.minutes(5);
    private static final int HALF = 12;
    private static final int HEIGHT = 6;

    private final Dashboard dashboard;

    OperationsDashboard(Construct scope, String id, IngestConstruct ingest, ApiConstruct api, AggregationConstruct aggregation,
                        SearchDomain search) {
        super(scope, id);
        this.dashboard = Dashboard.Builder.create(this, "Dashboard")
                .defaultInterval(Duration.days(1))
                .build();
        // Search expressions, so that every door and route shows up without being listed here.
        List<IMetric> ingestion = new ArrayList<>();
        for (String name : OperatorMetrics.INGEST_COUNTS) {
            ingestion.add(search(name, "Sum", OperatorMetrics.DOOR));
        }
        dashboard.addWidgets(
                graph("Ingestion: events per 5 minutes, by door", ingestion),
                graph("Queues: messages waiting", queues(ingest)));
        Map<String, JavaFunction> functions = new LinkedHashMap<>();
        functions.put("EventBridge ingest", ingest.eventBridgeFunction());
        functions.put("SQS ingest", ingest.sqsFunction());
        functions.put("Webhook", ingest.webhookFunction());
        functions.put("Query", api.queryFunction());
        dashboard.addWidgets(
                graph("Functions: errors and throttles", functionMetrics(functions)),
                graph("Query API: latency by route (p50, p99, ms)", List.of(search(OperatorMetrics.QUERY_LATENCY, "p50", OperatorMetrics.ROUTE),
                        search(OperatorMetrics.QUERY_LATENCY, "p99", OperatorMetrics.ROUTE))));
        dashboard.addWidgets(graph("Query API: share of report requests answered from memory, by route (0-1)",
                List.of(search(OperatorMetrics.ANSWER_REMEMBERED, "Average", OperatorMetrics.ROUTE))));
        dashboard.addWidgets(
                GraphWidget.Builder.create()
                        .title("Aggregation: events rolled up and watermark moves per hour")
                        .left(List.of(aggregation.aggregatedEvents()))
                        .right(List.of(aggregation.watermarkMoves()))
                        .width(HALF).height(HEIGHT)
                        .build(),
                GraphWidget.Builder.create()
                        .title("OpenSearch: CPU and JVM memory pressure (%), free storage (MiB)")
                        .left(List.of(search.domain().metricCPUUtilization(options("Maximum")),
                                search.domain().metricJVMMemoryPressure(options("Maximum"))))
                        .right(List.of(search.domain().metricFreeStorageSpace(options("Minimum"))))
                        .width(HALF).height(HEIGHT)
                        .build());
        // Refused and failed requests never reach the functions' own metrics.
        dashboard.addWidgets(
                graph("Webhook route: requests, 4xx and 5xx answers per 5 minutes", routeAnswers(api, ApiConstruct.WEBHOOK_ROUTE_KEY)),
                graph("Query routes: requests, 4xx and 5xx answers per 5 minutes", routeAnswers(api, ApiConstruct.QUERY_ROUTE_KEY)));
    }

    Dashboard dashboard() {
        return dashboard;
    }

    private static List<IMetric> routeAnswers(ApiConstruct api, String routeKey) {
        return List.of(
                api.routeMetric(routeKey, ApiConstruct.RouteAnswers.REQUESTS, labelled("Sum", "requests")),
                api.routeMetric(routeKey, ApiConstruct.RouteAnswers.CLIENT_ERRORS, labelled("Sum", "4xx (refused)")),
                api.routeMetric(routeKey, ApiConstruct.RouteAnswers.SERVER_ERRORS, labelled("Sum", "5xx (failed)")));
    }

    private static GraphWidget graph(String title, List<IMetric> metrics) {
        return GraphWidget.Builder.create().title(title).left(metrics).width(HALF).height(HEIGHT).build();
    }

    /**
     * Every {@code name} metric of Rollcall's namespace published with exactly the dimension {@code dimension} (Powertools
     * also publishes each one by {@code Service}), with {@code statistic} per period, a line per dimension value.
     */
    private static IMetric search(String name, String statistic, String dimension) {
        return MathExpression.Builder.create()
                .expression("SEARCH('{" + CentralStack.METRIC_NAMESPACE + "," + dimension + "} MetricName=\"" + name + "\"', '"
                        + statistic + "', " + PERIOD.toSeconds() + ")")
                .label(name + " " + statistic + " ${PROP('Dim." + dimension + "')}")
                .usingMetrics(Map.of())
                .period(PERIOD)
                .build();
    }

    private static List<IMetric> queues(IngestConstruct ingest) {
        List<IMetric> metrics = new ArrayList<>();
        // Ordered, so that every synth writes the same dashboard.
        Map<String, IQueue> queues = new LinkedHashMap<>();
        queues.put("ingest queue", ingest.queue());
        queues.put("ingest dead letters", ingest.queueDeadLetterQueue());
        queues.put("event delivery dead letters", ingest.eventDeliveryDeadLetterQueue());
        queues.forEach((name, queue) -> metrics.add(queue.metricApproximateNumberOfMessagesVisible(labelled("Maximum", name))));
        return metrics;
    }

    private static List<IMetric> functionMetrics(Map<String, JavaFunction> functions) {
        List<IMetric> metrics = new ArrayList<>();
        functions.forEach((name, function) -> {
            metrics.add(function.function().metricErrors(labelled("Sum", name + " errors")));
            metrics.add(function.function().metricThrottles(labelled("Sum", name + " throttles")));
        });
        return metrics;
    }

    private static MetricOptions labelled(String statistic, String label) {
        return MetricOptions.builder().statistic(statistic).period(PERIOD).label(label).build();
    }

    private static MetricOptions options(String statistic) {
        return MetricOptions.builder().statistic(statistic).period(PERIOD).build();
    }
}
