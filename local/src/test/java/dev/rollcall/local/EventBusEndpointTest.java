package dev.rollcall.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.rollcall.core.alert.AlertJson;

/**
 * PutEvents fails in its answer each entry the ingest function would refuse, as EventBridge fails a malformed entry,
 * instead of accepting it to have it fail three times into the dead-letter queue; the other entries are delivered.
 */
class EventBusEndpointTest {

    private final List<String> delivered = new CopyOnWriteArrayList<>();
    private AsyncInvocations async;
    private EventBusEndpoint endpoint;

    @BeforeEach
    void start() {
        LocalFunctions functions = new LocalFunctions().register(LocalPipeline.INGEST_EVENTBRIDGE, event -> {
            delivered.add(event);
            return "{}";
        });
        async = new AsyncInvocations(functions, Map.of(), 10);
        endpoint = new EventBusEndpoint(0, async, LocalPipeline.INGEST_EVENTBRIDGE);
        endpoint.start();
    }

    @AfterEach
    void stop() {
        endpoint.close();
        async.close();
    }

    @Test
    void anEntryTheFunctionWouldRefuseFailsAloneAndItsNeighboursAreDelivered() throws Exception {
        ObjectNode request = AlertJson.mapper().createObjectNode();
        ArrayNode entries = request.putArray("Entries");
        entry(entries, "first").put("Detail", "{\"alarmName\":\"first\"}");
        entry(entries, "too-deep").put("Detail", nested(600));
        // Its event is one level deeper: at the limit as a Detail, over it as the event the function reads.
        entry(entries, "at-the-limit").put("Detail", nested(AlertJson.PAYLOAD_DEPTH));
        entry(entries, "just-under").put("Detail", nested(AlertJson.PAYLOAD_DEPTH - 1));
        entry(entries, "object-resource").put("Detail", "{}").putArray("Resources").addObject().put("a", 1);
        entry(entries, "resources-not-a-list").put("Detail", "{}").put("Resources", "arn:aws:cloudwatch:us-east-1:000000000000:alarm:x");
        entry(entries, "last").put("Detail", "{\"alarmName\":\"last\"}").putArray("Resources").add("arn:aws:cloudwatch:us-east-1:000000000000:alarm:last");

        HttpResponse<String> answer = putEvents(request.toString());

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode results = AlertJson.readTree(answer.body());
        assertThat(results.path("FailedEntryCount").asInt()).isEqualTo(4);
        JsonNode each = results.path("Entries");
        assertThat(each.get(0).path("EventId").asText()).isNotBlank();
        assertThat(each.get(1).path("ErrorCode").asText()).isEqualTo("MalformedDetail");
        assertThat(each.get(1).path("ErrorMessage").asText()).startsWith("Detail is malformed: ")
                .contains("nested deeper than " + AlertJson.PAYLOAD_DEPTH + " levels");
        assertThat(each.get(2).path("ErrorCode").asText()).isEqualTo("MalformedDetail");
        assertThat(each.get(2).path("ErrorMessage").asText()).contains("as the target function reads it")
                .contains("nested deeper than " + AlertJson.PAYLOAD_DEPTH + " levels");
        assertThat(each.get(3).path("EventId").asText()).isNotBlank();
        assertThat(each.get(4).path("ErrorCode").asText()).isEqualTo("InvalidArgument");
        assertThat(each.get(4).path("ErrorMessage").asText()).isEqualTo("Resources must hold strings (ARNs) only, got object");
        assertThat(each.get(5).path("ErrorCode").asText()).isEqualTo("InvalidArgument");
        assertThat(each.get(5).path("ErrorMessage").asText()).isEqualTo("Resources must be a list of strings (ARNs), got string");
        assertThat(each.get(6).path("EventId").asText()).isNotBlank();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(delivered).hasSize(3));
        // Each delivered event is one the function can read: nothing accepted here fails there.
        assertThat(delivered).extracting(event -> AlertJson.readPayload(event).path("detail-type").asText())
                .containsExactlyInAnyOrder("first", "just-under", "last");
    }

    @Test
    void aDetailThatIsNotJsonIsMalformedDetailAsEventBridgeSays() throws Exception {
        ObjectNode request = AlertJson.mapper().createObjectNode();
        entry(request.putArray("Entries"), "not-json").put("Detail", "not json");
        JsonNode result = AlertJson.readTree(putEvents(request.toString()).body()).path("Entries").get(0);
        assertThat(result.path("ErrorCode").asText()).isEqualTo("MalformedDetail");
        assertThat(result.path("ErrorMessage").asText()).startsWith("Detail is malformed: malformed JSON: ");
    }

    private static ObjectNode entry(ArrayNode entries, String detailType) {
        return entries.addObject().put("Source", "my.app").put("DetailType", detailType);
    }

    /** A JSON object {@code depth} levels deep. */
    private static String nested(int depth) {
        return "{\"a\":".repeat(depth - 1) + "{}" + "}".repeat(depth - 1);
    }

    private HttpResponse<String> putEvents(String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + "/"))
                .header("X-Amz-Target", "AWSEvents.PutEvents").header("Content-Type", "application/x-amz-json-1.1")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
