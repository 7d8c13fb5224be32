package dev.rollcall.local;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;

/**
 * Turns a handler into a {@link LocalFunction} the way the Lambda Java runtime calls it: events are deserialized and
 * responses serialized with the runtime's own serializers, and the handler gets a context with a request id and a
 * deadline of the function's timeout.
 */
public final class LambdaRuntimeAdapter {

    private LambdaRuntimeAdapter() {
    }

    public static <I, O> LocalFunction of(String name, RequestHandler<I, O> handler, Class<I> input, Class<O> output, Duration timeout) {
        ClassLoader loader = LambdaRuntimeAdapter.class.getClassLoader();
        PojoSerializer<I> in = LambdaEventSerializers.serializerFor(input, loader);
        PojoSerializer<O> out = LambdaEventSerializers.serializerFor(output, loader);
        return json -> {
            O result = handler.handleRequest(in.fromJson(json), new LocalContext(name, timeout));
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            out.toJson(result, bytes);
            return bytes.toString(StandardCharsets.UTF_8);
        };
    }

    public static LocalFunction ofStream(String name, RequestStreamHandler handler, Duration timeout) {
        return json -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            handler.handleRequest(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), out, new LocalContext(name, timeout));
            return out.toString(StandardCharsets.UTF_8);
        };
    }

    /** The context a locally invoked function sees. */
    static final class LocalContext implements Context {
        private final String name;
        private final String requestId = UUID.randomUUID().toString();
        private final Instant deadline;
        private final Duration timeout;

        LocalContext(String name, Duration timeout) {
            this.name = name;
            this.timeout = timeout;
            this.deadline = Instant.now().plus(timeout);
        }

        @Override
        public String getAwsRequestId() {
            return requestId;
        }

        @Override
        public String getLogGroupName() {
            return "/aws/lambda/" + name;
        }

        @Override
        public String getLogStreamName() {
            return "local";
        }

        @Override
        public String getFunctionName() {
            return name;
        }

        @Override
        public String getFunctionVersion() {
            return "$LATEST";
        }

        @Override
        public String getInvokedFunctionArn() {
            return "arn:aws:lambda:" + LocalConfig.REGION + ":" + LocalConfig.ACCOUNT_ID + ":function:" + name;
        }

        @Override
        public CognitoIdentity getIdentity() {
            return null;
        }

        @Override
        public ClientContext getClientContext() {
            return null;
        }

        @Override
        public int getRemainingTimeInMillis() {
            return (int) Math.max(0, Duration.between(Instant.now(), deadline).toMillis());
        }

        @Override
        public int getMemoryLimitInMB() {
            return 1024;
        }

        @Override
        public LambdaLogger getLogger() {
            return new LambdaLogger() {
                @Override
                public void log(String message) {
                    System.out.println(message);
                }

                @Override
                public void log(byte[] message) {
                    System.out.println(new String(message, StandardCharsets.UTF_8));
                }
            };
        }

        @Override
        public String toString() {
            return name + " " + requestId + " (timeout " + timeout + ")";
        }
    }
}
