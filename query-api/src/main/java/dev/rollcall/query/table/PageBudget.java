package dev.rollcall.query.table;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.rollcall.query.params.PageRequest;

/**
 * Fills a page from composite buckets until the rows would pass {@link PageRequest#maxBytes()} (UTF-8, as JSON); then the page ends
 * after the last bucket taken (at least one) and its cursor continues from there, so no answer outgrows what
 * Lambda can return, whatever the client asks for.
 */
public final class PageBudget {

    private final PageRequest page;
    private final Table.Builder table;
    private final List<String> columns;
    private long used;
    private JsonNode lastKey;
    private boolean full;

    public PageBudget(PageRequest page, Table.Builder table, List<String> columns) {
        this.page = page;
        this.table = table;
        this.columns = columns;
    }

    /** Adds rows that belong to no bucket (a total); they count against the budget but never end the page. */
    public void addUnpaged(List<List<Object>> rows) {
        rows.forEach(row -> {
            used += size(row);
            table.add(row);
        });
    }

    /** Adds the rows of one bucket, or refuses them (and every later bucket) when they would pass the budget. */
    public boolean add(JsonNode bucketKey, List<List<Object>> rows) {
        if (full) {
            return false;
        }
        long size = rows.stream().mapToLong(this::size).sum();
        if (lastKey != null && used + size > page.maxBytes()) {
            full = true;
            return false;
        }
        used += size;
        lastKey = bucketKey;
        rows.forEach(table::add);
        return true;
    }

    /** The next page's cursor: after the last bucket taken when the budget ended the page, else OpenSearch's. */
    public String nextCursor(JsonNode compositeAggregation) {
        return full ? page.cursorAfter(lastKey) : page.nextCursor(compositeAggregation);
    }

    /** Bytes of a row as a JSON object: each column name and value, quoted, with separators. */
    private long size(List<Object> row) {
        long size = 2;
        for (int i = 0; i < row.size(); i++) {
            Object cell = row.get(i);
            size += columns.get(i).length() + 6 + (cell == null ? 4 : cell instanceof String text ? utf8Length(text) : cell.toString().length());
        }
        return size;
    }

    private static long utf8Length(String text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            bytes += c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
        }
        return bytes;
    }
}
