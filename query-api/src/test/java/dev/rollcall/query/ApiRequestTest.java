package dev.rollcall.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.rollcall.query.http.ApiError;
import dev.rollcall.query.http.ApiJson;
import dev.rollcall.query.http.ApiRequest;
import dev.rollcall.query.http.QueryString;
import dev.rollcall.query.params.QueryParameters;

class ApiRequestTest {

    @Test
    void thePublishedSampleReadsAsAPostWithItsQueryHeadersAndBody() {
        APIGatewayV2HTTPEvent event = HttpApiEvents.deserialize(ApiJson.bytes(HttpApiEvents.sample()));
        ApiRequest request = ApiRequest.from(event, null);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/my/path");
        assertThat(request.query().values()).containsExactlyInAnyOrderEntriesOf(Map.of("parameter1", List.of("value1", "value2"), "parameter2", List.of("value")));
        assertThat(request.header("HEADER2")).isEqualTo("value1,value2");
        assertThat(request.headers()).containsKey("header1");
        assertThat(request.body()).isEqualTo("Hello from Lambda");
        assertThat(request.requestId()).isEqualTo("id");
        assertThat(ApiRequest.from(event, "lambda-request").requestId()).isEqualTo("lambda-request");
    }

    @Test
    void aNamedStageIsNotPartOfTheRoutePath() {
        ObjectNode sample = (ObjectNode) HttpApiEvents.sample();
        sample.put("rawPath", "/prod/v1/health/");
        ((ObjectNode) sample.get("requestContext")).put("stage", "prod");
        ApiRequest request = ApiRequest.from(HttpApiEvents.deserialize(ApiJson.bytes(sample)), null);
        assertThat(request.path()).isEqualTo("/v1/health");
    }

    @Test
    void theRawQueryStringSplitsListsOnLiteralCommasOnlyAndRepeatsAddValues() {
        ObjectNode sample = (ObjectNode) HttpApiEvents.sample();
        // What API Gateway sends for ?name=5xx%2C%20ALB&service=a,b&service=c: the decoded map has lost the difference.
        sample.put("rawQueryString", "name=5xx%2C%20ALB&service=a,b&service=c&group_by=service&from=2026-01-01T00%3A00%3A00%2B02%3A00&q=a+b&flag");
        sample.putObject("queryStringParameters").put("name", "5xx, ALB").put("service", "a,b,c").put("group_by", "service")
                .put("from", "2026-01-01T00:00:00+02:00").put("q", "a b").put("flag", "");
        ApiRequest request = ApiRequest.from(HttpApiEvents.deserialize(ApiJson.bytes(sample)), null);
        assertThat(request.query().values()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "name", List.of("5xx, ALB"), "service", List.of("a", "b", "c"), "group_by", List.of("service"),
                "from", List.of("2026-01-01T00:00:00+02:00"), "q", List.of("a b"), "flag", List.of("")));

