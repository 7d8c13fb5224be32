package dev.rollcall.servers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A node of its own with fine-grained access control, for the tests of what Rollcall's OpenSearch roles allow.
 *
 * <p>Not the version the stack deploys: the only 3.x security plugin on Maven Central (3.4.0.0) needs the
 * {@code rule-framework} module, which 3.4.0's integ-test distribution leaves out and Maven Central does not serve on
 * its own, so this runs the newest 2.x pair that is whole there (the permission model and the action names Rollcall's
 * roles use are the same). That version's node needs a JDK from 11 to 21; the build's own JDK may be newer, so one
 * is looked for: {@code ROLLCALL_SECURED_OPENSEARCH_JAVA_HOME}, else this JVM's when it is one, else the first under
 * {@code /usr/lib/jvm} or (macOS) {@code /Library/Java/JavaVirtualMachines}, of those the node's user can reach.
 */
public final class SecuredOpenSearch {

    /** The password of the {@code admin} user, who holds {@code all_access}; the demo installer wants a strong one. */
    public static final String ADMIN_PASSWORD = "Rollcall-Access-Test-7!";

    private static final Pattern RELEASE_VERSION = Pattern.compile("^JAVA_VERSION=\"(\\d+)", Pattern.MULTILINE);

    private SecuredOpenSearch() {
    }

    /**
     * Starts a node, stopped when this JVM exits, from the zips the build fetched (system properties
     * {@code rollcall.secured-opensearch.zip}, {@code .version}, {@code .reindex}, a folder of the reindex module's jars,
     * which that version's integ-test distribution leaves out, and {@code rollcall.opensearch-security.zip}), in the
     * folder the build's shared node uses.
     */
    public static OpenSearchProcess start() {
        Path base = BuildScopedOpenSearch.baseFolder(Path.of(System.getProperty("rollcall.root", System.getProperty("user.dir"))));
        String version = BuildScopedOpenSearch.required("rollcall.secured-opensearch.version");
        OpenSearchProcess.Security security = new OpenSearchProcess.Security(Path.of(BuildScopedOpenSearch.required("rollcall.opensearch-security.zip")),
                javaHome(), ADMIN_PASSWORD, Path.of(BuildScopedOpenSearch.required("rollcall.secured-opensearch.reindex")));
        OpenSearchProcess node = OpenSearchProcess.launch(new OpenSearchProcess.Settings(Path.of(BuildScopedOpenSearch.required("rollcall.secured-opensearch.zip")),
                version, base.resolve("dist"), base.resolve("opensearch-secured"), 0, "512m",
                Duration.ofSeconds(Long.getLong("rollcall.opensearch.start-timeout-seconds", 180)), false, security));
        // Before the wait for health, the longest part of a start: a test JVM killed meanwhile leaves no node behind.
        node.stopWhenProcessExits(ProcessHandle.current().pid());
        return node.awaitHealthy();
    }

    /** The admin's {@code Authorization} header value. */
    public static String adminAuthorization() {
        return OpenSearchProcess.Security.basicAuthorization("admin", ADMIN_PASSWORD);
    }

    static Path javaHome() {
        String configured = System.getenv("ROLLCALL_SECURED_OPENSEARCH_JAVA_HOME");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        List<Path> candidates = new ArrayList<>();
        candidates.add(Path.of(System.getProperty("java.home")));
        candidates.addAll(homesIn(Path.of("/usr/lib/jvm"), ""));
        candidates.addAll(homesIn(Path.of("/Library/Java/JavaVirtualMachines"), "Contents/Home"));
        // Built as root, the node runs as nobody: a JDK under a private home is no use to it.
        candidates.removeIf(candidate -> !OpenSearchProcess.nodeUserCanReach(candidate));
        return findJdk(candidates).orElseThrow(() -> new IllegalStateException(
                "the secured OpenSearch node of FineGrainedAccessIT needs a JDK from 11 to 21 (such as 17 or 21) and none was "
                        + "found (this JVM's, /usr/lib/jvm, /Library/Java/JavaVirtualMachines); install one or set "
                        + "ROLLCALL_SECURED_OPENSEARCH_JAVA_HOME to one"));
    }

    /** The folders in {@code folder}, each resolved against {@code suffix} (macOS keeps a JDK's home inside its bundle). */
    static List<Path> homesIn(Path folder, String suffix) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.sorted().map(entry -> entry.resolve(suffix)).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The first JDK (a folder with {@code release} and {@code bin/java}) of a major version from 11 to 21. */
    static Optional<Path> findJdk(List<Path> candidates) {
        for (Path candidate : candidates) {
            Path release = candidate.resolve("release");
            if (!Files.isRegularFile(release) || !Files.isExecutable(candidate.resolve("bin/java"))) {
                continue;
            }
            try {
                Matcher version = RELEASE_VERSION.matcher(Files.readString(release));
                if (version.find()) {
                    int major = Integer.parseInt(version.group(1));
                    if (major >= 11 && major <= 21) {
                        return Optional.of(candidate.toRealPath());
                    }
                }
            } catch (IOException e) {
                // unreadable: not a JDK this can use
            }
        }
        return Optional.empty();
    }
}
