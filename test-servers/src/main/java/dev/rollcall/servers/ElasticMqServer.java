package dev.rollcall.servers;

import java.net.URI;

import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;

/** ElasticMQ, an SQS-compatible server, running in this JVM on a loopback port. */
public final class ElasticMqServer implements AutoCloseable {

    private final SQSRestServer server;
    private final int port;

    private ElasticMqServer(SQSRestServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /** Starts on the given port (0 for a free one) and waits until it accepts requests. */
    public static ElasticMqServer start(int port, String region, String accountId) {
        SQSRestServer server = SQSRestServerBuilder
                .withInterface("127.0.0.1")
                .withPort(port)
                .withAWSRegion(region)
                .withAWSAccountId(accountId)
                .start();
        int bound = server.waitUntilStarted().localAddress().getPort();
        return new ElasticMqServer(server, bound);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        server.stopAndWait();
    }
}
