package dev.rollcall.infra;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import io.github.cdklabs.cdknag.RegexAppliesTo;

import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.CustomResource;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.ec2.EbsDeviceVolumeType;
import software.amazon.awscdk.services.ec2.ISubnet;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.ResourcePolicy;
import software.amazon.awscdk.services.opensearchservice.AdvancedSecurityOptions;
import software.amazon.awscdk.services.opensearchservice.CapacityConfig;
import software.amazon.awscdk.services.opensearchservice.CfnDomain;
import software.amazon.awscdk.services.opensearchservice.Domain;
import software.amazon.awscdk.services.opensearchservice.EbsOptions;
import software.amazon.awscdk.services.opensearchservice.EncryptionAtRestOptions;
import software.amazon.awscdk.services.opensearchservice.EngineVersion;
import software.amazon.awscdk.services.opensearchservice.LoggingOptions;
import software.amazon.awscdk.services.opensearchservice.TLSSecurityPolicy;
import software.amazon.awscdk.services.opensearchservice.ZoneAwarenessConfig;
import software.constructs.Construct;
import dev.rollcall.core.store.IndexNames;
import dev.rollcall.core.store.OpenSearchRoles;

/**
 * The OpenSearch domain: in the VPC's private subnets, encrypted at rest and between nodes, HTTPS only with TLS
 * 1.2, fine-grained access control whose master user is the setup function's IAM role. At deploy time a custom
 * resource (opensearch-setup/index.py) maps the functions' and the job's IAM roles to a writer or reader
 * OpenSearch role and installs the ISM lifecycle of the raw event indices; the index templates themselves are
 * installed by the runtime at start-up (core's IndexTemplateInstaller, idempotent by template version).
 */
final class SearchDomain extends Construct {

    static final String SETUP_RESOURCE_TYPE = "Custom::RollcallOpenSearchSetup";

    private final CentralSettings settings;
    private final Domain domain;
    private final SecurityGroup securityGroup;
    private final Role setupRole;
    private final Function setupFunction;
    private final List<String> writerRoleArns = new ArrayList<>();
    private final List<String> ingestRoleArns = new ArrayList<>();
    private final List<String> readerRoleArns = new ArrayList<>();

