package dev.rollcall.servers.junit;

import java.net.URI;
import java.util.Map;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** The test SQS (ElasticMQ): its endpoint and SDK clients pointed at it. */
public record TestSqs(URI endpoint) {

    public static final String REGION = "us-east-1";
    public static final String ACCOUNT_ID = "000000000000";

    /** A new SDK client for this endpoint; close it when done. */
    public SqsClient client() {
        return SqsClient.builder()
                .endpointOverride(endpoint)
                .region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
    }

    /** Creates a queue with a dead-letter queue after {@code maxReceiveCount} receives; returns its URL. */
    public String createQueueWithDlq(String name, int maxReceiveCount, int visibilityTimeoutSeconds) {
        try (SqsClient sqs = client()) {
            String dlqUrl = sqs.createQueue(b -> b.queueName(name + "-dlq")).queueUrl();
            String dlqArn = sqs.getQueueAttributes(b -> b.queueUrl(dlqUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                    .attributes().get(QueueAttributeName.QUEUE_ARN);
            String redrive = "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"" + maxReceiveCount + "\"}";
            return sqs.createQueue(b -> b.queueName(name).attributes(Map.of(
                    QueueAttributeName.REDRIVE_POLICY, redrive,
                    QueueAttributeName.VISIBILITY_TIMEOUT, Integer.toString(visibilityTimeoutSeconds)))).queueUrl();
        }
    }
}
