package dev.rollcall.core.classify;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.PatternSyntaxException;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import dev.rollcall.core.alert.AlertState;
import dev.rollcall.core.alert.Severity;
import dev.rollcall.core.alert.Urgency;

/**
 * Reads and validates a rules file (format in core/README.md, "Classification rules"). Every problem is reported
 * with the file, the rule's id and position, and what is wrong, so a bad file fails at start-up, not per event.
 */
final class RulesFileReader {

    static final int SUPPORTED_VERSION = 1;
    private static final Set<String> TOP_KEYS = Set.of("version", "description", "fingerprints", "rules");
    private static final Set<String> RULE_KEYS = Set.of("id", "description", "match", "urgency", "service", "environment");
    private static final Set<String> MATCH_KEYS = Set.of("source", "name", "title", "account", "region", "service",
            "environment", "severity", "state", "labels");
    private static final ObjectMapper YAML = YAMLMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();
    private static final ObjectMapper JSON = JsonMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();

    private final String origin;

    private RulesFileReader(String origin) {
        this.origin = origin;
    }

    /** Parses rules from text; {@code origin} names where it came from, and JSON is expected when it ends in .json. */
    static ClassificationRules read(String text, String origin) {
        return new RulesFileReader(origin).read(text);
    }

    private ClassificationRules read(String text) {
        JsonNode root;
        try {
            root = (origin.toLowerCase(Locale.ROOT).endsWith(".json") ? JSON : YAML).readTree(text);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw fail("is not valid YAML or JSON: " + e.getOriginalMessage() + where, e);
        }
        if (root == null || root.isMissingNode() || !root.isObject()) {
            throw fail("must be a mapping with 'version' and 'rules'");
        }
        unknownKeys(root, TOP_KEYS, "the file");
        JsonNode version = root.get("version");
        // A whole number only (1 or 1.0): 1.9 converts to the int 1 as well.
        // canConvertToInt too: intValue() keeps the low 32 bits, so 4294967297 would read as 1.
        if (version == null || !version.isNumber() || !version.canConvertToExactIntegral() || !version.canConvertToInt()
                || version.intValue() != SUPPORTED_VERSION) {
            throw fail("needs 'version: " + SUPPORTED_VERSION + "' (found " + (version == null ? "none" : "'" + version.asText() + "'") + ")");
        }
        FingerprintFields fingerprints = FingerprintFields.DEFAULTS.withOverrides(fingerprints(root.get("fingerprints")));
        return new ClassificationRules(rules(root.get("rules")), fingerprints);
    }

