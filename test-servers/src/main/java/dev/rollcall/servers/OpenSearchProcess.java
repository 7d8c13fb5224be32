package dev.rollcall.servers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real OpenSearch node run as a child process from the Maven Central integ-test distribution.
 *
 * <p>Runs as the unprivileged user {@code nobody} when the JVM runs as root, because OpenSearch refuses root.
 * Each instance gets its own config, data and log folders, so several instances can share one unpacked
 * distribution.
 */
public final class OpenSearchProcess implements AutoCloseable {

    /**
     * How to start a node. {@code httpPort} 0 picks a free loopback port; {@code security} null runs the node without
     * the security plugin, as the tests' shared node runs.
     */
    public record Settings(Path distributionZip, String version, Path distributionsDir, Path instanceDir,
                           int httpPort, String heap, Duration startTimeout, boolean keepData, Security security) {
        public Settings {
            if (distributionZip == null || !Files.isRegularFile(distributionZip)) {
                throw new IllegalArgumentException("OpenSearch distribution zip not found: " + distributionZip
                        + " (Maven downloads it as org.opensearch.distribution.integ-test-zip:opensearch:zip)");
            }
        }

        public Settings(Path distributionZip, String version, Path distributionsDir, Path instanceDir,
                        int httpPort, String heap, Duration startTimeout, boolean keepData) {
            this(distributionZip, version, distributionsDir, instanceDir, httpPort, heap, startTimeout, keepData, null);
        }
    }

    /**
     * The security plugin (fine-grained access control, as an Amazon OpenSearch Service domain runs it) with its demo
     * certificates between nodes and plain HTTP to clients, an {@code admin} user holding {@code all_access} with
     * {@code adminPassword}, the node running on {@code javaHome}: the plugin must match the distribution's version
     * exactly, and the versions published on Maven Central may need an older JDK than this JVM's. {@code reindexJars},
     * when not null, is a folder holding the jars of the reindex module (delete-by-query), which some integ-test
     * distributions leave out.
     */
    public record Security(Path pluginZip, Path javaHome, String adminPassword, Path reindexJars) {
        public Security {
            if (pluginZip == null || !Files.isRegularFile(pluginZip)) {
                throw new IllegalArgumentException("OpenSearch security plugin zip not found: " + pluginZip
                        + " (Maven downloads it as org.opensearch.plugin:opensearch-security:zip)");
            }
            if (javaHome == null || !Files.isExecutable(javaHome.resolve("bin/java"))) {
                throw new IllegalArgumentException("no JDK at " + javaHome + " to run the secured node");
            }
            if (reindexJars != null && !Files.isDirectory(reindexJars)) {
                throw new IllegalArgumentException("no folder of reindex module jars at " + reindexJars);
            }
        }

        /** The value of an {@code Authorization} header that authenticates as {@code admin}. */
        public String adminAuthorization() {
            return basicAuthorization("admin", adminPassword);
        }

        /** The value of an {@code Authorization} header for HTTP basic authentication. */
        public static String basicAuthorization(String user, String password) {
            return "Basic " + java.util.Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        }
    }

    private static final String UNPRIVILEGED_USER = "nobody";

    private final Settings settings;
    private final Path home;
    private final int httpPort;
    private final Path pidFile;
    private final Path stdoutFile;
    private final Process process;

    private OpenSearchProcess(Settings settings, Path home, int httpPort, Process process) {
        this.settings = settings;
        this.home = home;
        this.httpPort = httpPort;
        this.pidFile = settings.instanceDir().resolve("opensearch.pid");
        this.stdoutFile = settings.instanceDir().resolve("logs/stdout.log");
        this.process = process;
    }

    /** Unpacks the distribution if needed, starts a node and waits until it answers with status yellow or green. */
    public static OpenSearchProcess start(Settings settings) {
        return launch(settings).awaitHealthy();
    }

