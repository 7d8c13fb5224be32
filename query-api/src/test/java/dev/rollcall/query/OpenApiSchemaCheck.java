package dev.rollcall.query;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Checks a JSON value against a schema of the API's OpenAPI 3.1 document, for the parts of JSON Schema the document
 * uses: {@code $ref}, {@code allOf}, {@code type} (one or a list, {@code "null"} included), {@code enum},
 * {@code required}, {@code properties}, {@code additionalProperties}, {@code items}, {@code maxItems},
 * {@code minimum}, {@code maximum}, {@code pattern} and {@code format: date-time}.
 * Stricter than JSON Schema in one way, on purpose: an object whose schema lists its properties and says nothing of
 * others may have no others, so that a field renamed in the code but not in the document is caught.
 */
final class OpenApiSchemaCheck {

    private final JsonNode document;

    OpenApiSchemaCheck(JsonNode document) {
        this.document = document;
    }

    /** What in {@code value} does not match {@code schema}, one line per mismatch with its JSON path; empty when it matches. */
    List<String> problems(JsonNode value, JsonNode schema) {
        List<String> problems = new ArrayList<>();
        check("$", value, schema, problems);
        return problems;
    }

    /** Follows a {@code $ref} within the document; any other node is returned as it is. */
    JsonNode resolve(JsonNode node) {
        JsonNode target = node;
        while (target.has("$ref")) {
            String ref = target.get("$ref").asText();
            if (!ref.startsWith("#/")) {
                throw new IllegalArgumentException("only local references are supported: " + ref);
            }
            JsonNode next = document;
            for (String part : ref.substring(2).split("/")) {
                next = next.path(part);
            }
            if (next.isMissingNode()) {
                throw new IllegalArgumentException("unresolved reference " + ref);
            }
            target = next;
        }
        return target;
    }

    /**
     * The schema with its {@code allOf} branches folded in: properties and required fields united (a property two
     * branches describe must match both), so that the strict check of fields sees every branch's properties.
     */
    private JsonNode effective(JsonNode schemaOrRef) {
        JsonNode schema = resolve(schemaOrRef);
        if (!schema.has("allOf")) {
            return schema;
        }
        ObjectNode merged = schema.deepCopy();
        merged.remove("allOf");
        for (JsonNode branch : schema.get("allOf")) {
            JsonNode b = effective(branch);
            for (Map.Entry<String, JsonNode> keyword : b.properties()) {
                String name = keyword.getKey();
                if (name.equals("properties")) {
                    ObjectNode properties = merged.has("properties") ? (ObjectNode) merged.get("properties") : merged.putObject("properties");
                    for (Map.Entry<String, JsonNode> property : keyword.getValue().properties()) {
                        JsonNode earlier = properties.get(property.getKey());
                        if (earlier == null) {
                            properties.set(property.getKey(), property.getValue());
                        } else {
                            ObjectNode both = properties.putObject(property.getKey());
                            both.putArray("allOf").add(earlier).add(property.getValue());
                        }
                    }
                } else if (name.equals("required")) {
                    ArrayNode required = merged.has("required") ? (ArrayNode) merged.get("required") : merged.putArray("required");
                    keyword.getValue().forEach(required::add);
                } else if (!merged.has(name)) {
                    merged.set(name, keyword.getValue());
                } else if (!merged.get(name).equals(keyword.getValue()) && !name.equals("description")) {
                    ObjectNode both = JsonNodeFactory.instance.objectNode();
                    both.putArray("allOf").add(merged.get(name)).add(keyword.getValue());
                    if (name.equals("items") || name.equals("additionalProperties")) {
                        merged.set(name, both);
                    } else {
                        throw new IllegalArgumentException("allOf branches disagree on " + name);
                    }
                }
            }
        }
        return merged;
    }

    private void check(String path, JsonNode value, JsonNode schemaOrRef, List<String> problems) {
        JsonNode schema = effective(schemaOrRef);
        if (schema.has("type") && !typeMatches(value, schema.get("type"))) {
            problems.add(path + ": " + kind(value) + " where the schema says " + schema.get("type"));
            return;
        }
        if (value.isNull()) {
            return;
        }
        if (schema.has("enum")) {
            boolean listed = false;
            for (JsonNode allowed : schema.get("enum")) {
                listed |= allowed.equals(value);
            }
            if (!listed) {
                problems.add(path + ": " + value + " is not one of " + schema.get("enum"));
            }
        }
        if (schema.has("minimum") && value.isNumber() && value.decimalValue().compareTo(schema.get("minimum").decimalValue()) < 0) {
            problems.add(path + ": " + value + " is under the minimum " + schema.get("minimum"));
        }
        if (schema.has("maximum") && value.isNumber() && value.decimalValue().compareTo(schema.get("maximum").decimalValue()) > 0) {
            problems.add(path + ": " + value + " is over the maximum " + schema.get("maximum"));
        }
        if (schema.has("pattern") && value.isTextual() && !Pattern.compile(schema.get("pattern").asText()).matcher(value.asText()).find()) {
            problems.add(path + ": " + value + " does not match " + schema.get("pattern"));
        }
        if (schema.has("maxItems") && value.isArray() && value.size() > schema.get("maxItems").asInt()) {
            problems.add(path + ": " + value.size() + " items, over maxItems " + schema.get("maxItems"));
        }
        if ("date-time".equals(schema.path("format").asText()) && value.isTextual()) {
            try {
                OffsetDateTime.parse(value.asText());
            } catch (DateTimeParseException e) {
                problems.add(path + ": " + value + " is no RFC 3339 date-time");
            }
        }
        if (value.isObject()) {
            checkObject(path, value, schema, problems);
        }
        if (value.isArray() && schema.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                check(path + "[" + i + "]", value.get(i), schema.get("items"), problems);
            }
        }
    }

    private void checkObject(String path, JsonNode value, JsonNode schema, List<String> problems) {
        for (JsonNode required : schema.path("required")) {
            if (!value.has(required.asText())) {
                problems.add(path + ": required field " + required.asText() + " is missing");
            }
        }
        JsonNode properties = schema.path("properties");
        JsonNode others = schema.get("additionalProperties");
        Set<String> fields = new HashSet<>();
        value.fieldNames().forEachRemaining(fields::add);
        for (String field : fields) {
            String at = path + "." + field;
            if (properties.has(field)) {
                check(at, value.get(field), properties.get(field), problems);
            } else if (others != null && others.isObject()) {
                check(at, value.get(field), others, problems);
            } else if (others != null ? !others.asBoolean() : properties.size() > 0) {
                List<String> documented = new ArrayList<>();
                properties.fieldNames().forEachRemaining(documented::add);
                problems.add(at + ": not in the schema's properties " + documented);
            }
        }
    }

    private static boolean typeMatches(JsonNode value, JsonNode type) {
        if (type.isArray()) {
            for (JsonNode one : type) {
                if (typeMatches(value, one)) {
                    return true;
                }
            }
            return false;
        }
        return switch (type.asText()) {
            case "null" -> value.isNull();
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber() || (value.isNumber() && value.decimalValue().stripTrailingZeros().scale() <= 0);
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            default -> throw new IllegalArgumentException("unknown type " + type);
        };
    }

    private static String kind(JsonNode value) {
        return value.isNull() ? "null" : value.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " " + value;
    }
}
