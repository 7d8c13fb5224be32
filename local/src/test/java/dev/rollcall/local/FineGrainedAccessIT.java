package dev.rollcall.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.rollcall.aggregate.AggregationJob;
import dev.rollcall.core.config.FunctionBudgets;
import dev.rollcall.core.normalize.EventNormalizer;
import dev.rollcall.core.store.IndexNames;
import dev.rollcall.core.store.IndexTemplateInstaller;
import dev.rollcall.core.store.OpenSearchClients;
import dev.rollcall.core.store.OpenSearchConfig;
import dev.rollcall.core.store.OpenSearchRoles;
import dev.rollcall.ingest.IngestConfig;
import dev.rollcall.ingest.IngestRuntime;
import dev.rollcall.ingest.SqsHandler;
import dev.rollcall.local.demo.AlertTrafficGenerator;
import dev.rollcall.local.demo.PayloadRenderer;
import dev.rollcall.local.demo.SimulatedEvent;
import dev.rollcall.query.QueryApi;
import dev.rollcall.query.QueryApiConfig;
import dev.rollcall.query.http.ApiRequest;
import dev.rollcall.query.http.ApiResponse;
import dev.rollcall.servers.AuthenticatingProxy;
import dev.rollcall.servers.LocalLambdaContext;
import dev.rollcall.servers.OpenSearchProcess;
import dev.rollcall.servers.SecuredOpenSearch;

/**
 * Rollcall's OpenSearch roles ({@link OpenSearchRoles}, which the stack installs) against a node with fine-grained
 * access control: installed and mapped by the stack's own setup function (infra-cdk/opensearch-setup/index.py, run as
 * CloudFormation invokes it), each component runs its whole path on a fresh domain as its own role only, and each
 * role is refused what its component must never do.
 * Every component reaches the node through an {@link AuthenticatingProxy} playing the domain's IAM front door, so
 * it runs unchanged, as the stack configures it.
 */
class FineGrainedAccessIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final IndexNames NAMES = IndexNames.defaults();
    private static final String ACCOUNT_ROLE = "arn:aws:iam::111122223333:role/";

    /** The IAM roles of the stack's components, and the OpenSearch role the setup maps each to. */
    private enum Component {
        INGEST(OpenSearchRoles.ingest(NAMES)), JOB(OpenSearchRoles.writer(NAMES)), QUERY(OpenSearchRoles.reader(NAMES));

        final String role;

        Component(String role) {
            this.role = role;
        }

        String user() {
            return "rollcall-" + name().toLowerCase(Locale.ROOT);
        }

        String iamRole() {
            return ACCOUNT_ROLE + user();
        }

        String password() {
            return "Access-" + name() + "-Test-42!";
        }
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static OpenSearchProcess node;
    private static final Map<Component, AuthenticatingProxy> PROXIES = new HashMap<>();
    /** The setup function's way in: it runs as the domain's master user. */
    private static AuthenticatingProxy setupProxy;
    private static final String SETUP_ROLE = ACCOUNT_ROLE + "rollcall-opensearch-setup";

    @BeforeAll
    static void secureDomain() throws Exception {
        node = SecuredOpenSearch.start();
        setupProxy = AuthenticatingProxy.start(node.uri(), SecuredOpenSearch.adminAuthorization());
        // Amazon OpenSearch Service predefines security_manager, to which the setup function adds the admin roles; the
        // open-source plugin does not. What it allows does not matter here (and only a certificate admin may grant it).
        assertThat(admin("PUT", "/_plugins/_security/api/roles/security_manager", Map.of("cluster_permissions",
                List.of("cluster_monitor"))).statusCode()).isIn(200, 201);
        // A deploy, then another one: the setup function is idempotent and keeps what others mapped to all_access.
        for (String requestType : List.of("Create", "Update")) {
            JsonNode response = runSetupFunction(requestType, OpenSearchRoles.definitions(NAMES));
            assertThat(response.path("Status").asText()).as(response.toString()).isEqualTo("SUCCESS");
        }
        for (Map.Entry<String, Map<String, Object>> role : OpenSearchRoles.definitions(NAMES).entrySet()) {
            JsonNode installed = JSON.readTree(admin("GET", "/_plugins/_security/api/roles/" + role.getKey(), null).body()).path(role.getKey());
            JsonNode wanted = JSON.valueToTree(role.getValue());
            assertThat(installed.path("cluster_permissions")).as(role.getKey()).isEqualTo(wanted.path("cluster_permissions"));
            assertThat(installed.path("index_permissions").size()).as(role.getKey()).isEqualTo(wanted.path("index_permissions").size());
            for (int i = 0; i < wanted.path("index_permissions").size(); i++) {
                for (String field : List.of("index_patterns", "allowed_actions")) {
                    assertThat(installed.path("index_permissions").get(i).path(field)).as(role.getKey() + " " + field)
                            .isEqualTo(wanted.path("index_permissions").get(i).path(field));
                }
            }
        }
        JsonNode allAccess = JSON.readTree(admin("GET", "/_plugins/_security/api/rolesmapping/all_access", null).body()).path("all_access");
        assertThat(allAccess.path("backend_roles").toString()).contains("\"admin\"", "\"" + SETUP_ROLE + "\"");
        for (Component component : Component.values()) {
            // The user Amazon OpenSearch Service makes of a request signed with that IAM role.
            HttpResponse<String> user = admin("PUT", "/_plugins/_security/api/internalusers/" + component.user(),
                    Map.of("password", component.password(), "backend_roles", List.of(component.iamRole())));
            assertThat(user.statusCode()).as(user.body()).isIn(200, 201);
            PROXIES.put(component, AuthenticatingProxy.start(node.uri(),
                    OpenSearchProcess.Security.basicAuthorization(component.user(), component.password()), FineGrainedAccessIT::asOlderNodeSortsIt));
        }
    }

    @AfterAll
    static void stop() {
        PROXIES.values().forEach(AuthenticatingProxy::close);
        if (setupProxy != null) {
            setupProxy.close();
        }
        if (node != null) {
            node.close();
        }
    }

    @Test
    void everyComponentDoesItsWholeJobOnAFreshDomainWithItsOwnRoleOnly() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        Instant start = now.minus(Duration.ofDays(2));
        List<SimulatedEvent> events = new AlertTrafficGenerator(new AlertTrafficGenerator.Settings(7, start, Duration.ofDays(2), 60)).events()
                .stream().filter(event -> PayloadRenderer.webhookSource(event) == null).toList();
        assertThat(events).hasSizeGreaterThan(50);

        // The query API first, as a fresh stack serves it before the first job ran: no rollup indices yet.
        QueryApi api = QueryApi.create(QueryApiConfig.local(OpenSearchConfig.fromEnvironment(environment(Component.QUERY))));
        ApiResponse before = api.handle(ApiRequest.get("/v1/rollups", Map.of("from", start.toString(), "to", now.toString())));
        assertThat(before.status()).as(before.body()).isEqualTo(200);
        // So is the hourly job, which may fire before the first event arrives.
        runJob("--incremental");

        Map<String, String> ingestEnv = environment(Component.INGEST);
        ingestEnv.put("ROLLCALL_OPENSEARCH_TIMEOUT_MS", Long.toString(FunctionBudgets.INGEST_OPENSEARCH_TIMEOUT.toMillis()));
        SqsHandler ingest = new SqsHandler(new IngestRuntime(IngestConfig.fromEnvironment(ingestEnv), EventNormalizer.withBundledRules(),
                Clock.systemUTC()));
        for (int from = 0; from < events.size(); from += 100) {
            SQSBatchResponse response = ingest.handleRequest(sqsEvent(events.subList(from, Math.min(from + 100, events.size())), now),
                    new LocalLambdaContext("rollcall-ingest-sqs", FunctionBudgets.SQS_INGEST_TIMEOUT, "us-east-1", "111122223333"));
            assertThat(response.getBatchItemFailures()).as("batch from %d", from).isEmpty();
        }
        admin("POST", "/" + NAMES.eventsPattern() + "/_refresh", null);
        assertThat(count(NAMES.eventsPattern())).isEqualTo(events.size());

        runJob("--from", start.toString(), "--to", now.toString());
        runJob("--incremental");

        ApiResponse daily = api.handle(ApiRequest.get("/v1/rollups", Map.of("from", start.truncatedTo(ChronoUnit.DAYS).toString(),
                "to", now.plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.DAYS).toString(), "group_by", "service", "metrics", "events")));
        assertThat(daily.status()).as(daily.body()).isEqualTo(200);
        long total = 0;
        for (JsonNode row : JSON.readTree(daily.body()).path("rows")) {
            total += row.path("events").asLong();
        }
        assertThat(total).as("events counted by the job and served by the API").isEqualTo(events.size());
        String range = "from=" + start.truncatedTo(ChronoUnit.DAYS) + "&to=" + now.plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.DAYS);
        for (String path : List.of("/v1/alerts/top?" + range, "/v1/oncall", "/v1/noise?" + range, "/v1/services", "/v1/health")) {
            URI uri = URI.create(path);
            Map<String, String> query = new HashMap<>();
            if (uri.getQuery() != null) {
                for (String pair : uri.getQuery().split("&")) {
                    query.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
                }
            }
            ApiResponse answer = api.handle(ApiRequest.get(uri.getPath(), query));
            assertThat(answer.status()).as(path + ": " + answer.body()).isEqualTo(200);
        }

        // A later deployment raises the replica count: the ingest functions' next start carries it to every index,
        // the job's and the API's included (their role may update those indices' settings, not write to them). The
        // redelivered batch it then ingests is stored once.
        Map<String, String> raised = new HashMap<>(ingestEnv);
        raised.put("ROLLCALL_INDEX_REPLICAS", "1");
        SqsHandler upgraded = new SqsHandler(new IngestRuntime(IngestConfig.fromEnvironment(raised), EventNormalizer.withBundledRules(),
                Clock.systemUTC()));
        SQSBatchResponse redelivered = upgraded.handleRequest(sqsEvent(events.subList(0, 10), now),
                new LocalLambdaContext("rollcall-ingest-sqs", FunctionBudgets.SQS_INGEST_TIMEOUT, "us-east-1", "111122223333"));
        assertThat(redelivered.getBatchItemFailures()).isEmpty();
        // An index that holds events whatever the day of the month (the newest event's month may not be now's).
        String eventsIndex = NAMES.eventsIndex(events.get(events.size() - 1).time());
        for (String index : List.of(NAMES.rollupsIndex("day"), NAMES.stateIndex(), eventsIndex)) {
            HttpResponse<String> settings = admin("GET", "/" + index + "/_settings/index.number_of_replicas", null);
            assertThat(JSON.readTree(settings.body()).findValue("number_of_replicas").asText()).as(index).isEqualTo("1");
        }
        admin("POST", "/" + NAMES.eventsPattern() + "/_refresh", null);
        assertThat(count(NAMES.eventsPattern())).isEqualTo(events.size());

        // A new release's job starts where an older release installed the templates: it brings them, and the indices
        // they made, up to its own (of the raw events, their mapping and settings only).
        for (String template : IndexTemplateInstaller.TEMPLATES) {
            String name = NAMES.prefix() + "-" + template;
            ObjectNode installed = (ObjectNode) JSON.readTree(admin("GET", "/_index_template/" + name, null).body())
                    .path("index_templates").get(0).path("index_template");
            installed.put("version", installed.path("version").asInt() - 1);
            assertThat(admin("PUT", "/_index_template/" + name, installed).statusCode()).isEqualTo(200);
        }
        Map<String, String> newRelease = environment(Component.JOB);
        newRelease.put("ROLLCALL_INDEX_REPLICAS", "1");
        runJob(newRelease, "--incremental");
        IndexTemplateInstaller current = new IndexTemplateInstaller(OpenSearchClients.create(OpenSearchConfig.local(node.uri(), NAMES.prefix())), NAMES, 1);
        for (String template : IndexTemplateInstaller.TEMPLATES) {
            JsonNode installed = JSON.readTree(admin("GET", "/_index_template/" + NAMES.prefix() + "-" + template, null).body())
                    .path("index_templates").get(0).path("index_template");
            assertThat(installed.path("version").asInt()).as(template).isEqualTo(current.templateBody(template).path("version").asInt());
        }
    }

    /** A role the node refuses fails the deploy at once, naming the request, rather than after minutes of retries. */
    @Test
    void theSetupFunctionFailsTheDeployAtOnceOnARoleTheNodeRefuses() throws Exception {
        Instant started = Instant.now();
        JsonNode response = runSetupFunction("Update", Map.of("rollcall_broken", Map.of("cluster_permissions", "cluster_monitor")));
        assertThat(response.path("Status").asText()).isEqualTo("FAILED");
        assertThat(response.path("Reason").asText()).contains("PUT /_plugins/_security/api/roles/rollcall_broken answered 400");
        assertThat(Duration.between(started, Instant.now())).isLessThan(Duration.ofSeconds(60));
    }

    /**
     * Runs infra-cdk/opensearch-setup/index.py's handler as CloudFormation invokes it, with the properties the stack
     * gives it (the roles, each mapped to its components' IAM roles, the setup role as admin; no ISM policy: the node
     * has no index-management plugin), and answers what it sent back to CloudFormation.
     */
    private static JsonNode runSetupFunction(String requestType, Map<String, ?> roles) throws Exception {
        Map<String, List<String>> mappings = new LinkedHashMap<>();
        for (Component component : Component.values()) {
            mappings.put(component.role, List.of(component.iamRole()));
        }
        Map<String, String> properties = Map.of(
                "ServiceToken", "arn:aws:lambda:us-east-1:111122223333:function:rollcall-opensearch-setup",
                "Endpoint", setupProxy.uri().toString(),
                "SecurityRoles", JSON.writeValueAsString(roles),
                "RoleMappings", JSON.writeValueAsString(mappings),
                "AdminRoleArns", JSON.writeValueAsString(List.of(SETUP_ROLE)),
                "IsmPolicies", "{}");
        CompletableFuture<String> answered = new CompletableFuture<>();
        HttpServer cloudFormation = HttpServer.create(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        cloudFormation.createContext("/", exchange -> {
            answered.complete(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        cloudFormation.start();
        Path event = Files.createTempFile("cfn-event", ".json");
        try {
            Map<String, Object> request = new HashMap<>(Map.of(
                    "RequestType", requestType,
                    "ResponseURL", "http://127.0.0.1:" + cloudFormation.getAddress().getPort() + "/response",
                    "StackId", "arn:aws:cloudformation:us-east-1:111122223333:stack/Rollcall/1",
                    "RequestId", UUID.randomUUID().toString(),
                    "LogicalResourceId", "SearchAccessAndLifecycle",
                    "ResourceType", "Custom::RollcallOpenSearchSetup",
                    "ResourceProperties", properties));
            if (!requestType.equals("Create")) {
                request.put("PhysicalResourceId", "rollcall-opensearch-setup");
            }
            JSON.writeValue(event.toFile(), request);
            Path root = Path.of(System.getProperty("rollcall.root", System.getProperty("user.dir")));
            Path runner = Path.of(FineGrainedAccessIT.class.getResource("run-opensearch-setup.py").toURI());
            ProcessBuilder python = new ProcessBuilder(python3(), runner.toString(),
                    root.resolve("infra-cdk/opensearch-setup/index.py").toString(), event.toString()).redirectErrorStream(true);
            python.environment().put("AWS_REGION", "us-east-1");
            Process process = python.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor()).as(output).isZero();
            return JSON.readTree(answered.get(5, TimeUnit.SECONDS));
        } finally {
            cloudFormation.stop(0);
            Files.deleteIfExists(event);
        }
    }

    /** The setup function is Python; the machines that build Rollcall have python3 on their PATH. */
    private static String python3() {
        return Arrays.stream(System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator))
                .map(folder -> Path.of(folder, "python3")).filter(Files::isExecutable).findFirst()
                .map(Path::toString)
                .orElseThrow(() -> new IllegalStateException("FineGrainedAccessIT runs the OpenSearch setup function with python3, which is not on PATH"));
    }

    private static void runJob(String... arguments) {
        runJob(environment(Component.JOB), arguments);
    }

    private static void runJob(Map<String, String> env, String... arguments) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = AggregationJob.run(arguments, env, Clock.systemUTC(),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(out, true, StandardCharsets.UTF_8));
        assertThat(exit).as(out.toString(StandardCharsets.UTF_8)).isZero();
    }

    static Stream<Arguments> refusals() {
        String rollups = NAMES.rollupsIndex("day");
        String event = "/" + NAMES.eventsPattern().replace("*", "2026.01") + "/_doc/refused";
        return Stream.of(
                // The ingest functions parse the least trusted input: no rollup, no job state, no deletion of what the API serves.
                Arguments.of(Component.INGEST, "DELETE", "/" + rollups, null),
                Arguments.of(Component.INGEST, "PUT", "/" + rollups + "/_doc/forged", Map.of("events", 1)),
                Arguments.of(Component.INGEST, "PUT", "/" + NAMES.stateIndex() + "/_doc/watermark", Map.of("at", "2000-01-01T00:00:00Z")),
                Arguments.of(Component.INGEST, "POST", "/" + rollups + "/_delete_by_query", Map.of("query", Map.of("match_all", Map.of()))),
                Arguments.of(Component.INGEST, "PUT", "/other-index/_doc/1", Map.of("a", 1)),
                // Of the raw events: no delete, no close, no reading them back. Overwriting one by id stays possible:
                // indexing and replacing a document are one action (Rollcall itself only ever sends create).
                Arguments.of(Component.INGEST, "DELETE", event, null),
                Arguments.of(Component.INGEST, "POST", "/" + NAMES.eventsPattern() + "/_delete_by_query", Map.of("query", Map.of("match_all", Map.of()))),
                Arguments.of(Component.INGEST, "POST", event.substring(0, event.indexOf("/_doc")) + "/_close", null),
                Arguments.of(Component.INGEST, "DELETE", event.substring(0, event.indexOf("/_doc")), null),
                Arguments.of(Component.INGEST, "POST", "/" + NAMES.eventsPattern() + "/_search", Map.of("size", 1)),
                Arguments.of(Component.INGEST, "GET", "/_plugins/_security/api/roles", null),
                // No use for legacy templates: Rollcall installs composable ones only (which the role still may).
                Arguments.of(Component.INGEST, "PUT", "/_template/forged", Map.of("index_patterns", List.of("*"), "order", 100)),
                // The query API reads rollups and the job's state, never the raw events, and writes nothing.
                Arguments.of(Component.QUERY, "POST", "/" + NAMES.eventsPattern() + "/_search", Map.of("size", 1)),
                Arguments.of(Component.QUERY, "PUT", event, Map.of("a", 1)),
                Arguments.of(Component.QUERY, "PUT", "/" + rollups + "/_doc/forged", Map.of("events", 1)),
                Arguments.of(Component.QUERY, "DELETE", "/" + rollups, null),
                Arguments.of(Component.QUERY, "PUT", "/_index_template/forged", Map.of("index_patterns", List.of("forged-*"))),
                // The job reads the raw events and never changes them; of the rest it owns Rollcall's indices only.
                Arguments.of(Component.JOB, "DELETE", event, null),
                Arguments.of(Component.JOB, "PUT", event, Map.of("a", 1)),
                Arguments.of(Component.JOB, "POST", "/" + NAMES.eventsPattern() + "/_delete_by_query", Map.of("query", Map.of("match_all", Map.of()))),
                Arguments.of(Component.JOB, "DELETE", event.substring(0, event.indexOf("/_doc")), null),
                Arguments.of(Component.JOB, "PUT", "/other-index/_doc/1", Map.of("a", 1)),
                Arguments.of(Component.JOB, "GET", "/_plugins/_security/api/roles", null),
                Arguments.of(Component.JOB, "PUT", "/_template/forged", Map.of("index_patterns", List.of("*"), "order", 100)),
                Arguments.of(Component.JOB, "PUT", "/_cluster/settings", Map.of("persistent", Map.of("cluster.routing.allocation.enable", "none"))));
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("refusals")
    void eachRoleIsRefusedWhatItsComponentMustNeverDo(Component component, String method, String path, Object body) throws Exception {
        HttpResponse<String> answer = send(PROXIES.get(component).uri(), null, method, path, body);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(403);
    }

    /**
     * The job pages through events sorted by {@code _shard_doc}, which this 2.x node (see {@link SecuredOpenSearch})
     * does not know. Within one point-in-time over single-shard monthly indices, events of one {@code occurred_at}
     * all lie in one shard, where {@code _doc} orders them as uniquely; the permissions the search needs are the same.
     */
    private static byte[] asOlderNodeSortsIt(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        return text.contains("\"_shard_doc\"") ? text.replace("\"_shard_doc\"", "\"_doc\"").getBytes(StandardCharsets.UTF_8) : body;
    }

    private static Map<String, String> environment(Component component) {
        Map<String, String> env = new HashMap<>();
        env.put("ROLLCALL_OPENSEARCH_ENDPOINT", PROXIES.get(component).uri().toString());
        env.put("ROLLCALL_OPENSEARCH_AUTH", "none");
        env.put("ROLLCALL_INDEX_REPLICAS", "0");
        env.put("AWS_REGION", "us-east-1");
        return env;
    }

    /** The SQS event as Lambda's event source mapping sends it, read by the Lambda runtime's own serializer. */
    private static SQSEvent sqsEvent(List<SimulatedEvent> events, Instant sent) {
        ObjectNode event = JSON.createObjectNode();
        var records = event.putArray("Records");
        for (SimulatedEvent simulated : events) {
            ObjectNode message = records.addObject();
            message.put("messageId", simulated.id()).put("receiptHandle", "handle-" + simulated.id())
                    .put("body", PayloadRenderer.render(simulated));
            message.putObject("attributes").put("ApproximateReceiveCount", "1").put("SentTimestamp", Long.toString(sent.toEpochMilli()))
                    .put("SenderId", "AROAEXAMPLE").put("ApproximateFirstReceiveTimestamp", Long.toString(sent.toEpochMilli()));
            message.putObject("messageAttributes");
            message.put("md5OfBody", "unchecked").put("eventSource", "aws:sqs")
                    .put("eventSourceARN", "arn:aws:sqs:us-east-1:111122223333:rollcall-ingest").put("awsRegion", "us-east-1");
        }
        return LambdaEventSerializers.serializerFor(SQSEvent.class, FineGrainedAccessIT.class.getClassLoader()).fromJson(event.toString());
    }

    private static long count(String index) throws Exception {
        HttpResponse<String> answer = admin("GET", "/" + index + "/_count", null);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body()).path("count").asLong();
    }

    private static HttpResponse<String> admin(String method, String path, Object body) throws Exception {
        return send(node.uri(), SecuredOpenSearch.adminAuthorization(), method, path, body);
    }

    private static HttpResponse<String> send(URI base, String authorization, String method, String path, Object body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .header("Content-Type", "application/json");
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