    SearchDomain(Construct scope, String id, CentralSettings settings, Network network, LogRetention retention) {
        super(scope, id);
        this.settings = settings;
        CentralSettings.OpenSearchSizing size = settings.openSearch();

        this.securityGroup = SecurityGroup.Builder.create(this, "SecurityGroup")
                .vpc(network.vpc())
                .description("Rollcall OpenSearch domain: HTTPS from the Rollcall clients only")
                .allowAllOutbound(false)
                .build();
        securityGroup.addIngressRule(network.openSearchClients(), Port.tcp(443), "HTTPS from Rollcall clients");

        this.setupRole = Role.Builder.create(this, "SetupRole")
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .description("OpenSearch master user: maps Rollcall's roles and installs lifecycle policies at deploy time")
                .build();

        // Kept with a kept domain: it goes on publishing to them, and deleted groups would leave it logging nowhere.
        LogGroup searchSlowLogs = retention.logGroup(this, "SlowSearchLogs", settings.dataRemovalPolicy());
        LogGroup indexSlowLogs = retention.logGroup(this, "SlowIndexLogs", settings.dataRemovalPolicy());
        LogGroup appLogs = retention.logGroup(this, "ApplicationLogs", settings.dataRemovalPolicy());
        // Our own resource policy instead of the L2's, which would deploy an extra custom-resource Lambda for it.
        ResourcePolicy logsPolicy = ResourcePolicy.Builder.create(this, "LogsPolicy")
                .policyStatements(List.of(PolicyStatement.Builder.create()
                        .principals(List.of(new ServicePrincipal("es.amazonaws.com")))
                        .actions(List.of("logs:CreateLogStream", "logs:PutLogEvents"))
                        .resources(List.of(searchSlowLogs.getLogGroupArn(), indexSlowLogs.getLogGroupArn(), appLogs.getLogGroupArn()))
                        .conditions(Map.of("StringEquals", Map.of("aws:SourceAccount", Stack.of(this).getAccount())))
                        .build()))
                .build();
        logsPolicy.applyRemovalPolicy(settings.dataRemovalPolicy());

        List<ISubnet> domainSubnets = network.vpc().getPrivateSubnets().subList(0, size.zoneAwareness() ? 2 : 1);
        this.domain = Domain.Builder.create(this, "Domain")
                .domainName(settings.openSearchDomainName())
                .version(EngineVersion.openSearch(size.version()))
                .capacity(CapacityConfig.builder()
                        .dataNodes(size.dataNodes())
                        .dataNodeInstanceType(size.instanceType())
                        .masterNodes(size.masterNodes() > 0 ? size.masterNodes() : null)
                        .masterNodeInstanceType(size.masterNodes() > 0 ? size.masterInstanceType() : null)
                        // Multi-AZ with standby needs 3 AZs and larger instances; zone awareness is the cheap step up.
                        .multiAzWithStandbyEnabled(false)
                        .build())
                .zoneAwareness(ZoneAwarenessConfig.builder()
                        .enabled(size.zoneAwareness())
                        .availabilityZoneCount(size.zoneAwareness() ? 2 : null)
                        .build())
                .ebs(EbsOptions.builder().enabled(true).volumeSize(size.volumeGb()).volumeType(EbsDeviceVolumeType.GP3).build())
                .encryptionAtRest(EncryptionAtRestOptions.builder().enabled(true).build())
                .nodeToNodeEncryption(true)
                .enforceHttps(true)
                .tlsSecurityPolicy(TLSSecurityPolicy.TLS_1_2_PFS)
                .fineGrainedAccessControl(AdvancedSecurityOptions.builder().masterUserArn(setupRole.getRoleArn()).build())
                .vpc(network.vpc())
                .vpcSubnets(List.of(SubnetSelection.builder()
                        .subnets(domainSubnets)
                        .build()))
                .securityGroups(List.of(securityGroup))
                .logging(LoggingOptions.builder()
                        .slowSearchLogEnabled(true).slowSearchLogGroup(searchSlowLogs)
                        .slowIndexLogEnabled(true).slowIndexLogGroup(indexSlowLogs)
                        .appLogEnabled(true).appLogGroup(appLogs)
                        .build())
                .suppressLogsResourcePolicy(true)
                .offPeakWindowEnabled(true)
                .enableAutoSoftwareUpdate(true)
                .removalPolicy(settings.dataRemovalPolicy())
                .build();
        domain.getNode().addDependency(logsPolicy);
        keepNetworkWithDomain(network, domainSubnets);
        acceptSizingFindings(size);

        LogGroup setupLogs = retention.logGroup(this, "SetupLogs", RemovalPolicy.DESTROY);
        setupLogs.grantWrite(setupRole);
        AcceptedFindings.allowLambdaNetworkInterfaces(setupRole);
        allowHttp(setupRole, List.of("es:ESHttpGet", "es:ESHttpPut", "es:ESHttpPost"));
        this.setupFunction = Function.Builder.create(this, "SetupFunction")
                .description("Rollcall: maps IAM roles to OpenSearch roles and installs ISM policies (CloudFormation custom resource)")
                .runtime(Runtime.PYTHON_3_14)
                .architecture(Architecture.ARM_64)
                .code(Code.fromAsset(settings.openSearchSetupDirectory().toString()))
                .handler("index.handler")
                .timeout(Duration.minutes(5))
                .memorySize(256)
                .role(setupRole)
                .logGroup(setupLogs)
                .vpc(network.vpc())
                .vpcSubnets(network.privateSubnets())
                .securityGroups(List.of(network.openSearchClients()))
                .build();
    }

    /**
     * A kept domain keeps its network interfaces in its subnets and its security group, so deleting those would end
     * the stack's deletion in DELETE_FAILED: they stay with the domain, with the VPC that holds them, and the domain
     * keeps working. The rest of the network (other subnets, NAT, routes, flow logs) goes.
     */
    private void keepNetworkWithDomain(Network network, List<ISubnet> domainSubnets) {
        if (!settings.retainData()) {
            return;
        }
        RemovalPolicy policy = settings.dataRemovalPolicy();
        network.vpc().applyRemovalPolicy(policy);
        securityGroup.applyRemovalPolicy(policy);
        for (ISubnet subnet : domainSubnets) {
            subnet.applyRemovalPolicy(policy);
        }
    }

