package dev.rollcall.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.rollcall.core.alert.AlertState;
import dev.rollcall.core.rollup.AlertDimensions;
import dev.rollcall.core.rollup.RollupEvent;

class OpenMillisecondTest {

    /** {@code "millis fingerprint state"}. */
    static RollupEvent event(String line) {
        String[] f = line.split(" ");
        return new RollupEvent(Long.parseLong(f[0]), new AlertDimensions("svc", "src", "high", "high", "1", "prod", "n", f[1]),
                AlertState.fromWire(f[2]));
    }

    static List<RollupEvent> page(String... lines) {
        return List.of(lines).stream().map(OpenMillisecondTest::event).toList();
    }

    @Test
    void theLastMillisecondOfAPageWaitsForALaterOneAndComesOutInStreamOrder() {
        OpenMillisecond open = new OpenMillisecond();
        assertThat(open.next(page("1 b firing", "1 a firing", "2 b resolved", "2 a resolved"), false))
                .isEqualTo(page("1 a firing", "1 b firing"));
        assertThat(open.next(page("2 a firing", "3 c info"), false)).isEqualTo(page("2 a firing", "2 a resolved", "2 b resolved"));
        assertThat(open.next(page(), true)).isEqualTo(page("3 c info"));
    }

    @Test
    void aMillisecondSpanningPagesIsReleasedOnceWhole() {
        OpenMillisecond open = new OpenMillisecond();
        assertThat(open.next(page("5 c firing", "5 b firing"), false)).isEmpty();
        assertThat(open.next(page(), false)).as("a page of unusable hits proves nothing").isEmpty();
        assertThat(open.next(page("5 a firing"), false)).isEmpty();
        assertThat(open.next(page("5 a resolved", "6 a info"), false))
                .isEqualTo(page("5 a firing", "5 a resolved", "5 b firing", "5 c firing"));
        assertThat(open.next(page("7 a info"), true)).isEqualTo(page("6 a info", "7 a info"));
    }

    @Test
    void readingAMillisecondAgainDropsWhatWasHeldOfIt() {
        OpenMillisecond open = new OpenMillisecond();
        assertThat(open.next(page("4 z info", "5 c firing", "5 b firing"), false)).isEqualTo(page("4 z info"));
        open.discardFrom(5);
        assertThat(open.held()).isZero();
        List<RollupEvent> all = new ArrayList<>(open.next(page("5 b firing", "5 a firing", "5 c firing"), false));
        all.addAll(open.next(page("9 a info"), true));
        assertThat(all).isEqualTo(page("5 a firing", "5 b firing", "5 c firing", "9 a info"));
    }

    @Test
    void anEarlierCompleteMillisecondSurvivesARereadOfALaterOne() {
        OpenMillisecond open = new OpenMillisecond();
        open.next(page("3 a firing"), false);
        open.discardFrom(4);
        assertThat(open.next(page(), true)).isEqualTo(page("3 a firing"));
    }

    @Test
    void tooManyEventsInOneMillisecondFailInsteadOfFillingTheHeap() {
        OpenMillisecond open = new OpenMillisecond(2);
        open.next(page("1 a firing", "1 b firing"), false);
        assertThatThrownBy(() -> open.next(page("1 c firing"), false)).hasMessageContaining("more than 2 events occurred in the millisecond");
    }
}
