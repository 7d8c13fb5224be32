package dev.rollcall.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.rollcall.local.demo.AlertTrafficGenerator;
import dev.rollcall.local.demo.PayloadRenderer;

/**
 * JVM start to the first handled event for each Lambda jar, in a fresh JVM that holds only that jar (plus a
 * reflection-only probe class), the way Lambda starts a function without SnapStart; and each jar's size.
 */
final class ColdStartScenario {

    /** A Lambda jar to measure and how to call it. */
    record Function(String name, String jarGlob, String handler, String mode, String argument) {
    }

    private static final Pattern RESULT = Pattern.compile("COLDSTART init_ms=(\\d+) first_event_ms=(\\d+)");

    private ColdStartScenario() {
    }

    static BenchResult run(BenchEnvironment env, Path repository, int runs) throws Exception {
        Path event = env.workDir().resolve("coldstart-event.json");
        Files.createDirectories(env.workDir());
        var first = new AlertTrafficGenerator(new AlertTrafficGenerator.Settings(3, BenchData.START, java.time.Duration.ofDays(1), 5)).events().stream()
                .filter(e -> PayloadRenderer.webhookSource(e) == null).findFirst().orElseThrow();
        Files.writeString(event, PayloadRenderer.render(first));
        Path probeDir = probeClassDir(env.workDir());
        List<Function> functions = List.of(
                new Function("ingest-eventbridge", "ingest-lambda/target/rollcall-ingest-lambda-*-lambda.jar", "dev.rollcall.ingest.EventBridgeHandler", "stream", event.toString()),
                new Function("query-api", "query-api/target/rollcall-query-api-*-lambda.jar", "dev.rollcall.query.QueryApiHandler", "http", "/v1/health"));
        BenchResult.Builder result = new BenchResult.Builder("coldstart").put("runs_per_jar", runs);
        for (Function function : functions) {
            Path jar = find(repository, function.jarGlob());
            if (jar == null) {
                result.put(function.name() + "_jar", "not built (" + function.jarGlob() + ")");
                continue;
            }
            result.put(function.name() + "_jar_mb", Files.size(jar) / 1_048_576.0);
            List<Long> firstEvent = new ArrayList<>();
            List<Long> init = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                long[] measured = probe(jar, probeDir, function, env);
                init.add(measured[0]);
                firstEvent.add(measured[1]);
            }
            result.put(function.name() + "_init_ms_median", median(init));
            result.put(function.name() + "_first_event_ms_median", median(firstEvent));
        }
        return result.target("reported, not judged: JVM start to first handled event without SnapStart").build();
    }

    private static long[] probe(Path jar, Path probeDir, Function function, BenchEnvironment env) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-cp", jar + java.io.File.pathSeparator + probeDir, ColdStartProbe.class.getName(),
                function.handler(), function.mode(), function.argument()).redirectErrorStream(true);
        Map<String, String> environment = builder.environment();
        environment.remove("AWS_LAMBDA_FUNCTION_NAME");
        environment.put("ROLLCALL_OPENSEARCH_ENDPOINT", env.uri().toString());
        environment.put("ROLLCALL_INDEX_PREFIX", "bench-coldstart");
        environment.put("ROLLCALL_INDEX_REPLICAS", "0");
        environment.put("ROLLCALL_BATCH_JOB_QUEUE", "arn:aws:batch:us-east-1:000000000000:job-queue/rollcall");
        environment.put("ROLLCALL_BATCH_JOB_DEFINITION", "arn:aws:batch:us-east-1:000000000000:job-definition/rollcall:1");
        environment.put("AWS_REGION", "us-east-1");
        environment.put("ROLLCALL_LOG_LEVEL", "WARN");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(function.name() + " cold start probe failed:\n" + output);
        }
        Matcher m = RESULT.matcher(output);
        if (!m.find()) {
            throw new IllegalStateException(function.name() + " cold start probe printed no result:\n" + output);
        }
        return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))};
    }

    /** The probe's class file alone in a folder, so the measured JVM sees nothing of the benchmark's class path. */
    private static Path probeClassDir(Path workDir) throws IOException {
        Path dir = workDir.resolve("probe");
        Path file = dir.resolve(ColdStartProbe.class.getName().replace('.', '/') + ".class");
        Files.createDirectories(file.getParent());
        try (InputStream in = ColdStartProbe.class.getResourceAsStream("ColdStartProbe.class")) {
            Files.write(file, in.readAllBytes());
        }
        return dir;
    }

    private static Path find(Path repository, String glob) throws IOException {
        Path dir = repository.resolve(glob.substring(0, glob.lastIndexOf('/')));
        if (!Files.isDirectory(dir)) {
            return null;
        }
        var matcher = dir.getFileSystem().getPathMatcher("glob:" + glob.substring(glob.lastIndexOf('/') + 1));
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> matcher.matches(p.getFileName())).findFirst().orElse(null);
        }
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
