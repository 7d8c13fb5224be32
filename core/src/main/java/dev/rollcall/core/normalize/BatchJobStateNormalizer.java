package dev.rollcall.core.normalize;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.rollcall.core.alert.AlertState;
import dev.rollcall.core.alert.Severity;
import dev.rollcall.core.alert.Timestamps;

/**
 * AWS Batch "Batch Job State Change" events. Only FAILED jobs are alerts; every other status change (SUBMITTED,
 * RUNNABLE, RUNNING, SUCCEEDED, ...) yields no alert at all.
 */
final class BatchJobStateNormalizer {

    static final String SOURCE = "batch";
    static final String DETAIL_TYPE = "Batch Job State Change";

    private static final Field STATUS = Field.of("status");
    private static final Field STATUS_REASON = Field.of("statusReason");
    private static final Field JOB_NAME = Field.of("jobName");
    private static final Field JOB_ID = Field.of("jobId");
    private static final Field JOB_QUEUE = Field.of("jobQueue");
    private static final Field JOB_DEFINITION = Field.of("jobDefinition");
    private static final Field STOPPED_AT = Field.of("stoppedAt");
    private static final Field ATTEMPTS = Field.of("attempts");
    private static final Field CONTAINER = Field.of("container");
    private static final Field EXIT_CODE = Field.of("exitCode");
    private static final Field REASON = Field.of("reason");
    private static final Field TAGS = Field.of("tags");

    private BatchJobStateNormalizer() {
    }

    static List<AlertDraft> fromEventBridge(EventBridgeEvent event) {
        JsonNode job = event.detail();
        if (!"FAILED".equals(STATUS.text(job))) {
            return List.of();
        }
        JsonNode container = CONTAINER.in(job);
        String jobName = JOB_NAME.text(job);
        Labels labels = new Labels()
                .putTags("", TAGS.in(job))
                .put("job_id", JOB_ID.text(job))
                .put("job_queue", AwsRegions.resourceName(JOB_QUEUE.text(job)))
                .put("job_definition", AwsRegions.resourceName(JOB_DEFINITION.text(job)))
                .put("attempts", ATTEMPTS.in(job).isArray() ? Integer.toString(ATTEMPTS.in(job).size()) : null)
                .put("exit_code", EXIT_CODE.text(container))
                .put("container_reason", REASON.text(container));
        return List.of(AlertDraft.builder(SOURCE)
                .eventId(event.id())
                .occurredAt(Timestamps.parse(STOPPED_AT.in(job)).orElse(event.eventTime()))
                .account(event.account())
                .region(event.region())
                .name(Field.firstOf(jobName, "Batch job"))
                .title(Field.firstOf(STATUS_REASON.text(job), "Batch job " + jobName + " failed"))
                .state(AlertState.FIRING)
                .severity(Severity.MEDIUM)
                .service(labels.serviceTag())
                .environment(labels.environmentTag())
                .labels(labels)
                .build());
    }
}
