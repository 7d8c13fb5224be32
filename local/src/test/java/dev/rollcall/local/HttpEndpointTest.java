package dev.rollcall.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.apache.logging.log4j.layout.template.json.JsonTemplateLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;

import dev.rollcall.core.alert.AlertJson;

class HttpEndpointTest {

    @ParameterizedTest(name = "Host {0}, Origin {1}: answered {2}")
    @CsvSource(nullValues = "-", textBlock = """
            127.0.0.1:4566,      -,                            true
            localhost:4566,      -,                            true
            LOCALHOST,           -,                            true
            [::1]:4566,          -,                            true
            -,                   -,                            true
            127.0.0.1:4566,      http://localhost:3000,        true
            127.0.0.1:4566,      http://127.0.0.1:8080,        true
            rebound.example:4566, -,                           false
            127.0.0.1.example,   -,                            false
            localhost.example,   -,                            false
            127.0.0.1:4566,      https://evil.example,         false
            127.0.0.1:4566,      http://localhost.evil.example, false
            127.0.0.1:4566,      null,                         false
            """)
    void answersOnlyThisMachinesOwnTools(String host, String origin, boolean answered) {
        assertThat(HttpEndpoint.refusal(host, origin) == null).isEqualTo(answered);
    }

    @Test
    void aRequestToAnotherHostIsRefusedBeforeTheEndpointSeesIt() throws IOException {
        int[] handled = {0};
        try (HttpEndpoint endpoint = answeringOk(handled)) {
            endpoint.start();
            assertThat(get(endpoint.port(), "127.0.0.1:" + endpoint.port())).startsWith("HTTP/1.1 200").endsWith("ok");
            String refused = get(endpoint.port(), "attacker.example");
            assertThat(refused).startsWith("HTTP/1.1 403").contains("not to host attacker.example");
            assertThat(handled[0]).isEqualTo(1);
        }
    }

    /**
     * A page of a local dashboard (another port of this machine) may read the answers, which a browser allows only
     * with CORS headers, and its preflight (a POST with a JSON body, an Accept a form cannot send) is answered without
     * reaching the endpoint.
     */
    @Test
    void aPageServedFromThisMachineMayReadTheAnswers() throws IOException {
        int[] handled = {0};
        try (HttpEndpoint endpoint = answeringOk(handled)) {
            endpoint.start();
            String host = "127.0.0.1:" + endpoint.port();
            String answer = request(endpoint.port(), "GET", host, "Origin: http://localhost:8080\r\n");
            assertThat(answer).startsWith("HTTP/1.1 200").endsWith("ok")
                    .containsIgnoringCase("Access-Control-Allow-Origin: http://localhost:8080\r\n")
                    .containsIgnoringCase("Vary: Origin\r\n").containsIgnoringCase("Vary: Accept\r\n")
                    .containsIgnoringCase("Access-Control-Expose-Headers: " + HttpEndpoint.EXPOSED_HEADERS + "\r\n");
            String preflight = request(endpoint.port(), "OPTIONS", host, "Origin: http://localhost:8080\r\n"
                    + "Access-Control-Request-Method: POST\r\nAccess-Control-Request-Headers: content-type, accept\r\n");
            assertThat(preflight).startsWith("HTTP/1.1 204")
                    .containsIgnoringCase("Access-Control-Allow-Methods: GET, HEAD, POST\r\n")
                    .containsIgnoringCase("Access-Control-Allow-Headers: content-type, accept\r\n");
            assertThat(handled[0]).isEqualTo(1);
            // Without an Origin (curl, the SDKs) nothing changes; a page of another site is still refused.
            assertThat(get(endpoint.port(), host)).doesNotContainIgnoringCase("Access-Control").containsIgnoringCase("Vary: Origin\r\n");
            assertThat(request(endpoint.port(), "GET", host, "Origin: https://evil.example\r\n"))
                    .startsWith("HTTP/1.1 403").doesNotContainIgnoringCase("Access-Control-Allow-Origin");
        }
    }

    /**
     * A body longer than the endpoint takes is answered as the service would, 413, and never held in memory: declared
     * too long it does not reach the endpoint, sent in chunks it is kept up to one byte past the limit. Either way the
     * rest is read and thrown away, so that the client, still sending, reads the 413 rather than a reset connection.
     */
    @Test
    void aBodyOverTheLimitIsRefusedWith413WithoutBeingKept() throws IOException {
        int[] handled = {0};
        try (HttpEndpoint endpoint = answeringOk(handled)) {
            endpoint.start();
            String host = "127.0.0.1:" + endpoint.port();
            assertThat(post(endpoint.port(), host, "Content-Length: 16\r\n", "0123456789abcdef")).startsWith("HTTP/1.1 200").endsWith("ok 16");
            assertThat(post(endpoint.port(), host, "Content-Length: 17\r\n", "0123456789abcdefg")).startsWith("HTTP/1.1 413").endsWith("too large: 16");
            assertThat(post(endpoint.port(), host, "Transfer-Encoding: chunked\r\n", chunk("0123456789") + chunk("abcdef") + "0\r\n\r\n"))
                    .startsWith("HTTP/1.1 200").endsWith("ok 16");
            assertThat(post(endpoint.port(), host, "Transfer-Encoding: chunked\r\n", chunk("0123456789") + chunk("abcdefg") + "0\r\n\r\n"))
                    .startsWith("HTTP/1.1 413").endsWith("too large: 16");
            // A megabyte, far more than the socket buffers hold while the server answers.
            String megabyte = "x".repeat(1024 * 1024);
            assertThat(post(endpoint.port(), host, "Content-Length: " + megabyte.length() + "\r\n", megabyte))
                    .startsWith("HTTP/1.1 413").endsWith("too large: 16");
            assertThat(post(endpoint.port(), host, "Transfer-Encoding: chunked\r\n", chunk(megabyte) + "0\r\n\r\n"))
                    .startsWith("HTTP/1.1 413").endsWith("too large: 16");
            assertThat(handled[0]).as("the declared bodies never reached the endpoint").isEqualTo(4);
        }
    }

