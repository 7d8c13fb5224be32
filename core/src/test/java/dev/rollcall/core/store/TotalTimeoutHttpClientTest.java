package dev.rollcall.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * The SigV4 transport's HTTP client against a node that accepts the request and then trickles its answer, a byte at
 * a time, each well within the socket timeout: only a total limit ends it, as an ingest deadline needs.
 */
class TotalTimeoutHttpClientTest {

    private static final OpenSearchConfig DOMAIN = new OpenSearchConfig(URI.create("https://search.example"), OpenSearchConfig.Auth.SIGV4,
            "us-east-1", new IndexNames("rollcall"), 0, Duration.ofSeconds(1));

    /** A one-connection server answering 200 with a 100-byte body, one byte every {@code pause}. */
    private static ServerSocket answering(Duration pause) throws IOException {
        ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            try (Socket socket = server.accept()) {
                BufferedReader request = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
                for (String line = request.readLine(); line != null && !line.isEmpty(); line = request.readLine()) {
                    // the request's lines up to the blank one
                }
                OutputStream out = socket.getOutputStream();
                out.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                for (int i = 0; i < 100; i++) {
                    Thread.sleep(pause);
                    out.write('x');
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // the client gave up and closed the connection
            }
        });
        return server;
    }

    private static HttpExecuteResponse get(SdkHttpClient http, int port) throws IOException {
        return http.prepareRequest(HttpExecuteRequest.builder().request(SdkHttpRequest.builder()
                .uri(URI.create("http://127.0.0.1:" + port + "/_cluster/health")).method(SdkHttpMethod.GET).build()).build()).call();
    }

    @Test
    void anAnswerTrickledWithinTheSocketTimeoutStillEndsAtTheTotalLimit() throws IOException {
        try (ServerSocket server = answering(Duration.ofMillis(300)); SdkHttpClient http = OpenSearchClients.signingHttp(DOMAIN)) {
            long started = System.nanoTime();
            // 100 bytes 300 ms apart would take 30 s; the limit is the 3 s connect timeout plus the 1 s request timeout.
            assertThatThrownBy(() -> get(http, server.getLocalPort()))
                    .isInstanceOf(IOException.class).hasMessage("OpenSearch did not answer within 4000 ms in total");
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertThat(took).isBetween(Duration.ofMillis(3900), Duration.ofSeconds(8));
        }
    }

    @Test
    void anAnswerWithinTheLimitArrivesWhole() throws IOException {
        try (ServerSocket server = answering(Duration.ZERO); SdkHttpClient http = OpenSearchClients.signingHttp(DOMAIN)) {
            HttpExecuteResponse response = get(http, server.getLocalPort());
            assertThat(response.httpResponse().statusCode()).isEqualTo(200);
            assertThat(new String(response.responseBody().orElseThrow().readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("x".repeat(100));
        }
    }
}
