package dev.rollcall.infra;

import java.util.List;
import java.util.Map;

import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.ec2.FlowLogDestination;
import software.amazon.awscdk.services.ec2.FlowLogOptions;
import software.amazon.awscdk.services.ec2.FlowLogTrafficType;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointAwsService;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointOptions;
import software.amazon.awscdk.services.ec2.Peer;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SubnetConfiguration;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.logs.LogGroup;
import software.constructs.Construct;

/**
 * The VPC everything that talks to OpenSearch runs in: private subnets with NAT egress (the job pulls its image
 * and the query function calls AWS Batch), an S3 gateway endpoint so image layers skip the NAT, rejected-traffic
 * flow logs, and one security group for OpenSearch's clients.
 */
final class Network extends Construct {

    private final Vpc vpc;
    private final SecurityGroup openSearchClients;

    Network(Construct scope, String id, CentralSettings settings, LogRetention retention) {
        super(scope, id);
        this.vpc = Vpc.Builder.create(this, "Vpc")
                .maxAzs(settings.maxAzs())
                .natGateways(settings.natGateways())
                .subnetConfiguration(List.of(
                        SubnetConfiguration.builder().name("public").subnetType(SubnetType.PUBLIC).cidrMask(24).build(),
                        SubnetConfiguration.builder().name("private").subnetType(SubnetType.PRIVATE_WITH_EGRESS).cidrMask(20).build()))
                .gatewayEndpoints(Map.of("S3", GatewayVpcEndpointOptions.builder().service(GatewayVpcEndpointAwsService.S3).build()))
                .build();
        // Only rejected traffic: enough to debug a security group, a fraction of the cost of logging everything.
        LogGroup flowLogs = retention.logGroup(this, "FlowLogs", RemovalPolicy.DESTROY);
        vpc.addFlowLog("RejectedTraffic", FlowLogOptions.builder()
                .destination(FlowLogDestination.toCloudWatchLogs(flowLogs))
                .trafficType(FlowLogTrafficType.REJECT)
                .build());
        this.openSearchClients = SecurityGroup.Builder.create(this, "OpenSearchClients")
                .vpc(vpc)
                .description("Rollcall functions and jobs that call the OpenSearch domain")
                .allowAllOutbound(false)
                .build();
        // Everything they call speaks HTTPS: the domain, the AWS APIs (SQS, Batch, Secrets Manager, STS, CloudWatch
        // Logs) and the image registry; DNS, instance metadata and time sync are not filtered by security groups.
        openSearchClients.addEgressRule(Peer.anyIpv4(), Port.tcp(443), "HTTPS to the OpenSearch domain and AWS APIs");
    }

    Vpc vpc() {
        return vpc;
    }

    /** The private subnets with egress: functions, the job and the domain live here. */
    SubnetSelection privateSubnets() {
        return SubnetSelection.builder().subnetType(SubnetType.PRIVATE_WITH_EGRESS).build();
    }

    SecurityGroup openSearchClients() {
        return openSearchClients;
    }
}
