package dev.rollcall.core.store;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;

/**
 * An HTTP client whose every request ends within one total time, the body sent and the answer read included. The
 * underlying client's socket timeout bounds each read alone: a node that accepts a connection and then trickles its
 * answer, or stalls a TLS handshake, would keep a request going past any deadline the caller planned with.
 */
final class TotalTimeoutHttpClient implements SdkHttpClient {

    private static final ExecutorService REQUESTS = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("opensearch-request-", 0).factory());

    private final SdkHttpClient delegate;
    private final Duration limit;

    TotalTimeoutHttpClient(SdkHttpClient delegate, Duration limit) {
        this.delegate = delegate;
        this.limit = limit;
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        ExecutableHttpRequest prepared = delegate.prepareRequest(request);
        return new ExecutableHttpRequest() {
            @Override
            public HttpExecuteResponse call() throws IOException {
                Future<HttpExecuteResponse> answer = REQUESTS.submit(() -> readWhole(prepared.call()));
                try {
                    return answer.get(limit.toMillis(), TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    stop(answer);
                    throw new IOException("OpenSearch did not answer within " + limit.toMillis() + " ms in total");
                } catch (InterruptedException e) {
                    stop(answer);
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while waiting for OpenSearch");
                } catch (ExecutionException e) {
                    throw rethrown(e.getCause());
                }
            }

            @Override
            public void abort() {
                prepared.abort();
            }

            /**
             * Interrupting the request's virtual thread closes the socket it is blocked on, which ends a stalled read at
             * once. Aborting the connection as well may wait for the lock that read holds, so it is not waited for.
             */
            private void stop(Future<HttpExecuteResponse> answer) {
                answer.cancel(true);
                Thread.ofVirtual().start(prepared::abort);
            }
        };
    }

    /** The answer with its body read to the end, so that reading it later cannot stall past the limit. */
    private static HttpExecuteResponse readWhole(HttpExecuteResponse response) throws IOException {
        Optional<AbortableInputStream> body = response.responseBody();
        if (body.isEmpty()) {
            return response;
        }
        byte[] bytes;
        try (InputStream in = body.get()) {
            bytes = in.readAllBytes();
        }
        return HttpExecuteResponse.builder().response(response.httpResponse())
                .responseBody(AbortableInputStream.create(new ByteArrayInputStream(bytes))).build();
    }

    private static IOException rethrown(Throwable cause) {
        if (cause instanceof IOException io) {
            return io;
        }
        if (cause instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return new IOException(cause);
    }

    @Override
    public String clientName() {
        return delegate.clientName();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
