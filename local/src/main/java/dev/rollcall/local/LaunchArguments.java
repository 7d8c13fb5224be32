package dev.rollcall.local;

import java.lang.management.ManagementFactory;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Prints, one per line and marked, the {@code java} options Maven resolved for local mode: the JVM options of the exec
 * configuration (heap, the OpenSearch distribution's path and version) and the class path. {@code ./rollcall} then
 * starts {@link LocalPipeline} or {@link RulesCheck} with plain {@code java}, in the foreground: Ctrl-C reaches the
 * pipeline itself and the shell waits until everything has stopped, and a usage error's one line and exit code 2
 * reach the caller instead of a Maven failure report.
 */
public final class LaunchArguments {

    /** Starts each printed line, so that the script can tell them from whatever else Maven prints. */
    static final String MARK = "rollcall-launch: ";

    private LaunchArguments() {
    }

    public static void main(String[] args) {
        // Options from these variables are in the input arguments too, and the java started next reads them again:
        // printed, an agent in them would load twice.
        Set<String> fromEnvironment = new HashSet<>();
        for (String variable : List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS")) {
            String value = System.getenv(variable);
            if (value != null) {
                fromEnvironment.addAll(List.of(value.trim().split("\\s+")));
            }
        }
        StringBuilder lines = new StringBuilder();
        for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!fromEnvironment.contains(option)) {
                lines.append(MARK).append(option).append('\n');
            }
        }
        lines.append(MARK).append("-cp\n").append(MARK).append(System.getProperty("java.class.path")).append('\n');
        System.out.print(lines);
    }
}
