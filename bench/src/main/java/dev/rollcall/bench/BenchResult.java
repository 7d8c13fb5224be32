package dev.rollcall.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/** What one scenario measured: named figures in a stable order, and the ratio it is judged by. */
public record BenchResult(String scenario, Map<String, Object> figures, String target) {

    public BenchResult {
        figures = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(figures));
    }

    /** A fluent builder keeping insertion order, so tables read in the order figures were taken. */
    public static final class Builder {
        private final String scenario;
        private final Map<String, Object> figures = new LinkedHashMap<>();
        private String target = "";

        public Builder(String scenario) {
            this.scenario = scenario;
        }

        public Builder put(String name, Object value) {
            figures.put(name, value instanceof Double d ? Math.round(d * 1000) / 1000.0 : value);
            return this;
        }

        public Builder target(String text) {
            this.target = text;
            return this;
        }

        public BenchResult build() {
            return new BenchResult(scenario, figures, target);
        }
    }
}