    private Map<String, List<List<String>>> fingerprints(JsonNode node) {
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw fail("'fingerprints' must map a source to its list of fields");
        }
        Map<String, List<List<String>>> bySource = new HashMap<>();
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            String where = "fingerprints." + entry.getKey();
            if (!FingerprintFields.DEFAULTS.bySource().containsKey(entry.getKey())) {
                // A misspelt source would apply to no alert, silently.
                throw fail(where + ": no alert has the source '" + entry.getKey() + "' (sources: "
                        + String.join(", ", new TreeSet<>(FingerprintFields.DEFAULTS.bySource().keySet())) + ")");
            }
            List<String> fields = strings(entry.getValue(), where);
            try {
                bySource.put(entry.getKey(), FingerprintFields.spec(fields.toArray(String[]::new)));
            } catch (IllegalArgumentException e) {
                throw fail(where + ": " + e.getMessage());
            }
        }
        return bySource;
    }

    private List<ClassificationRule> rules(JsonNode node) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw fail("'rules' must be a list");
        }
        List<ClassificationRule> rules = new ArrayList<>(node.size());
        Set<String> ids = new HashSet<>();
        int position = 0;
        for (JsonNode ruleNode : node) {
            position++;
            ClassificationRule rule = rule(ruleNode, position);
            if (!ids.add(rule.id())) {
                throw fail(ruleName(rule.id(), position) + ": id is used by an earlier rule too");
            }
            rules.add(rule);
        }
        return List.copyOf(rules);
    }

    private ClassificationRule rule(JsonNode node, int position) {
        String id = node.isObject() ? scalar(node.get("id")) : null;
        String name = ruleName(id, position);
        if (!node.isObject()) {
            throw fail(name + ": must be a mapping with id, match and urgency");
        }
        if (id == null) {
            throw fail(name + ": needs an 'id'");
        }
        unknownKeys(node, RULE_KEYS, name);
        String urgencyText = scalar(node.get("urgency"));
        if (urgencyText == null) {
            throw fail(name + ": needs an 'urgency' (high, low or ignore)");
        }
        Urgency urgency = enumValue(Urgency.class, urgencyText, name + ": urgency");
        RuleMatch match = match(node.get("match"), name);
        Set<String> groups = match.groupNames();
        ValueTemplate service = template(node.get("service"), name + ": service", groups);
        ValueTemplate environment = template(node.get("environment"), name + ": environment", groups);
        return new ClassificationRule(id, match, urgency, service, environment, !groups.isEmpty());
    }

    private RuleMatch match(JsonNode node, String rule) {
        if (node == null) {
            return RuleMatch.EVERYTHING;
        }
        if (node.isNull()) {
            throw fail(rule + ": match has no conditions; leave 'match' out for a rule that matches every alert");
        }
        if (!node.isObject()) {
            throw fail(rule + ": 'match' must be a mapping of conditions");
        }
        unknownKeys(node, MATCH_KEYS, rule + ": match");
        Map<String, List<TextPattern>> labels = new HashMap<>();
        JsonNode labelsNode = node.get("labels");
        if (labelsNode != null) {
            requireValue(labelsNode, rule + ": match.labels");
            if (!labelsNode.isObject()) {
                throw fail(rule + ": match.labels must map a label key to a pattern");
            }
            labelsNode.properties().forEach(e ->
                    labels.put(e.getKey(), patterns(e.getValue(), rule + ": match.labels." + e.getKey())));
        }
        return new RuleMatch(
                patterns(node.get("source"), rule + ": match.source"),
                patterns(node.get("name"), rule + ": match.name"),
                patterns(node.get("title"), rule + ": match.title"),
                patterns(node.get("account"), rule + ": match.account"),
                patterns(node.get("region"), rule + ": match.region"),
                patterns(node.get("service"), rule + ": match.service"),
                patterns(node.get("environment"), rule + ": match.environment"),
                enums(node.get("severity"), Severity.class, rule + ": match.severity"),
                enums(node.get("state"), AlertState.class, rule + ": match.state"),
                Map.copyOf(labels));
    }

    /**
     * A condition written without a value ({@code account:} and nothing after it, or an empty substitution) would
     * be no condition at all, and the rule would match every alert: a forgotten value must not ignore every page.
     */
    private void requireValue(JsonNode node, String where) {
        if (node.isNull()) {
            throw fail(where + ": has no value, so it would match every alert; give it one or leave the condition out");
        }
    }

    /** A pattern or a list of them: a string is a glob, {@code {regex: ...}} a regex, {@code {glob: ...}} a glob. */
    private List<TextPattern> patterns(JsonNode node, String where) {
        if (node == null) {
            return null;
        }
        requireValue(node, where);
        List<TextPattern> patterns = new ArrayList<>();
        if (node.isArray()) {
            if (node.isEmpty()) {
                throw fail(where + ": an empty list matches nothing; leave the condition out instead");
            }
            node.forEach(item -> patterns.add(pattern(item, where)));
        } else {
            patterns.add(pattern(node, where));
        }
        return List.copyOf(patterns);
    }

    private TextPattern pattern(JsonNode node, String where) {
        String text = scalar(node);
        if (text != null) {
            return TextPattern.glob(text);
        }
        if (node.isObject() && node.size() == 1) {
            String regex = scalar(node.get("regex"));
            if (regex != null) {
                try {
                    return TextPattern.regex(regex);
                } catch (PatternSyntaxException e) {
                    throw fail(where + ": regex '" + regex + "' is invalid: " + e.getDescription());
                }
            }
            String glob = scalar(node.get("glob"));
            if (glob != null) {
                return TextPattern.glob(glob);
            }
        }
        throw fail(where + ": must be text (a glob), {regex: '...'}, {glob: '...'} or a list of them");
    }

    private <E extends Enum<E>> Set<E> enums(JsonNode node, Class<E> type, String where) {
        if (node == null) {
            return null;
        }
        requireValue(node, where);
        Set<E> values = EnumSet.noneOf(type);
        for (String text : strings(node, where)) {
            values.add(enumValue(type, text, where));
        }
        return values;
    }

    private <E extends Enum<E>> E enumValue(Class<E> type, String text, String where) {
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(text.trim())) {
                return constant;
            }
        }
        String allowed = String.join(", ", Arrays.stream(type.getEnumConstants())
                .map(c -> c.name().toLowerCase(Locale.ROOT)).toList());
        throw fail(where + " '" + text + "' is not one of: " + allowed);
    }

    private ValueTemplate template(JsonNode node, String where, Set<String> groups) {
        if (node == null || node.isNull()) {
            return null;
        }
        String text = scalar(node);
        if (text == null) {
            throw fail(where + ": must be text such as 'checkout', '${labels.team}' or '${group}'");
        }
        ValueTemplate template;
        try {
            template = ValueTemplate.parse(text);
        } catch (IllegalArgumentException e) {
            throw fail(where + ": " + e.getMessage());
        }
        for (String group : template.groups()) {
            if (!groups.contains(group)) {
                throw fail(where + ": '${" + group + "}' names no group of this rule's regexes"
                        + (groups.isEmpty() ? " (it has none; use {regex: '(?<" + group + ">...)'})" : " (it has: " + String.join(", ", groups) + ")")
                        + "; labels are written ${labels.<key>}");
            }
        }
        return template;
    }

    private List<String> strings(JsonNode node, String where) {
        List<String> values = new ArrayList<>();
        Function<JsonNode, String> one = item -> {
            String text = scalar(item);
            if (text == null) {
                throw fail(where + ": must be text or a list of text");
            }
            return text;
        };
        if (node.isArray()) {
            if (node.isEmpty()) {
                throw fail(where + ": an empty list matches nothing; leave it out instead");
            }
            node.forEach(item -> values.add(one.apply(item)));
        } else {
            values.add(one.apply(node));
        }
        return values;
    }

    private void unknownKeys(JsonNode node, Set<String> known, String where) {
        node.fieldNames().forEachRemaining(key -> {
            if (!known.contains(key)) {
                throw fail(where + ": unknown key '" + key + "' (allowed: " + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        });
    }

    /** Text of a scalar, numbers included (an unquoted account id is read as a number); null for anything else. */
    private static String scalar(JsonNode node) {
        if (node == null || node.isNull() || !node.isValueNode()) {
            return null;
        }
        String text = node.asText();
        return text.isBlank() ? null : text.trim();
    }

    private static String ruleName(String id, int position) {
        return id == null ? "rule #" + position : "rule '" + id + "' (#" + position + ")";
    }

    private RulesFileException fail(String problem) {
        return new RulesFileException("rules file " + origin + ": " + problem);
    }

    private RulesFileException fail(String problem, Throwable cause) {
        return new RulesFileException("rules file " + origin + ": " + problem, cause);
    }
}
