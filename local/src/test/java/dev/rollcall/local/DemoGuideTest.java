package dev.rollcall.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class DemoGuideTest {

    @Test
    void examplesOfRoutesThatNeedAWindowCarryOne() {
        // The query API answers 400 without from and to on these routes; a printed example must work as pasted.
        String examples = DemoGuide.examples(LocalConfig.parse(List.of("--demo")));
        List<String> windowed = examples.lines()
                .filter(l -> l.contains("/v1/rollups") || l.contains("/v1/alerts/top") || l.contains("/v1/noise")).toList();
        assertThat(windowed).hasSize(3).allSatisfy(l -> assertThat(l).contains("from=").contains("&to="));
    }
}
