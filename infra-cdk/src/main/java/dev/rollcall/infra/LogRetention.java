package dev.rollcall.infra;

import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.logs.CfnLogGroup;
import software.amazon.awscdk.services.logs.LogGroup;
import software.constructs.Construct;

/**
 * Creates the stack's log groups with one retention. The days are set on the L1 resource because the L2 takes
 * only the RetentionDays enum, while the setting is a number of days.
 */
record LogRetention(int days) {

    LogRetention {
        if (!CentralSettings.LOG_RETENTION_DAYS.contains(days)) {
            throw new IllegalArgumentException("log retention of " + days + " days is not one CloudWatch Logs accepts");
        }
    }

    LogGroup logGroup(Construct scope, String id, RemovalPolicy removalPolicy) {
        LogGroup group = LogGroup.Builder.create(scope, id).removalPolicy(removalPolicy).build();
        ((CfnLogGroup) group.getNode().getDefaultChild()).setRetentionInDays(days);
        return group;
    }
}
