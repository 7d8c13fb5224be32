package dev.rollcall.local;

/** A Lambda function as local mode runs it: a JSON event in, a JSON response out, as the Lambda runtime sees it. */
@FunctionalInterface
public interface LocalFunction {

    /** Invokes the function; a thrown exception is the function's error, reported as Lambda reports it. */
    String invoke(String eventJson) throws Exception;
}