    private void acceptSizingFindings(CentralSettings.OpenSearchSizing size) {
        if (size.dataNodes() == 1) {
            // The default keeps a trial cheap; a team deploying it for good should read this at synth, not in an outage.
            Annotations.of(this).addWarningV2("rollcall:singleDataNode", "One OpenSearch data node (" + size.instanceType()
                    + "), no replica: a node restart or failure stops ingestion and queries until it is back (events wait on "
                    + "the ingest queue), and a lost volume loses the data. For production set -c openSearchDataNodes=2 "
                    + "-c openSearchZoneAwareness=true (indices then get a replica) and a non-burstable openSearchInstanceType");
        }
        if (size.masterNodes() == 0) {
            AcceptedFindings.accept(domain, "AwsSolutions-OS4", "Cost: dedicated master nodes triple the smallest "
                    + "bill; small domains run without them. Set -c openSearchMasterNodes=3 for production clusters.");
        }
        if (!size.zoneAwareness()) {
            AcceptedFindings.accept(domain, "AwsSolutions-OS7", "Cost: the default is one data node in one AZ. Set "
                    + "-c openSearchZoneAwareness=true with an even openSearchDataNodes to spread data over two AZs.");
        }
        AcceptedFindings.accept(domain, "AwsSolutions-OS3", "IP allowlists do not apply to a VPC domain: it has no "
                + "public endpoint, its security group admits HTTPS only from Rollcall's client security group, and "
                + "its access policy names Rollcall's IAM roles.");
    }

    /** Lets {@code role} read the raw events, own the rollups and the job's state and install templates (the aggregation job). */
    void grantWrite(IRole role) {
        allowHttp(role, List.of("es:ESHttpGet", "es:ESHttpHead", "es:ESHttpPost", "es:ESHttpPut", "es:ESHttpDelete"));
        writerRoleArns.add(role.getRoleArn());
    }

    /**
     * For the ingest functions, which parse the least trusted input: only the HTTP methods they send (no DELETE, HEAD
     * or PATCH), and inside OpenSearch a role of their own that writes the raw events only. The rollups and the job's
     * state they may only bring to a new template's mapping and refresh interval, as every start-up does, so a bug or
     * a dependency of theirs can neither delete an index nor write or delete a rollup the API serves (a settings
     * update could still block their writes).
     */
    void grantIngest(IRole role) {
        allowHttp(role, List.of("es:ESHttpGet", "es:ESHttpPost", "es:ESHttpPut"));
        ingestRoleArns.add(role.getRoleArn());
    }

    /** Lets {@code role} search Rollcall's indices (query API); searches are POSTs with a body, and it sends no HEAD. */
    void grantRead(IRole role) {
        allowHttp(role, List.of("es:ESHttpGet", "es:ESHttpPost"));
        readerRoleArns.add(role.getRoleArn());
    }

