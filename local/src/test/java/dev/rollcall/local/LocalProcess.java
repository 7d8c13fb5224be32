package dev.rollcall.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.rollcall.servers.ClosedPort;

/** Local mode started as its own JVM, the way ./rollcall local runs it, with free ports and a given data dir. */
final class LocalProcess implements AutoCloseable {

    final Process process;
    final int queryPort;
    final int lambdaPort;
    final int eventsPort;
    final int sqsPort;
    final int openSearchPort;
    final List<String> output = new CopyOnWriteArrayList<>();
    private final CompletableFuture<String> ready = new CompletableFuture<>();
    private final Thread reader;

    private LocalProcess(Path dataDir, List<String> extraArgs, int[] ports) throws IOException {
        this.queryPort = ports[0];
        this.lambdaPort = ports[1];
        this.eventsPort = ports[2];
        this.sqsPort = ports[3];
        this.openSearchPort = ports[4];
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx768m",
                "-Drollcall.opensearch.zip=" + System.getProperty("rollcall.opensearch.zip"),
                "-Drollcall.opensearch.version=" + System.getProperty("rollcall.opensearch.version"),
                "-cp", System.getProperty("java.class.path"), LocalPipeline.class.getName(),
                "--data-dir", dataDir.toString(), "--query-port", Integer.toString(queryPort),
                "--lambda-port", Integer.toString(lambdaPort), "--events-port", Integer.toString(eventsPort),
                "--sqs-port", Integer.toString(sqsPort), "--opensearch-port", Integer.toString(openSearchPort)));
        if (Runtime.version().feature() >= 23) {
            // As the build's jdk-23 profile: a JDK 21 or 22 refuses to start with this option.
            command.add(1, "--sun-misc-unsafe-memory-access=allow");
        }
        command.addAll(extraArgs);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("AWS_LAMBDA_FUNCTION_NAME");
        process = builder.start();
        reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    output.add(line);
                    if (line.startsWith("rollcall local ready:")) {
                        ready.complete(line);
                    }
                }
            } catch (IOException ignored) {
                // process ended
            }
            ready.completeExceptionally(new IllegalStateException("local mode exited before it was ready:\n" + String.join("\n", tail())));
        });
    }

    static LocalProcess start(Path dataDir, List<String> extraArgs, int... fixedPorts) throws IOException {
        int[] ports = new int[5];
        for (int i = 0; i < ports.length; i++) {
            ports[i] = i < fixedPorts.length && fixedPorts[i] > 0 ? fixedPorts[i] : freePort();
        }
        return new LocalProcess(dataDir, extraArgs, ports);
    }

    /** Waits until every line the process wrote is in {@link #output}: after it exits, its pipe may still hold some. */
    void awaitOutputEnd(Duration timeout) throws InterruptedException {
        if (!reader.join(timeout)) {
            throw new IllegalStateException("the output of local mode was still being read after " + timeout);
        }
    }

    String awaitReady(Duration timeout) throws Exception {
        return ready.get(timeout.toSeconds(), TimeUnit.SECONDS);
    }

    List<String> tail() {
        return output.subList(Math.max(0, output.size() - 40), output.size());
    }

    static int freePort() {
        return ClosedPort.number();
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
