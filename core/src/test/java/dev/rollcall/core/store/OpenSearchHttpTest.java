package dev.rollcall.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.rollcall.servers.FaultInjectingProxy;

/** Every HTTP answer is an answer, whichever way the transport reports its status. */
class OpenSearchHttpTest {

    /**
     * The Apache transport wraps 401 and 403 in an IOException ("Forbidden access"), which read as "no answer" made
     * every caller retry a missing role mapping as an outage.
     */
    @ParameterizedTest
    @ValueSource(ints = {400, 401, 403, 404, 409, 429, 500, 503})
    void anErrorStatusIsAnAnswerNotAnIOException(int status) throws Exception {
        try (FaultInjectingProxy answering = FaultInjectingProxy.start(URI.create("http://127.0.0.1:9"))) {
            answering.failNext(1, status, path -> true);
            OpenSearchHttp http = new OpenSearchHttp(OpenSearchClients.create(OpenSearchConfig.local(answering.uri(), "http-status")));

            OpenSearchHttp.Answer answer = http.postJson("/any/_search", Map.of(), "{}".getBytes());

            assertThat(answer.status()).isEqualTo(status);
            assertThat(answer.ok()).isFalse();
        }
    }
}