    private void allowHttp(IRole role, List<String> actions) {
        role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .sid("OpenSearchHttp")
                .actions(actions)
                .resources(List.of(domain.getDomainArn(), domain.getDomainArn() + "/*"))
                .build());
        NagSuppressions.addResourceSuppressions(role, List.of(NagPackSuppression.builder()
                .id("AwsSolutions-IAM5")
                .reason("HTTP access to this one domain's paths (domain ARN + /*); what each role may do inside "
                        + "OpenSearch is limited by fine-grained access control to Rollcall's own indices.")
                .appliesTo(List.of(RegexAppliesTo.builder().regex("/^Resource::<.*Domain[0-9A-F]*\\.Arn>\\/\\*$/g").build()))
                .build()), true);
    }

    /**
     * Adds the custom resource that maps the roles granted so far and installs the ISM policy. Call it after every
     * grant; returns it so that consumers can wait for it.
     */
    CustomResource installAccessAndLifecycle() {
        Stack stack = Stack.of(this);
        String prefix = settings.indexPrefix();
        IndexNames names = new IndexNames(prefix);
        Map<String, Map<String, Object>> roles = OpenSearchRoles.definitions(names);
        Map<String, Object> mappings = new LinkedHashMap<>();
        // Ingest first: a stack that mapped the ingest functions to the writer role before loses that mapping next,
        // and in this order they are never left without one.
        mappings.put(OpenSearchRoles.ingest(names), List.copyOf(ingestRoleArns));
        mappings.put(OpenSearchRoles.writer(names), List.copyOf(writerRoleArns));
        mappings.put(OpenSearchRoles.reader(names), List.copyOf(readerRoleArns));
        List<String> admins = new ArrayList<>(List.of(setupRole.getRoleArn()));
        settings.openSearchAdminRoleArn().ifPresent(admins::add);
        restrictAccessTo(admins);

        CustomResource setup = CustomResource.Builder.create(this, "AccessAndLifecycle")
                .serviceToken(setupFunction.getFunctionArn())
                .resourceType(SETUP_RESOURCE_TYPE)
                .properties(Map.of(
                        "Endpoint", endpointUrl(),
                        "SecurityRoles", stack.toJsonString(roles),
                        "RoleMappings", stack.toJsonString(mappings),
                        "AdminRoleArns", stack.toJsonString(admins),
                        "IsmPolicies", stack.toJsonString(Map.of(prefix + "-events", Map.of(
                                "indexPattern", prefix + "-events-*",
                                "policy", eventsLifecycle(prefix, settings.eventsRetentionDays()))))))
                .build();
        setup.getNode().addDependency(domain);
        return setup;
    }

    /**
     * The domain's resource policy names every IAM role that may call it; fine-grained access control then decides
     * what each may do. Set on the L1 resource with the domain's ARN built from its name, since the L2's
     * access-policy option deploys another custom-resource Lambda to break the reference cycle.
     */
    private void restrictAccessTo(List<String> admins) {
        List<String> principals = new ArrayList<>(admins);
        principals.addAll(writerRoleArns);
        principals.addAll(ingestRoleArns);
        principals.addAll(readerRoleArns);
        String domainArn = Stack.of(this).formatArn(ArnComponents.builder()
                .service("es").resource("domain").resourceName(settings.openSearchDomainName() + "/*").build());
        ((CfnDomain) domain.getNode().getDefaultChild()).setAccessPolicies(Map.of(
                "Version", "2012-10-17",
                "Statement", List.of(Map.of(
                        "Effect", "Allow",
                        "Principal", Map.of("AWS", principals),
                        "Action", List.of("es:ESHttp*"),
                        "Resource", domainArn))));
    }

    /**
     * Raw event indices are monthly and deleted by index age, so the last event of a month would go 31 days
     * early, and a month's index can be created up to a day before the month starts (an {@code occurred_at} up to
     * a day ahead of its receipt is believed: core's OccurrenceTime.AHEAD), which the job's retention floor does not
     * expect: the policy waits retention + 32 days, keeping every event at least {@code retentionDays}. Rollups have
     * no policy: they are small and kept until deleted.
     */
    static Map<String, Object> eventsLifecycle(String prefix, int retentionDays) {
        return Map.of(
                "description", "Rollcall raw events: every event kept at least " + retentionDays + " days, then deleted",
                "default_state", "hot",
                "states", List.of(
                        Map.of("name", "hot", "actions", List.of(), "transitions", List.of(Map.of(
                                "state_name", "delete",
                                "conditions", Map.of("min_index_age", (retentionDays + 32) + "d")))),
                        Map.of("name", "delete", "actions", List.of(Map.of("delete", Map.of())), "transitions", List.of())),
                "ism_template", List.of(Map.of("index_patterns", List.of(prefix + "-events-*"), "priority", 100)));
    }

    /** The https URL the runtime's ROLLCALL_OPENSEARCH_ENDPOINT takes. */
    String endpointUrl() {
        return "https://" + domain.getDomainEndpoint();
    }

    Domain domain() {
        return domain;
    }

    Role setupRole() {
        return setupRole;
    }

    SecurityGroup securityGroup() {
        return securityGroup;
    }
}
