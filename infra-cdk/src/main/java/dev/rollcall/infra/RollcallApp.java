package dev.rollcall.infra;

import java.util.Map;
import java.util.Optional;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackProps;

import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.BootstraplessSynthesizer;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Tags;

/** The CDK app: the central stack, the member-account stack and the cdk-nag AWS Solutions checks over both. */
public final class RollcallApp {

    static final String CENTRAL_STACK = "RollcallCentral";
    static final String MEMBER_STACK = "RollcallMember";

    /** Both stacks of one app. */
    record Stacks(CentralStack central, MemberAccountStack member) {
    }

    private RollcallApp() {
    }

    public static void main(String[] args) {
        App app = new App();
        define(app, RepositoryLayout.locate(), cliEnvironment(System.getenv()));
        app.synth();
    }

    /**
     * The account and region the CDK CLI found for its credentials, as {@code cdk init} apps use them. With both, the
     * central stack knows the region's availability zones (an environment-agnostic stack gets two, whatever
     * maxAzs says); without (a synth with no AWS credentials) it stays environment-agnostic.
     */
    static Optional<Environment> cliEnvironment(Map<String, String> variables) {
        String account = variables.getOrDefault("CDK_DEFAULT_ACCOUNT", "");
        String region = variables.getOrDefault("CDK_DEFAULT_REGION", "");
        if (account.isBlank() || region.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(Environment.builder().account(account).region(region).build());
    }

    /**
     * Adds the stacks and checks to {@code app}; the tests call it with an App carrying their own context. Only the
     * central stack takes {@code centralEnvironment}: the member stack is deployed everywhere, as a StackSet too.
     */
    static Stacks define(App app, RepositoryLayout repository, Optional<Environment> centralEnvironment) {
        CentralSettings settings = CentralSettings.fromContext(app.getNode(), repository);
        CentralStack central = new CentralStack(app, CENTRAL_STACK, StackProps.builder()
                .description("Rollcall: SRE event ingestion and aggregation pipeline (central account)")
                .env(centralEnvironment.orElse(null))
                .build(), settings);
        MemberAccountStack member = new MemberAccountStack(app, MEMBER_STACK, StackProps.builder()
                .description("Rollcall: forwards this account's operational events to the central event bus")
                .synthesizer(new BootstraplessSynthesizer())
                .build(), new ContextReader(app.getNode()).optional("centralBusArn"));
        Tags.of(app).add("application", "rollcall");
        Aspects.of(app).add(new AwsSolutionsChecks(NagPackProps.builder().verbose(true).build()));
        return new Stacks(central, member);
    }
}