    /**
     * Unpacks the distribution if needed and starts a node without waiting for it to answer: a caller that must stop
     * it on a signal registers it first, because the wait for health is the longest part of a start.
     */
    public static OpenSearchProcess launch(Settings settings) {
        try {
            Path home = unpack(settings);
            int port = settings.httpPort() == 0 ? freePort() : settings.httpPort();
            Path instance = settings.instanceDir();
            if (!settings.keepData()) {
                deleteTree(instance);
            }
            Files.createDirectories(instance.resolve("data"));
            Files.createDirectories(instance.resolve("logs"));
            Path config = writeConfig(home, instance, port, freePort(), settings.heap());
            if (settings.security() != null) {
                secure(home, config);
            }
            Files.deleteIfExists(instance.resolve("opensearch.pid"));
            boolean root = isRoot();
            if (root) {
                // Built as root (CI, containers): the node runs as nobody, so it must own its folders.
                chownTree(instance, UNPRIVILEGED_USER);
                requireTraversable(instance);
            }
            List<String> command = new ArrayList<>();
            if (root) {
                command.addAll(List.of("runuser", "-u", UNPRIVILEGED_USER, "--"));
            }
            command.addAll(List.of("env",
                    "OPENSEARCH_JAVA_HOME=" + javaHomeForNode(settings),
                    "OPENSEARCH_PATH_CONF=" + config,
                    "OPENSEARCH_TMPDIR=" + instance.resolve("tmp"),
                    "OPENSEARCH_JAVA_OPTS=-Xms" + settings.heap() + " -Xmx" + settings.heap(),
                    home.resolve("bin/opensearch").toString(),
                    "-p", instance.resolve("opensearch.pid").toString()));
            Files.createDirectories(instance.resolve("tmp"));
            if (root) {
                chownTree(instance.resolve("tmp"), UNPRIVILEGED_USER);
            }
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(home.toFile())
                    .redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    // A file, not a pipe: the node may outlive this JVM (shared across a build's test JVMs).
                    .redirectOutput(instance.resolve("logs/stdout.log").toFile());
            builder.environment().remove("JAVA_TOOL_OPTIONS");
            return new OpenSearchProcess(settings, home, port, builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("could not start OpenSearch: " + e.getMessage(), e);
        }
    }

    /** Re-attaches to a node this or another JVM started earlier, if it still answers. */
    static Optional<OpenSearchProcess> attach(Settings settings, int httpPort) {
        Path home = settings.distributionsDir().resolve(homeName(settings));
        OpenSearchProcess node = new OpenSearchProcess(settings, home, httpPort, null);
        return node.isHealthy() ? Optional.of(node) : Optional.empty();
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + httpPort);
    }

    public int httpPort() {
        return httpPort;
    }

    public Path pidFile() {
        return pidFile;
    }

    /**
     * Completes when the process {@link #launch} started has exited (the node's JVM, or runuser once the node under it
     * exited) with its exit code; never for a node this JVM attached to.
     */
    public CompletableFuture<Integer> onExit() {
        return process == null ? new CompletableFuture<>() : process.onExit().thenApply(Process::exitValue);
    }

    /** The same settings, keeping the data a node left: for starting a node again where one stopped. */
    public Settings keepingData() {
        return new Settings(settings.distributionZip(), settings.version(), settings.distributionsDir(), settings.instanceDir(),
                httpPort, settings.heap(), settings.startTimeout(), true, settings.security());
    }

