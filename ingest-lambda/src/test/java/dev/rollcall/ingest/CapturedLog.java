package dev.rollcall.ingest;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/** The log events one class's logger writes while this is open: what an operator reads, for tests to assert. */
public final class CapturedLog implements AutoCloseable {

    private final List<LogEvent> events = new CopyOnWriteArrayList<>();
    private final Logger logger;
    private final AbstractAppender appender;

    private CapturedLog(Class<?> source) {
        this.logger = (Logger) LogManager.getLogger(source);
        this.appender = new AbstractAppender("captured-" + source.getSimpleName(), null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                events.add(event.toImmutable());
            }
        };
        appender.start();
        logger.addAppender(appender);
    }

    public static CapturedLog of(Class<?> source) {
        return new CapturedLog(source);
    }

    /** The structured fields (thread context) of the last line whose message starts with {@code prefix}. */
    public Map<String, String> fieldsOfLast(String prefix) {
        return last(prefix).getContextData().toMap();
    }

    /** The whole message of the last line whose message starts with {@code prefix}. */
    public String messageOfLast(String prefix) {
        return last(prefix).getMessage().getFormattedMessage();
    }

    /** The level of the last line whose message starts with {@code prefix}. */
    public String levelOfLast(String prefix) {
        return last(prefix).getLevel().name();
    }

    private LogEvent last(String prefix) {
        for (int i = events.size() - 1; i >= 0; i--) {
            if (events.get(i).getMessage().getFormattedMessage().startsWith(prefix)) {
                return events.get(i);
            }
        }
        throw new AssertionError("no log line starting with '" + prefix + "' among " + events.size());
    }

    public String lastMessage() {
        return events.isEmpty() ? null : events.get(events.size() - 1).getMessage().getFormattedMessage();
    }

    @Override
    public void close() {
        logger.removeAppender(appender);
        appender.stop();
    }
}
