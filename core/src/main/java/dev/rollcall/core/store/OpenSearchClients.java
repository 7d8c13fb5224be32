package dev.rollcall.core.store;


import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.util.Timeout;
import org.opensearch.client.json.jackson.JacksonJsonpMapper;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.transport.OpenSearchTransport;
import org.opensearch.client.transport.aws.AwsSdk2Transport;
import org.opensearch.client.transport.aws.AwsSdk2TransportOptions;
import org.opensearch.client.transport.httpclient5.ApacheHttpClient5TransportBuilder;

import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

import dev.rollcall.core.alert.AlertJson;

/** Builds the OpenSearch client for a config: plain HTTP(S) for local nodes, SigV4-signed for Amazon OpenSearch. */
public final class OpenSearchClients {

    private OpenSearchClients() {
    }

    public static OpenSearchClient create(OpenSearchConfig config) {
        if (config.auth() == OpenSearchConfig.Auth.SIGV4) {
            return signed(config, signingHttp(config));
        }
        return new OpenSearchClient(plain(config));
    }

    /**
     * The HTTP client under the SigV4 transport, each request ending within the connect timeout plus the request
     * timeout in total. Not the SDK's Apache client: AwsSdk2Transport refuses request bodies
     * on DELETE with it, and the job closes its point-in-time and scroll contexts with DELETE bodies.
     */
    static SdkHttpClient signingHttp(OpenSearchConfig config) {
        // The socket timeout bounds each read, not the request: the total limit is what a caller's deadline can trust.
        return new TotalTimeoutHttpClient(UrlConnectionHttpClient.builder().connectionTimeout(OpenSearchConfig.CONNECT_TIMEOUT)
                .socketTimeout(config.timeout()).build(), OpenSearchConfig.CONNECT_TIMEOUT.plus(config.timeout()));
    }

    /**
     * The SigV4 client for Amazon OpenSearch Service (signing name {@code es}) with the credentials of the Lambda or
     * task role, sending through {@code http}; tests pass a client that reaches a local node instead of the domain.
     */
    public static OpenSearchClient signed(OpenSearchConfig config, SdkHttpClient http) {
        return new OpenSearchClient(new AwsSdk2Transport(http, config.endpoint().getHost(), "es", Region.of(config.region()),
                AwsSdk2TransportOptions.builder().setMapper(new JacksonJsonpMapper(AlertJson.newMapper())).build()));
    }

    private static OpenSearchTransport plain(OpenSearchConfig config) {
        JacksonJsonpMapper mapper = new JacksonJsonpMapper(AlertJson.newMapper());
        // No gzip on responses: the job's event scan is about 300 MB of JSON per million events, and compressing it
        // cost OpenSearch about 2 s of CPU per million on the cores it shares with the job (inflating it cost the job
        // as much), while this transport talks to a node on the same host or network.
        HttpHost host = new HttpHost(config.endpoint().getScheme(), config.endpoint().getHost(), port(config));
        return ApacheHttpClient5TransportBuilder.builder(host)
                .setMapper(mapper)
                .setHttpClientConfigCallback(http -> http.disableContentCompression().setConnectionManager(
                        PoolingAsyncClientConnectionManagerBuilder.create()
                                .setMaxConnTotal(32).setMaxConnPerRoute(32)
                                .setDefaultConnectionConfig(ConnectionConfig.custom()
                                        .setConnectTimeout(Timeout.of(OpenSearchConfig.CONNECT_TIMEOUT))
                                        .setSocketTimeout(Timeout.of(config.timeout())).build())
                                .build()))
                .setRequestConfigCallback(request -> request.setResponseTimeout(Timeout.of(config.timeout())))
                .build();
    }

    private static int port(OpenSearchConfig config) {
        int port = config.endpoint().getPort();
        if (port > 0) {
            return port;
        }
        return "https".equals(config.endpoint().getScheme()) ? 443 : 80;
    }
}
