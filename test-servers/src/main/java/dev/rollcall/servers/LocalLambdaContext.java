package dev.rollcall.servers;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;

/**
 * The context a function gets when it runs outside Lambda (local mode, tests): a fresh request id and a real
 * countdown of the remaining time from the function's timeout, so deadline logic behaves as in Lambda.
 */
public final class LocalLambdaContext implements Context {

    private final String functionName;
    private final String requestId;
    private final Instant deadline;
    private final String region;
    private final String account;

    public LocalLambdaContext(String functionName, Duration timeout, String region, String account) {
        this(functionName, timeout, region, account, UUID.randomUUID().toString());
    }

    private LocalLambdaContext(String functionName, Duration timeout, String region, String account, String requestId) {
        this.functionName = functionName;
        this.deadline = Instant.now().plus(timeout);
        this.region = region;
        this.account = account;
        this.requestId = requestId;
    }

    /** A context for {@code timeout} with test defaults for the names. */
    public static LocalLambdaContext withTimeout(Duration timeout) {
        return new LocalLambdaContext("rollcall-test", timeout, "us-east-1", "000000000000");
    }

    /** A context with a known request id (so a test can find its log lines) and a generous timeout. */
    public static LocalLambdaContext withRequestId(String requestId) {
        return new LocalLambdaContext("rollcall-test", Duration.ofMinutes(1), "us-east-1", "000000000000", requestId);
    }

    @Override
    public String getAwsRequestId() {
        return requestId;
    }

    @Override
    public String getLogGroupName() {
        return "/aws/lambda/" + functionName;
    }

    @Override
    public String getLogStreamName() {
        return "local";
    }

    @Override
    public String getFunctionName() {
        return functionName;
    }

    @Override
    public String getFunctionVersion() {
        return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
        return "arn:aws:lambda:" + region + ":" + account + ":function:" + functionName;
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
        return functionName + " " + requestId;
    }
}
