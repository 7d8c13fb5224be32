package dev.rollcall.query;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.apache.logging.log4j.layout.template.json.JsonTemplateLayout;

import com.fasterxml.jackson.databind.JsonNode;

import dev.rollcall.query.http.ApiJson;

/** The API's log lines (INFO and up, in the Lambda's JSON layout) while it is open, for tests to read. */
final class LogCapture implements AutoCloseable {

    private static final String QUERY_LOGGERS = "dev.rollcall.query";
    private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
    private final AbstractAppender appender;

    private LogCapture() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration config = context.getConfiguration();
        JsonTemplateLayout layout = JsonTemplateLayout.newBuilder().setConfiguration(config)
                .setEventTemplateUri("classpath:dev/rollcall/query/log-event.json").build();
        appender = new AbstractAppender("capture", null, layout, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                lines.add(layout.toSerializable(event));
            }
        };
        appender.start();
        LoggerConfig logger = new LoggerConfig(QUERY_LOGGERS, Level.INFO, false);
        logger.addAppender(appender, Level.INFO, null);
        config.addLogger(QUERY_LOGGERS, logger);
        context.updateLoggers();
    }

    static LogCapture start() {
        return new LogCapture();
    }

    /** The lines so far, parsed. */
    List<JsonNode> lines() {
        List<JsonNode> parsed = new ArrayList<>();
        synchronized (lines) {
            for (String line : lines) {
                parsed.add(ApiJson.read(line.getBytes(StandardCharsets.UTF_8)));
            }
        }
        return parsed;
    }

    @Override
    public void close() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        context.getConfiguration().removeLogger(QUERY_LOGGERS);
        context.updateLoggers();
        appender.stop();
    }
}
