package dev.rollcall.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Lambda Invoke API's path as Lambda reads it: the function name decoded once from what the client sent, so a
 * name that is no function's is Lambda's 404, whatever escapes it holds.
 */
class LambdaInvokeEndpointTest {

    private final List<String> invoked = new CopyOnWriteArrayList<>();
    private AsyncInvocations async;
    private LambdaInvokeEndpoint endpoint;

    @BeforeEach
    void start() {
        LocalFunctions functions = new LocalFunctions().register(LocalPipeline.QUERY_API, event -> {
            invoked.add(event);
            return "{\"ok\":true}";
        });
        async = new AsyncInvocations(functions, Map.of(), 10);
        endpoint = new LambdaInvokeEndpoint(0, functions, async);
        endpoint.start();
    }

    @AfterEach
    void stop() {
        endpoint.close();
        async.close();
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', textBlock = """
            QueryApi                                                        | QueryApi
            arn%3Aaws%3Alambda%3Aus-east-1%3A000000000000%3Afunction%3AQueryApi | QueryApi
            QueryApi%3A%24LATEST                                            | QueryApi
            """)
    void aFunctionIsInvokedByItsNameOrArnEncodedOnce(String sent, String function) throws IOException {
        assertThat(invoke(sent)).startsWith("HTTP/1.1 200").endsWith("{\"ok\":true}");
        assertThat(invoked).as(function).hasSize(1);
    }

    @ParameterizedTest(name = "{0}: Function not found: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            %25zz       | %zz
            Query+Api   | Query+Api
            %2551ueryApi | %51ueryApi
            Query%20Api | Query Api
            """)
    void aNameOfNoFunctionIsLambdasNotFoundNotAnotherFunction(String sent, String name) throws IOException {
        String answer = invoke(sent);
        assertThat(answer).startsWith("HTTP/1.1 404").containsIgnoringCase("x-amzn-ErrorType: ResourceNotFoundException")
                .contains("\"Message\":\"Function not found: " + name + " (local functions: [QueryApi])\"");
        assertThat(invoked).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(textBlock = """
            %FF
            Query%C3
            """)
    void aNameThatIsNotUtf8IsAValidationError(String sent) throws IOException {
        assertThat(invoke(sent)).startsWith("HTTP/1.1 400").containsIgnoringCase("x-amzn-ErrorType: ValidationException")
                .contains("the function name " + sent + " is not UTF-8 once its %-escapes are decoded");
        assertThat(invoked).isEmpty();
    }

    private String invoke(String encodedName) throws IOException {
        return HttpEndpointTest.request(endpoint.port(), "POST", "/2015-03-31/functions/" + encodedName + "/invocations",
                "127.0.0.1:" + endpoint.port(), "Content-Length: 2\r\n", "{}");
    }
}
