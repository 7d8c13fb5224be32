package dev.rollcall.infra;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import software.amazon.awscdk.App;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Template;
import software.constructs.IConstruct;

/**
 * Apps synthesized for the tests: the feature flags of cdk.json (a test's App does not read it), placeholder
 * deployables under target/ (the real jars and Dockerfile belong to other modules), and each distinct context
 * synthesized once per test run, since a synth costs seconds.
 */
final class TestApps {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Path MODULE = RepositoryLayout.locate().root().resolve("infra-cdk");
    static final Path PLACEHOLDERS = MODULE.resolve("target/test-assets");

    /** The context every test app starts from: an organization, an alarm e-mail and placeholder assets. */
    static final Map<String, Object> BASE_CONTEXT = Map.of(
            "organizationId", "o-a1b2c3d4e5",
            "alarmEmail", "oncall@example.com",
            "ingestLambdaJar", PLACEHOLDERS.resolve("rollcall-ingest-lambda.jar").toString(),
            "queryLambdaJar", PLACEHOLDERS.resolve("rollcall-query-api.jar").toString(),
            "aggregateJobDirectory", PLACEHOLDERS.resolve("aggregate-batch-job").toString());

    private static final Map<Map<String, Object>, Synthesized> CACHE = new ConcurrentHashMap<>();

    /** One synthesized app with its stacks and their templates. */
    record Synthesized(App app, RollcallApp.Stacks stacks, Template central, Template member) {

        /** The logical id of {@code construct}'s CloudFormation resource (an L2's default child). */
        String logicalId(IConstruct construct) {
            IConstruct element = construct instanceof CfnElement ? construct : construct.getNode().getDefaultChild();
            return Stack.of(construct).getLogicalId((CfnElement) element);
        }
    }

    private TestApps() {
    }

    static Synthesized defaults() {
        return with(Map.of());
    }

    /** An app with {@link #BASE_CONTEXT} plus {@code overrides} (a null value removes a base key). */
    static Synthesized with(Map<String, Object> overrides) {
        Map<String, Object> context = new HashMap<>(BASE_CONTEXT);
        overrides.forEach((key, value) -> {
            if (value == null) {
                context.remove(key);
            } else {
                context.put(key, value);
            }
        });
        return CACHE.computeIfAbsent(Map.copyOf(context), TestApps::synthesize);
    }

    /** An unsynthesized App with the feature flags and {@code context}, for tests of invalid settings. */
    static App app(Map<String, Object> context) {
        writePlaceholders();
        Map<String, Object> all = new LinkedHashMap<>(featureFlags());
        all.putAll(context);
        try {
            // Under target/, so that a clean removes every synthesized app instead of each run leaving some in /tmp.
            Path outdirs = Files.createDirectories(MODULE.resolve("target/cdk-test-out"));
            return App.Builder.create()
                    .context(all)
                    .outdir(Files.createTempDirectory(outdirs, "app").toString())
                    .analyticsReporting(false)
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Synthesized synthesize(Map<String, Object> context) {
        App app = app(context);
        RollcallApp.Stacks stacks = RollcallApp.define(app, RepositoryLayout.locate());
        return new Synthesized(app, stacks, Template.fromStack(stacks.central()), Template.fromStack(stacks.member()));
    }

    static Map<String, Object> featureFlags() {
        try {
            Map<String, Object> cdkJson = JSON.readValue(MODULE.resolve("cdk.json").toFile(), new TypeReference<>() { });
            @SuppressWarnings("unchecked")
            Map<String, Object> flags = (Map<String, Object>) cdkJson.get("context");
            return flags;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Small stand-ins for the shaded jars and the job's Docker build context. */
    static synchronized void writePlaceholders() {
        try {
            Files.createDirectories(PLACEHOLDERS.resolve("aggregate-batch-job"));
            for (String jar : new String[] {"rollcall-ingest-lambda.jar", "rollcall-query-api.jar"}) {
                Path file = PLACEHOLDERS.resolve(jar);
                if (!Files.exists(file)) {
                    try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
                        zip.putNextEntry(new ZipEntry("placeholder.txt"));
                        zip.write("stands in for the shaded jar in infra-cdk tests".getBytes());
                        zip.closeEntry();
                    }
                }
            }
            Path dockerfile = PLACEHOLDERS.resolve("aggregate-batch-job/Dockerfile");
            if (!Files.exists(dockerfile)) {
                Files.writeString(dockerfile, "FROM public.ecr.aws/amazoncorretto/amazoncorretto:21\nCMD [\"--incremental\"]\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
