package dev.rollcall.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The fields a failure line names its event by: whatever the body, a few short fields or none, never an exception. */
class EventBridgeHandlerTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            an envelope              | {"id":"e-1","source":"aws.health","detail-type":"AWS Health Event","account":"111122223333","detail":{}} | {event_id=e-1, event_source=aws.health, event_detail_type=AWS Health Event, event_account=111122223333}
            fields that are no text  | {"id":7,"source":{"a":1},"account":null}                                                         | {}
            some of them            | {"source":"custom.app"}                                                                           | {event_source=custom.app}
            malformed JSON           | {"id":"e-1",                                                                                      | {}
            no object                | [1,2]                                                                                             | {}
            nothing                  | ''                                                                                                | {}
            """)
    void namesTheEventAsFarAsTheBodyHasIt(String what, String body, String expected) {
        Map<String, String> fields = EventBridgeHandler.envelopeFields((body == null ? "" : body).getBytes(StandardCharsets.UTF_8));
        assertThat(fields).as(what).hasToString(expected);
    }

    @org.junit.jupiter.api.Test
    void aSendersLongIdIsCut() {
        String body = "{\"id\":\"" + "x".repeat(10_000) + "\"}";
        assertThat(EventBridgeHandler.envelopeFields(body.getBytes(StandardCharsets.UTF_8)).get("event_id")).hasSize(200);
    }
}
