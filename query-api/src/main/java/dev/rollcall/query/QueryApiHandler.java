package dev.rollcall.query;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

/**
 * The Lambda entry point ({@code dev.rollcall.query.QueryApiHandler::handleRequest}) behind the HTTP API: reads
 * its configuration once at init (failing fast with the name of a missing or bad variable) and hands every event
 * to {@link QueryApi}.
 */
public final class QueryApiHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    private final QueryApi api;

    /** The constructor Lambda calls: configuration from the environment, AWS Batch for jobs. */
    public QueryApiHandler() {
        this(QueryApi.create(QueryApiConfig.fromEnvironment()));
    }

    /** For in-process callers (benchmarks, local mode) with a plain config. */
    public QueryApiHandler(QueryApiConfig config) {
        this(QueryApi.create(config));
    }

    public QueryApiHandler(QueryApi api) {
        this.api = api;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return api.handle(event, context == null ? null : context.getAwsRequestId()).toEvent();
    }
}
