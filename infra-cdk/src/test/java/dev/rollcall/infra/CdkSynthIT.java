package dev.rollcall.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.rollcall.core.routing.EventPatterns;
import dev.rollcall.core.routing.EventPatterns.NamedPattern;

/**
 * `cdk synth` through the aws-cdk CLI pinned in package.json (installed by the build into node_modules), offline,
 * then checks of what it wrote to cdk.out. The CLI reads cdk.json (feature flags); the app command is pointed at
 * this test's class path, because cdk.json's Maven command resolves rollcall-core from the local repository,
 * which a `verify` build has not installed yet.
 */
class CdkSynthIT {

    private static final Path MODULE = TestApps.MODULE;
    private static final Path OUT = MODULE.resolve("cdk.out");

    private static String output;
    /** Whether the synth used the reactor's real Lambda jars rather than stand-ins. */
    private static boolean realJars;
    private static Duration took;
    private static JsonNode central;
    private static JsonNode member;

    @BeforeAll
    static void synth() throws Exception {
        List<String> command = new ArrayList<>(List.of("npx", "--no", "cdk", "synth", "--no-notices", "--quiet",
                "--app", appCommand(), "-c", "organizationId=o-a1b2c3d4e5"));
        // The real deployables when the reactor has built them; stand-ins otherwise (the job's Dockerfile belongs
        // to another module and may not exist yet).
        TestApps.writePlaceholders();
        RepositoryLayout repo = RepositoryLayout.locate();
        realJars = Files.isRegularFile(repo.resolve(repo.defaultIngestLambdaJar())) && Files.isRegularFile(repo.resolve(repo.defaultQueryLambdaJar()));
        if (!Files.isRegularFile(repo.resolve(repo.defaultIngestLambdaJar()))) {
            command.addAll(List.of("-c", "ingestLambdaJar=" + TestApps.BASE_CONTEXT.get("ingestLambdaJar")));
        }
        if (!Files.isRegularFile(repo.resolve(repo.defaultQueryLambdaJar()))) {
            command.addAll(List.of("-c", "queryLambdaJar=" + TestApps.BASE_CONTEXT.get("queryLambdaJar")));
        }
        if (!Files.isRegularFile(repo.resolve(repo.defaultAggregateJobDirectory()).resolve("Dockerfile"))) {
            command.addAll(List.of("-c", "aggregateJobDirectory=" + TestApps.BASE_CONTEXT.get("aggregateJobDirectory")));
        }
        deleteRecursively(OUT); // the CLI keeps assets of earlier runs; check only what this synth wrote
        ProcessBuilder builder = new ProcessBuilder(command).directory(MODULE.toFile()).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.put("CDK_DISABLE_VERSION_CHECK", "true");
        env.put("CDK_DISABLE_CLI_TELEMETRY", "true");
        env.put("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20");
        // Offline and account-less, as on a build machine: the stacks are environment-agnostic anyway.
        env.remove("AWS_PROFILE");
        env.put("AWS_REGION", "us-east-1");

        long start = System.nanoTime();
        Process process = builder.start();
        byte[] bytes = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("cdk synth finished").isTrue();
        took = Duration.ofNanos(System.nanoTime() - start);
        output = new String(bytes, StandardCharsets.UTF_8);
        System.out.printf("cdk synth took %.1f s%n", took.toMillis() / 1000.0);
        assertThat(process.exitValue()).as("cdk synth exit code; output:%n%s", output).isZero();

        central = TestApps.JSON.readTree(OUT.resolve(RollcallApp.CENTRAL_STACK + ".template.json").toFile());
        member = TestApps.JSON.readTree(OUT.resolve(RollcallApp.MEMBER_STACK + ".template.json").toFile());
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }

    private static String appCommand() {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return quote(java) + " -Drollcall.root=" + quote(RepositoryLayout.locate().root().toString())
                + " -cp " + quote(classPath) + " " + RollcallApp.class.getName();
    }