    public Optional<Long> pid() {
        try {
            return Files.exists(pidFile) ? Optional.of(Long.parseLong(Files.readString(pidFile).trim())) : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * Starts a watchdog that stops this node (by its pid file) once process {@code ownerPid} has exited, however
     * it exited. A shell loop rather than a JVM thread, because it must outlive the JVM that started the node.
     * Started right after {@link #launch}, it also covers an owner killed before the node wrote its pid file: it then
     * stops the process that {@code launch} started, which passes the signal on to the node. It ends by itself once
     * that process has exited: the pid file may then be another node's and its pid anyone's.
     */
    public void stopWhenProcessExits(long ownerPid) {
        String script = "while kill -0 \"$1\" 2>/dev/null; do [ -z \"$3\" ] || kill -0 \"$3\" 2>/dev/null || exit 0; sleep 1; done; "
                + "[ -z \"$3\" ] || kill -0 \"$3\" 2>/dev/null || exit 0; "
                + "p=$(cat \"$2\" 2>/dev/null); [ -n \"$p\" ] || p=\"$3\"; [ -n \"$p\" ] && kill \"$p\" 2>/dev/null; "
                + "for i in $(seq 1 30); do kill -0 \"$p\" 2>/dev/null || exit 0; sleep 1; done; kill -9 \"$p\" 2>/dev/null";
        String launched = process == null ? "" : Long.toString(process.pid());
        try {
            new ProcessBuilder(List.of("sh", "-c", script, "rollcall-opensearch-watchdog", Long.toString(ownerPid), pidFile.toString(), launched))
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the OpenSearch watchdog", e);
        }
    }

    /**
     * Stops the node by its pid file (never by name) and waits for it to exit. A node still starting may not have
     * written its pid file yet: then the children of the process {@link #launch} started are signalled, or that
     * process itself when it is the node (without runuser, the start script execs the node's JVM).
     */
    @Override
    public void close() {
        // A node killed with -9 leaves its pid file behind, naming a pid the system may have given another process:
        // for a node this JVM launched, only that process or its child (under runuser) is the node.
        List<ProcessHandle> nodes = pid().flatMap(ProcessHandle::of).filter(this::isLaunchedNode).map(List::of).orElseGet(this::launchedNode);
        // Not runuser itself while its child lives: on SIGTERM it kills that child with SIGKILL two seconds later.
        nodes.forEach(ProcessHandle::destroy);
        Instant deadline = Instant.now().plusSeconds(30);
        while (nodes.stream().anyMatch(ProcessHandle::isAlive) && Instant.now().isBefore(deadline)) {
            sleep(100);
        }
        nodes.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        if (process != null) {
            process.destroy();
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Handles, not pid numbers: a handle's equality includes its start time, which a reused pid does not share. */
    private boolean isLaunchedNode(ProcessHandle candidate) {
        return process == null || candidate.equals(process.toHandle())
                || candidate.parent().map(process.toHandle()::equals).orElse(false);
    }

    private List<ProcessHandle> launchedNode() {
        if (process == null || !process.isAlive()) {
            // Its pid may be another process's by now, and so may the children listed under it.
            return List.of();
        }
        List<ProcessHandle> children = process.toHandle().children().toList();
        return children.isEmpty() ? List.of(process.toHandle()) : children;
    }

    boolean isHealthy() {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri().resolve("/_cluster/health?wait_for_status=yellow&timeout=1s"))
                    .timeout(Duration.ofSeconds(5)).GET();
            if (settings.security() != null) {
                request.header("Authorization", settings.security().adminAuthorization());
            }
            HttpResponse<String> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build().send(
                    request.build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && !response.body().contains("\"status\":\"red\"");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Waits until the node answers with status yellow or green, for at most the settings' start timeout. */
    public OpenSearchProcess awaitHealthy() {
        awaitHealthy(settings.startTimeout());
        return this;
    }

    private void awaitHealthy(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (isHealthy()) {
                return;
            }
            if (process != null && !process.isAlive()) {
                throw new IllegalStateException("OpenSearch exited with code " + process.exitValue()
                        + " before it became healthy. Last lines of " + stdoutFile + ":\n" + tail(stdoutFile, 60));
            }
            if (Thread.currentThread().isInterrupted()) {
                // Every wait below would return at once: without this the loop spins until the deadline. The stop's own
                // waits need the flag clear, and the caller gets it back.
                Thread.interrupted();
                close();
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for OpenSearch on " + uri() + " to become healthy");
            }
            sleep(250);
        }
        close();
        throw new IllegalStateException("OpenSearch did not become healthy on " + uri() + " within " + timeout
                + ". Last lines of " + stdoutFile + ":\n" + tail(stdoutFile, 60));
    }

    /** A secured distribution is unpacked apart: its plugin must not reach nodes started without security. */
    private static String homeName(Settings settings) {
        return "opensearch-" + settings.version() + (settings.security() == null ? "" : "-secured");
    }

    static Path unpack(Settings settings) throws IOException {
        Path home = settings.distributionsDir().resolve(homeName(settings));
        Path marker = home.resolve(".unpacked");
        // What the folder was made of: a secured one made with another plugin or module is made again.
        String recipe = settings.distributionZip() + (settings.security() == null ? ""
                : "\n" + settings.security().pluginZip() + "\n" + settings.security().reindexJars());
        if (Files.exists(marker)) {
            if (Files.readString(marker).equals(recipe)) {
                return home;
            }
            deleteTree(home);
        }
        Path staging = settings.distributionsDir().resolve(homeName(settings) + ".partial-" + ProcessHandle.current().pid());
        deleteTree(staging);
        Files.createDirectories(staging);
        // zipfs with POSIX attributes keeps the executable bits of bin/ (java.util.zip would drop them).
        try (FileSystem zip = FileSystems.newFileSystem(settings.distributionZip(), Map.of("enablePosixFileAttributes", true))) {
            Path top = zip.getPath("/opensearch-" + settings.version());
            try (Stream<Path> entries = Files.walk(top)) {
                for (Path entry : (Iterable<Path>) entries::iterator) {
                    Path target = staging.resolve(top.relativize(entry).toString());
                    if (Files.isDirectory(entry)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(entry, target, StandardCopyOption.REPLACE_EXISTING);
                        Files.setPosixFilePermissions(target, Files.getFileAttributeView(entry, PosixFileAttributeView.class)
                                .readAttributes().permissions());
                    }
                }
            }
        }
        if (settings.security() != null) {
            try {
                if (settings.security().reindexJars() != null) {
                    addReindexModule(staging, settings.security().reindexJars(), settings.version());
                }
                installSecurityPlugin(staging, settings.security());
            } catch (IOException | RuntimeException e) {
                deleteTree(staging);
                throw e;
            }
        }
        // After every installer, whatever the umask: the node may run as another user, who must read all of it.
        try (Stream<Path> paths = Files.walk(staging)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                if (Files.isDirectory(path)) {
                    Files.setPosixFilePermissions(path, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
                } else {
                    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(path);
                    perms.add(PosixFilePermission.OWNER_READ);
                    perms.add(PosixFilePermission.GROUP_READ);
                    perms.add(PosixFilePermission.OTHERS_READ);
                    Files.setPosixFilePermissions(path, perms);
                }
            }
        }
        Files.writeString(staging.resolve(".unpacked"), recipe);
        try {
            Files.move(staging, home, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException raced) {
            // Another JVM finished first; its copy is as good as ours.
            deleteTree(staging);
            if (!Files.exists(marker)) {
                throw raced;
            }
        }
        return home;
    }

    static Path writeConfig(Path home, Path instance, int httpPort, int transportPort, String heap) throws IOException {
        Path config = instance.resolve("config");
        // The node's user owns the instance folder: what it left there is not followed when root writes the config.
        if (Files.isSymbolicLink(config)) {
            Files.delete(config);
        }
        Files.createDirectories(config.resolve("jvm.options.d"));
        Files.deleteIfExists(config.resolve("log4j2.properties"));
        Files.copy(home.resolve("config/log4j2.properties"), config.resolve("log4j2.properties"));
        // The stock jvm.options writes GC logs, heap dumps and the agent path relative to the working
        // directory; make them absolute so instances never write into the shared distribution.
        String jvmOptions = Files.readString(home.resolve("config/jvm.options"))
                .replace("-Xms1g", "-Xms" + heap).replace("-Xmx1g", "-Xmx" + heap)
                .replace("file=logs/gc.log", "file=" + instance.resolve("logs/gc.log"))
                .replace("HeapDumpPath=data", "HeapDumpPath=" + instance.resolve("data"))
                .replace("ErrorFile=logs/", "ErrorFile=" + instance.resolve("logs") + "/")
                .replace("-javaagent:agent/", "-javaagent:" + home.resolve("agent") + "/");
        writeAnew(config.resolve("jvm.options"), jvmOptions);
        writeAnew(config.resolve("opensearch.yml"), String.join("\n",
                "cluster.name: rollcall-" + httpPort,
                "node.name: rollcall-node",
                "discovery.type: single-node",
                "network.host: 127.0.0.1",
                "http.port: " + httpPort,
                "transport.port: " + transportPort,
                "path.data: " + instance.resolve("data"),
                "path.logs: " + instance.resolve("logs"),
                "cluster.routing.allocation.disk.threshold_enabled: false",
                "action.destructive_requires_name: false",
                "indices.query.bool.max_clause_count: 4096",
                ""));
        return config;
    }

    /** Writes a file created anew, never through a link left in its place (CREATE_NEW does not follow one). */
    private static void writeAnew(Path file, String text) throws IOException {
        Files.deleteIfExists(file);
        Files.writeString(file, text, java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE);
    }

    /** Makes a module of the reindex jars as the full distribution ships it: the jars and a plugin descriptor. */
    private static void addReindexModule(Path home, Path jars, String version) throws IOException {
        Path module = Files.createDirectories(home.resolve("modules/reindex"));
        // 3.x renamed the plugin class; the descriptor must name the one the jar holds.
        String pluginClass = "org.opensearch.index.reindex.ReindexPlugin";
        try (Stream<Path> files = Files.list(jars)) {
            for (Path jar : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".jar"))::iterator) {
                Files.copy(jar, module.resolve(jar.getFileName()));
                try (FileSystem zip = FileSystems.newFileSystem(jar)) {
                    if (Files.exists(zip.getPath("org/opensearch/index/reindex/ReindexModulePlugin.class"))) {
                        pluginClass = "org.opensearch.index.reindex.ReindexModulePlugin";
                    }
                }
            }
        }
        Files.writeString(module.resolve("plugin-descriptor.properties"), String.join("\n",
                "description=The Reindex module adds APIs to reindex from one index to another or update documents in place.",
                "version=" + version,
                "name=reindex",
                "classname=" + pluginClass,
                "java.version=11",
                "opensearch.version=" + version,
                "extended.plugins=",
                "has.native.controller=false",
                ""));
    }

    /**
     * Installs the security plugin with the plugin tool, then its demo configuration (certificates, the {@code admin}
     * user's password) into the distribution's own config folder, from where each instance copies it.
     */
    private static void installSecurityPlugin(Path home, Security security) throws IOException {
        Map<String, String> env = Map.of("OPENSEARCH_JAVA_HOME", security.javaHome().toString(), "JAVA_HOME", security.javaHome().toString(),
                "OPENSEARCH_INITIAL_ADMIN_PASSWORD", security.adminPassword());
        run(List.of(home.resolve("bin/opensearch-plugin").toString(), "install", "--batch", security.pluginZip().toUri().toString()), home, env);
        // -y answers every question, -i lets the first start initialise the security index, -s skips later updates.
        run(List.of("bash", home.resolve("plugins/opensearch-security/tools/install_demo_configuration.sh").toString(), "-y", "-i", "-s"), home, env);
    }

    /**
     * Gives an instance the demo certificates and the security plugin's configuration, and the settings that turn it
     * on: TLS between nodes (the plugin's condition for starting at all), plain HTTP, users from the internal database.
     */
    private static void secure(Path home, Path config) throws IOException {
        for (String file : List.of("esnode.pem", "esnode-key.pem", "root-ca.pem", "kirk.pem", "kirk-key.pem")) {
            Files.copy(home.resolve("config").resolve(file), config.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        Path securityConfig = config.resolve("opensearch-security");
        deleteTree(securityConfig);
        Files.createDirectories(securityConfig);
        try (Stream<Path> files = Files.list(home.resolve("config/opensearch-security"))) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.copy(file, securityConfig.resolve(file.getFileName()));
            }
        }
        Files.writeString(config.resolve("opensearch.yml"), String.join("\n",
                "plugins.security.ssl.transport.pemcert_filepath: esnode.pem",
                "plugins.security.ssl.transport.pemkey_filepath: esnode-key.pem",
                "plugins.security.ssl.transport.pemtrustedcas_filepath: root-ca.pem",
                "plugins.security.ssl.transport.enforce_hostname_verification: false",
                "plugins.security.ssl.http.enabled: false",
                "plugins.security.allow_unsafe_democertificates: true",
                "plugins.security.allow_default_init_securityindex: true",
                "plugins.security.authcz.admin_dn: ['CN=kirk,OU=client,O=client,L=test,C=de']",
                "plugins.security.restapi.roles_enabled: [all_access, security_rest_api_access]",
                "plugins.security.audit.type: noop",
                ""), java.nio.file.StandardOpenOption.APPEND);
    }

    /** The node runs on the JDK this JVM runs on; OpenSearch 3.x needs 21+, as does Rollcall itself. */
    private static String javaHomeForNode(Settings settings) {
        if (settings.security() != null) {
            return settings.security().javaHome().toString();
        }
        String fromEnv = System.getenv("OPENSEARCH_JAVA_HOME");
        return fromEnv != null && !fromEnv.isBlank() ? fromEnv : System.getProperty("java.home");
    }

    /** Whether this JVM runs as uid 0 (not the owner of /proc/self, which is a root-owned symlink). */
    static boolean isRoot() {
        try {
            return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
        } catch (RuntimeException | LinkageError e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    private static void chownTree(Path dir, String user) throws IOException {
        run(List.of("chown", "-R", user, dir.toString()));
    }

    /** nobody must be able to walk down to its folders; a checkout under a private home would stop it. */
    private static void requireTraversable(Path dir) {
        for (Path p = dir.toAbsolutePath().getParent(); p != null; p = p.getParent()) {
            try {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
                if (!perms.contains(PosixFilePermission.OTHERS_EXECUTE)) {
                    throw new IllegalStateException("OpenSearch runs as '" + UNPRIVILEGED_USER + "' when the build runs as root, but "
                            + p + " is not traversable by other users (chmod o+x " + p + ", or build as a normal user)");
                }
            } catch (IOException ignored) {
                return;
            }
        }
    }

    /**
     * Whether the node can reach {@code dir} (which may not exist yet): always, unless this JVM runs as root, when the
     * node runs as {@value #UNPRIVILEGED_USER} and every folder above must let other users in.
     */
    public static boolean nodeUserCanReach(Path dir) {
        if (!isRoot()) {
            return true;
        }
        Path existing = dir.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        return existing == null || traversableByOthers(existing);
    }

    /** Whether every folder above {@code dir} can be entered by other users. */
    static boolean traversableByOthers(Path dir) {
        for (Path p = dir.toAbsolutePath(); p != null; p = p.getParent()) {
            try {
                if (!Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                    return false;
                }
            } catch (IOException | UnsupportedOperationException e) {
                return false;
            }
        }
        return true;
    }

    private static void run(List<String> command) throws IOException {
        run(command, null, Map.of());
    }

    private static void run(List<String> command, Path directory, Map<String, String> env) throws IOException {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            if (directory != null) {
                builder.directory(directory.toFile());
            }
            builder.environment().putAll(env);
            builder.environment().remove("JAVA_TOOL_OPTIONS");
            Process p = builder.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + out.trim());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + command, e);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no log at " + file + ": " + e.getMessage() + ")";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "OpenSearch " + settings.version() + " at " + uri() + " (home " + home + ")";
    }
}
