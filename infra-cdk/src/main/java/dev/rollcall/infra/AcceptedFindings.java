package dev.rollcall.infra;

import java.util.List;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;
import software.constructs.IConstruct;

/**
 * The cdk-nag findings this app accepts, each recorded on the construct it concerns with the reason, and the
 * shapes that come with a reason every time (VPC network interfaces, dead-letter queues).
 */
final class AcceptedFindings {

    private AcceptedFindings() {
    }

    /** Accepts finding {@code rule} (e.g. AwsSolutions-OS4) on {@code construct} and its children. */
    static void accept(IConstruct construct, String rule, String reason) {
        NagSuppressions.addResourceSuppressions(construct, List.of(NagPackSuppression.builder()
                .id(rule).reason(reason).build()), true);
    }

    /** Accepts IAM5 for {@code Resource::*} statements on {@code construct}: for actions AWS cannot scope. */
    static void acceptWildcardResource(IConstruct construct, String reason) {
        NagSuppressions.addResourceSuppressions(construct, List.of(NagPackSuppression.builder()
                .id("AwsSolutions-IAM5")
                .reason(reason)
                .appliesTo(List.of("Resource::*"))
                .build()), true);
    }

    /**
     * Gives a Lambda function's own role the network-interface actions Lambda needs in a VPC, instead of the
     * broader AWS managed policy.
     */
    static void allowLambdaNetworkInterfaces(IRole role) {
        role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .sid("LambdaVpcNetworkInterfaces")
                .actions(List.of("ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets",
                        "ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"))
                .resources(List.of("*"))
                .build());
        acceptWildcardResource(role, "Lambda manages the function's network interfaces in the VPC; EC2 does not scope "
                + "DescribeNetworkInterfaces/DescribeSubnets to resources, and the interface ids do not exist before "
                + "Lambda creates them (the statement of AWSLambdaVPCAccessExecutionRole).");
    }

    /**
     * An encrypted, TLS-only queue kept 14 days that is itself a dead-letter queue for {@code catches} (so it has
     * none of its own, which cdk-nag's SQS3 would ask for). It takes SQS's largest message: a failure record wraps
     * the event with its context and error, so a large event (up to EventBridge's 256 KB) parked in a queue of SQS's
     * former default size was refused and lost, counted only in the sender's delivery-failure metric.
     */
    static Queue deadLetterQueue(Construct scope, String id, String catches) {
        Queue queue = Queue.Builder.create(scope, id)
                .maxMessageSizeBytes(IngestConstruct.MAX_MESSAGE_BYTES)
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .retentionPeriod(Duration.days(14))
                .build();
        accept(queue, "AwsSolutions-SQS3", "This queue is itself the dead-letter queue of " + catches + ".");
        return queue;
    }
}
