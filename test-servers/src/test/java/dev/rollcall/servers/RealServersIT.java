package dev.rollcall.servers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollcall.servers.junit.RealServers;
import dev.rollcall.servers.junit.TestOpenSearch;
import dev.rollcall.servers.junit.TestSqs;

import org.junit.jupiter.api.Test;

import software.amazon.awssdk.services.sqs.SqsClient;

@RealServers
class RealServersIT {

    @Test
    void openSearchIndexesAndCountsADocument(TestOpenSearch openSearch) {
        String index = TestOpenSearch.uniquePrefix("servers");
        TestOpenSearch.Response put = openSearch.request("PUT", "/" + index + "/_doc/1", "{\"hello\":\"world\"}");
        assertThat(put.status()).as(put.body()).isEqualTo(201);
        assertThat(openSearch.count(index)).isEqualTo(1);
        assertThat(openSearch.uri().getHost()).isEqualTo("127.0.0.1");
    }

    /**
     * The node serving this test is the one the build recorded for every other test JVM to attach to (each module's
     * tests run in a JVM of their own), and it is a live child process.
     */
    @Test
    void theNodeIsTheOneRecordedForEveryTestJvmOfTheBuild(TestOpenSearch openSearch) throws java.io.IOException {
        java.nio.file.Path root = java.nio.file.Path.of(System.getProperty("rollcall.root", System.getProperty("user.dir")));
        java.nio.file.Path state = BuildScopedOpenSearch.baseFolder(root)
                .resolve("opensearch-build-" + BuildScopedOpenSearch.buildPid() + ".properties");
        java.util.Properties recorded = new java.util.Properties();
        try (var in = java.nio.file.Files.newInputStream(state)) {
            recorded.load(in);
        }
        assertThat(Integer.parseInt(recorded.getProperty("port"))).isEqualTo(openSearch.uri().getPort());
        long pid = BuildScopedOpenSearch.get().pid().orElseThrow();
        assertThat(ProcessHandle.of(pid)).hasValueSatisfying(node -> assertThat(node.isAlive()).isTrue());
    }

    /** Local mode stopping while it starts: a mapping closed before its start never polls (nothing would stop it). */
    @Test
    void aMappingClosedBeforeItStartedNeverPolls(TestSqs sqs) throws InterruptedException {
        String url = sqs.createQueueWithDlq("servers-closed-" + java.util.UUID.randomUUID(), 3, 30);
        try (SqsClient client = sqs.client()) {
            client.sendMessage(b -> b.queueUrl(url).messageBody("{}"));
            SqsEventSourceMapping mapping = new SqsEventSourceMapping(client, url, TestSqs.REGION,
                    new SqsEventSourceMapping.Settings(10, java.time.Duration.ofMillis(100)), event -> "{}");

            mapping.close();
            mapping.start();
            Thread.sleep(1500);

            assertThat(mapping.invocations()).isZero();
            assertThat(client.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(1)).messages()).as("still waiting").hasSize(1);
        }
    }

    @Test
    void sqsRedrivesToTheDeadLetterQueueAfterTheReceiveCount(TestSqs sqs) {
        String url = sqs.createQueueWithDlq("servers-test", 1, 0);
        try (SqsClient client = sqs.client()) {
            client.sendMessage(b -> b.queueUrl(url).messageBody("poison"));
            assertThat(client.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(1)).messages()).hasSize(1);
            // Visibility timeout 0: the second receive exceeds maxReceiveCount 1 and moves it to the DLQ.
            client.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(1));
            String dlq = client.getQueueUrl(b -> b.queueName("servers-test-dlq")).queueUrl();
            assertThat(client.receiveMessage(b -> b.queueUrl(dlq).waitTimeSeconds(2)).messages())
                    .extracting(m -> m.body()).containsExactly("poison");
        }
    }
}
