package dev.rollcall.core.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class TitlesTest {

    private static final Set<String> TOOL = Set.of("P1", "Triggered", "Triggered on {host:a}", "Warn");

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            [P1] [Triggered on {host:a}] CPU high  | CPU high
            [Triggered] [prod] Checkout 5xx         | [prod] Checkout 5xx
            '  [P1]   [Warn]    Disk   '            | Disk
            [P1]                                    | [P1]
            [P1] [unclosed CPU                      | [unclosed CPU
            Plain title                             | Plain title
            -                                       | -
            """)
    void toolPrefixesGoUpToTheFirstOtherOne(String title, String name) {
        assertThat(Titles.withoutBracketPrefixes(title, TOOL::contains)).isEqualTo(name);
    }

    @Test
    void aTitleOfThousandsOfPrefixesIsReadOnlyAsFarAsToolsWriteThem() {
        String title = "[P1]".repeat(250_000) + " CPU";

        assertThat(Titles.bracketPrefixes(title)).hasSize(Titles.MAX_PREFIXES).containsOnly("P1");
        assertThat(Titles.withoutBracketPrefixes(title, TOOL::contains))
                .isEqualTo("[P1]".repeat(250_000 - Titles.MAX_PREFIXES) + " CPU");
    }

    /** The fallback for no text or only blank lines; the first line that has text otherwise, trimmed. */
    @ParameterizedTest(name = "[{index}] -> {1}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            -                 | fallback
            '   '             | fallback
            ' x '             | x
            """)
    void firstLineFallsBackOnlyWhenNoLineHasText(String text, String expected) {
        assertThat(Titles.firstLine(text == null ? null : text.replace(' ', '\n') + " ", "fallback")).isEqualTo(expected);
    }

    @Test
    void aFirstLineOfExactlyTheLimitIsKeptAndOneMoreIsCut() {
        assertThat(Titles.firstLine("a".repeat(300), "f")).isEqualTo("a".repeat(300));
        assertThat(Titles.firstLine("a".repeat(301), "f")).isEqualTo("a".repeat(299) + "…");
    }
}
