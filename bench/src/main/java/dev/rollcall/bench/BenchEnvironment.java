package dev.rollcall.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

import org.opensearch.client.opensearch.OpenSearchClient;

import dev.rollcall.core.store.OpenSearchClients;
import dev.rollcall.core.store.OpenSearchConfig;
import dev.rollcall.servers.OpenSearchProcess;

/** The OpenSearch a benchmark run uses: its own node started as the tests start theirs, or a given one. */
public final class BenchEnvironment implements AutoCloseable {

    private final URI uri;
    private final OpenSearchProcess node;
    private final Path workDir;

    private BenchEnvironment(URI uri, OpenSearchProcess node, Path workDir) {
        this.uri = uri;
        this.node = node;
        this.workDir = workDir;
    }

    /** Uses {@code existing} when given (the smoke test reuses the build's node), else starts a fresh node. */
    public static BenchEnvironment start(URI existing, Path workDir, String heap) {
        if (existing != null) {
            return new BenchEnvironment(existing, null, workDir);
        }
        String version = System.getProperty("rollcall.opensearch.version", bundledVersion());
        String zip = System.getProperty("rollcall.opensearch.zip", Path.of(System.getProperty("user.home"), ".m2", "repository",
                "org", "opensearch", "distribution", "integ-test-zip", "opensearch", version, "opensearch-" + version + ".zip").toString());
        OpenSearchProcess node = OpenSearchProcess.start(new OpenSearchProcess.Settings(Path.of(zip), version,
                workDir.resolve("dist"), workDir.resolve("opensearch"), 0, heap, Duration.ofSeconds(180), false));
        node.stopWhenProcessExits(ProcessHandle.current().pid());
        return new BenchEnvironment(node.uri(), node, workDir);
    }

    public URI uri() {
        return uri;
    }

    public Path workDir() {
        return workDir;
    }

    public OpenSearchConfig config(String prefix) {
        return OpenSearchConfig.local(uri, prefix);
    }

    public OpenSearchClient client(String prefix) {
        return OpenSearchClients.create(config(prefix));
    }

    private static String bundledVersion() {
        try (InputStream in = BenchEnvironment.class.getResourceAsStream("/rollcall-bench.properties")) {
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("opensearch.version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (node != null) {
            node.close();
        }
    }
}
