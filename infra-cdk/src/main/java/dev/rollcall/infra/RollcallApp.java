package dev.rollcall.infra;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackProps;

import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.BootstraplessSynthesizer;
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
        define(app, RepositoryLayout.locate());
        app.synth();
    }

    /** Adds the stacks and checks to {@code app}; the tests call it with an App carrying their own context. */
    static Stacks define(App app, RepositoryLayout repository) {
        CentralSettings settings = CentralSettings.fromContext(app.getNode(), repository);
        CentralStack central = new CentralStack(app, CENTRAL_STACK, StackProps.builder()
                .description("Rollcall: SRE event ingestion and aggregation pipeline (central account)")
                .build(), settings);
        MemberAccountStack member = new MemberAccountStack(app, MEMBER_STACK, StackProps.builder()
                .description("Rollcall: forwards this account's operational events to the central event bus")
                .synthesizer(new BootstraplessSynthesizer())
                .build(), new ContextReader(app.getNode()).optionalMatching("centralBusArn", MemberAccountStack.BUS_ARN,
                        MemberAccountStack.BUS_ARN_EXAMPLE));
        Tags.of(app).add("application", "rollcall");
        Aspects.of(app).add(new AwsSolutionsChecks(NagPackProps.builder().verbose(true).build()));
        return new Stacks(central, member);
    }
}
