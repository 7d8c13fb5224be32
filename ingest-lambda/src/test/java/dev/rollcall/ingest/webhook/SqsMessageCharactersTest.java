package dev.rollcall.ingest.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SqsMessageCharactersTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "{\"x\":\"plain\"}                | -1",
            "{\"x\":\"tab\tand é and 😀\"}   | -1",
            "{\"x\":\"\uFFFD replacement\"}   | -1",
            "{\"x\":\"\uFFFF\"}               | 6",
            "{\"x\":\"ab\uFFFE\"}             | 8",
            "{\"x\":\"\u0001\"}               | 6"})
    void findsTheFirstCharacterSqsRefuses(String body, int index) {
        assertThat(SqsMessageCharacters.firstRefused(body.strip())).isEqualTo(index);
    }

    @org.junit.jupiter.api.Test
    void aLoneSurrogateIsRefused() {
        assertThat(SqsMessageCharacters.firstRefused("ok\uD83D")).isEqualTo(2);
        assertThat(SqsMessageCharacters.firstRefused("ok\uD83D\uDE00")).isEqualTo(-1);
    }
}
