package dev.rollcall.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;

import dev.rollcall.core.store.IndexNames;
import dev.rollcall.core.store.OpenSearchClients;
import dev.rollcall.core.store.OpenSearchConfig;
import dev.rollcall.core.store.OpenSearchHttp;
import dev.rollcall.query.reports.RollupSearch;
import dev.rollcall.servers.junit.RealServers;
import dev.rollcall.servers.junit.TestOpenSearch;

/**
 * {@link ClientInputFuzzTest}'s changed valid requests again, this time reaching the real OpenSearch over
 * {@link RollupDataset}'s rollups: whatever passes validation must come back as an answer, so that no value a client
 * controls reaches the search and fails there (which the closed port of the unit test cannot show).
 */
@RealServers
class ClientInputFuzzIT {

    @Test
    void everyChangedValidRequestIsAnAnswerOrA400(TestOpenSearch openSearch) {
        IndexNames names = RollupDataset.writeTo(openSearch, "fuzz");
        QueryApiHandler handler = QueryApiFixtures.handler(new RollupSearch(new OpenSearchHttp(OpenSearchClients.create(
                OpenSearchConfig.local(openSearch.uri(), names.prefix()))), names), new RecordingAggregationJobs(), line -> { });
        Map<Integer, Integer> statuses = new LinkedHashMap<>();
        int withRows = 0;
        for (ClientInputFuzzTest.ChangedRequest changed : ClientInputFuzzTest.changedValidRequests(6122026, 1_500)) {
            APIGatewayV2HTTPResponse response = QueryApiFixtures.call(handler, changed.event());

            assertThat(response.getStatusCode()).as("%s: %s", changed, response.getBody()).isIn(200, 400);
            JsonNode body = QueryApiFixtures.json(response);
            if (response.getStatusCode() == 200) {
                assertThat(body.path("rows").isArray()).as(changed.toString()).isTrue();
                withRows += body.path("rows").isEmpty() ? 0 : 1;
            } else {
                assertThat(body.path("message").asText()).as(changed.toString()).isNotBlank();
            }
            statuses.merge(response.getStatusCode(), 1, Integer::sum);
        }
        // Both kinds of answer in numbers, and answers with rows among them: the searches really ran over data.
        assertThat(statuses.get(200)).as("%s", statuses).isGreaterThan(300);
        assertThat(statuses.get(400)).as("%s", statuses).isGreaterThan(300);
        assertThat(withRows).as("answers with rows").isGreaterThan(100);
    }
}
