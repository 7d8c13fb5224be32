package dev.rollcall.core.classify;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Classification rules and fingerprint fields as data: a versioned rules file (YAML or JSON; format in
 * core/README.md) whose first matching rule gives an alert its urgency and, optionally, service and environment.
 * An alert no rule matches is urgency {@code high} and flagged unclassified. Immutable and thread-safe.
 */
public final class ClassificationRules {

    /** Where the bundled default rules live on the classpath. */
    public static final String BUNDLED_RESOURCE = "/dev/rollcall/core/classify/default-rules.yaml";

    private static final ClassificationRules EMPTY = new ClassificationRules(List.of(), FingerprintFields.DEFAULTS);

    private final List<ClassificationRule> rules;
    private final FingerprintFields fingerprints;
    private final boolean anyCaptures;

    ClassificationRules(List<ClassificationRule> rules, FingerprintFields fingerprints) {
        this.rules = rules;
        this.fingerprints = fingerprints;
        this.anyCaptures = rules.stream().anyMatch(ClassificationRule::captures);
    }

    /** The default rules that ship with Rollcall. */
    public static ClassificationRules bundled() {
        try (InputStream in = ClassificationRules.class.getResourceAsStream(BUNDLED_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("bundled rules " + BUNDLED_RESOURCE + " are missing from the classpath");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "classpath:" + BUNDLED_RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** No rules at all: every alert is unclassified; fingerprints use the defaults. */
    public static ClassificationRules empty() {
        return EMPTY;
    }

    /** Reads and validates a rules file; JSON when its name ends in .json, YAML otherwise. */
    public static ClassificationRules load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new RulesFileException("rules file " + file + " does not exist");
        } catch (IOException e) {
            throw new RulesFileException("rules file " + file + " cannot be read: " + e.getMessage(), e);
        }
        return parse(text, file.toString());
    }

    /** Parses and validates rules text; {@code origin} names it in messages and says JSON when it ends in .json. */
    public static ClassificationRules parse(String text, String origin) {
        return RulesFileReader.read(text, origin);
    }

    /** The first matching rule's decision, or unclassified. */
    public Classification classify(AlertFacts alert) {
        Map<String, String> captures = anyCaptures ? new HashMap<>(4) : null;
        for (ClassificationRule rule : rules) {
            Classification classification = rule.apply(alert, captures);
            if (classification != null) {
                return classification;
            }
        }
        return Classification.UNCLASSIFIED;
    }

    /** The alert's fingerprint from its source's fingerprint fields. */
    public Fingerprint fingerprint(AlertFacts alert) {
        return fingerprints.compute(alert);
    }

    /** The rule ids in order. */
    public List<String> ruleIds() {
        return rules.stream().map(ClassificationRule::id).toList();
    }
}
