package dev.rollcall.query.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.rollcall.query.QueryApiFixtures;

/** Path parameters as the routes read them from a request's raw path. */
class RouterTest {

    private static final Router ROUTER = new Router(QueryApiFixtures.routes());
    private static final String JOB = "0f8fad5b-d9cb-469f-a165-70867728950e";

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            // JavaScript's encodeURIComponent sends the ':' of an array child's id as %3A
            "/v1/jobs/" + JOB + "%3A3      | " + JOB + ":3",
            "/v1/jobs/" + JOB + "%3a3      | " + JOB + ":3",
            // API Gateway may hand the path decoded already: decoding it again leaves a job id as it is
            "/v1/jobs/" + JOB + ":3        | " + JOB + ":3",
            // a '+' in a path is a plus, not the space it is in a query string
            "/v1/jobs/a+b                  | a+b",
            "/v1/jobs/a%2Bb                | a+b",
            "/v1/jobs/%E2%82%AC            | €",
            // an encoded slash belongs to the value, which the route then judges, rather than splitting the path
            "/v1/jobs/a%2Fb                | a/b",
            "/v1/%6Aobs/abc                | abc"})
    void pathValuesArePercentDecoded(String path, String id) {
        Router.Match match = ROUTER.match(ApiRequest.get(path, Map.of()));

        assertThat(match.route().template()).isEqualTo("/v1/jobs/{id}");
        assertThat(match.pathParameters()).containsExactly(Map.entry("id", id));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"abc%zz", "abc%", "abc%4",
            // escapes of bytes that are not UTF-8: a lone 0xFF, a lead byte followed by no continuation byte
            "%FF", "%C3%28"})
    void aMalformedEscapeInAPathValueIsA400NamingIt(String segment) {
        assertThatThrownBy(() -> ROUTER.match(ApiRequest.get("/v1/jobs/" + segment, Map.of()))).isInstanceOfSatisfying(ApiError.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.parameter()).isEqualTo("id");
            assertThat(e.getMessage()).isEqualTo("id '" + segment + "' has a malformed %-escape: a % starts two hex digits of UTF-8, e.g. %3A for ':'");
        });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/v1/jo%zzbs/abc", "/v1/%/abc"})
    void aMalformedEscapeInAFixedSegmentMatchesNoRoute(String path) {
        assertThatThrownBy(() -> ROUTER.match(ApiRequest.get(path, Map.of()))).isInstanceOfSatisfying(ApiError.class,
                e -> assertThat(e.status()).isEqualTo(404));
    }
}
