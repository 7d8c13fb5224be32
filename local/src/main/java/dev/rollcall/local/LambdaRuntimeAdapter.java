package dev.rollcall.local;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;

import dev.rollcall.servers.LocalLambdaContext;

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
            O result = handler.handleRequest(in.fromJson(json), new LocalLambdaContext(name, timeout, LocalConfig.REGION, LocalConfig.ACCOUNT_ID));
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            out.toJson(result, bytes);
            return bytes.toString(StandardCharsets.UTF_8);
        };
    }

    public static LocalFunction ofStream(String name, RequestStreamHandler handler, Duration timeout) {
        return json -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            handler.handleRequest(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), out, new LocalLambdaContext(name, timeout, LocalConfig.REGION, LocalConfig.ACCOUNT_ID));
            return out.toString(StandardCharsets.UTF_8);
        };
    }
}
