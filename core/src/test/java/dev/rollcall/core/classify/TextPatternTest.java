package dev.rollcall.core.classify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TextPatternTest {

    @ParameterizedTest(name = "''{0}'' against ''{1}'' is {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            checkout-*          | checkout-5xx            | true
            checkout-*          | checkout-               | true
            checkout-*          | payments-5xx            | false
            *-prod-*-latency*   | api-prod-eu-latency-p99 | true
            *-prod-*-latency*   | api-prod-latency        | false
            *-prod-*-latency*   | -prod--latency          | true
            *                   | ""                      | true
            **                  | x                       | true
            a*a                 | a                       | false
            a*a                 | aa                      | true
            a*b*a               | aba                     | true
            a*b*a               | aab                     | false
            ?                   | x                       | true
            ?                   | ""                      | false
            ?                   | xy                      | false
            ??-*                | eu-west                 | true
            *?x                 | x                       | false
            *?x                 | ax                      | true
            *abc                | ababc                   | true
            *a?c*               | zzabzzaxc               | true
            *a?c*               | zzabzz                  | false
            a*?                 | a                       | false
            db-*-cpu?high       | db-orders-cpu_high      | true
            😀*                 | 😀 fired                | true
            ?*                  | 😀                      | true
            ??                  | 😀                      | false
            *?                  | 😀                      | true
            a?b                 | a😀b                    | true
            """)
    void aGlobMatchesTheWholeText(String glob, String text, boolean matches) {
        assertThat(TextPattern.glob(glob).matches(text, new HashMap<>())).isEqualTo(matches);
    }

    /** The glob means what its regex translation means, on random globs and texts over a small alphabet. */
    @Test
    void aGlobAgreesWithItsRegexOnRandomTexts() {
        Random random = new Random(20261206);
        String alphabet = "ab*?";
        for (int round = 0; round < 20_000; round++) {
            String glob = randomText(random, alphabet, 6);
            String text = randomText(random, "ab", 8);
            assertThat(TextPattern.glob(glob).matches(text, new HashMap<>()))
                    .as("glob '%s' against '%s'", glob, text)
                    .isEqualTo(asRegex(glob).matcher(text).matches());
        }
    }

    /** The quadratic case of a regex translation (minutes for a megabyte), which a sender's title can be. */
    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aLongTextAgainstSeveralStarsIsNoWorkToSpeakOf() {
        String text = "-prod-".repeat(200_000);
        TextPattern glob = TextPattern.glob("*-prod-*-latency*");
        for (int i = 0; i < 10; i++) {
            assertThat(glob.matches(text, new HashMap<>())).isFalse();
        }
        assertThat(glob.matches(text + "-latency", new HashMap<>())).isTrue();
    }

    private static String randomText(Random random, String alphabet, int maxLength) {
        StringBuilder text = new StringBuilder();
        int length = random.nextInt(maxLength + 1);
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }

    private static Pattern asRegex(String glob) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }
}
