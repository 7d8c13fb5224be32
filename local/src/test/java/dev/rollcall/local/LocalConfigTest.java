package dev.rollcall.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class LocalConfigTest {

    @Test
    void withoutAnSqsEndpointLocalModeRunsElasticMqOnItsPort() {
        LocalConfig config = LocalConfig.parse(List.of("--sqs-port", "9400"));

        assertThat(config.externalSqsEndpoint()).isEmpty();
        assertThat(config.sqsEndpoint()).isEqualTo(URI.create("http://127.0.0.1:9400"));
        assertThat(config.ports()).containsEntry("--sqs-port", 9400);
    }

    @Test
    void anExternalSqsEndpointReplacesElasticMqAndFreesItsPort() {
        LocalConfig config = LocalConfig.parse(List.of("--sqs-endpoint", "http://127.0.0.1:4566", "--sqs-port", "9400"));

        assertThat(config.externalSqsEndpoint()).contains(URI.create("http://127.0.0.1:4566"));
        assertThat(config.sqsEndpoint()).isEqualTo(URI.create("http://127.0.0.1:4566"));
        // Nothing listens on --sqs-port then, so a busy port there must not stop local mode.
        assertThat(config.ports()).doesNotContainKey("--sqs-port").containsKeys("--query-port", "--opensearch-port");
        assertThat(DemoGuide.examples(config)).contains("aws sqs send-message --endpoint-url http://127.0.0.1:4566 ");
    }

    @Test
    void anSqsEndpointThatIsNotAnHttpUrlNamesTheOption() {
        for (String bad : List.of("127.0.0.1:4566", "ftp://host/", "http://", "http://bad host:1")) {
            assertThatThrownBy(() -> LocalConfig.parse(List.of("--sqs-endpoint", bad)))
                    .isInstanceOf(LocalConfig.UsageException.class)
                    .hasMessage("--sqs-endpoint must be an http(s) URL such as http://127.0.0.1:4566, got '" + bad + "'");
        }
        assertThat(LocalConfig.parse(List.of("--sqs-endpoint", "https://sqs.us-east-1.amazonaws.com")).externalSqsEndpoint())
                .isEqualTo(Optional.of(URI.create("https://sqs.us-east-1.amazonaws.com")));
    }

    @Test
    void helpIsAnAnswerAndABadOptionAnError() {
        for (String help : List.of("--help", "-h")) {
            assertThatThrownBy(() -> LocalConfig.parse(List.of(help)))
                    .isInstanceOfSatisfying(LocalConfig.UsageException.class, e -> assertThat(e.helpAsked()).isTrue())
                    .hasMessageStartingWith("usage: ./rollcall local");
        }
        assertThatThrownBy(() -> LocalConfig.parse(List.of("--no-such-option")))
                .isInstanceOfSatisfying(LocalConfig.UsageException.class, e -> assertThat(e.helpAsked()).isFalse())
                .hasMessageStartingWith("unknown or incomplete option '--no-such-option'");
    }
}
