package dev.rollcall.infra;

import java.util.Map;

/**
 * What every Rollcall function shares: memory, log retention and the runtime environment that the functions and
 * the aggregation job both read (OpenSearch endpoint and signing, index prefix and replicas, Powertools settings).
 */
record FunctionDefaults(int memoryMb, LogRetention retention, Map<String, String> environment) {

    /**
     * C1 only: handlers run for milliseconds to seconds per invocation, so compiling hot paths quickly beats peak
     * C2 code; it shortens the first invocations after a SnapStart restore.
     */
    static final String JAVA_TOOL_OPTIONS = "-XX:+TieredCompilation -XX:TieredStopAtLevel=1";

    FunctionDefaults {
        environment = Map.copyOf(environment);
    }
}
