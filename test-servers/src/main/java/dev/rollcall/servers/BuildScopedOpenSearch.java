package dev.rollcall.servers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;

/**
 * One OpenSearch node per build, shared by the test JVMs of every module.
 *
 * <p>The first test JVM of a build starts the node and a watchdog that stops it (by pid file) once the build
 * process (the Maven JVM) exits, whether the build passed, failed or was interrupted. Later test JVMs of the
 * same build find it through a state file and reuse it. Outside Maven the owner is the test JVM itself.
 */
@SuppressWarnings("try")
public final class BuildScopedOpenSearch {

    private static volatile OpenSearchProcess node;

    private BuildScopedOpenSearch() {
    }

    /** The node for this build, started on first use. */
    public static synchronized OpenSearchProcess get() {
        if (node == null) {
            node = acquire();
        }
        return node;
    }

    private static OpenSearchProcess acquire() {
        Path root = Path.of(System.getProperty("rollcall.root", System.getProperty("user.dir")));
        Path base = baseFolder(root);
        String version = required("rollcall.opensearch.version");
        long owner = buildPid();
        OpenSearchProcess.Settings settings = new OpenSearchProcess.Settings(
                Path.of(required("rollcall.opensearch.zip")), version, base.resolve("dist"),
                base.resolve("opensearch-build-" + owner), 0, System.getProperty("rollcall.opensearch.heap", "512m"),
                Duration.ofSeconds(Long.getLong("rollcall.opensearch.start-timeout-seconds", 180)), false);
        try {
            Files.createDirectories(base);
            try (FileChannel channel = FileChannel.open(base.resolve("opensearch.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = channel.lock()) {
                removeLeftoversOfEndedBuilds(base, owner);
                Path stateFile = base.resolve("opensearch-build-" + owner + ".properties");
                Optional<OpenSearchProcess> existing = readPort(stateFile).flatMap(port -> OpenSearchProcess.attach(settings, port));
                if (existing.isPresent()) {
                    return existing.get();
                }
                OpenSearchProcess started = OpenSearchProcess.start(settings);
                started.stopWhenProcessExits(owner);
                Properties state = new Properties();
                state.setProperty("port", Integer.toString(started.httpPort()));
                state.setProperty("owner", Long.toString(owner));
                try (var out = Files.newOutputStream(stateFile)) {
                    state.store(out, "OpenSearch shared by the tests of build " + owner);
                }
                if (owner == ProcessHandle.current().pid()) {
                    Runtime.getRuntime().addShutdownHook(new Thread(started::close, "opensearch-stop"));
                }
                return started;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code target/test-servers} of the checkout; as root, when the checkout sits under a folder other users cannot
     * enter (such as /root), a folder in the temp dir instead, because the node runs as nobody and must reach it.
     */
    static Path baseFolder(Path root) {
        Path inCheckout = root.resolve("target/test-servers");
        if (!OpenSearchProcess.isRoot() || OpenSearchProcess.traversableByOthers(root)) {
            return inCheckout;
        }
        Path fallback = Path.of(System.getProperty("java.io.tmpdir"),
                "rollcall-test-servers-" + Integer.toHexString(root.toAbsolutePath().toString().hashCode()));
        System.err.println("rollcall: " + root + " is not reachable by user nobody, who runs OpenSearch under root; using " + fallback);
        return fallback;
    }

    /** Instance folders of builds whose process has ended; their nodes were stopped by their watchdogs. */
    private static void removeLeftoversOfEndedBuilds(Path base, long owner) throws IOException {
        try (var entries = Files.list(base)) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                String file = entry.getFileName().toString();
                if (!file.startsWith("opensearch-build-")) {
                    continue;
                }
                String pidText = file.substring("opensearch-build-".length()).replace(".properties", "");
                try {
                    long pid = Long.parseLong(pidText);
                    if (pid != owner && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) == false) {
                        OpenSearchProcess.deleteTree(entry);
                    }
                } catch (NumberFormatException | IOException ignored) {
                    // not ours, or still in use by a node that is shutting down; next build tries again
                }
            }
        }
    }

    /** The Maven JVM when tests run under Surefire (its direct parent), else this JVM. */
    static long buildPid() {
        String override = System.getProperty("rollcall.build.pid");
        if (override != null) {
            return Long.parseLong(override);
        }
        return ProcessHandle.current().parent()
                .filter(parent -> parent.info().commandLine().map(c -> c.contains("plexus-classworlds") || c.contains("maven")).orElse(false))
                .map(ProcessHandle::pid)
                .orElse(ProcessHandle.current().pid());
    }

    private static Optional<Integer> readPort(Path stateFile) {
        if (!Files.exists(stateFile)) {
            return Optional.empty();
        }
        try (var in = Files.newInputStream(stateFile)) {
            Properties state = new Properties();
            state.load(in);
            return Optional.of(Integer.parseInt(state.getProperty("port")));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** A system property the build sets for the tests; fails naming it when a test runs outside Maven. */
    static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property '" + property + "' is not set; run tests through Maven "
                    + "(the poms' Surefire and Failsafe configurations set it)");
        }
        return value;
    }
}
