package dev.rollcall.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import software.amazon.awscdk.App;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Token;
import software.amazon.awscdk.assertions.Template;

/**
 * The central stack takes the account and region the CDK CLI found, so that it sees the region's availability zones;
 * asking for more zones than the stack sees fails the synth instead of quietly building fewer.
 */
class CentralEnvironmentTest {

    private static final Environment EU_WEST_1 = Environment.builder().account("123456789012").region("eu-west-1").build();

    @Test
    void theCliEnvironmentNeedsBothAccountAndRegion() {
        Optional<Environment> both = RollcallApp.cliEnvironment(Map.of("CDK_DEFAULT_ACCOUNT", "123456789012",
                "CDK_DEFAULT_REGION", "eu-west-1"));
        assertThat(both).hasValueSatisfying(env -> {
            assertThat(env.getAccount()).isEqualTo("123456789012");
            assertThat(env.getRegion()).isEqualTo("eu-west-1");
        });
        // No credentials: the CLI sets the region (from AWS_REGION) and no account.
        assertThat(RollcallApp.cliEnvironment(Map.of("CDK_DEFAULT_REGION", "eu-west-1"))).isEmpty();
        assertThat(RollcallApp.cliEnvironment(Map.of())).isEmpty();
    }

    @Test
    void threeZonesOnAnEnvironmentAgnosticStackFailWithTheReason() {
        App app = app(Map.of("maxAzs", "3", "natGateways", "3"));
        assertThatThrownBy(() -> RollcallApp.define(app, RepositoryLayout.locate(), Optional.empty()))
                .hasMessageContaining("maxAzs=3 but the central stack knows only 2 availability zones")
                .hasMessageContaining("environment-agnostic").hasMessageContaining("CDK_DEFAULT_ACCOUNT");
    }

    @Test
    void threeZonesInARegionWithTwoFailWithTheReason() {
        App app = app(Map.of("maxAzs", "3", availabilityZonesKey(EU_WEST_1), List.of("eu-west-1a", "eu-west-1b")));
        assertThatThrownBy(() -> RollcallApp.define(app, RepositoryLayout.locate(), Optional.of(EU_WEST_1)))
                .hasMessageContaining("maxAzs=3").hasMessageContaining("its region eu-west-1 has no more");
    }

    @Test
    void withTheCliEnvironmentThreeZonesGetThreeNatGatewaysAndTheMemberStackStaysAgnostic() {
        App app = app(Map.of("maxAzs", "3", "natGateways", "3",
                availabilityZonesKey(EU_WEST_1), List.of("eu-west-1a", "eu-west-1b", "eu-west-1c")));
        RollcallApp.Stacks stacks = RollcallApp.define(app, RepositoryLayout.locate(), Optional.of(EU_WEST_1));
        Template central = Template.fromStack(stacks.central());

        central.resourceCountIs("AWS::EC2::NatGateway", 3);
        central.resourcePropertiesCountIs("AWS::EC2::Subnet", Map.of("MapPublicIpOnLaunch", false), 3);
        central.hasResourceProperties("AWS::EC2::Subnet", Map.of("AvailabilityZone", "eu-west-1c", "MapPublicIpOnLaunch", false));
        // The StackSet template must run in every account and region.
        assertThat(Token.isUnresolved(stacks.member().getAccount())).isTrue();
        assertThat(Token.isUnresolved(stacks.member().getRegion())).isTrue();
    }

    private static App app(Map<String, Object> overrides) {
        Map<String, Object> context = new HashMap<>(TestApps.BASE_CONTEXT);
        context.putAll(overrides);
        return TestApps.app(context);
    }

    /** The context key under which CDK caches an availability-zones lookup (cdk.context.json). */
    private static String availabilityZonesKey(Environment env) {
        return "availability-zones:account=" + env.getAccount() + ":region=" + env.getRegion();
    }
}
