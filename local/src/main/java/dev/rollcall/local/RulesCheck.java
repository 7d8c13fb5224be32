package dev.rollcall.local;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.rollcall.core.alert.Alert;
import dev.rollcall.core.alert.AlertJson;
import dev.rollcall.core.classify.ClassificationRules;
import dev.rollcall.core.classify.RulesFileException;
import dev.rollcall.core.normalize.EventNormalizer;
import dev.rollcall.core.normalize.IncomingEvent;

/**
 * {@code ./rollcall rules FILE [EVENT ...]}: checks a classification rules file offline, as the ingest functions
 * load it, and shows how each sample event (a payload as a door receives it: an EventBridge event, a webhook body, an
 * SNS envelope) is classified, one JSON line per alert. Exit 0 when everything read, 2 when the rules or an event
 * file are wrong, with a message naming it.
 */
public final class RulesCheck {

    static final String USAGE = """
            usage: ./rollcall rules FILE [--source NAME] [EVENT ...]
              FILE           a classification rules file (YAML, or JSON when the name ends in .json), as ROLLCALL_RULES_FILE
              --source NAME  the events came to /v1/events/NAME (a webhook's source), which decides among webhook shapes
              EVENT          payload files as a door receives them; each alert they carry is printed with its classification
            """;

    private RulesCheck() {
    }

    public static void main(String[] args) {
        System.exit(run(List.of(args), System.out, System.err));
    }

    /** Checks {@code args}' rules file and classifies their events; answers the exit code. */
    static int run(List<String> args, PrintStream out, PrintStream err) {
        if (args.isEmpty() || args.contains("--help") || args.contains("-h")) {
            (args.isEmpty() ? err : out).print(USAGE);
            return args.isEmpty() ? 2 : 0;
        }
        Path rulesFile = Path.of(args.get(0));
        ClassificationRules rules;
        try {
            rules = ClassificationRules.load(rulesFile);
        } catch (RulesFileException e) {
            err.println("rules: " + e.getMessage());
            return 2;
        }
        out.println("rules " + rulesFile + ": valid, " + rules.ruleIds().size() + " rules in order: " + String.join(", ", rules.ruleIds()));
        EventNormalizer normalizer = EventNormalizer.withRulesFile(rulesFile);
        List<String> events = new ArrayList<>(args.subList(1, args.size()));
        String source = null;
        int option = events.indexOf("--source");
        if (option >= 0) {
            if (option + 1 >= events.size()) {
                err.println("rules: --source needs a name, such as alertmanager\n" + USAGE);
                return 2;
            }
            source = events.remove(option + 1);
            events.remove(option);
        }
        // The webhook door when a source is named (as /v1/events/NAME), else the SQS door, which reads any shape.
        IncomingEvent.Door door = source == null ? IncomingEvent.Door.SQS : IncomingEvent.Door.WEBHOOK;
        int exit = 0;
        for (String name : events) {
            Path file = Path.of(name);
            try {
                IncomingEvent event = new IncomingEvent(Files.readAllBytes(file), source, Map.of(), door, Instant.now());
                List<Alert> alerts = normalizer.normalize(event);
                if (alerts.isEmpty()) {
                    out.println(file + ": no alert (a kind of event Rollcall skips, such as a subscription confirmation)");
                }
                for (Alert alert : alerts) {
                    out.println(file + ": " + AlertJson.toJson(summary(alert)));
                }
            } catch (NoSuchFileException e) {
                err.println(file + ": no such file");
                exit = 2;
            } catch (IOException e) {
                err.println(file + ": cannot be read: " + e.getMessage());
                exit = 2;
            } catch (AlertJson.MalformedJsonException e) {
                err.println(file + ": " + e.getMessage());
                exit = 2;
            }
        }
        return exit;
    }

    /** What the rules decide and what they match on; labels and the raw payload are left out to keep one line short. */
    private static ObjectNode summary(Alert alert) {
        ObjectNode line = AlertJson.mapper().createObjectNode();
        line.put("urgency", alert.urgency().wire());
        line.put("classified_by", alert.classifiedBy());
        line.put("unclassified", alert.unclassified());
        line.put("service", alert.service());
        line.put("environment", alert.environment());
        line.put("source", alert.source());
        line.put("name", alert.name());
        line.put("state", alert.state().wire());
        line.put("severity", alert.severity().wire());
        line.put("account", alert.account());
        line.put("fingerprint", alert.fingerprint());
        return line;
    }
}
