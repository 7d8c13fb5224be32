package dev.rollcall.query;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The checker QueryApiIT holds every answer to: it must see each kind of mismatch, and pass what matches. */
class OpenApiSchemaCheckTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DOCUMENT = """
            {"components": {"schemas": {
              "Job": {"type": "object", "required": ["id", "status"], "properties": {
                "id": {"type": "string"},
                "status": {"type": "string", "enum": ["RUNNING", "FAILED"]},
                "size": {"type": "integer", "minimum": 1},
                "at": {"type": ["string", "null"], "format": "date-time"},
                "children": {"type": "object", "additionalProperties": {"type": "integer"}},
                "tags": {"type": "array", "items": {"type": "string"}}}},
              "Open": {"type": "object", "description": "no properties listed: anything goes"},
              "Ref": {"$ref": "#/components/schemas/Job"},
              "Page": {"type": "object", "required": ["rows"], "properties": {"rows": {"type": "array", "items": {"type": "object"}}}},
              "Rows": {"allOf": [{"$ref": "#/components/schemas/Page"}, {"type": "object", "properties": {
                "rows": {"type": "array", "maxItems": 2, "items": {"type": "object", "properties": {"n": {"type": "integer", "maximum": 9}}}},
                "cursor": {"type": "string", "pattern": "^c[0-9]+$"}}}]}}}}
            """;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            matches                       | Job  | {"id":"a","status":"RUNNING","size":2,"at":"2026-01-01T00:00:00Z","children":{"RUNNING":1},"tags":["x"]} |
            null where allowed            | Job  | {"id":"a","status":"FAILED","at":null} |
            through a reference           | Ref  | {"id":"a","status":"FAILED"} |
            an object without properties  | Open | {"anything":[1,2]} |
            integral double is integer    | Job  | {"id":"a","status":"FAILED","size":2.0} |
            required missing              | Job  | {"id":"a"}                                  | $: required field status is missing
            field the schema lacks        | Job  | {"id":"a","status":"FAILED","state":"x"}   | $.state: not in the schema's properties
            wrong type                    | Job  | {"id":1,"status":"FAILED"}                  | $.id: number 1 where the schema says "string"
            null where not allowed        | Job  | {"id":null,"status":"FAILED"}               | $.id: null where the schema says "string"
            not in the enum               | Job  | {"id":"a","status":"DONE"}                  | $.status: "DONE" is not one of
            under the minimum             | Job  | {"id":"a","status":"FAILED","size":0}       | $.size: 0 is under the minimum 1
            no date-time                  | Job  | {"id":"a","status":"FAILED","at":"yesterday"} | $.at: "yesterday" is no RFC 3339 date-time
            additional property's schema  | Job  | {"id":"a","status":"FAILED","children":{"RUNNING":"one"}} | $.children.RUNNING: string "one" where the schema says "integer"
            an array item                 | Job  | {"id":"a","status":"FAILED","tags":["x",2]} | $.tags[1]: number 2 where the schema says "string"
            allOf: both branches' fields  | Rows | {"rows":[{"n":1}],"cursor":"c1"} |
            allOf: one branch's required  | Rows | {"cursor":"c1"}                             | $: required field rows is missing
            allOf: a field neither has    | Rows | {"rows":[],"next":"c1"}                     | $.next: not in the schema's properties
            allOf: the nested properties  | Rows | {"rows":[{"m":1}]}                          | $.rows[0].m: not in the schema's properties
            over the maximum              | Rows | {"rows":[{"n":10}]}                         | $.rows[0].n: 10 is over the maximum 9
            over maxItems                 | Rows | {"rows":[{},{},{}]}                         | $.rows: 3 items, over maxItems 2
            not matching the pattern      | Rows | {"rows":[],"cursor":"x"}                    | $.cursor: "x" does not match
            """)
    void findsEachKindOfMismatch(String what, String schema, String value, String problem) throws Exception {
        JsonNode document = JSON.readTree(DOCUMENT);
        OpenApiSchemaCheck check = new OpenApiSchemaCheck(document);
        var problems = check.problems(JSON.readTree(value), document.path("components").path("schemas").path(schema));
        if (problem == null) {
            assertThat(problems).isEmpty();
        } else {
            assertThat(problems).singleElement().asString().startsWith(problem);
        }
    }
}
