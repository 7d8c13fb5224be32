package dev.rollcall.ingest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;

/** Converts Lambda events to and from JSON with the serializers the Lambda Java runtime itself uses. */
public final class LambdaRuntimeSerialization {

    private LambdaRuntimeSerialization() {
    }

    public static <T> T fromJson(String json, Class<T> type) {
        PojoSerializer<T> serializer = LambdaEventSerializers.serializerFor(type, LambdaRuntimeSerialization.class.getClassLoader());
        return serializer.fromJson(json);
    }

    public static <T> String toJson(T value, Class<T> type) {
        PojoSerializer<T> serializer = LambdaEventSerializers.serializerFor(type, LambdaRuntimeSerialization.class.getClassLoader());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        serializer.toJson(value, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    public static String resource(String name) {
        try (InputStream in = LambdaRuntimeSerialization.class.getResourceAsStream("/events/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource /events/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
