package dev.rollcall.query.table;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Named columns and rows of cells: the shape of every tabular answer, rendered as JSON objects or CSV lines.
 * Cells are {@code String}, {@code Long}, {@code Double}, {@code Boolean}, {@code java.time.Instant} or {@code null}.
 */
public record Table(List<String> columns, List<List<Object>> rows) {

    public Table {
        columns = List.copyOf(columns);
        List<List<Object>> copy = new ArrayList<>(rows.size());
        for (List<Object> row : rows) {
            if (row.size() != columns.size()) {
                throw new IllegalArgumentException("a row of " + row.size() + " cells in a table of " + columns.size() + " columns");
            }
            // List.copyOf refuses nulls, and an empty cell is a null.
            copy.add(Collections.unmodifiableList(new ArrayList<>(row)));
        }
        rows = Collections.unmodifiableList(copy);
    }

    /** Collects rows for a table with {@code columns}. */
    public static final class Builder {
        private final List<String> columns;
        private final List<List<Object>> rows = new ArrayList<>();

        public Builder(List<String> columns) {
            this.columns = List.copyOf(columns);
        }

        public Builder add(List<Object> row) {
            rows.add(row);
            return this;
        }

        public Builder add(Object... cells) {
            return add(Arrays.asList(cells));
        }

        public Table build() {
            return new Table(columns, rows);
        }
    }

    public static Builder builder(List<String> columns) {
        return new Builder(columns);
    }
}
