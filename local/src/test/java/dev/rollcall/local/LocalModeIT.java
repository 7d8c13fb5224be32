package dev.rollcall.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import dev.rollcall.core.alert.AlertJson;
import dev.rollcall.core.store.RollupsChange;
import dev.rollcall.servers.ElasticMqServer;
import dev.rollcall.servers.junit.TestOpenSearch;

/**
 * Local mode end to end, started as its own JVM: events through every door with the AWS SDKs pointed at it, the
 * answers checked in its OpenSearch; then SIGTERM must leave no process behind, and a second start keeps the data.
 */
class LocalModeIT {

    private static final StaticCredentialsProvider CREDENTIALS = StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** When the test's events happened: an hour ago, so they fall in today's or yesterday's rollups. */
    static final Instant AT = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MINUTES).minusSeconds(3600);
    static final LocalDate DAY = AT.atZone(ZoneOffset.UTC).toLocalDate();

    static String sampleDetail(String alarmName) throws IOException {
        return ((ObjectNode) AlertJson.readTree(eventBridgeEvent("unused", alarmName))).get("detail").toString();
    }

    /** The published CloudWatch sample, with a new id, alarm name and times. */
    static String eventBridgeEvent(String id, String alarmName) throws IOException {
        try (InputStream in = LocalModeIT.class.getResourceAsStream("/cloudwatch-alarm-state-change.json")) {
            ObjectNode event = (ObjectNode) AlertJson.readTree(in.readAllBytes());
            event.put("id", id);
            event.put("time", AT.toString());
            ObjectNode detail = (ObjectNode) event.get("detail");
            detail.put("alarmName", alarmName);
            ((ObjectNode) detail.get("state")).put("timestamp", AT.toString());
            return event.toString();
        }
    }

    /** A firing Alertmanager webhook payload with one alert. */
    static String alertmanagerAlert(String alertName) {
        return "{\"receiver\":\"rollcall\",\"status\":\"firing\",\"alerts\":[{\"status\":\"firing\",\"labels\":{\"alertname\":\""
                + alertName + "\",\"service\":\"checkout\"},\"startsAt\":\"" + AT + "\",\"fingerprint\":\"abc123\"}]}";
    }

    /** A data directory in {@code temp} that OpenSearch can enter when the build runs as root and it runs as nobody. */
    static Path dataDirUnder(Path temp) throws IOException {
        Path data = temp.resolve("data");
        Files.createDirectories(data);
        data.toFile().setExecutable(true, false);
        temp.toFile().setExecutable(true, false);
        return data;
    }

    static SqsClient sqsClient(URI endpoint) {
        return SqsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1).credentialsProvider(CREDENTIALS)
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    static EventBridgeClient eventBridgeClient(URI endpoint) {
        return EventBridgeClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1).credentialsProvider(CREDENTIALS)
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    /**
     * The ingest queue moves a message to its DLQ after as many receives as the CDK stack's queue does, each receive a
     * failed attempt: its visibility timeout is the stack's formula over the local function's 60 s timeout and 1 s
     * batching window, so a batch waiting out an OpenSearch outage is not received again meanwhile.
     */
    static void assertRedrivesAsTheStackDoes(SqsClient sqs) {
        String queue = sqs.getQueueUrl(b -> b.queueName(LocalConfig.QUEUE)).queueUrl();
        String dlq = sqs.getQueueUrl(b -> b.queueName(LocalConfig.DEAD_LETTER_QUEUE)).queueUrl();
        String dlqArn = sqs.getQueueAttributes(b -> b.queueUrl(dlq).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        JsonNode redrive = AlertJson.readTree(sqs.getQueueAttributes(b -> b.queueUrl(queue).attributeNames(QueueAttributeName.REDRIVE_POLICY))
                .attributes().get(QueueAttributeName.REDRIVE_POLICY));
        assertThat(redrive.path("deadLetterTargetArn").asText()).isEqualTo(dlqArn);
        assertThat(redrive.path("maxReceiveCount").asInt()).isEqualTo(LocalConfig.MAX_RECEIVE_COUNT);
        assertThat(sqs.getQueueAttributes(b -> b.queueUrl(queue).attributeNames(QueueAttributeName.VISIBILITY_TIMEOUT))
                .attributes().get(QueueAttributeName.VISIBILITY_TIMEOUT)).isEqualTo("361");
    }

    /**
     * The queues take messages as large as the stack's do, or an SQS endpoint enforcing the 256 KiB default refuses a
     * larger webhook body. ElasticMQ neither keeps nor enforces the attribute, so only LocalStack can say.
     */
    static void assertQueuesTakeTheLargestMessages(SqsClient sqs) {
        for (String name : List.of(LocalConfig.QUEUE, LocalConfig.DEAD_LETTER_QUEUE, LocalConfig.EVENTBRIDGE_DEAD_LETTER_QUEUE)) {
            String url = sqs.getQueueUrl(b -> b.queueName(name)).queueUrl();
            assertThat(sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.MAXIMUM_MESSAGE_SIZE))
                    .attributes().get(QueueAttributeName.MAXIMUM_MESSAGE_SIZE)).as(name).isEqualTo("1048576");
        }
    }

    /**
     * Runs an aggregation job over {@code day} through the query API (a child JVM, the way Batch runs the container)
     * and answers the day's events per source as the query API reports them.
     */
    static Map<String, Long> eventsBySourceAfterAggregation(int queryPort, LocalDate day) throws Exception {
        HttpResponse<String> submitted = post(queryPort, "/v1/jobs", null,
                "{\"from\":\"" + day + "\",\"to\":\"" + day.plusDays(1) + "\",\"interval\":\"all\"}");
        assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
        String location = submitted.headers().firstValue("Location").orElseThrow();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                assertThat(AlertJson.readTree(get(queryPort, location).body()).path("status").asText()).isEqualTo("SUCCEEDED"));
        // The recent jobs, newest first: this one is there with its window.
        JsonNode recent = AlertJson.readTree(get(queryPort, "/v1/jobs?limit=5").body()).path("jobs");
        assertThat(recent).anySatisfy(job -> {
            assertThat("/v1/jobs/" + job.path("id").asText()).isEqualTo(location);
            assertThat(job.path("from").asText()).isEqualTo(day + "T00:00:00Z");
            // Named as Batch names the jobs this API submits, which is how a list reads their window back there.
            // (the window as run: cut at the current hour when the day is today).
            assertThat(job.path("name").asText()).isEqualTo("rollcall-aggregate-all-" + day.toString().replace("-", "")
                    + "T000000Z-" + job.path("to").asText().replace("-", "").replace(":", ""));
        });
        HttpResponse<String> rollups = get(queryPort, "/v1/rollups?interval=day&group_by=source&metrics=events,firing&from="
                + day + "&to=" + day.plusDays(1));
        assertThat(rollups.statusCode()).as(rollups.body()).isEqualTo(200);
        Map<String, Long> eventsBySource = new TreeMap<>();
        for (JsonNode row : AlertJson.readTree(rollups.body()).path("rows")) {
            eventsBySource.merge(row.path("source").asText(), row.path("events").asLong(), Long::sum);
        }
        return eventsBySource;
    }

    static HttpResponse<String> get(int port, String pathAndQuery) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(int port, String path, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The answer to a POST of {@code length} bytes, written whole before the answer is read, as most clients do. */
    private static String postBytes(int port, String path, int length) throws java.io.IOException {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            java.io.OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Length: " + length
                    + "\r\nConnection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.write(new byte[length]);
            out.flush();
            socket.shutdownOutput();
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Test
    void everyDoorLeadsIntoOpenSearchAndNothingIsLeftRunning(@TempDir Path temp) throws Exception {
        Path data = dataDirUnder(temp);
        List<ProcessHandle> children;
        long openSearchPid;
        int openSearchPort;
        try (LocalProcess local = LocalProcess.start(data, List.of("--schedule-minutes", "0"))) {
            String ready = local.awaitReady(Duration.ofSeconds(240));
            assertThat(ready).contains("api=http://127.0.0.1:" + local.queryPort, "lambda=http://127.0.0.1:" + local.lambdaPort,
                    "eventbridge=http://127.0.0.1:" + local.eventsPort, "opensearch=http://127.0.0.1:" + local.openSearchPort, "sqs=");
            openSearchPort = local.openSearchPort;
            TestOpenSearch openSearch = new TestOpenSearch(URI.create("http://127.0.0.1:" + local.openSearchPort));

            // A second run on the same data folder is refused before it touches it: on other ports (a demo started
            // again on other ports), and on the same ones (the same command typed again), where the running one, not a
            // taken port, is what the user must hear of.
            int[] samePorts = {local.queryPort, local.lambdaPort, local.eventsPort, local.sqsPort, local.openSearchPort};
            for (int[] ports : List.of(new int[0], samePorts)) {
                try (LocalProcess second = LocalProcess.start(data, List.of("--schedule-minutes", "0"), ports)) {
                    assertThat(second.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
                    assertThat(second.process.exitValue()).isEqualTo(2);
                    assertThat(String.join("\n", second.output)).isEqualTo("rollcall local: another ./rollcall local or demo is running on "
                            + data.toAbsolutePath() + ": stop it first, or give this one a folder of its own with --data-dir");
                }
            }
            assertThat(openSearch.request("GET", "/_cluster/health", null).status()).as("the first run's node still answers").isEqualTo(200);

            // 1. PutEvents, as an application or the AWS CLI would, with an aws.* source replayed locally; an
            //    application's own event (any other source) is kept as a custom alert, as on the central bus.
            String putEventsDetail = sampleDetail("via-putevents");
            try (EventBridgeClient events = eventBridgeClient(URI.create("http://127.0.0.1:" + local.eventsPort))) {
                PutEventsResponse put = events.putEvents(b -> b.entries(
                        e -> e.source("aws.cloudwatch").detailType("CloudWatch Alarm State Change").detail(putEventsDetail).time(AT),
                        e -> e.source("my.app").detailType("Unrelated").detail("{\"x\":1}").time(AT),
                        e -> e.source("aws.cloudwatch").detailType("CloudWatch Alarm State Change").detail("not json")));
                assertThat(put.failedEntryCount()).isEqualTo(1);
                assertThat(put.entries().get(0).eventId()).isNotBlank();
                assertThat(put.entries().get(2).errorCode()).isEqualTo("MalformedDetail");
            }
            // A Time no instant can hold fails its own entry, after the valid ones were delivered: not a 500 that
            // the SDK retries, delivering the valid ones again under new ids.
            HttpResponse<String> badTime = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + local.eventsPort + "/"))
                    .header("X-Amz-Target", "AWSEvents.PutEvents").header("Content-Type", "application/x-amz-json-1.1")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"Entries\":[{\"Source\":\"my.app\",\"DetailType\":\"T\","
                            + "\"Detail\":\"{}\",\"Time\":" + AT.getEpochSecond() + "},{\"Source\":\"my.app\",\"DetailType\":\"T\",\"Detail\":\"{}\",\"Time\":1e400}]}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(badTime.statusCode()).as(badTime.body()).isEqualTo(200);
            assertThat(AlertJson.readTree(badTime.body()).path("FailedEntryCount").asInt()).isEqualTo(1);
            assertThat(AlertJson.readTree(badTime.body()).path("Entries").get(1).path("ErrorMessage").asText()).startsWith("Time must be a timestamp");
            // Entries over EventBridge's 256 KB together are refused whole, as EventBridge refuses them: none is delivered.
            var tooBig = AlertJson.mapper().createObjectNode();
            tooBig.putArray("Entries").addObject().put("Source", "aws.cloudwatch").put("DetailType", "CloudWatch Alarm State Change")
                    .put("Detail", AlertJson.mapper().createObjectNode().put("alarmName", "too-big")
                            .put("pad", "p".repeat(EventBusEndpoint.MAX_ENTRIES_BYTES)).toString());
            HttpResponse<String> refused = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + local.eventsPort + "/"))
                    .header("X-Amz-Target", "AWSEvents.PutEvents").header("Content-Type", "application/x-amz-json-1.1")
                    .POST(HttpRequest.BodyPublishers.ofString(tooBig.toString())).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
            assertThat(AlertJson.readTree(refused.body()).path("message").asText()).startsWith("Total size of the entries in the request is over the limit");
            // 2. SQS SendMessage, as a producer would.
            try (SqsClient sqs = sqsClient(URI.create("http://127.0.0.1:" + local.sqsPort))) {
                String queue = sqs.getQueueUrl(b -> b.queueName(LocalConfig.QUEUE)).queueUrl();
                String body = eventBridgeEvent("sqs-1", "via-sqs");
                sqs.sendMessage(b -> b.queueUrl(queue).messageBody(body));
            }
            // 3. Webhooks through the HTTP API: a valid and an invalid credential.
            String alertmanager = alertmanagerAlert("ViaWebhook");
            assertThat(post(local.queryPort, "/v1/events/alertmanager", LocalConfig.WEBHOOK_SECRET, alertmanager).statusCode()).isEqualTo(202);
            HttpResponse<String> denied = post(local.queryPort, "/v1/events/alertmanager", "wrong", alertmanager);
            assertThat(denied.statusCode()).isEqualTo(401);
            assertThat(denied.body()).contains("invalid credentials");
            // Bodies over what API Gateway and Lambda take are their 413s, whole bodies sent as clients send them.
            assertThat(postBytes(local.queryPort, "/v1/events/alertmanager", HttpApiEndpoint.MAX_BODY_BYTES + 1))
                    .startsWith("HTTP/1.1 413").endsWith("{\"message\":\"Request Entity Too Large\"}");
            assertThat(postBytes(local.lambdaPort, "/2015-03-31/functions/" + LocalPipeline.INGEST_EVENTBRIDGE + "/invocations",
                    LambdaInvokeEndpoint.MAX_BODY_BYTES + 1)).startsWith("HTTP/1.1 413")
                    .containsIgnoringCase("x-amzn-ErrorType: RequestEntityTooLargeException");
            // 4. Lambda Invoke, as aws lambda invoke --endpoint-url does.
            try (LambdaClient lambda = LambdaClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + local.lambdaPort))
                    .region(Region.US_EAST_1).credentialsProvider(CREDENTIALS).httpClientBuilder(UrlConnectionHttpClient.builder()).build()) {
                InvokeResponse invoked = lambda.invoke(b -> b.functionName(LocalPipeline.INGEST_EVENTBRIDGE)
                        .payload(SdkBytes.fromUtf8String(uncheckedEvent("invoke-1", "via-invoke"))));
                assertThat(invoked.functionError()).isNull();
                assertThat(AlertJson.readTree(invoked.payload().asUtf8String()).path("indexed").asInt()).isEqualTo(1);
                InvokeResponse missing = null;
                try {
                    missing = lambda.invoke(b -> b.functionName("NoSuchFunction").payload(SdkBytes.fromUtf8String("{}")));
                } catch (software.amazon.awssdk.services.lambda.model.ResourceNotFoundException expected) {
                    assertThat(expected.getMessage()).contains("Function not found: NoSuchFunction");
                }
                assertThat(missing).isNull();
            }

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(openSearch.count("rollcall-events-*", term("name", "via-putevents"))).isEqualTo(1);
                assertThat(openSearch.count("rollcall-events-*", term("name", "via-sqs"))).isEqualTo(1);
                assertThat(openSearch.count("rollcall-events-*", term("name", "via-invoke"))).isEqualTo(1);
                assertThat(openSearch.count("rollcall-events-*", term("source", "alertmanager"))).isEqualTo(1);
                assertThat(openSearch.count("rollcall-events-*", term("source", "custom"))).as("the two my.app events").isEqualTo(2);
            });
            assertThat(openSearch.count("rollcall-events-*")).isEqualTo(6);

            // 5. An aggregation job through the query API, run as a child JVM the way Batch runs the container,
            //    then the query API's answer checked against the events sent.
            assertThat(eventsBySourceAfterAggregation(local.queryPort, DAY)).containsExactlyEntriesOf(
                    new TreeMap<>(Map.of("alertmanager", 1L, "cloudwatch", 3L, "custom", 2L)));
            HttpResponse<String> csv = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + local.queryPort + "/v1/services"))
                    .header("Accept", "text/csv").GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
            assertThat(get(local.queryPort, "/v1/rollups?interval=week").statusCode()).isEqualTo(400);
            // A malformed %-escape, which no java.net.URI can carry: sent on a socket, answered 400 as API Gateway does.
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", local.queryPort)) {
                socket.getOutputStream().write("GET /v1/rollups?from=%zz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                String status = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
                assertThat(status).isEqualTo("HTTP/1.1 400 Bad Request");
            }
            // 6. One more alarm that day and a second job: the answer the query API remembered in step 5 gives way to
            //    the new one, because the job replaced the change token it checks.
            assertThat(openSearch.request("GET", "/rollcall-state/_doc/" + RollupsChange.ID, null).body()).contains("\"found\":true");
            try (SqsClient sqs = sqsClient(URI.create("http://127.0.0.1:" + local.sqsPort))) {
                String queue = sqs.getQueueUrl(b -> b.queueName(LocalConfig.QUEUE)).queueUrl();
                String body = eventBridgeEvent("sqs-2", "via-sqs-again");
                sqs.sendMessage(b -> b.queueUrl(queue).messageBody(body));
            }
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(openSearch.count("rollcall-events-*", term("name", "via-sqs-again"))).isEqualTo(1));
            assertThat(eventsBySourceAfterAggregation(local.queryPort, DAY)).containsExactlyEntriesOf(
                    new TreeMap<>(Map.of("alertmanager", 1L, "cloudwatch", 4L, "custom", 2L)));

            // 7. OpenSearch killed while local mode runs: local mode starts it again on the same data and port, and
            //    the pipeline stores again (nothing else would: a restart of local mode drops the queue's messages).
            long killed = Long.parseLong(Files.readString(data.resolve("opensearch/opensearch.pid")).trim());
            ProcessHandle.of(killed).orElseThrow().destroyForcibly();
            await().atMost(Duration.ofSeconds(240)).until(() -> String.join("\n", local.output).contains("OpenSearch is back"));
            assertThat(String.join("\n", local.output)).contains("starting it again on the same data");
            assertThat(ProcessHandle.of(killed).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
            assertThat(openSearch.count("rollcall-events-*")).as("the data it had").isEqualTo(7);
            String afterRestart = alertmanagerAlert("AfterRestart").replace("abc123", "def456");
            assertThat(post(local.queryPort, "/v1/events/alertmanager", LocalConfig.WEBHOOK_SECRET, afterRestart).statusCode()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(openSearch.count("rollcall-events-*", term("source", "alertmanager"))).isEqualTo(2));

            children = local.process.descendants().toList();
            openSearchPid = Long.parseLong(Files.readString(data.resolve("opensearch/opensearch.pid")).trim());
            assertThat(ProcessHandle.of(openSearchPid)).isPresent();

            // 8. A signal to the whole process group (Ctrl-C) may end the node before local mode begins to stop: an
            //    exit followed by local mode's stop within SupervisedOpenSearch.STOP_NOTICE is that stop, not a crash
            //    to start the node again from, only to kill it during the shutdown.
            ProcessHandle.of(openSearchPid).orElseThrow().destroyForcibly();
            Thread.sleep(SupervisedOpenSearch.STOP_NOTICE.toMillis() / 4);
            local.process.destroy();
            assertThat(local.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            local.awaitOutputEnd(Duration.ofSeconds(30));
            assertThat(local.output).filteredOn(line -> line.contains("starting it again")).as("only step 7's restart").hasSize(1);
        }
        // SIGTERM (what Ctrl-C and docker stop send) stopped everything it started.
        await().atMost(Duration.ofSeconds(45)).untilAsserted(() -> {
            assertThat(ProcessHandle.of(openSearchPid).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
            assertThat(children).noneMatch(ProcessHandle::isAlive);
            assertThat(portInUse(openSearchPort)).isFalse();
        });

        // A second start on the same data directory finds the same events.
        try (LocalProcess again = LocalProcess.start(data, List.of("--schedule-minutes", "0"))) {
            again.awaitReady(Duration.ofSeconds(240));
            TestOpenSearch openSearch = new TestOpenSearch(URI.create("http://127.0.0.1:" + again.openSearchPort));
            assertThat(openSearch.count("rollcall-events-*")).isEqualTo(8);
        }
    }

    @Test
    void anExternalSqsEndpointTakesElasticMqsPlace(@TempDir Path temp) throws Exception {
        // The path LocalStackIT takes with LocalStack, checked here with an ElasticMQ that local mode did not start.
        // An endpoint that keeps queues between runs holds the ingest queue as an earlier release made it: other
        // attributes and no redrive policy, so SQS refuses to create it again and local mode updates it instead.
        try (ElasticMqServer external = ElasticMqServer.start(0, LocalConfig.REGION, LocalConfig.ACCOUNT_ID);
             SqsClient sqs = sqsClient(external.endpoint())) {
            sqs.createQueue(b -> b.queueName(LocalConfig.QUEUE).attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "7")));
            try (LocalProcess local = LocalProcess.start(dataDirUnder(temp), List.of("--schedule-minutes", "0", "--sqs-endpoint", external.endpoint().toString()))) {
                assertThat(local.awaitReady(Duration.ofSeconds(240))).contains("sqs=" + external.endpoint() + " (queue ");
                assertRedrivesAsTheStackDoes(sqs);
                sendsThroughTheExternalQueue(local, sqs);
            }
        }
    }

    private static void sendsThroughTheExternalQueue(LocalProcess local, SqsClient sqs) throws Exception {
        String queue = sqs.getQueueUrl(b -> b.queueName(LocalConfig.QUEUE)).queueUrl();
        String body = eventBridgeEvent("external-sqs-1", "via-external-sqs");
        sqs.sendMessage(b -> b.queueUrl(queue).messageBody(body));
        assertThat(post(local.queryPort, "/v1/events/alertmanager", LocalConfig.WEBHOOK_SECRET, alertmanagerAlert("ViaExternalQueue")).statusCode())
                .isEqualTo(202);

        TestOpenSearch openSearch = new TestOpenSearch(URI.create("http://127.0.0.1:" + local.openSearchPort));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(openSearch.count("rollcall-events-*", term("name", "via-external-sqs"))).isEqualTo(1);
            assertThat(openSearch.count("rollcall-events-*", term("name", "ViaExternalQueue"))).isEqualTo(1);
        });
        assertThat(portInUse(local.sqsPort)).as("no ElasticMQ of local mode's own").isFalse();
    }

    @Test
    void anSqsEndpointThatDoesNotAnswerIsOneClearLine(@TempDir Path temp) throws Exception {
        int closed = LocalProcess.freePort();
        try (LocalProcess local = LocalProcess.start(temp, List.of("--sqs-endpoint", "http://127.0.0.1:" + closed))) {
            assertThat(local.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(local.process.exitValue()).isEqualTo(2);
            assertThat(local.output).singleElement().asString()
                    .startsWith("rollcall local: cannot create the queues at the SQS endpoint http://127.0.0.1:" + closed + " (--sqs-endpoint): ");
        }
    }

    /** Every job on the folder would refuse a start that is not a time, the scheduled ones without a word: local mode does first. */
    @Test
    void aDemoStartThatIsNotATimeIsOneClearLine(@TempDir Path temp) throws Exception {
        Path data = dataDirUnder(temp);
        java.nio.file.Files.writeString(data.resolve(LocalPipeline.DEMO_HISTORY_START), "yesterday\n");
        try (LocalProcess local = LocalProcess.start(data, List.of("--schedule-minutes", "0"))) {
            assertThat(local.process.waitFor(180, TimeUnit.SECONDS)).isTrue();
            assertThat(local.process.exitValue()).isEqualTo(2);
            assertThat(local.output).anySatisfy(line -> assertThat(line).startsWith("rollcall local: ")
                    .contains(LocalPipeline.DEMO_HISTORY_START + " holds 'yesterday', not a time such as 2026-09-28T02:00:00Z: correct it or delete it"));
            assertThat(String.join("\n", local.output)).doesNotContain("\tat ");
        }
    }

    @Test
    void aTakenPortIsOneClearLineNotAStackTrace(@TempDir Path temp) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
             LocalProcess local = LocalProcess.start(temp, List.of(), taken.getLocalPort())) {
            assertThat(local.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(local.process.exitValue()).isEqualTo(2);
            assertThat(String.join("\n", local.output)).isEqualTo(
                    "rollcall local: port " + taken.getLocalPort() + " is already in use; choose another with --query-port");
        }
    }

    private static String uncheckedEvent(String id, String alarm) {
        try {
            return eventBridgeEvent(id, alarm);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static String term(String field, String value) {
        return "{\"query\":{\"term\":{\"" + field + "\":\"" + value + "\"}}}";
    }

    static boolean portInUse(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }
}
