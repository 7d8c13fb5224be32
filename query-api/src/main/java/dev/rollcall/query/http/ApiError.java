package dev.rollcall.query.http;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An answer other than success that the request itself explains: bad input (400, naming the parameter and what
 * is allowed), an unknown route or job (404), a wrong method (405), or a dependency that is down (502/503).
 * Thrown from anywhere below the router and turned into a JSON error; never logged with a stack trace.
 */
public final class ApiError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final String parameter;
    private final List<String> allowed;
    private final Map<String, String> headers;

    private ApiError(int status, String code, String parameter, String message, List<String> allowed, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.parameter = parameter;
        this.allowed = allowed == null ? List.of() : List.copyOf(allowed);
        this.headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    /** The most of a client's value an error repeats: enough to recognise it, not a copy of a multi-megabyte body. */
    static final int SHOWN_CHARS = 100;

    /**
     * {@code value} in quotes, as an error repeats it: cut to {@value #SHOWN_CHARS} characters with its full length
     * after it, so that a huge value makes neither a huge answer nor a huge log line.
     */
    public static String quoted(String value) {
        if (value == null) {
            return "''";
        }
        return "'" + cut(value) + "'" + (value.length() > SHOWN_CHARS ? " (" + value.length() + " characters)" : "");
    }

    /**
     * {@code value} as a message or log line shows it without quotes (a path, a method): whole when short, else cut
     * as {@link #quoted} cuts it, with its full length after it.
     */
    public static String shown(String value) {
        if (value == null || value.length() <= SHOWN_CHARS) {
            return value;
        }
        return cut(value) + " (" + value.length() + " characters)";
    }

    /** {@code value} as far as an error shows it: its first {@value #SHOWN_CHARS} characters and an ellipsis. */
    private static String cut(String value) {
        if (value.length() <= SHOWN_CHARS) {
            return value;
        }
        int end = Character.isHighSurrogate(value.charAt(SHOWN_CHARS - 1)) ? SHOWN_CHARS - 1 : SHOWN_CHARS;
        return value.substring(0, end) + "…";
    }

    /** A 400 for {@code parameter}; {@code message} says what was wrong and what is allowed. */
    public static ApiError badParameter(String parameter, String message) {
        return new ApiError(400, "invalid_parameter", parameter, message, null, null);
    }

    /** A 400 for a value outside a closed set; the set is listed in the message and in {@code allowed}. */
    public static ApiError notOneOf(String parameter, String value, List<String> allowed) {
        return new ApiError(400, "invalid_parameter", parameter,
                parameter + " " + quoted(value) + " is not one of: " + String.join(", ", allowed), allowed, null);
    }

    /** A 400 for a JSON field of a closed set sent as something other than a string (a number, an object). */
    public static ApiError notText(String parameter, List<String> allowed) {
        return new ApiError(400, "invalid_parameter", parameter,
                parameter + " must be a string, one of: " + String.join(", ", allowed), allowed, null);
    }

    public static ApiError unknownParameter(String parameter, List<String> allowed) {
        return unknownParameter(parameter, allowed, "");
    }

    /** A 400 for a parameter the route does not take, with {@code hint} after the allowed ones (empty for none). */
    public static ApiError unknownParameter(String parameter, List<String> allowed, String hint) {
        return new ApiError(400, "unknown_parameter", cut(parameter), "unknown parameter " + quoted(parameter) + "; allowed: "
                + (allowed.isEmpty() ? "none" : String.join(", ", allowed)) + hint, allowed, null);
    }

    public static ApiError notFound(String message) {
        return new ApiError(404, "not_found", null, message, null, null);
    }

    public static ApiError methodNotAllowed(String method, String path, List<String> allowedMethods) {
        return new ApiError(405, "method_not_allowed", null,
                shown(method) + " is not allowed on " + shown(path) + "; allowed: " + String.join(", ", allowedMethods),
                allowedMethods, Map.of("Allow", String.join(", ", allowedMethods)));
    }

    /** OpenSearch or Batch did not answer, or answered that it is overloaded: the client may retry. */
    public static ApiError unavailable(String message) {
        return new ApiError(503, "unavailable", null, message, null, Map.of("Retry-After", "1"));
    }

    /** A dependency rejected what this API sent it: a fault of the deployment, not of the client. */
    public static ApiError upstream(String message) {
        return new ApiError(502, "upstream_error", null, message, null, null);
    }

    /** A failure the API did not expect: no details, only the request id to find its logged stack trace. */
    public static ApiError internal(String requestId) {
        return new ApiError(500, "internal_error", null,
                "the request failed unexpectedly; quote request id " + requestId + " when reporting it", null, null);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String parameter() {
        return parameter;
    }

    public List<String> allowed() {
        return allowed;
    }

    /** The JSON body: status, error code, message, and where known the parameter and the allowed values. */
    public ApiResponse toResponse(String requestId) {
        ObjectNode body = ApiJson.object();
        body.put("status", status);
        body.put("error", code);
        if (parameter != null) {
            body.put("parameter", parameter);
        }
        body.put("message", getMessage());
        if (!allowed.isEmpty()) {
            allowed.forEach(body.putArray("allowed")::add);
        }
        if (requestId != null) {
            body.put("request_id", requestId);
        }
        return ApiResponse.json(status, body).withHeaders(headers);
    }
}
