package dev.rollcall.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import software.amazon.awscdk.assertions.Template;

/** {@code retainData} decides for every stateful resource together: kept by default, removed by {@code false}. */
class DisposableStackTest {

    private static final String RETAIN_EXCEPT_ON_CREATE = "RetainExceptOnCreate";

    /**
     * Kept on delete and replacement, but not when the first deploy rolls back: a kept domain would block the retry
     * with its name, and nothing would manage the queues, secret and key left behind.
     */
    @Test
    void byDefaultEveryStatefulResourceOutlivesTheStackIncludingTheAlarmTopicKey() {
        Template template = TestApps.defaults().central();
        Map<String, String> policies = deletionPolicies(template);
        assertThat(policies).containsEntry("AWS::KMS::Key", RETAIN_EXCEPT_ON_CREATE)
                .containsEntry("AWS::OpenSearchService::Domain", RETAIN_EXCEPT_ON_CREATE)
                .containsEntry("AWS::SQS::Queue", RETAIN_EXCEPT_ON_CREATE)
                .containsEntry("AWS::SecretsManager::Secret", RETAIN_EXCEPT_ON_CREATE)
                .doesNotContainValue("Retain");
        for (String type : List.of("AWS::KMS::Key", "AWS::OpenSearchService::Domain", "AWS::SQS::Queue", "AWS::SecretsManager::Secret")) {
            template.allResources(type, Map.of("UpdateReplacePolicy", "Retain"));
        }
        // The kept domain goes on publishing its slow and application logs: their groups and policy stay with it.
        assertThat(template.findResources("AWS::Logs::LogGroup", Map.of("DeletionPolicy", RETAIN_EXCEPT_ON_CREATE))).hasSize(3);
        template.hasResource("AWS::Logs::ResourcePolicy", Map.of("DeletionPolicy", RETAIN_EXCEPT_ON_CREATE));
    }

    /**
     * The kept domain's network interfaces stay in its subnet and security group: deleting those (and the VPC) would
     * end {@code cdk destroy} in DELETE_FAILED. Everything else of the network goes.
     */
    @Test
    void byDefaultTheDomainsSubnetSecurityGroupAndVpcStayWithIt() {
        TestApps.Synthesized app = TestApps.defaults();
        Template template = app.central();
        SearchDomain search = app.stacks().central().search();
        template.hasResource("AWS::EC2::VPC", Map.of("DeletionPolicy", RETAIN_EXCEPT_ON_CREATE));
        assertThat(template.findResources("AWS::EC2::SecurityGroup", Map.of("DeletionPolicy", RETAIN_EXCEPT_ON_CREATE)))
                .containsOnlyKeys(app.logicalId(search.securityGroup()));

        Map<String, Map<String, Object>> keptSubnets = template.findResources("AWS::EC2::Subnet",
                Map.of("DeletionPolicy", RETAIN_EXCEPT_ON_CREATE));
        List<String> domainSubnets = new ArrayList<>();
        TestApps.JSON.valueToTree(template.findResources("AWS::OpenSearchService::Domain")).elements().next()
                .path("Properties").path("VPCOptions").path("SubnetIds").forEach(ref -> domainSubnets.add(ref.path("Ref").asText()));
        assertThat(domainSubnets).hasSize(1);
        assertThat(keptSubnets).containsOnlyKeys(domainSubnets);

        Map<String, String> policies = deletionPolicies(template);
        for (String type : List.of("AWS::EC2::NatGateway", "AWS::EC2::RouteTable", "AWS::EC2::InternetGateway", "AWS::EC2::FlowLog")) {
            assertThat(policies).containsEntry(type, "Delete");
        }
    }

    @Test
    void withRetainDataFalseNothingIsLeftBehindToCostMoney() {
        Map<String, String> policies = deletionPolicies(TestApps.with(Map.of("retainData", "false")).central());
        assertThat(policies).containsEntry("AWS::KMS::Key", "Delete").containsEntry("AWS::OpenSearchService::Domain", "Delete")
                .containsEntry("AWS::SQS::Queue", "Delete").containsEntry("AWS::SecretsManager::Secret", "Delete");
        assertThat(policies).doesNotContainValue("Retain").doesNotContainValue(RETAIN_EXCEPT_ON_CREATE);
    }

    /** Each resource type's deletion policy ("mixed" when its resources disagree; absent means Delete). */
    private static Map<String, String> deletionPolicies(Template template) {
        Map<String, String> policies = new TreeMap<>();
        Map<String, Object> resources = template.toJSON().get("Resources") instanceof Map<?, ?> map ? castMap(map) : Map.of();
        for (Object value : resources.values()) {
            Map<String, Object> resource = castMap((Map<?, ?>) value);
            String type = (String) resource.get("Type");
            String policy = (String) resource.getOrDefault("DeletionPolicy", "Delete");
            policies.merge(type, policy, (a, b) -> a.equals(b) ? a : "mixed");
        }
        return policies;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }

    /** The default single node keeps a trial cheap; synth says what it gives up, and stops saying it once two nodes are set. */
    @Test
    void aSingleDataNodeIsNamedAsNoProductionSetupAtSynth() {
        software.amazon.awscdk.assertions.Annotations.fromStack(TestApps.defaults().stacks().central()).hasWarning("*",
                software.amazon.awscdk.assertions.Match.stringLikeRegexp("One OpenSearch data node .*openSearchDataNodes=2.*"));
        software.amazon.awscdk.assertions.Annotations.fromStack(TestApps.with(Map.of("openSearchDataNodes", "2",
                "openSearchZoneAwareness", "true")).stacks().central()).hasNoWarning("*",
                software.amazon.awscdk.assertions.Match.stringLikeRegexp("One OpenSearch data node.*"));
    }

}
