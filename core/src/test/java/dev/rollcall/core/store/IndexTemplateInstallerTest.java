package dev.rollcall.core.store;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

/** What the installer makes of answers that do not come from OpenSearch; the real node's are in {@code AlertStoreIT}. */
class IndexTemplateInstallerTest {

    /**
     * A web page answered with 200 (a proxy's sign-in page, a wrong address) leaves the installer unable to tell
     * what is installed: the caller is told to try again later and where to look, as for an unreachable domain,
     * rather than failing with a JSON parser's exception.
     */
    @Test
    void aPageThatIsNotJsonIsReportedAsTemplatesUnavailableNamingTheEndpoint() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        byte[] page = "<html><body>Sign in to continue</body></html>".getBytes(StandardCharsets.UTF_8);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().add("Content-Type", "text/html");
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        server.start();
        try {
            URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
            IndexTemplateInstaller installer = new IndexTemplateInstaller(
                    OpenSearchClients.create(OpenSearchConfig.local(uri, "not-json")), new IndexNames("not-json"), 0);

            assertThatThrownBy(installer::install)
                    .isInstanceOf(TemplatesUnavailableException.class)
                    .hasMessageContaining("GET /_index_template/not-json-events is not JSON")
                    .hasMessageContaining("ROLLCALL_OPENSEARCH_ENDPOINT");
        } finally {
            server.stop(0);
        }
    }
}