    private static String quote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }

    @Test
    void cdkJsonRunsTheAppThroughTheExecPluginByItsFullCoordinates() throws IOException {
        JsonNode cdkJson = TestApps.JSON.readTree(MODULE.resolve("cdk.json").toFile());
        assertThat(cdkJson.path("app").asText()).contains("org.codehaus.mojo:exec-maven-plugin:3.6.3:java");
        assertThat(cdkJson.path("context").size()).isGreaterThan(10);
    }

    @Test
    void theCliIsThePinnedVersion() throws IOException {
        JsonNode installed = TestApps.JSON.readTree(MODULE.resolve("node_modules/aws-cdk/package.json").toFile());
        JsonNode pinned = TestApps.JSON.readTree(MODULE.resolve("package.json").toFile());
        assertThat(installed.path("version").asText()).isEqualTo("2.1148.1")
                .isEqualTo(pinned.path("devDependencies").path("aws-cdk").asText());
    }

    @Test
    void bothStacksAreSynthesizedWithTheirAssets() throws IOException {
        JsonNode manifest = TestApps.JSON.readTree(OUT.resolve("manifest.json").toFile());
        assertThat(manifest.path("artifacts").has(RollcallApp.CENTRAL_STACK)).isTrue();
        assertThat(manifest.path("artifacts").has(RollcallApp.MEMBER_STACK)).isTrue();

        JsonNode assets = TestApps.JSON.readTree(OUT.resolve(RollcallApp.CENTRAL_STACK + ".assets.json").toFile());
        assertThat(assets.path("dockerImages").size()).as("the aggregation job image").isEqualTo(1);
        List<String> jars = new ArrayList<>();
        assets.path("files").forEach(file -> jars.add(file.path("source").path("path").asText()));
        assertThat(jars).anyMatch(path -> path.endsWith(".jar"));
        assertThat(OUT.resolve(RollcallApp.MEMBER_STACK + ".assets.json")).doesNotExist();
    }

    /** Lambda finds a handler only by the name in the template: each must be a class of the jar it deploys. */
    @Test
    void everyJavaFunctionsHandlerIsAClassOfTheJarItDeploys() throws Exception {
        Assumptions.assumeTrue(realJars, "the reactor has not built the Lambda jars; the synth used stand-ins");
        List<String> handlers = new ArrayList<>();
        for (JsonNode resource : central.path("Resources")) {
            JsonNode properties = resource.path("Properties");
            if (!resource.path("Type").asText().equals("AWS::Lambda::Function") || !properties.path("Runtime").asText().startsWith("java")) {
                continue;
            }
            String handler = properties.path("Handler").asText();
            Path jar = OUT.resolve(resource.path("Metadata").path("aws:asset:path").asText());
            try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
                Class<?> type = Class.forName(handler.substring(0, handler.indexOf("::")), false, loader);
                assertThat(Arrays.stream(type.getMethods()).map(Method::getName)).as(handler).contains(handler.substring(handler.indexOf("::") + 2));
                assertThat(type.getConstructor()).as("Lambda's no-argument constructor of %s", handler).isNotNull();
            }
            handlers.add(handler);
        }
        assertThat(handlers).containsExactlyInAnyOrder(IngestConstruct.EVENTBRIDGE_HANDLER, IngestConstruct.SQS_HANDLER,
                IngestConstruct.WEBHOOK_HANDLER, ApiConstruct.QUERY_HANDLER);
    }

    /**
     * The configuration each deployable reads at init, built by its own {@code fromEnvironment} from its jar with the
     * environment the stack gives it (CloudFormation references replaced by values of their shape): a variable the
     * stack misnames or a value the runtime cannot parse fails here, not at the first invocation in AWS.
     */
    @Test
    void everyDeployableAcceptsTheEnvironmentTheStackGivesIt() throws Exception {
        Assumptions.assumeTrue(realJars, "the reactor has not built the Lambda jars; the synth used stand-ins");
        Map<String, String> configOf = Map.of(
                IngestConstruct.EVENTBRIDGE_HANDLER, "dev.rollcall.ingest.IngestConfig",
                IngestConstruct.SQS_HANDLER, "dev.rollcall.ingest.IngestConfig",
                IngestConstruct.WEBHOOK_HANDLER, "dev.rollcall.ingest.webhook.WebhookConfig",
                ApiConstruct.QUERY_HANDLER, "dev.rollcall.query.QueryApiConfig");
        int checked = 0;
        for (JsonNode resource : central.path("Resources")) {
            JsonNode properties = resource.path("Properties");
            if (resource.path("Type").asText().equals("AWS::Lambda::Function") && configOf.containsKey(properties.path("Handler").asText())) {
                Map<String, String> env = new HashMap<>();
                properties.path("Environment").path("Variables").properties().forEach(e -> env.put(e.getKey(), value(e.getValue())));
                env.put("AWS_REGION", "us-east-1"); // set by Lambda
                Path jar = OUT.resolve(resource.path("Metadata").path("aws:asset:path").asText());
                fromEnvironment(jar, configOf.get(properties.path("Handler").asText()), env);
                checked++;
            }
        }
        assertThat(checked).isEqualTo(4);

        Path jobJar = RepositoryLayout.locate().resolve("aggregate-batch-job/target/rollcall-aggregate-batch-job.jar");
        Assumptions.assumeTrue(Files.isRegularFile(jobJar), "the reactor has not built the job's jar");
        JsonNode container = only(central, "AWS::Batch::JobDefinition").path("ContainerProperties");
        Map<String, String> env = new HashMap<>();
        container.path("Environment").forEach(variable -> env.put(variable.path("Name").asText(), value(variable.path("Value"))));
        env.put("AWS_BATCH_JOB_ID", "2f1a7a9e-0000-4000-8000-000000000000"); // set by Batch
        fromEnvironment(jobJar, "dev.rollcall.aggregate.JobConfig", env);
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jobJar.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
            Method parse = Class.forName("dev.rollcall.aggregate.JobArguments", true, loader).getMethod("parse", String[].class);
            for (List<String> command : List.of(AggregationConstruct.HOURLY_COMMAND, AggregationConstruct.DAILY_COMMAND)) {
                parse.invoke(null, (Object) command.toArray(String[]::new));
            }
        }
    }

    /**
     * Each function's handler started as Lambda starts it, by its no-argument constructor in a JVM of its own holding
     * only its jar, with the environment the stack gives it and Lambda's own variables: the clients it builds at init
     * (OpenSearch, SQS, Secrets Manager, Batch) find their HTTP client, logging and region in the jar as deployed.
     */
    @Test
    void everyFunctionStartsFromItsJarAloneWithTheStacksEnvironment() throws Exception {
        Assumptions.assumeTrue(realJars, "the reactor has not built the Lambda jars; the synth used stand-ins");
        Path launcher = MODULE.resolve("src/test/resources/handler-start/HandlerStart.java");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> started = new ArrayList<>();
        for (JsonNode resource : central.path("Resources")) {
            JsonNode properties = resource.path("Properties");
            String handler = properties.path("Handler").asText();
            if (!resource.path("Type").asText().equals("AWS::Lambda::Function") || !handler.startsWith("dev.rollcall.")) {
                continue;
            }
            Path jar = OUT.resolve(resource.path("Metadata").path("aws:asset:path").asText());
            Path output = Files.createTempFile(MODULE.resolve("target"), "handler-start", ".log");
            ProcessBuilder builder = new ProcessBuilder(java, "-cp", jar.toString(), launcher.toString(), handler.substring(0, handler.indexOf("::")))
                    .redirectErrorStream(true).redirectOutput(output.toFile());
            Map<String, String> env = builder.environment();
            env.clear();
            properties.path("Environment").path("Variables").properties().forEach(e -> env.put(e.getKey(), value(e.getValue())));
            // What Lambda sets; credentials of the shape its role gives, never used: nothing is called at init.
            env.putAll(Map.of("AWS_REGION", "us-east-1", "AWS_DEFAULT_REGION", "us-east-1",
                    "AWS_LAMBDA_FUNCTION_NAME", properties.path("FunctionName").asText("rollcall-function"),
                    "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", properties.path("MemorySize").asText("1024"),
                    "AWS_ACCESS_KEY_ID", "ASIAEXAMPLEEXAMPLE", "AWS_SECRET_ACCESS_KEY", "example", "AWS_SESSION_TOKEN", "example",
                    "PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin")));
            Process process = builder.start();
            // To a file, so that a handler that never returns is stopped at the limit rather than hanging the build.
            boolean exited = process.waitFor(60, TimeUnit.SECONDS);
            if (!exited) {
                process.destroyForcibly().waitFor();
            }
            String out = Files.readString(output);
            assertThat(exited).as(handler + " started within a minute:\n" + out).isTrue();
            assertThat(process.exitValue()).as(handler + " from " + jar + ":\n" + out).isZero();
            assertThat(out).as(handler).contains("started " + handler.substring(0, handler.indexOf("::")));
            started.add(handler);
        }
        assertThat(started).containsExactlyInAnyOrder(IngestConstruct.EVENTBRIDGE_HANDLER, IngestConstruct.SQS_HANDLER,
                IngestConstruct.WEBHOOK_HANDLER, ApiConstruct.QUERY_HANDLER);
    }

    private static void fromEnvironment(Path jar, String configClass, Map<String, String> env) throws Exception {
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
            Method read = Class.forName(configClass, true, loader).getMethod("fromEnvironment", Map.class);
            try {
                assertThat(read.invoke(null, env)).as(configClass).isNotNull();
            } catch (InvocationTargetException e) {
                throw new AssertionError(configClass + " refused the stack's environment " + env + ": " + e.getCause(), e.getCause());
            }
        }
    }

    /** A template value with its references replaced by values of the shape CloudFormation gives them. */
    private static String value(JsonNode node) {
        if (node.isTextual()) {
            return node.asText();
        }
        if (node.has("Fn::Join")) {
            StringBuilder joined = new StringBuilder();
            JsonNode parts = node.path("Fn::Join").get(1);
            for (int i = 0; i < parts.size(); i++) {
                joined.append(i == 0 ? "" : node.path("Fn::Join").get(0).asText()).append(value(parts.get(i)));
            }
            return joined.toString();
        }
        if (node.has("Fn::GetAtt")) {
            String logicalId = node.path("Fn::GetAtt").get(0).asText();
            return switch (node.path("Fn::GetAtt").get(1).asText()) {
                case "DomainEndpoint" -> "vpc-rollcall-abc123.us-east-1.es.amazonaws.com";
                case "JobQueueArn" -> "arn:aws:batch:us-east-1:123456789012:job-queue/" + logicalId;
                default -> "arn:aws:iam::123456789012:role/" + logicalId;
            };
        }
        if (node.has("Ref")) {
            String ref = node.path("Ref").asText();
            if (ref.startsWith("AWS::")) {
                return ref.equals("AWS::Region") ? "us-east-1" : "123456789012";
            }
            return switch (central.path("Resources").path(ref).path("Type").asText()) {
                case "AWS::SQS::Queue" -> "https://sqs.us-east-1.amazonaws.com/123456789012/" + ref;
                case "AWS::SecretsManager::Secret" -> "arn:aws:secretsmanager:us-east-1:123456789012:secret:" + ref + "-AbCdEf";
                case "AWS::Batch::JobDefinition" -> "arn:aws:batch:us-east-1:123456789012:job-definition/" + ref + ":1";
                default -> "arn:aws:logs:us-east-1:123456789012:log-group:" + ref;
            };
        }
        throw new AssertionError("no stand-in for " + node);
    }

    @Test
    void centralTemplateHasTheWholePipeline() {
        Map<String, Integer> expected = Map.of(
                "AWS::OpenSearchService::Domain", 1,
                "AWS::Events::EventBus", 1,
                "AWS::Events::Rule", EventPatterns.all().size() + 1,
                "AWS::SQS::Queue", 3,
                "AWS::Lambda::Alias", 4,
                "AWS::Batch::JobDefinition", 1,
                "AWS::Scheduler::Schedule", 2,
                "AWS::ApiGatewayV2::Api", 1,
                "Custom::RollcallOpenSearchSetup", 1);
        expected.forEach((type, count) -> assertThat(count(central, type)).as(type).isEqualTo(count));
        assertThat(central.path("Outputs").fieldNames()).toIterable().contains("ApiUrl", "EventBusArn", "IngestQueueUrl");

        JsonNode domain = only(central, "AWS::OpenSearchService::Domain");
        assertThat(domain.path("EncryptionAtRestOptions").path("Enabled").asBoolean()).isTrue();
        assertThat(domain.path("NodeToNodeEncryptionOptions").path("Enabled").asBoolean()).isTrue();
        assertThat(domain.path("DomainEndpointOptions").path("EnforceHTTPS").asBoolean()).isTrue();
        assertThat(domain.path("AdvancedSecurityOptions").path("Enabled").asBoolean()).isTrue();
    }

    @Test
    void rulesCarryTheSharedPatternsVerbatim() throws IOException {
        List<JsonNode> patterns = new ArrayList<>();
        central.path("Resources").forEach(resource -> {
            if (resource.path("Type").asText().equals("AWS::Events::Rule")) {
                patterns.add(resource.path("Properties").path("EventPattern"));
            }
        });
        String jobQueue = central.path("Resources").properties().stream()
                .filter(resource -> resource.getValue().path("Type").asText().equals("AWS::Batch::JobQueue"))
                .map(Map.Entry::getKey).findFirst().orElseThrow();
        for (NamedPattern pattern : EventPatterns.all()) {
            JsonNode expected = TestApps.JSON.readTree(pattern.patternJson());
            if (pattern.name().equals(AggregationConstruct.BATCH_FAILURE_PATTERN)) {
                // On the central bus, all but Rollcall's own jobs, which its failure rule takes (CentralStackTest).
                ((com.fasterxml.jackson.databind.node.ObjectNode) expected.path("detail")).set("jobQueue", TestApps.JSON.readTree(
                        "[{\"anything-but\":[{\"Fn::GetAtt\":[\"" + jobQueue + "\",\"JobQueueArn\"]}]}]"));
            }
            assertThat(patterns).as(pattern.name()).contains(expected);
        }
        List<JsonNode> forwarded = new ArrayList<>();
        member.path("Resources").forEach(resource -> {
            if (resource.path("Type").asText().equals("AWS::Events::Rule")) {
                forwarded.add(resource.path("Properties").path("EventPattern"));
            }
        });
        for (NamedPattern pattern : EventPatterns.awsSources()) {
            assertThat(forwarded).as("forwarded: " + pattern.name()).contains(TestApps.JSON.readTree(pattern.patternJson()));
        }
        assertThat(forwarded).hasSize(EventPatterns.awsSources().size());
    }

    @Test
    void cdkNagReportsNothingUnsuppressed() throws IOException {
        for (String stack : List.of(RollcallApp.CENTRAL_STACK, RollcallApp.MEMBER_STACK)) {
            Path report = OUT.resolve("AwsSolutions-" + stack + "-NagReport.csv");
            assertThat(report).exists();
            List<String> nonCompliant = Files.readAllLines(report).stream().filter(line -> line.contains("Non-Compliant")).toList();
            assertThat(nonCompliant).as(stack).isEmpty();
        }
        assertThat(output).doesNotContain("AwsSolutions-");
    }

    @Test
    void openSearchSetupScriptIsValidPython() throws Exception {
        // Wherever the machine keeps it: a fixed /usr/bin skipped this check on images that install it elsewhere.
        File python = java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator))
                .map(folder -> new File(folder, "python3")).filter(File::canExecute).findFirst().orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(python != null, "python3 is not on PATH");
        Process process = new ProcessBuilder(python.getPath(), "-c",
                "import ast, sys; ast.parse(open(sys.argv[1]).read())",
                MODULE.resolve("opensearch-setup/index.py").toString()).redirectErrorStream(true).start();
        String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(text).isZero();
    }

    private static int count(JsonNode template, String type) {
        int count = 0;
        for (JsonNode resource : template.path("Resources")) {
            if (resource.path("Type").asText().equals(type)) {
                count++;
            }
        }
        return count;
    }

    private static JsonNode only(JsonNode template, String type) {
        for (JsonNode resource : template.path("Resources")) {
            if (resource.path("Type").asText().equals(type)) {
                return resource.path("Properties");
            }
        }
        throw new AssertionError("no " + type);
    }
}
