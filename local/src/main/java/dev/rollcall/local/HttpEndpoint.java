package dev.rollcall.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.message.StringMapMessage;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

/**
 * A small HTTP server on a loopback port, as local mode's AWS-compatible endpoints use. It answers only requests
 * addressed to a loopback name and not sent by a web page of another origin: a page open in the developer's browser
 * could otherwise reach it through DNS rebinding (a Host of its own) or a form's cross-site POST (an Origin of its own).
 */
abstract class HttpEndpoint implements AutoCloseable {

    private static final Logger LOG = LogManager.getLogger(HttpEndpoint.class);

    /**
     * The longest request line and headers the JDK server reads, in bytes: past it, it closes the connection without
     * a word. Its default, 380 KiB, would leave a client's long query string answered by a reset; 2 MiB, the longest
     * URL a browser sends, lets an endpoint answer it as its service does (the HTTP API's 414), and keeps what a
     * request holds in memory small.
     */
    static final int MAX_REQUEST_HEAD_BYTES = 2 * 1024 * 1024;

    static {
        // Read once, when the JDK server's configuration is first loaded: before any server exists. A value given on
        // the command line is kept.
        if (System.getProperty("sun.net.httpserver.maxReqHeaderSize") == null) {
            System.setProperty("sun.net.httpserver.maxReqHeaderSize", Integer.toString(MAX_REQUEST_HEAD_BYTES));
        }
    }

    /** The most of a request's path a log line keeps: enough to recognize the request, not a megabyte of it. */
    private static final int MAX_LOGGED_PATH = 256;

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final int maxBodyBytes;