    /** As Lambda's 404 for an unknown function, sent before the body is read: the client still sending gets it. */
    @Test
    void anAnswerGivenWithoutReadingTheBodyStillReachesAClientThatIsSendingOne() throws IOException {
        try (HttpEndpoint endpoint = new HttpEndpoint(0, "--port", 2 * 1024 * 1024) {
            @Override
            void handle(HttpExchange exchange) throws IOException {
                send(exchange, 404, "text/plain", "no such function", Map.of());
            }

            @Override
            void refuseTooLarge(HttpExchange exchange, int limit) {
                throw new AssertionError("not reached");
            }
        }) {
            endpoint.start();
            String megabyte = "x".repeat(1024 * 1024);
            assertThat(post(endpoint.port(), "127.0.0.1:" + endpoint.port(), "Content-Length: " + megabyte.length() + "\r\n", megabyte))
                    .startsWith("HTTP/1.1 404").endsWith("no such function");
        }
    }

    /** A 500 is local mode's own fault, which the client cannot tell: one JSON line says which request and why. */
    @Test
    void anEndpointThatFailsIsAnswered500AndLogsOneLineWithTheFault() throws IOException {
        try (HttpEndpoint endpoint = new HttpEndpoint(0, "--port", 16) {
            @Override
            void handle(HttpExchange exchange) {
                throw new IllegalStateException("a fault of the endpoint's own");
            }

            @Override
            void refuseTooLarge(HttpExchange exchange, int limit) {
                throw new AssertionError("not reached");
            }
        }) {
            List<String> lines = new CopyOnWriteArrayList<>();
            Logger logger = (Logger) LogManager.getLogger(HttpEndpoint.class);
            JsonTemplateLayout layout = JsonTemplateLayout.newBuilder().setConfiguration(logger.getContext().getConfiguration())
                    .setEventTemplateUri("classpath:rollcall-local-log-template.json").build();
            AbstractAppender appender = new AbstractAppender("unexpected-errors", null, layout, true, Property.EMPTY_ARRAY) {
                @Override
                public void append(LogEvent event) {
                    lines.add(layout.toSerializable(event));
                }
            };
            appender.start();
            logger.addAppender(appender);
            try {
                endpoint.start();
                assertThat(request(endpoint.port(), "GET", "/v1/services?x=1", "127.0.0.1:" + endpoint.port(), "", ""))
                        .startsWith("HTTP/1.1 500").endsWith("{\"message\":\"IllegalStateException\"}");
            } finally {
                logger.removeAppender(appender);
                appender.stop();
            }
            // One line, as local mode writes it, saying which request failed and how.
            assertThat(lines).hasSize(1);
            assertThat(lines.get(0).strip()).doesNotContain("\n");
            JsonNode line = AlertJson.readTree(lines.get(0));
            assertThat(line.path("level").asText()).isEqualTo("ERROR");
            assertThat(line.path("message").path("event").asText()).isEqualTo("unexpected_error");
            assertThat(line.path("message").path("method").asText()).isEqualTo("GET");
            assertThat(line.path("message").path("path").asText()).isEqualTo("/v1/services");
            assertThat(line.path("error_type").asText()).isEqualTo(IllegalStateException.class.getName());
            assertThat(line.path("error_message").asText()).isEqualTo("a fault of the endpoint's own");
            assertThat(line.path("stack_trace").asText()).contains("HttpEndpointTest");
        }
    }

    private static String chunk(String data) {
        return Integer.toHexString(data.length()) + "\r\n" + data + "\r\n";
    }

    /** An endpoint taking bodies of up to 16 bytes, answering every request it sees 200 "ok" and the body's length, counting them in {@code handled}. */
    private static HttpEndpoint answeringOk(int[] handled) {
        return new HttpEndpoint(0, "--port", 16) {
            @Override
            void handle(HttpExchange exchange) throws IOException {
                handled[0]++;
                int length = body(exchange).length;
                // The API's own Vary (its answers differ by Accept) joins the server's, not replaces it.
                send(exchange, 200, "text/plain", length == 0 ? "ok" : "ok " + length, Map.of("X-Next-Cursor", "c2", "Vary", "Accept"));
            }

            @Override
            void refuseTooLarge(HttpExchange exchange, int limit) throws IOException {
                send(exchange, 413, "text/plain", "too large: " + limit, Map.of());
            }
        };
    }

    private static String post(int port, String host, String headers, String body) throws IOException {
        return request(port, "POST", host, headers, body);
    }

    private static String get(int port, String host) throws IOException {
        return request(port, "GET", host, "");
    }

    /** A raw request, since java.net.http will not send a Host header of the caller's choice. */
    private static String request(int port, String method, String host, String headers) throws IOException {
        return request(port, method, host, headers, "");
    }

    private static String request(int port, String method, String host, String headers, String body) throws IOException {
        return request(port, method, "/", host, headers, body);
    }

    /**
     * The whole answer to a raw request for {@code target}: java.net.http sends neither a Host header of the caller's
     * choice nor a target that is not a URI of its own making (a leading {@code //}).
     */
    static String request(int port, String method, String target, String host, String headers, String body) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write((method + " " + target + " HTTP/1.1\r\nHost: " + host + "\r\n" + headers + "Connection: close\r\n\r\n" + body)
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // Nothing more comes: a server that waited for the rest of a declared body would see its end, not hang.
            socket.shutdownOutput();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
