package dev.rollcall.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code rollcall} launcher's check of whether local mode's saved java options still fit the checkout, run in bash
 * against a checkout laid out in a temporary folder: a wrong "current" runs stale or another checkout's code, a wrong
 * "stale" costs every start a 20-40 s build.
 */
class LauncherScriptTest {

    private static final Path SCRIPT = Path.of("..", "rollcall").toAbsolutePath().normalize();
    private static final String JDK = "/opt/some-jdk-21";
    private static final Instant BUILT = Instant.parse("2026-12-01T10:00:00Z");

    @TempDir
    Path checkout;
    @TempDir
    Path repository;

    private Path core;
    private Path library;

    @BeforeEach
    void builtCheckout() throws IOException {
        core = write(repository.resolve("dev/rollcall/rollcall-core/0.1.0-SNAPSHOT/rollcall-core-0.1.0-SNAPSHOT.jar"), "core build 1");
        library = write(repository.resolve("org/example/lib/1.0/lib-1.0.jar"), "a released library");
        Path source = write(checkout.resolve("core/src/main/java/Alert.java"), "class Alert {}");
        Files.setLastModifiedTime(source, FileTime.from(BUILT.minusSeconds(3600)));
        Path options = write(checkout.resolve("local/target/rollcall-launch-options"), String.join("\n",
                "rollcall-launch: -Xmx1g",
                "rollcall-launch: -cp",
                "rollcall-launch: " + checkout.resolve("local/target/classes") + ":" + core + ":" + library, ""));
        Files.createDirectories(checkout.resolve("local/target/classes"));
        write(checkout.resolve("local/target/rollcall-launch-options.jdk"), JDK + "\n");
        // As the launcher records them after a build.
        write(checkout.resolve("local/target/rollcall-launch-options.sums"), bash("own_jars_sum local/target/rollcall-launch-options"));
        Files.setLastModifiedTime(options, FileTime.from(BUILT));
    }

    @Test
    void optionsJustBuiltAreCurrent() throws IOException {
        assertThat(state()).isEqualTo("current");
    }

    @Test
    void anotherCheckoutsInstallOfAJarOfOursIsStaleEvenWithItsTimeAndSizeKept() throws IOException {
        FileTime kept = Files.getLastModifiedTime(core);
        write(core, "core build 2");
        Files.setLastModifiedTime(core, kept);
        assertThat(state()).isEqualTo("stale");
    }

    @Test
    void aReleasedLibraryIsNotChecksummedOnlyRequiredToExist() throws IOException {
        write(library, "same version, never rebuilt");
        assertThat(state()).isEqualTo("current");
        Files.delete(library);
        assertThat(state()).isEqualTo("stale");
    }

    @Test
    void anotherJdkIsStale() throws IOException {
        write(checkout.resolve("local/target/rollcall-launch-options.jdk"), "/opt/other-jdk-25\n");
        assertThat(state()).isEqualTo("stale");
    }

    @Test
    void aSourceFileChangedSinceTheBuildIsStaleButBuildOutputAndLocalDataAreNot() throws IOException {
        FileTime later = FileTime.from(BUILT.plusSeconds(60));
        Files.setLastModifiedTime(write(checkout.resolve("local/target/classes/Other.class"), "x"), later);
        Files.setLastModifiedTime(write(checkout.resolve(".rollcall/demo/demo-history-start"), "2026-09-28T02:00:00Z"), later);
        assertThat(state()).isEqualTo("current");

        Files.setLastModifiedTime(checkout.resolve("core/src/main/java/Alert.java"), later);
        assertThat(state()).isEqualTo("stale");
    }

    @Test
    void optionsWithoutTheirChecksumsAreStale() throws IOException {
        Files.delete(checkout.resolve("local/target/rollcall-launch-options.sums"));
        assertThat(state()).isEqualTo("stale");
    }

    private String state() throws IOException {
        return bash("if launch_options_current; then echo current; else echo stale; fi").strip();
    }

