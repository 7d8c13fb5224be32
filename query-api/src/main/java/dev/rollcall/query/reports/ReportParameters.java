package dev.rollcall.query.reports;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.rollcall.query.http.ApiJson;
import dev.rollcall.query.params.Dimensions;
import dev.rollcall.query.params.TimeWindow;

/** What the report routes share: their parameter lists (each with the dimension filters) and the echo of the query run. */
final class ReportParameters {

    private ReportParameters() {
    }

    static List<String> withFilters(String... own) {
        List<String> names = new ArrayList<>(List.of(own));
        names.addAll(Dimensions.FILTERS);
        return List.copyOf(names);
    }

    /** The effective window (widened to whole buckets) and the filters, as the answer's {@code query}. */
    static ObjectNode echo(TimeWindow window, Map<String, List<String>> filters) {
        ObjectNode query = ApiJson.object();
        if (window != null) {
            query.put("from", window.from().toString());
            query.put("to", window.to().toString());
            query.put("interval", window.interval().wire());
        }
        ObjectNode filterNode = query.putObject("filters");
        filters.forEach((field, values) -> {
            ArrayNode array = filterNode.putArray(field);
            values.forEach(array::add);
        });
        return query;
    }
}
