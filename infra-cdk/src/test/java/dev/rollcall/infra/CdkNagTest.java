package dev.rollcall.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.cxapi.SynthesisMessage;

/** cdk-nag's AWS Solutions checks run in the app (as in `cdk synth`) and leave no unsuppressed finding. */
class CdkNagTest {

    static Stream<Arguments> stacks() {
        TestApps.Synthesized defaults = TestApps.defaults();
        TestApps.Synthesized production = TestApps.with(CentralStackVariantsTest.PRODUCTION_SIZED);
        return Stream.of(
                Arguments.of("central, default sizes", defaults.stacks().central()),
                Arguments.of("member", defaults.stacks().member()),
                Arguments.of("central, production sizes", production.stacks().central()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stacks")
    @SuppressWarnings("deprecation") // Annotations still answers with cxapi.SynthesisMessage in this CDK version
    void noUnsuppressedErrorsOrWarnings(String name, Stack stack) {
        Annotations annotations = Annotations.fromStack(stack);
        List<SynthesisMessage> errors = annotations.findError("*", Match.stringLikeRegexp("AwsSolutions-.*"));
        List<SynthesisMessage> warnings = annotations.findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*"));

        assertThat(describe(errors)).as("cdk-nag errors in %s", name).isEmpty();
        assertThat(describe(warnings)).as("cdk-nag warnings in %s", name).isEmpty();
    }

    @SuppressWarnings("deprecation")
    private static List<String> describe(List<SynthesisMessage> messages) {
        return messages.stream().map(m -> m.getId() + ": " + String.valueOf(m.getEntry().getData()).lines().findFirst().orElse("")).toList();
    }
}
