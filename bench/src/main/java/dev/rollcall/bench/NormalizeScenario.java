package dev.rollcall.bench;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** Runs {@link NormalizeBenchmark} with JMH on one thread: events per second per core, per source. */
final class NormalizeScenario {

    private NormalizeScenario() {
    }

    static BenchResult run(boolean smoke) throws Exception {
        Options options = new OptionsBuilder()
                .include(NormalizeBenchmark.class.getName())
                .threads(1)
                .forks(smoke ? 0 : 1)
                .warmupIterations(smoke ? 1 : 3).warmupTime(TimeValue.seconds(smoke ? 1 : 3))
                .measurementIterations(smoke ? 1 : 5).measurementTime(TimeValue.seconds(smoke ? 1 : 3))
                .jvmArgsAppend("-Xmx512m")
                .shouldDoGC(true)
                .build();
        BenchResult.Builder result = new BenchResult.Builder("normalize").put("threads", 1).put("forks", smoke ? 0 : 1);
        for (RunResult run : new Runner(options).run()) {
            String source = run.getParams().getParam("source").toLowerCase(java.util.Locale.ROOT);
            result.put(source + "_events_per_s", run.getPrimaryResult().getScore());
            result.put(source + "_error_99_9", run.getPrimaryResult().getScoreError());
        }
        return result.target("cloudwatch_events_per_s >= 100000").build();
    }
}
