package dev.rollcall.servers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;

import com.sun.net.httpserver.HttpServer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AuthenticatingProxyTest {

    private HttpServer upstream;
    private final AtomicReference<String> seen = new AtomicReference<>();

    @BeforeEach
    void startUpstream() throws IOException {
        upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        upstream.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            seen.set(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " " + exchange.getRequestHeaders().getFirst("Authorization")
                    + " " + exchange.getRequestHeaders().getFirst("Content-Type") + " " + body);
            byte[] answer = "{\"refused\":true}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(403, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        upstream.start();
    }

    @AfterEach
    void stopUpstream() {
        upstream.stop(0);
    }

    @Test
    void forwardsEveryRequestAsItsOneUserAndAnswersWhatTheNodeAnswered() throws Exception {
        URI target = URI.create("http://127.0.0.1:" + upstream.getAddress().getPort());
        try (AuthenticatingProxy proxy = AuthenticatingProxy.start(target, "Basic dXNlcjpwdw==",
                body -> new String(body, StandardCharsets.UTF_8).replace("old", "new").getBytes(StandardCharsets.UTF_8))) {
            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(proxy.uri().resolve("/idx/_search?scroll=2m&q=a%20b"))
                    .header("Authorization", "Basic Zm9yZ2Vk").header("Content-Type", "application/json")
                    .method("DELETE", HttpRequest.BodyPublishers.ofString("{\"sort\":\"old\"}")).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(seen.get()).isEqualTo("DELETE /idx/_search?scroll=2m&q=a%20b Basic dXNlcjpwdw== application/json {\"sort\":\"new\"}");
            assertThat(answer.statusCode()).isEqualTo(403);
            assertThat(answer.body()).isEqualTo("{\"refused\":true}");
            assertThat(answer.headers().firstValue("Content-Type")).contains("application/json");
        }
    }

    @Test
    void answers502WhenTheNodeDoesNotAnswer() throws Exception {
        try (AuthenticatingProxy proxy = AuthenticatingProxy.start(URI.create("http://127.0.0.1:" + ClosedPort.number()), "Basic x")) {
            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(proxy.uri().resolve("/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).isEqualTo(502);
        }
    }
}
