package dev.rollcall.core.rollup;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import dev.rollcall.core.alert.AlertState;

class RollupEventTest {

    /** {@code "millis fingerprint service source urgency severity account environment name state"}. */
    static RollupEvent event(String line) {
        String[] f = line.trim().split("\\s+");
        return new RollupEvent(Long.parseLong(f[0]), new AlertDimensions(f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[1]),
                AlertState.fromWire(f[9]));
    }

    @ParameterizedTest(name = "{0}: {1} before {2}")
    @CsvSource(delimiter = '|', value = {
            "time first, whatever the content       | 1 z s src high high 1 prod n info   | 2 a s src high high 1 prod n firing",
            "then fingerprint, before state          | 5 a z src high high 1 prod n info   | 5 b a src high high 1 prod n firing",
            "then state: firing before resolved      | 5 a t src low  low  2 prod n firing | 5 a s src high high 1 prod n resolved",
            "then state: resolved before info        | 5 a t src high high 1 prod n resolved | 5 a s src high high 1 prod n info",
            "then service                            | 5 a s src high high 1 prod n info   | 5 a t src high high 1 prod n info",
            "then source                             | 5 a s aaa high high 1 prod n info   | 5 a s bbb high high 1 prod n info",
            "then urgency                            | 5 a s src high high 1 prod n info   | 5 a s src low  high 1 prod n info",
            "then severity                           | 5 a s src high high 1 prod n info   | 5 a s src high low  1 prod n info",
            "then account                            | 5 a s src high high 1 prod n info   | 5 a s src high high 2 prod n info",
            "then environment                        | 5 a s src high high 1 dev  n info   | 5 a s src high high 1 prod n info",
            "then name                               | 5 a s src high high 1 prod m info   | 5 a s src high high 1 prod n info"})
    void streamOrder(String rule, String first, String second) {
        RollupEvent a = event(first);
        RollupEvent b = event(second);
        assertThat(RollupEvent.STREAM_ORDER.compare(a, b)).as(rule).isNegative();
        assertThat(RollupEvent.STREAM_ORDER.compare(b, a)).as(rule).isPositive();
        assertThat(b.isAfter(a)).as(rule).isTrue();
        assertThat(a.isAfter(b)).as(rule).isFalse();
    }

    @Test
    void equalContentIsEqualInOrderAndAnyShuffleSortsTheSame() {
        assertThat(RollupEvent.STREAM_ORDER.compare(event("5 a s src high high 1 prod n firing"),
                event("5 a s src high high 1 prod n firing"))).isZero();
        List<RollupEvent> events = new ArrayList<>();
        for (String fingerprint : List.of("b", "a", "c")) {
            for (String state : List.of("info", "resolved", "firing")) {
                events.add(event("7 " + fingerprint + " s src high high 1 prod n " + state));
                events.add(event("6 " + fingerprint + " s src low high 1 prod n " + state));
            }
        }
        List<RollupEvent> sorted = new ArrayList<>(events);
        sorted.sort(RollupEvent.STREAM_ORDER);
        Random random = new Random(7);
        for (int i = 0; i < 20; i++) {
            Collections.shuffle(events, random);
            events.sort(RollupEvent.STREAM_ORDER);
            assertThat(events).isEqualTo(sorted);
        }
    }
}