        sample.put("rawQueryString", "from=%zz");
        APIGatewayV2HTTPEvent malformed = HttpApiEvents.deserialize(ApiJson.bytes(sample));
        assertThatThrownBy(() -> ApiRequest.from(malformed, null)).isInstanceOfSatisfying(ApiError.class,
                e -> assertThat(e.status()).isEqualTo(400));
    }

    @Test
    void withoutARawQueryStringTheDecodedParametersAreReadWithCommasAsSeparators() {
        ObjectNode sample = (ObjectNode) HttpApiEvents.sample();
        sample.remove("rawQueryString");
        sample.putObject("queryStringParameters").put("group_by", "service,source").put("name", "5xx errors");
        ApiRequest request = ApiRequest.from(HttpApiEvents.deserialize(ApiJson.bytes(sample)), null);
        assertThat(request.query().values()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "group_by", List.of("service", "source"), "name", List.of("5xx errors")));
    }

    @Test
    void aValueWithAnEscapedCommaIsOneFilterValueAndItsOwnQuery() {
        List<String> allowed = List.of("name");
        QueryParameters one = QueryParameters.of(QueryString.parse("name=5xx%2C%20ALB"), allowed);
        QueryParameters two = QueryParameters.of(QueryString.parse("name=5xx,%20ALB"), allowed);
        assertThat(one.nonEmptyList("name")).containsExactly("5xx, ALB");
        // Items as sent: Dimensions.filters matches each with and without its outer spaces.
        assertThat(two.nonEmptyList("name")).containsExactly("5xx", " ALB");
        assertThat(one.fingerprint("rollups")).isNotEqualTo(two.fingerprint("rollups"));
    }

    /** Decoded values may hold any character: none of them can make two queries share a cursor. */
    @ParameterizedTest(name = "{0} / {1}")
    @CsvSource(delimiter = '|', value = {
            "service=a,b | service=a%01b",
            "service=x&source=y | service=x%00source%01y",
            "service=ab | service=a&service=b",
            "service=a&source=b | service=a%3Db&source="})
    void controlCharactersInValuesCannotMakeTwoQueriesOne(String first, String second) {
        List<String> allowed = List.of("service", "source");
        QueryParameters one = QueryParameters.of(QueryString.parse(first), allowed);
        QueryParameters two = QueryParameters.of(QueryString.parse(second), allowed);
        assertThat(one.fingerprint("rollups")).isNotEqualTo(two.fingerprint("rollups"));
    }

    @Test
    void fieldListsSplitOnEncodedCommasTooAsURLSearchParamsSendsThem() {
        QueryParameters fields = QueryParameters.of(QueryString.parse("group_by=service%2Csource&metrics=events,pages"), List.of("group_by", "metrics"));
        assertThat(fields.list("group_by")).containsExactly("service", "source");
        assertThat(fields.list("metrics")).containsExactly("events", "pages");
    }

    @Test
    void base64BodiesAreDecodedAndBrokenOnesAre400() {
        ObjectNode sample = (ObjectNode) HttpApiEvents.sample();
        sample.put("isBase64Encoded", true);
        sample.put("body", Base64.getEncoder().encodeToString("{\"from\":\"2026-01-01\"}".getBytes(StandardCharsets.UTF_8)));
        assertThat(ApiRequest.from(HttpApiEvents.deserialize(ApiJson.bytes(sample)), null).body()).isEqualTo("{\"from\":\"2026-01-01\"}");

        sample.put("body", "***");
        APIGatewayV2HTTPEvent broken = HttpApiEvents.deserialize(ApiJson.bytes(sample));
        assertThatThrownBy(() -> ApiRequest.from(broken, null)).isInstanceOfSatisfying(ApiError.class,
                e -> assertThat(e.parameter()).isEqualTo("body"));
    }

    @Test
    void aBrokenEventIsAnsweredNotThrown() {
        ObjectNode sample = (ObjectNode) HttpApiEvents.sample();
        sample.put("isBase64Encoded", true);
        sample.put("body", "***");
        var response = QueryApiFixtures.call(QueryApiFixtures.withoutStore(null), HttpApiEvents.deserialize(ApiJson.bytes(sample)));
        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(QueryApiFixtures.json(response).path("parameter").asText()).isEqualTo("body");
    }

    @Test
    void nullValuesOfAHandMadeEventAreAbsentNotA500() {
        QueryApiHandler handler = QueryApiFixtures.withoutStore(null);
        ObjectNode nullQuery = (ObjectNode) HttpApiEvents.sample();
        nullQuery.remove("rawQueryString");
        nullQuery.put("rawPath", "/v1/rollups");
        ((ObjectNode) nullQuery.path("requestContext").path("http")).put("method", "GET");
        nullQuery.putObject("queryStringParameters").putNull("from").put("to", "2026-02-01");
        QueryValidationTest.assertError(QueryApiFixtures.call(handler, HttpApiEvents.deserialize(ApiJson.bytes(nullQuery))), 400, "from",
                "from is required, e.g. from=2026-01-01");

        ObjectNode nullHeader = (ObjectNode) HttpApiEvents.sample();
        nullHeader.remove("rawQueryString");
        nullHeader.remove("queryStringParameters");
        nullHeader.put("rawPath", "/v1/openapi.json");
        ((ObjectNode) nullHeader.path("requestContext").path("http")).put("method", "GET");
        ((ObjectNode) nullHeader.get("headers")).putNull("accept");
        assertThat(QueryApiFixtures.call(handler, HttpApiEvents.deserialize(ApiJson.bytes(nullHeader))).getStatusCode()).isEqualTo(200);
    }

    @ParameterizedTest(name = "Accept: {0} -> csv {1}")
    @CsvSource(delimiter = '|', value = {
            "text/csv | true",
            "text/csv; charset=utf-8 | true",
            "application/json | false",
            "'' | false",
            "*/* | false",
            "text/csv, */* | true",
            "text/*, application/json | false",
            "text/*;q=0.9, application/json;q=0.5 | true",
            "application/json;q=0.9, text/csv | true",
            "text/csv;q=0.5, application/json | false",
            "text/csv;q=0 | false",
            "text/html | false",
            // quality first: specificity only breaks ties
            "*/*;q=0.1, text/csv;q=0.05 | false",
            "application/*;q=0.2, text/csv;q=0.1 | false",
            "text/csv;q=0.3, application/*;q=0.2 | true",
            "text/csv, application/json | false",
            "application/json, text/csv | false",
            // the most specific range gives a type its quality
            "text/*;q=0.9, text/csv;q=0.1, application/json;q=0.5 | false",
            "*/*, text/csv;q=0 | false",
            "TEXT/CSV;Q=0.8, application/json;q=0.7 | true",
            "text/csv ; q=0.9 , application/json;q=0.8 | true",
            // q outside 0..1 is clamped; a q that is not a number makes the range unacceptable
            "text/csv;q=2, application/json;q=0.9 | true",
            "text/csv;q=NaN | false",
            "text/csv;q=high, application/json;q=0.1 | false",
            "text/csv;q=Infinity | false",
            "text/csv;q=1e0 | false",
            "text/csv;q=-1, */*;q=0.1 | false",
            // ranges that are nothing but separators name no type
            "; | false",
            ";; | false",
            "application/json,;; | false",
            "text/csv, ; | true",
            ", | false"})
    void csvOnlyWhenAskedForAboveJson(String accept, boolean csv) {
        ApiRequest request = new ApiRequest("GET", "/v1/rollups", QueryString.EMPTY, Map.of("Accept", accept), null, null);
        assertThat(request.prefersCsv()).isEqualTo(csv);
    }
}