    /**
     * cdk.json's app runs {@code ../rollcall mvn ...} from infra-cdk/, and the launcher moves to the repository root: the
     * paths the cdk CLI hands the app relative to infra-cdk/ must be made absolute on the way, or the app writes its
     * assembly, error and performance counter files where the CLI does not look.
     */
    @Test
    void theCdkCliRelativePathsBecomeAbsoluteAndOtherCdkVariablesStayAsTheyAre() throws IOException {
        String env = bash("export CDK_OUTDIR=cdk.out CDK_ERROR_FILE=cdk.out/error.txt CDK_PERF_COUNTERS_FILE=cdk.out/performance-counters.json "
                + "CDK_CONTEXT_JSON='{\"a\":\"b/c\"}' CDK_DEFAULT_REGION=us-east-1 && absolute_cdk_paths && cd / && env | grep '^CDK_' | sort");
        assertThat(env.lines()).containsExactly(
                "CDK_CONTEXT_JSON={\"a\":\"b/c\"}",
                "CDK_DEFAULT_REGION=us-east-1",
                "CDK_ERROR_FILE=" + checkout + "/cdk.out/error.txt",
                "CDK_OUTDIR=" + checkout + "/cdk.out",
                "CDK_PERF_COUNTERS_FILE=" + checkout + "/cdk.out/performance-counters.json");
    }

    @Test
    void absoluteOrUnsetCdkPathsAreLeftAlone() throws IOException {
        String env = bash("unset CDK_ERROR_FILE CDK_PERF_COUNTERS_FILE; export CDK_OUTDIR=/tmp/out && absolute_cdk_paths && env | grep '^CDK_' | sort");
        assertThat(env.lines()).containsExactly("CDK_OUTDIR=/tmp/out");
    }

    /**
     * local and demo run from the repository root: a relative rules file, given with --rules or as ROLLCALL_RULES_FILE,
     * and a relative data folder name paths in the caller's folder, or local mode reads a file of the checkout's.
     */
    @Test
    void theCallersRelativeRulesFileAndDataFolderBecomeAbsolute() throws IOException {
        Path caller = checkout.resolve("core");
        String seen = bash("export ROLLCALL_RULES_FILE=my-rules.yaml && cd core && absolute_caller_paths local --rules r.yaml --data-dir d --seed 7"
                + " && cd / && echo \"$ROLLCALL_RULES_FILE\" && printf '%s\\n' \"${args[@]}\"");
        assertThat(seen.lines()).containsExactly(caller + "/my-rules.yaml",
                "--rules", caller + "/r.yaml", "--data-dir", caller + "/d", "--seed", "7");
    }

    @Test
    void anAbsoluteOrUnsetRulesFileVariableIsLeftAlone() throws IOException {
        assertThat(bash("export ROLLCALL_RULES_FILE=/etc/rollcall/rules.yaml && absolute_caller_paths demo && echo \"$ROLLCALL_RULES_FILE\"").strip())
                .isEqualTo("/etc/rollcall/rules.yaml");
        assertThat(bash("unset ROLLCALL_RULES_FILE && absolute_caller_paths local && echo \"${ROLLCALL_RULES_FILE-unset}\"").strip())
                .isEqualTo("unset");
    }

    /** Runs {@code command} in bash in the checkout, with the launcher's functions defined and {@link #JDK} chosen. */
    private String bash(String command) throws IOException {
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", "source \"$1\" && cd \"$2\" && " + command,
                "launcher-test", SCRIPT.toString(), checkout.toString()).redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", JDK);
        builder.environment().keySet().removeIf(name -> name.startsWith("CDK_"));
        Process process = builder.start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as(output).isZero();
            return output;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        } finally {
            process.destroyForcibly();
        }
    }

    private static Path write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content);
    }

    /** Sourcing the launcher defines its functions and runs nothing: no JDK search, no build, no command. */
    @Test
    void sourcingTheLauncherRunsNothing() throws IOException {
        assertThat(bash("declare -F | grep -c -E ' (pick_jdk|own_jars_sum|launch_options_current|launch|main)$'").strip()).isEqualTo("5");
        assertThat(List.of(checkout.toFile().list())).containsExactlyInAnyOrder("core", "local");
    }
}
