package dev.rollcall.query.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import dev.rollcall.query.http.ApiError;
import dev.rollcall.query.http.ApiResponse;
import dev.rollcall.servers.MovingClock;

class AnswerCacheTest {

    private final AtomicReference<Optional<String>> token = new AtomicReference<>(Optional.of("t1"));
    private final MovingClock clock = new MovingClock(Instant.parse("2026-03-01T00:00:00Z"));
    private final AtomicInteger computed = new AtomicInteger();

    @Test
    void givesTheRememberedAnswerWhileTheTokenIsUnchanged() {
        AnswerCache cache = cache(AnswerCacheSettings.defaults());

        assertThat(answer(cache, "a")).isEqualTo(new AnswerCache.Result(body("a#1"), AnswerCache.Outcome.MISS));
        assertThat(answer(cache, "a")).isEqualTo(new AnswerCache.Result(body("a#1"), AnswerCache.Outcome.HIT));
        assertThat(answer(cache, "b").outcome()).isEqualTo(AnswerCache.Outcome.MISS);
        assertThat(computed).hasValue(2);
    }

    @Test
    void aNewTokenComputesAgain() {
        AnswerCache cache = cache(AnswerCacheSettings.defaults());
        answer(cache, "a");

        token.set(Optional.of("t2"));

        assertThat(answer(cache, "a")).isEqualTo(new AnswerCache.Result(body("a#2"), AnswerCache.Outcome.MISS));
        assertThat(answer(cache, "a")).isEqualTo(new AnswerCache.Result(body("a#2"), AnswerCache.Outcome.HIT));
    }

    @Test
    void theTokenIsReadBeforeTheAnswerIsComputed() {
        AnswerCache cache = cache(AnswerCacheSettings.defaults());
        // A run starts writing while the answer is computed: the answer may hold some of its rollups, so it must not
        // be given again under the token the run replaced.
        cache.answer("a", () -> {
            token.set(Optional.of("t2"));
            return body("a#during");
        });

        assertThat(answer(cache, "a")).isEqualTo(new AnswerCache.Result(body("a#1"), AnswerCache.Outcome.MISS));
    }

    @Test
    void anAnswerOlderThanTheMaxAgeIsComputedAgain() {
        AnswerCache cache = cache(new AnswerCacheSettings(Duration.ofSeconds(60), 1 << 20));
        answer(cache, "a");

        clock.advance(Duration.ofSeconds(59));
        assertThat(answer(cache, "a").outcome()).isEqualTo(AnswerCache.Outcome.HIT);
        clock.advance(Duration.ofSeconds(1));
        assertThat(answer(cache, "a")).isEqualTo(new AnswerCache.Result(body("a#2"), AnswerCache.Outcome.MISS));
    }

    @Test
    void withoutATokenNothingIsRemembered() {
        AnswerCache cache = cache(AnswerCacheSettings.defaults());
        token.set(Optional.empty());

        assertThat(answer(cache, "a").outcome()).isEqualTo(AnswerCache.Outcome.UNCACHED);
        assertThat(answer(cache, "a")).isEqualTo(new AnswerCache.Result(body("a#2"), AnswerCache.Outcome.UNCACHED));
        assertThat(cache.entries()).isZero();
    }

    @Test
    void turnedOffItNeitherReadsTheTokenNorRemembers() {
        AnswerCache cache = new AnswerCache(AnswerCacheSettings.off(), () -> {
            throw new AssertionError("token read");
        }, clock);

        assertThat(cache.answer("a", () -> body("x")).outcome()).isEqualTo(AnswerCache.Outcome.UNCACHED);
        assertThat(new AnswerCacheSettings(Duration.ofMinutes(1), 0).enabled()).isFalse();
        assertThat(new AnswerCacheSettings(Duration.ZERO, 1000).enabled()).isFalse();
    }

    @Test
    void errorsAreNotRemembered() {
        AnswerCache cache = cache(AnswerCacheSettings.defaults());
        ApiResponse unavailable = new ApiResponse(503, Map.of(), "busy");

        assertThat(cache.answer("a", () -> unavailable).outcome()).isEqualTo(AnswerCache.Outcome.UNCACHED);
        assertThat(cache.entries()).isZero();
        assertThatThrownBy(() -> cache.answer("a", () -> {
            throw ApiError.unavailable("down");
        })).isInstanceOf(ApiError.class);
        assertThat(cache.entries()).isZero();
    }

    @Test
    void aTokenThatCannotBeReadIsTheRequestsError() {
        AnswerCache cache = new AnswerCache(AnswerCacheSettings.defaults(), () -> {
            throw ApiError.unavailable("OpenSearch did not answer");
        }, clock);

        assertThatThrownBy(() -> cache.answer("a", () -> body("x"))).isInstanceOf(ApiError.class)
                .hasMessageContaining("did not answer");
    }

    @Test
    void theLeastRecentlyUsedAnswersGoFirstWhenFull() {
        // Each answer weighs its 700 characters and 256 of overhead: four fit in 4,000, the fifth pushes one out.
        AnswerCache cache = cache(new AnswerCacheSettings(Duration.ofMinutes(1), 4_000));
        String answer = "x".repeat(700);
        for (String key : new String[] {"a", "b", "c", "d", "a"}) {
            cache.answer(key, () -> body(answer));
        }

        cache.answer("e", () -> body(answer));

        assertThat(cache.entries()).isEqualTo(4);
        assertThat(cache.answer("a", () -> body(answer)).outcome()).isEqualTo(AnswerCache.Outcome.HIT);
        assertThat(cache.answer("b", () -> body(answer)).outcome()).isEqualTo(AnswerCache.Outcome.MISS);
    }

    /** A long request (kilobytes of filter values) with a short answer weighs its request too. */
    @Test
    void anAnswerWeighsItsKeyAsWellAsItsBody() {
        AnswerCache cache = cache(new AnswerCacheSettings(Duration.ofMinutes(1), 60_000));
        for (int i = 0; i < 10; i++) {
            String key = i + "n".repeat(9_999);
            cache.answer(key, () -> body("[]"));
        }

        assertThat(cache.entries()).as("10,000-character keys in 60,000").isEqualTo(5);
    }

    @Test
    void noMoreThanAFixedNumberOfAnswersAreKept() {
        AnswerCache cache = cache(AnswerCacheSettings.defaults());
        for (int i = 0; i <= AnswerCache.MAX_ENTRIES; i++) {
            int n = i;
            cache.answer(n, () -> body("[]"));
        }

        assertThat(cache.entries()).isEqualTo(AnswerCache.MAX_ENTRIES);
        assertThat(cache.answer(0, () -> body("[]")).outcome()).as("the eldest went").isEqualTo(AnswerCache.Outcome.MISS);
    }

    @Test
    void anAnswerOverAQuarterOfTheSpaceIsNotKept() {
        AnswerCache cache = cache(new AnswerCacheSettings(Duration.ofMinutes(1), 4_000));

        assertThat(cache.answer("a", () -> body("x".repeat(1_000))).outcome()).isEqualTo(AnswerCache.Outcome.UNCACHED);

        assertThat(cache.entries()).isZero();
    }

    private AnswerCache cache(AnswerCacheSettings settings) {
        return new AnswerCache(settings, token::get, clock);
    }

    private AnswerCache.Result answer(AnswerCache cache, String key) {
        return cache.answer(key, () -> body(key + "#" + computed.incrementAndGet()));
    }

    private static ApiResponse body(String text) {
        return new ApiResponse(200, Map.of("Content-Type", ApiResponse.JSON), text);
    }
}
