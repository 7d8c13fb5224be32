package dev.rollcall.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.DefaultConfiguration;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.layout.template.json.JsonTemplateLayout;
import org.apache.logging.log4j.message.Message;
import org.apache.logging.log4j.message.SimpleMessage;
import org.apache.logging.log4j.message.StringMapMessage;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.rollcall.core.alert.AlertJson;

/** Local mode's function log lines have the fields the deployed functions' lines have, whichever function wrote them. */
class LocalLogTemplateTest {

    private static final String TEMPLATE = "classpath:rollcall-local-log-template.json";

    @Test
    void everyAppenderOfLocalModeUsesTheLocalTemplate() throws IOException {
        String config;
        try (InputStream in = LocalLogTemplateTest.class.getResourceAsStream("/log4j2-local.xml")) {
            config = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Matcher templates = Pattern.compile("eventTemplateUri=\"([^\"]+)\"").matcher(config);
        int count = 0;
        while (templates.find()) {
            assertThat(templates.group(1)).isEqualTo(TEMPLATE);
            count++;
        }
        assertThat(count).as("the console and the file").isEqualTo(2);
    }

    @Test
    void theQueryApisAccessLineKeepsItsFieldsAndTheIngestLinesTheirText() {
        // The query API's access line, as RequestLog writes it: fields a log query filters on, as in the deployed function.
        JsonNode access = line(new StringMapMessage().with("event", "request").with("method", "GET").with("path", "/v1/rollups")
                .with("status", "400").with("latency_ms", "1.164"));
        assertThat(access.path("message").path("event").asText()).isEqualTo("request");
        assertThat(access.path("message").path("path").asText()).isEqualTo("/v1/rollups");
        assertThat(access.path("message").path("status").asText()).isEqualTo("400");

        JsonNode ingest = line(new SimpleMessage("webhook answered 202"));
        assertThat(ingest.path("message").isTextual()).isTrue();
        assertThat(ingest.path("message").asText()).isEqualTo("webhook answered 202");
        assertThat(ingest.path("level").asText()).isEqualTo("INFO");
    }

    private static JsonNode line(Message message) {
        JsonTemplateLayout layout = JsonTemplateLayout.newBuilder().setConfiguration(new DefaultConfiguration())
                .setEventTemplateUri(TEMPLATE).build();
        String text = layout.toSerializable(Log4jLogEvent.newBuilder().setLoggerName("dev.rollcall.query.telemetry.RequestLog")
                .setLevel(Level.INFO).setMessage(message).build());
        assertThat(text.trim()).as("one line").doesNotContain("\n");
        return AlertJson.readTree(text);
    }
}
