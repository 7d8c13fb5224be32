package dev.rollcall.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.rollcall.query.http.ApiJson;
import dev.rollcall.query.http.Route;
import dev.rollcall.query.jobs.JobInterval;
import dev.rollcall.query.jobs.JobState;
import dev.rollcall.query.jobs.JobsEndpoint;
import dev.rollcall.query.params.DateParameter;
import dev.rollcall.query.params.Dimensions;
import dev.rollcall.query.params.QueryLimits;
import dev.rollcall.query.params.TimeWindow;
import dev.rollcall.query.reports.HealthReport;
import dev.rollcall.query.reports.MetricSelection;
import dev.rollcall.query.reports.NoiseReport;
import dev.rollcall.query.reports.OnCallReport;
import dev.rollcall.query.reports.ServicesReport;
import dev.rollcall.query.reports.TopAlertsReport;

/**
 * The OpenAPI document against the code: the same routes and methods, for each route the same query and path
 * parameters as the route accepts (the list the router enforces), and the same closed sets and columns.
 */
class OpenApiConsistencyTest {

    private static final JsonNode DOC = ApiJson.read(OpenApiDocument.text().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    private static final List<Route> ROUTES = QueryApiFixtures.routes();

    @Test
    void documentsExactlyTheRoutesOfTheRouteTable() {
        assertThat(DOC.path("openapi").asText()).startsWith("3.");
        Set<String> documented = new TreeSet<>();
        DOC.path("paths").properties().forEach(path -> path.getValue().properties()
                .forEach(op -> documented.add(op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey())));
        Set<String> routed = new TreeSet<>();
        ROUTES.forEach(route -> routed.add(route.method() + " " + route.template()));
        assertThat(documented).isEqualTo(routed);
    }

    @Test
    void documentsExactlyTheParametersEachRouteAccepts() {
        for (Route route : ROUTES) {
            JsonNode operation = operation(route);
            Set<String> query = new TreeSet<>();
            Set<String> path = new TreeSet<>();
            for (JsonNode parameter : operation.path("parameters")) {
                JsonNode p = resolve(parameter);
                (p.path("in").asText().equals("path") ? path : query).add(p.path("name").asText());
                if (p.path("in").asText().equals("path")) {
                    assertThat(p.path("required").asBoolean()).as("path parameter %s of %s is required", p.path("name"), route.template()).isTrue();
                }
            }
            assertThat(query).as("query parameters of %s %s", route.method(), route.template()).isEqualTo(new TreeSet<>(route.queryParameters()));
            assertThat(path).as("path parameters of %s", route.template()).isEqualTo(new TreeSet<>(route.pathParameters()));
            assertThat(operation.path("responses").has("405")).as("405 of %s", route.template()).isTrue();
            // Every route refuses a query parameter it does not know, those without parameters too.
            assertThat(operation.path("responses").has("400")).as("400 of %s", route.template()).isTrue();
        }
    }

    @Test
    void closedSetsMatchTheAllowListsOfTheCode() {
        JsonNode parameters = DOC.path("components").path("parameters");
        assertThat(strings(parameters.path("group_by").path("schema").path("items").path("enum"))).isEqualTo(Dimensions.GROUP_BY);
        assertThat(parameters.path("group_by").path("schema").path("maxItems").asInt()).isEqualTo(Dimensions.MAX_GROUP_BY);
        assertThat(strings(parameters.path("metrics").path("schema").path("items").path("enum"))).isEqualTo(MetricSelection.ALLOWED);
        assertThat(strings(parameters.path("interval").path("schema").path("enum"))).isEqualTo(TimeWindow.INTERVALS);
        assertThat(strings(parameters.path("interval_auto").path("schema").path("enum"))).isEqualTo(TimeWindow.INTERVALS);
        assertThat(strings(parameters.path("by").path("schema").path("enum"))).isEqualTo(TopAlertsReport.BY);
        List<String> filters = new ArrayList<>();
        parameters.properties().forEach(e -> {
            if (e.getKey().startsWith("filter_")) {
                filters.add(e.getValue().path("name").asText());
                assertThat(e.getValue().path("schema").path("maxItems").asInt()).isEqualTo(Dimensions.MAX_FILTER_VALUES);
                assertThat(e.getValue().path("schema").path("items").path("maxLength").asInt()).as(e.getKey())
                        .isEqualTo(Dimensions.maxValueLength(e.getValue().path("name").asText()));
                assertThat(e.getValue().path("schema").path("items").path("minLength").asInt()).as(e.getKey()).isEqualTo(1);
                assertThat(strings(e.getValue().path("schema").path("items").path("enum"))).as(e.getKey())
                        .isEqualTo(Dimensions.closedSet(e.getValue().path("name").asText()));
            }
        });
        assertThat(filters).isEqualTo(Dimensions.FILTERS);
        JsonNode schemas = DOC.path("components").path("schemas");
        assertThat(names(schemas.path("JobRequest").path("properties"))).isEqualTo(JobsEndpoint.BODY_FIELDS);
        assertThat(strings(schemas.path("JobRequest").path("properties").path("interval").path("enum"))).isEqualTo(JobInterval.WIRE);
        // The lengths the API refuses before parsing.
        for (String date : List.of("from", "to")) {
            assertThat(schemas.path("JobRequest").path("properties").path(date).path("maxLength").asInt()).isEqualTo(DateParameter.MAX_CHARS);
        }
        for (String date : List.of("from", "to", "from_optional", "to_optional")) {
            assertThat(parameters.path(date).path("schema").path("maxLength").asInt()).as(date).isEqualTo(DateParameter.MAX_CHARS);
        }
        assertThat(schemas.path("JobRequest").path("description").asText()).contains("At most " + JobsEndpoint.MAX_BODY_CHARS + " characters");
        assertThat(strings(schemas.path("JobStatus").path("properties").path("status").path("enum")))
                .isEqualTo(java.util.Arrays.stream(JobState.values()).map(Enum::name).toList());
        assertThat(strings(schemas.path("Health").path("properties").path("status").path("enum"))).isEqualTo(HealthReport.STATUSES);
    }

    @Test
    void limitsMatchTheCode() {
        JsonNode parameters = DOC.path("components").path("parameters");
        QueryLimits limits = QueryLimits.defaults();
        assertThat(parameters.path("limit").path("schema").path("maximum").asInt()).isEqualTo(limits.maxPageSize());
        assertThat(parameters.path("limit").path("schema").path("default").asInt()).isEqualTo(limits.defaultPageSize());
        assertThat(parameters.path("limit_top").path("schema").path("maximum").asInt()).isEqualTo(TopAlertsReport.MAX_LIMIT);
        assertThat(parameters.path("limit_top").path("schema").path("default").asInt()).isEqualTo(TopAlertsReport.DEFAULT_LIMIT);
        assertThat(parameters.path("limit_oncall").path("schema").path("maximum").asInt()).isEqualTo(OnCallReport.MAX_LIMIT);
        assertThat(parameters.path("limit_oncall").path("schema").path("default").asInt()).isEqualTo(OnCallReport.DEFAULT_LIMIT);
    }

    @Test
    void rowSchemasListTheColumnsOfEachTable() {
        assertThat(rowColumns("/v1/alerts/top")).isEqualTo(TopAlertsReport.COLUMNS);
        assertThat(rowColumns("/v1/oncall")).isEqualTo(OnCallReport.COLUMNS);
        assertThat(rowColumns("/v1/noise")).isEqualTo(NoiseReport.COLUMNS);
        assertThat(rowColumns("/v1/services")).isEqualTo(ServicesReport.COLUMNS);
        Set<String> rollupColumns = new LinkedHashSet<>(List.of("bucket_start"));
        rollupColumns.addAll(Dimensions.GROUP_BY);
        rollupColumns.addAll(MetricSelection.ALL);
        assertThat(rowColumns("/v1/rollups")).containsExactlyElementsOf(rollupColumns);
        for (String path : List.of("/v1/rollups", "/v1/alerts/top", "/v1/oncall", "/v1/noise", "/v1/services")) {
            assertThat(DOC.path("paths").path(path).path("get").path("responses").path("200").path("content").has("text/csv"))
                    .as("CSV of %s", path).isTrue();
        }
    }

    private static List<String> rowColumns(String path) {
        JsonNode schema = DOC.path("paths").path(path).path("get").path("responses").path("200").path("content")
                .path("application/json").path("schema").path("allOf").get(1);
        return names(schema.path("properties").path("rows").path("items").path("properties"));
    }

    private static JsonNode operation(Route route) {
        JsonNode operation = DOC.path("paths").path(route.template()).path(route.method().toLowerCase(Locale.ROOT));
        assertThat(operation.isObject()).as("%s %s documented", route.method(), route.template()).isTrue();
        return operation;
    }

    static JsonNode resolve(JsonNode node) {
        if (!node.has("$ref")) {
            return node;
        }
        JsonNode target = DOC;
        for (String part : node.get("$ref").asText().substring(2).split("/")) {
            target = target.path(part);
        }
        assertThat(target.isMissingNode()).as("ref %s", node.get("$ref")).isFalse();
        return target;
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.properties().forEach(e -> names.add(e.getKey()));
        return names;
    }
}
