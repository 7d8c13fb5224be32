package dev.rollcall.query.table;

import java.math.BigDecimal;
import java.util.List;

/**
 * RFC 4180 CSV of a {@link Table}: a header line, CRLF line ends, fields quoted when they hold a comma, quote, line
 * break or semicolon. Text cells that a spreadsheet would run as a formula ({@code =}, {@code +}, {@code -},
 * {@code @}) get a leading apostrophe, because alert names come from outside; numbers and booleans are written
 * plainly. The semicolon is quoted because spreadsheets in locales whose list separator is {@code ;} split an
 * unquoted field there, and the piece after it would be a cell of its own that could start a formula.
 */
public final class CsvFormat {

    private CsvFormat() {
    }

    public static String render(Table table) {
        StringBuilder out = new StringBuilder(64 + table.rows().size() * 48);
        line(out, List.copyOf(table.columns()));
        for (List<Object> row : table.rows()) {
            line(out, row);
        }
        return out.toString();
    }

    private static void line(StringBuilder out, List<?> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(field(cells.get(i)));
        }
        out.append("\r\n");
    }

    static String field(Object cell) {
        if (cell == null) {
            return "";
        }
        if (cell instanceof Double d) {
            return d.isNaN() || d.isInfinite() ? "" : BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
        }
        if (cell instanceof Number || cell instanceof Boolean) {
            return cell.toString();
        }
        String text = cell.toString();
        if (!text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0) {
            text = "'" + text;
        }
        if (text.indexOf(',') >= 0 || text.indexOf('"') >= 0 || text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0
                || text.indexOf(';') >= 0) {
            return '"' + text.replace("\"", "\"\"") + '"';
        }
        return text;
    }
}
