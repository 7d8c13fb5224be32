package dev.rollcall.core.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AwsRegionsTest {

    @ParameterizedTest(name = "''{0}'' is {1}")
    @CsvSource(nullValues = "none", value = {
            "EU (Ireland), eu-west-1",
            "Europe (Ireland), eu-west-1",
            "EU - Ireland, eu-west-1",
            "US East (N. Virginia), us-east-1",
            "US - N. Virginia, us-east-1",
            "US East (Ohio), us-east-2",
            "US West (Oregon), us-west-2",
            "Asia Pacific (Tokyo), ap-northeast-1",
            "Asia Pacific - Sydney, ap-southeast-2",
            "South America (São Paulo), sa-east-1",
            "South America (Sao Paulo), sa-east-1",
            "EU (Frankfurt), eu-central-1",
            "Europe (Stockholm), eu-north-1",
            "Canada (Central), ca-central-1",
            "Middle East (UAE), me-central-1",
            "AWS GovCloud (US-West), us-gov-west-1",
            "China (Beijing), cn-north-1",
            "eu-west-1, eu-west-1",
            "us-gov-east-1, us-gov-east-1",
            "'  us-east-1 ', us-east-1",
            // As a person types it into a label: the same region, stored as AWS writes it.
            "US-EAST-1, us-east-1",
            "Eu-West-1, eu-west-1",
            "Asia Pacific (Hong Kong) Region, ap-east-1",
            // A Google Cloud region has one dash: no AWS code, whatever a producer calls its region.
            "us-central1, none",
            "EXAMPLE, none",
            "Atlantis (Central), none",
            "'', none"})
    void mapsDisplayNamesAndCodesToCodes(String text, String expected) {
        assertThat(AwsRegions.code(text)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(nullValues = "none", value = {
            "arn:aws:cloudwatch:us-east-1:123456789012:alarm:ServerCpuTooHigh, us-east-1, 123456789012, ServerCpuTooHigh",
            "arn:aws:ecs:us-west-2:111122223333:task-definition/sample-fargate:1, us-west-2, 111122223333, sample-fargate:1",
            "arn:aws:ecs:us-west-2:111122223333:cluster/FargateCluster, us-west-2, 111122223333, FargateCluster",
            "arn:aws:rds:us-east-1:123456789012:db:my-db-instance, us-east-1, 123456789012, my-db-instance",
            "arn:aws:health:global::event/LAMBDA/X/Y, none, none, Y",
            "arn:aws:cloudwatch:REGION:ACCOUNT_NUMBER:alarm:EXAMPLE, none, ACCOUNT_NUMBER, EXAMPLE",
            "not-an-arn, none, none, not-an-arn"})
    void readsArns(String arn, String region, String account, String resource) {
        assertThat(AwsRegions.fromArn(arn)).isEqualTo(region);
        assertThat(AwsRegions.accountFromArn(arn)).isEqualTo(account);
        assertThat(AwsRegions.resourceName(arn)).isEqualTo(resource);
    }
}
