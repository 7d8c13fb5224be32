package dev.rollcall.query.table;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.rollcall.query.http.ApiJson;
import dev.rollcall.query.params.PageRequest;

/**
 * Fills a page from composite buckets until the rows would pass {@link PageRequest#maxBytes()} as the Lambda response
 * carries them; then the page ends after the last bucket taken (at least one) and its cursor continues from there,
 * so no answer outgrows what Lambda can return, whatever the client asks for or the names hold.
 *
 * <p>The body is JSON text, and Lambda returns it as a string inside its own JSON envelope, so a character is escaped
 * twice: a quote or backslash of a name is 4 bytes there, a control character 7, a quote of the body's own 2, and
 * each half of a surrogate pair (an emoji) 6, since the runtime's serializer escapes it. The budget counts those
 * bytes, which are what Lambda's 6 MB limit measures; a CSV body is never larger.
 */
public final class PageBudget {

    private final PageRequest page;
    private final Table.Builder table;
    private final List<String> columns;
    private long used;
    private JsonNode lastKey;
    private boolean full;

    /** A budget for rows of {@code columns}; {@code query}, the answer's echo of the request, counts first. */
    public PageBudget(PageRequest page, Table.Builder table, List<String> columns, ObjectNode query) {
        this.page = page;
        this.table = table;
        this.columns = columns;
        this.used = inEnvelope(ApiJson.write(query));
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

    /** Bytes of a row as a JSON object in the envelope: braces, a separator, and per cell its quoted name and value. */
    private long size(List<Object> row) {
        long size = 3;
        for (int i = 0; i < row.size(); i++) {
            Object cell = row.get(i);
            // "name": is 2 + name + 2 + 1 bytes once its quotes are escaped, and a comma follows.
            size += columns.get(i).length() + 6 + switch (cell) {
                case null -> 4;
                case Number number -> number.toString().length();
                case Boolean bool -> bool.toString().length();
                default -> 4 + textInEnvelope(cell.toString());
            };
        }
        return size;
    }

    /** Bytes of the characters of a JSON string value once escaped in the body and again in the envelope. */
    static long textInEnvelope(String text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            bytes += switch (c) {
                case '"', '\\' -> 4;
                case '\b', '\f', '\n', '\r', '\t' -> 3;
                default -> c < 0x20 ? 7 : envelopeLength(c);
            };
        }
        return bytes;
    }

    /** Bytes of JSON text (escaped once) as a string of the envelope: its quotes and backslashes escaped again. */
    static long inEnvelope(String json) {
        long bytes = 0;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            bytes += c == '"' || c == '\\' ? 2 : envelopeLength(c);
        }
        return bytes;
    }

    /** Bytes of a character that neither JSON escapes: UTF-8, but a surrogate is written as a six-byte escape. */
    private static int envelopeLength(char c) {
        return c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 6 : 3;
    }
}
