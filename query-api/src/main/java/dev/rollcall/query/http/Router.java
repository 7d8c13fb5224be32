package dev.rollcall.query.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the route of a request: 404 when no path matches, 405 with the allowed methods when only the method is
 * wrong. HEAD takes the GET route of its path (RFC 9110: the same answer without a body).
 */
public record Router(List<Route> routes) {

    public Router {
        routes = List.copyOf(routes);
    }

    /** A route and the values of its path parameters. */
    public record Match(Route route, Map<String, String> pathParameters) {
    }

    /** The route of a request and its path parameters; else an {@link ApiError} 404 or 405. */
    public Match match(ApiRequest request) {
        List<String> allowedMethods = new ArrayList<>();
        String method = request.isHead() ? "GET" : request.method();
        for (Route route : routes) {
            if (!route.matches(request.path())) {
                continue;
            }
            if (route.method().equals(method)) {
                Map<String, String> pathParameters = new LinkedHashMap<>();
                List<String> names = route.pathParameters();
                List<String> values = route.pathValues(request.path());
                for (int i = 0; i < names.size(); i++) {
                    pathParameters.put(names.get(i), values.get(i));
                }
                return new Match(route, pathParameters);
            }
            allowedMethods.add(route.method());
            if (route.method().equals("GET")) {
                allowedMethods.add("HEAD");
            }
        }
        if (!allowedMethods.isEmpty()) {
            throw ApiError.methodNotAllowed(request.method(), request.path(), allowedMethods);
        }
        if (request.path().equals("/v1/events") || request.path().startsWith("/v1/events/")) {
            // The webhook route is API Gateway's, to another function: only what misses it (no source, a path below
            // one, another method) arrives here, and the query API's description would not mention it.
            throw ApiError.notFound("no route " + ApiError.shown(request.method()) + " " + ApiError.shown(request.path())
                    + "; webhooks are POST /v1/events/{source}, e.g. /v1/events/alertmanager (see ingest-lambda/README.md)");
        }
        throw ApiError.notFound("no route " + ApiError.shown(request.method()) + " " + ApiError.shown(request.path()) + "; the routes are described at /v1/openapi.json");
    }
}
