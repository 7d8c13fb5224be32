package dev.rollcall.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.rollcall.query.http.ApiJson;
import dev.rollcall.query.http.ApiResponse;
import dev.rollcall.query.table.CsvFormat;
import dev.rollcall.query.table.Page;
import dev.rollcall.query.table.Table;

class CsvFormatTest {

    private static final Table TABLE = Table.builder(List.of("bucket_start", "name", "events", "share", "mean"))
            .add(Instant.parse("2026-01-01T00:00:00Z"), "CheckoutHTTP5xx", 14L, 0.25, null)
            .add(Instant.parse("2026-01-02T00:00:00Z"), "a, \"quoted\"\nname", 0L, 1.0E-5, 1234567890123L)
            .add(Instant.parse("2026-01-03T00:00:00Z"), "=HYPERLINK(\"http://x\")", -3L, -12.5, Double.NaN)
            .add(Instant.parse("2026-01-04T00:00:00Z"), "-1+1", 1L, 100.0, 2L)
            .build();

    @Test
    void rendersRfc4180WithAHeaderLineAndCrlf() {
        assertThat(CsvFormat.render(TABLE)).isEqualTo(
                "bucket_start,name,events,share,mean\r\n"
                        + "2026-01-01T00:00:00Z,CheckoutHTTP5xx,14,0.25,\r\n"
                        + "2026-01-02T00:00:00Z,\"a, \"\"quoted\"\"\nname\",0,0.00001,1234567890123\r\n"
                        + "2026-01-03T00:00:00Z,\"'=HYPERLINK(\"\"http://x\"\")\",-3,-12.5,\r\n"
                        + "2026-01-04T00:00:00Z,'-1+1,1,100,2\r\n");
    }

    @Test
    void quotesFieldsWithASemicolonSoSemicolonSeparatedSpreadsheetsKeepThemInOneCell() {
        Table names = Table.builder(List.of("name", "events"))
                .add("disk;=1+1", 1L)
                .add("=A1;B1", 2L)
                .add("plain", 3L)
                .build();
        assertThat(CsvFormat.render(names)).isEqualTo("name,events\r\n"
                + "\"disk;=1+1\",1\r\n"
                + "\"'=A1;B1\",2\r\n"
                + "plain,3\r\n");
    }

    @Test
    void anEmptyTableIsItsHeader() {
        assertThat(CsvFormat.render(Table.builder(List.of("service", "events")).build())).isEqualTo("service,events\r\n");
    }

    @Test
    void aPageAnswersCsvWithTheCursorInAHeaderAndJsonWithRowObjects() {
        ObjectNode query = ApiJson.object().put("from", "2026-01-01T00:00:00Z");
        Page page = new Page(query, TABLE, "next-page");
        ApiResponse csv = page.toResponse(true);
        assertThat(csv.header("Content-Type")).isEqualTo("text/csv; charset=utf-8");
        assertThat(csv.header("X-Next-Cursor")).isEqualTo("next-page");
        assertThat(csv.body()).startsWith("bucket_start,name,events,share,mean\r\n");

        ApiResponse json = page.toResponse(false);
        var body = ApiJson.read(json.body().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(body.path("next_cursor").asText()).isEqualTo("next-page");
        assertThat(body.path("query")).isEqualTo(query);
        assertThat(body.path("columns")).hasSize(5);
        assertThat(body.path("rows").get(0).path("events").asLong()).isEqualTo(14);
        assertThat(body.path("rows").get(0).path("mean").isNull()).isTrue();
        assertThat(body.path("rows").get(2).path("mean").isNull()).isTrue();
        assertThat(body.path("rows").get(1).path("name").asText()).isEqualTo("a, \"quoted\"\nname");
        assertThat(new Page(query, TABLE, null).toResponse(false).header("X-Next-Cursor")).isNull();
    }

    @Test
    void rowsMustFitTheColumns() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Table(List.of("a", "b"), List.of(Arrays.asList((Object) 1L))))
                .hasMessageContaining("a row of 1 cells in a table of 2 columns");
    }
}
