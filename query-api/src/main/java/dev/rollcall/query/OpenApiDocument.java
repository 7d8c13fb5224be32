package dev.rollcall.query;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import dev.rollcall.query.http.ApiResponse;

/** The OpenAPI 3 description of this API, a resource checked against the route table by the tests. */
public final class OpenApiDocument {

    public static final String ROUTE = "openapi";
    public static final String RESOURCE = "/dev/rollcall/query/openapi.json";
    private static final String TEXT = load();

    private OpenApiDocument() {
    }

    public static String text() {
        return TEXT;
    }

    public static ApiResponse response() {
        return new ApiResponse(200, Map.of("Content-Type", ApiResponse.JSON, "Cache-Control", "max-age=300"), TEXT);
    }

    private static String load() {
        try (InputStream in = OpenApiDocument.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