    /** @param maxBodyBytes the largest request body the AWS service this endpoint stands in for accepts */
    HttpEndpoint(int port, String option, int maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 128);
        } catch (BindException e) {
            throw new LocalConfig.UsageException("port " + port + " is already in use; choose another with " + option);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        HttpHandler handler = exchange -> {
            // The catches sit inside the try-with-resources: its own catches would run after the exchange was closed,
            // and their answer would never be sent.
            try (exchange) {
                try {
                    serve(exchange);
                } catch (BodyTooLargeException e) {
                    refuseTooLarge(exchange, maxBodyBytes);
                } catch (RuntimeException e) {
                    // A fault of local mode's own, not of the request: the client hears only that, the log says what.
                    logUnexpected(exchange, e);
                    send(exchange, 500, "application/json", "{\"message\":\"" + e.getClass().getSimpleName() + "\"}", Map.of());
                }
            }
        };
        server.createContext("/", handler);
        server.setExecutor(executor);
    }

    private static void logUnexpected(HttpExchange exchange, RuntimeException e) {
        String path = rawPath(exchange);
        LOG.error(new StringMapMessage().with("event", "unexpected_error").with("status", "500")
                .with("method", exchange.getRequestMethod())
                .with("path", path.length() > MAX_LOGGED_PATH ? path.substring(0, MAX_LOGGED_PATH) : path), e);
    }

    private void serve(HttpExchange exchange) throws IOException {
        String refused = refusal(exchange.getRequestHeaders().getFirst("Host"), exchange.getRequestHeaders().getFirst("Origin"));
        if (refused != null) {
            send(exchange, 403, "application/json",
                    dev.rollcall.core.alert.AlertJson.mapper().createObjectNode().put("message", refused).toString(), Map.of());
            return;
        }
        // Every answer may differ by Origin (it echoes an allowed one), so no cache may serve it to another page.
        exchange.getResponseHeaders().add("Vary", "Origin");
        String origin = exchange.getRequestHeaders().getFirst("Origin");
        if (origin != null && allowCrossOrigin(exchange, origin)) {
            return;
        }
        // A body declared too large is refused without being kept, as the service would: read whole, a few hundred MB
        // would fill the heap local mode shares with every function.
        if (declaredLength(exchange) > maxBodyBytes) {
            refuseTooLarge(exchange, maxBodyBytes);
            return;
        }
        handle(exchange);
    }

    /** Why a request with these Host and Origin headers is refused, or null when it comes from this machine's own tools. */
    static String refusal(String host, String origin) {
        if (host != null && !isLoopback(host)) {
            return "local mode answers requests to 127.0.0.1 or localhost only, not to host " + host;
        }
        // "null" is the origin of a sandboxed frame or a file: page, which a page of any site can open.
        if (origin != null && !(origin.startsWith("http://") && isLoopback(origin.substring("http://".length())))) {
            return "local mode answers no requests from web pages of another origin (" + origin + ")";
        }
        return null;
    }

    /** Headers a page may read from an answer: the API's paging, freshness and tracing headers, and Lambda Invoke's. */
    static final String EXPOSED_HEADERS = "X-Next-Cursor, X-Computed-Until, X-Collecting-Since, X-Query-From, X-Query-To, "
            + "X-Request-Id, Location, Retry-After, X-Amz-Function-Error, X-Amz-Executed-Version";

    /**
     * Lets a page served from this machine (a local dashboard on any port; {@link #refusal} already turned away every
     * other origin) read the answer, as a browser requires of a cross-origin request, and answers its preflight:
     * true when the exchange was a preflight and is answered.
     */
    private static boolean allowCrossOrigin(HttpExchange exchange, String origin) throws IOException {
        var headers = exchange.getResponseHeaders();
        headers.set("Access-Control-Allow-Origin", origin);
        headers.set("Access-Control-Expose-Headers", EXPOSED_HEADERS);
        String method = exchange.getRequestHeaders().getFirst("Access-Control-Request-Method");
        if (!"OPTIONS".equals(exchange.getRequestMethod()) || method == null) {
            return false;
        }
        headers.set("Access-Control-Allow-Methods", "GET, HEAD, POST");
        String requested = exchange.getRequestHeaders().getFirst("Access-Control-Request-Headers");
        if (requested != null) {
            headers.set("Access-Control-Allow-Headers", requested);
        }
        headers.set("Access-Control-Max-Age", "600");
        send(exchange, 204, null, new byte[0], Map.of());
        return true;
    }

    /** Whether a Host value (name and optional port) names this machine's loopback interface. */
    private static boolean isLoopback(String hostAndPort) {
        String name = hostAndPort;
        if (name.startsWith("[")) {
            int end = name.indexOf(']');
            name = end < 0 ? name : name.substring(0, end + 1);
        } else if (name.indexOf(':') >= 0) {
            name = name.substring(0, name.indexOf(':'));
        }
        return name.equals("127.0.0.1") || name.equalsIgnoreCase("localhost") || name.equals("[::1]");
    }

    /**
     * The request's path as the client sent it, escapes kept, as API Gateway and Lambda see it. The JDK server parses
     * the request target as a URI reference, in which a leading {@code //} starts an authority: its path of
     * {@code //v1//services} is {@code //services}, so the target's own text is read instead.
     */
    static String rawPath(HttpExchange exchange) {
        URI target = exchange.getRequestURI();
        if (target.getScheme() != null) {
            // The absolute form a proxy sends (http://host:port/path): the path is all of it that is a path.
            return Objects.requireNonNullElse(target.getRawPath(), "");
        }
        String sent = target.getRawSchemeSpecificPart();
        int query = sent.indexOf('?');
        return query < 0 ? sent : sent.substring(0, query);
    }

    /**
     * A path segment with its {@code %XX} escapes decoded, once, as UTF-8 (a {@code +} is a plus in a path, not a
     * space); null when an escape is cut short or the bytes are not UTF-8.
     */
    static String decodedSegment(String raw) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        int i = 0;
        while (i < raw.length()) {
            int escape = raw.indexOf('%', i);
            int plainEnd = escape < 0 ? raw.length() : escape;
            bytes.writeBytes(raw.substring(i, plainEnd).getBytes(StandardCharsets.UTF_8));
            if (escape < 0) {
                break;
            }
            if (escape + 3 > raw.length() || !HexFormat.isHexDigit(raw.charAt(escape + 1)) || !HexFormat.isHexDigit(raw.charAt(escape + 2))) {
                return null;
            }
            bytes.write(HexFormat.fromHexDigits(raw, escape + 1, escape + 3));
            i = escape + 3;
        }
        return utf8OrNull(bytes.toByteArray());
    }

    /** The bytes as text when they are valid UTF-8, else null: a lenient decoder would hide the fault behind U+FFFD. */
    static String utf8OrNull(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** The request line's length in bytes as the client sent it: the JDK server reads each byte as one character. */
    static int requestLineBytes(HttpExchange exchange) {
        return exchange.getRequestMethod().length() + 1 + exchange.getRequestURI().toString().length() + 1 + exchange.getProtocol().length();
    }

    void start() {
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    abstract void handle(HttpExchange exchange) throws IOException;

    /** Answers a request whose body is over {@code limit} bytes as the AWS service this endpoint stands in for does. */
    abstract void refuseTooLarge(HttpExchange exchange, int limit) throws IOException;

    /** The request's body; a {@link BodyTooLargeException} when it is longer than the endpoint takes (sent without a length). */
    final byte[] body(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] bytes = in.readNBytes(maxBodyBytes + 1);
            if (bytes.length > maxBodyBytes) {
                // Before the stream is closed, which would leave the rest unread (see discardRest).
                discardRest(in);
                throw new BodyTooLargeException();
            }
            return bytes;
        }
    }

    /** The most of a request body left unread that is read and thrown away before an answer (see discardRest). */
    static final long DISCARDED_AT_MOST = 64L * 1024 * 1024;

    /**
     * Reads what is left of a request's body, up to {@link #DISCARDED_AT_MOST}, before any answer: the server closes the
     * connection once it has answered a client that asked it to, and a connection closed with bytes unread is reset,
     * so a client still sending (most do, the JDK server answering Expect: 100-continue itself) would lose the answer:
     * a 413, or a 404 for an unknown function. Past the cap the client is not worth the wait; one that stops short of
     * the length it declared and closes is gone. A body already read, or none, ends at once.
     */
    private static void discardRest(InputStream in) {
        byte[] buffer = new byte[64 * 1024];
        long read = 0;
        int n;
        try {
            while (read < DISCARDED_AT_MOST && (n = in.read(buffer)) >= 0) {
                read += n;
            }
        } catch (IOException e) {
            // The client stopped sending before the length it declared: there is nothing left to wait for.
        }
    }

    /** The Content-Length the client declared; -1 without one (a chunked body) or when it is not a number. */
    private static long declaredLength(HttpExchange exchange) {
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        try {
            return declared == null ? -1 : Long.parseLong(declared.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** A body found longer than the endpoint takes while reading it. */
    static final class BodyTooLargeException extends RuntimeException {

        BodyTooLargeException() {
            super("request body too large", null, false, false);
        }
    }

    static void send(HttpExchange exchange, int status, String contentType, String body, Map<String, String> headers) throws IOException {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        send(exchange, status, contentType, bytes, headers);
    }

    static void send(HttpExchange exchange, int status, String contentType, byte[] bytes, Map<String, String> headers) throws IOException {
        discardRest(exchange.getRequestBody());
        if (contentType != null) {
            exchange.getResponseHeaders().set("Content-Type", contentType);
        }
        headers.forEach((k, v) -> {
            // Vary adds to what this server varies on (Origin, for CORS) rather than replacing it.
            if (k.equalsIgnoreCase("Vary")) {
                exchange.getResponseHeaders().add(k, v);
            } else {
                exchange.getResponseHeaders().set(k, v);
            }
        });
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
