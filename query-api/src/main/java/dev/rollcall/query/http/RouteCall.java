package dev.rollcall.query.http;

import java.util.Map;

import dev.rollcall.query.params.QueryParameters;

/** A request matched to its route: the request, its checked query parameters and its path parameters. */
public record RouteCall(Route route, ApiRequest request, QueryParameters parameters, Map<String, String> pathParameters) {

    public RouteCall {
        pathParameters = Map.copyOf(pathParameters);
    }

    /** The call of a matched route; its query parameters are checked against the route's list here (400 otherwise). */
    public static RouteCall of(Router.Match match, ApiRequest request) {
        Route route = match.route();
        if ("POST".equals(route.method()) && route.queryParameters().isEmpty() && !request.query().values().isEmpty()) {
            // The way a client used to GET routes would send a job's window.
            throw ApiError.unknownParameter(new java.util.TreeMap<>(request.query().values()).firstKey(), route.queryParameters(),
                    " (POST " + route.template() + " takes its fields as a JSON body)");
        }
        return new RouteCall(route, request, QueryParameters.of(request.query(), route.queryParameters()), match.pathParameters());
    }

    public String pathParameter(String name) {
        return pathParameters.get(name);
    }
}
