package dev.rollcall.core.normalize;

import java.util.List;
import java.util.Set;
import java.util.StringJoiner;

import com.fasterxml.jackson.databind.JsonNode;

import dev.rollcall.core.alert.AlertState;
import dev.rollcall.core.alert.Severity;
import dev.rollcall.core.alert.Timestamps;

/**
 * ECS "ECS Task State Change" events. Only failures are alerts: a task that STOPPED because it failed to start, failed
 * its health checks, or because an essential container exited non-zero or could not run. Every other state change (pending, running, a
 * deployment or scale-in stopping tasks, a task that finished with exit code 0) yields no alert at all.
 */
final class EcsTaskStateNormalizer {

    static final String SOURCE = "ecs";
    static final String DETAIL_TYPE = "ECS Task State Change";
    /** Stops that are somebody's decision, not a failure. */
    private static final Set<String> DELIBERATE_STOPS = Set.of("UserInitiated", "ServiceSchedulerInitiated",
            "SpotInterruption", "TerminationNotice");

    private static final Field LAST_STATUS = Field.of("lastStatus");
    private static final Field STOP_CODE = Field.of("stopCode");
    private static final Field STOPPED_REASON = Field.of("stoppedReason");
    private static final Field STOPPED_AT = Field.of("stoppedAt");
    private static final Field UPDATED_AT = Field.of("updatedAt");
    private static final Field CONTAINERS = Field.of("containers");
    private static final Field NAME = Field.of("name");
    private static final Field EXIT_CODE = Field.of("exitCode");
    private static final Field REASON = Field.of("reason");
    private static final Field GROUP = Field.of("group");
    private static final Field CLUSTER_ARN = Field.of("clusterArn");
    private static final Field TASK_ARN = Field.of("taskArn");
    private static final Field TASK_DEFINITION_ARN = Field.of("taskDefinitionArn");
    private static final Field LAUNCH_TYPE = Field.of("launchType");
    private static final Field VERSION = Field.of("version");

    private EcsTaskStateNormalizer() {
    }

    static List<AlertDraft> fromEventBridge(EventBridgeEvent event) {
        JsonNode task = event.detail();
        if (!isFailure(task)) {
            return List.of();
        }
        String group = GROUP.text(task);
        String taskDefinition = AwsRegions.resourceName(TASK_DEFINITION_ARN.text(task));
        String stoppedReason = STOPPED_REASON.text(task);
        Labels labels = new Labels()
                .put("cluster", AwsRegions.resourceName(CLUSTER_ARN.text(task)))
                .put("task_arn", TASK_ARN.text(task))
                .put("task_definition", taskDefinition)
                .put("group", group)
                .put("stop_code", STOP_CODE.text(task))
                .put("launch_type", LAUNCH_TYPE.text(task));
        StringJoiner exits = new StringJoiner(", ");
        for (JsonNode container : CONTAINERS.in(task)) {
            String name = NAME.text(container);
            String exitCode = EXIT_CODE.text(container);
            labels.put("exit_code." + name, exitCode);
            if (exitCode != null && !"0".equals(exitCode)) {
                exits.add(name + " exited " + exitCode);
            } else if (REASON.text(container) != null) {
                exits.add(name + ": " + REASON.text(container));
            }
        }
        String name = Field.firstOf(group, family(taskDefinition), "ECS task");
        return List.of(AlertDraft.builder(SOURCE)
                .eventId(eventId(event, TASK_ARN.text(task), VERSION.text(task)))
                .occurredAt(Timestamps.parse(STOPPED_AT.in(task))
                        .or(() -> Timestamps.parse(UPDATED_AT.in(task)))
                        .orElse(event.eventTime()))
                .account(event.account())
                .region(event.region())
                .service(group != null && group.startsWith("service:") ? group.substring("service:".length()) : null)
                .name(name)
                .title(Field.firstOf(stoppedReason, "Task stopped") + (exits.length() == 0 ? "" : " (" + exits + ")"))
                .state(AlertState.FIRING)
                .severity(Severity.MEDIUM)
                .labels(labels)
                .build());
    }

    static boolean isFailure(JsonNode task) {
        if (!"STOPPED".equals(LAST_STATUS.text(task))) {
            return false;
        }
        String stopCode = STOP_CODE.text(task);
        if ("TaskFailedToStart".equals(stopCode)) {
            return true;
        }
        if ("ServiceSchedulerInitiated".equals(stopCode) && isHealthCheckKill(STOPPED_REASON.text(task))) {
            return true;
        }
        if (stopCode != null && DELIBERATE_STOPS.contains(stopCode)) {
            return false;
        }
        boolean oneSucceeded = false;
        boolean onlyStoppedAfterIt = true;
        boolean failed = false;
        for (JsonNode container : CONTAINERS.in(task)) {
            String exitCode = EXIT_CODE.text(container);
            if ((exitCode != null && !"0".equals(exitCode)) || (exitCode == null && REASON.text(container) != null)) {
                failed = true;
                onlyStoppedAfterIt &= REASON.text(container) == null && STOP_SIGNAL_EXITS.contains(exitCode);
            } else if ("0".equals(exitCode)) {
                oneSucceeded = true;
            }
        }
        // An essential container that finished with 0 makes ECS stop the rest (SIGTERM, then SIGKILL after the stop
        // timeout): a sidecar's 143 or 137 then is the task ending as meant, not a failure, unless a reason (an
        // out-of-memory kill) says otherwise. The event does not say which container is essential.
        return failed && !("EssentialContainerExited".equals(stopCode) && oneSucceeded && onlyStoppedAfterIt);
    }

    /**
     * A service stops a task that fails its load balancer's or its containers' health checks itself ("Task failed ELB
     * health checks in (target-group ...)", "Task failed container health checks"), under the same stop code as a
     * deployment or a scale-in: a service whose tasks crash-loop that way would otherwise show no alert at all.
     */
    static boolean isHealthCheckKill(String stoppedReason) {
        return stoppedReason != null && stoppedReason.startsWith("Task failed ") && stoppedReason.contains("health checks");
    }

    /** Exit codes of a process ended by the signals ECS stops a task's other containers with (SIGINT, SIGKILL, SIGTERM). */
    private static final Set<String> STOP_SIGNAL_EXITS = Set.of("130", "137", "143");

    /** The family of a task definition ({@code family:revision}); null when there is none to name. */
    static String family(String taskDefinition) {
        if (taskDefinition == null) {
            return null;
        }
        int colon = taskDefinition.indexOf(':');
        String family = colon < 0 ? taskDefinition : taskDefinition.substring(0, colon);
        return family.isBlank() ? null : family;
    }

    /**
     * The task's change, whichever delivery carries it: ECS may send one change more than once, each time with an
     * EventBridge id of its own and the same {@code version} in the detail (ECS Developer Guide, "Amazon ECS task
     * state change events"); by the id each copy was a failure of its own. Without both, the envelope's id.
     */
    static String eventId(EventBridgeEvent event, String taskArn, String version) {
        return taskArn == null || version == null ? event.id() : ContentHash.eventId(SOURCE, taskArn, version);
    }
}
