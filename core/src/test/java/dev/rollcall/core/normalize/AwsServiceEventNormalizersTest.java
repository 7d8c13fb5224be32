package dev.rollcall.core.normalize;

import static dev.rollcall.core.normalize.Samples.row;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.rollcall.core.alert.Alert;

/**
 * ECS task and Batch job state changes (only failures are alerts; every other state change yields none) and
 * EC2 and RDS events (kept as info).
 */
class AwsServiceEventNormalizersTest {

    static Stream<Arguments> samples() {
        return Stream.of(
                row("ecs/task-state-change-running.json", """
                    [ ]
                    """),
                row("ecs/task-stopped-by-deployment.json", """
                    [ ]
                    """),
                row("ecs/task-stopped-essential-container-exited.json", """
                    [
                      {
                        "event_id": "ecs:97058ee413825b2dc7a0bf3b651296d8927752c2b3b1ecf4ca6cf5e59b506171",
                        "occurred_at": "2020-01-23T18:04:11.652Z",
                        "ingested_at": "2026-03-14T12:00:00Z",
                        "source": "ecs",
                        "account": "111122223333",
                        "region": "us-west-2",
                        "service": "sample-fargate-svc",
                        "name": "service:sample-fargate-svc",
                        "title": "Essential container in task exited (FargateApp exited 1)",
                        "state": "firing",
                        "severity": "medium",
                        "urgency": "high",
                        "unclassified": true,
                        "fingerprint": "ecs:111122223333|us-west-2|FargateCluster|service:sample-fargate-svc",
                        "fingerprint_fields": [
                          "account",
                          "region",
                          "labels.cluster",
                          "name"
                        ],
                        "labels": {
                          "cluster": "FargateCluster",
                          "exit_code.FargateApp": "1",
                          "group": "service:sample-fargate-svc",
                          "launch_type": "FARGATE",
                          "stop_code": "EssentialContainerExited",
                          "task_arn": "arn:aws:ecs:us-west-2:111122223333:task/FargateCluster/c13b4cb40f1f4fe4a2971f76ae5a47ad",
                          "task_definition": "sample-fargate:1"
                        }
                      }
                    ]
                    """),
                row("batch/job-failed.json", """
                    [
                      {
                        "event_id": "6a1c7d0e-2f49-4b8a-9e3d-5c7b1a0f2e84",
                        "occurred_at": "2022-01-11T23:47:15.124Z",
                        "ingested_at": "2026-03-14T12:00:00Z",
                        "source": "batch",
                        "account": "123456789012",
                        "region": "us-east-1",
                        "name": "event-test",
                        "title": "Essential container in task exited",
                        "state": "firing",
                        "severity": "medium",
                        "urgency": "high",
                        "unclassified": true,
                        "fingerprint": "batch:123456789012|us-east-1|PexjEHappyPathCanary2JobQueue|event-test",
                        "fingerprint_fields": [
                          "account",
                          "region",
                          "labels.job_queue",
                          "name"
                        ],
                        "labels": {
                          "attempts": "2",
                          "container_reason": "OutOfMemoryError: Container killed due to memory usage",
                          "exit_code": "137",
                          "job_definition": "first-run-job-definition:1",
                          "job_id": "4c7599ae-0a82-49aa-ba5a-4727fcce14a8",
                          "job_queue": "PexjEHappyPathCanary2JobQueue",
                          "resourceArn": "arn:aws:batch:us-east-1:123456789012:job/4c7599ae-0a82-49aa-ba5a-4727fcce14a8"
                        }
                      }
                    ]
                    """),
                row("batch/job-state-change-runnable.json", """
                    [ ]
                    """),
                row("ec2/instance-state-change-terminated.json", """
                    [
                      {
                        "event_id": "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
                        "occurred_at": "2015-12-22T18:43:48Z",
                        "ingested_at": "2026-03-14T12:00:00Z",
                        "source": "ec2",
                        "account": "111122223333",
                        "region": "us-east-1",
                        "name": "EC2 Instance State-change Notification",
                        "title": "EC2 instance i-12345678 is terminated",
                        "state": "info",
                        "severity": "info",
                        "urgency": "high",
                        "unclassified": true,
                        "fingerprint": "ec2:111122223333|us-east-1|i-12345678",
                        "fingerprint_fields": [
                          "account",
                          "region",
                          "instance_id"
                        ],
                        "labels": {
                          "instance_id": "i-12345678",
                          "state": "terminated"
                        }
                      }
                    ]
                    """),
                row("rds/db-instance-failover.json", """
                    [
                      {
                        "event_id": "68f6e973-1a0c-d37b-f2f2-94a7f62ffd4e",
                        "occurred_at": "2018-09-27T22:36:43.292Z",
                        "ingested_at": "2026-03-14T12:00:00Z",
                        "source": "rds",
                        "account": "123456789012",
                        "region": "us-east-1",
                        "name": "RDS-EVENT-0049",
                        "title": "A Multi-AZ failover has completed.",
                        "state": "info",
                        "severity": "info",
                        "urgency": "high",
                        "unclassified": true,
                        "fingerprint": "rds:123456789012|us-east-1|RDS-EVENT-0049|rds:my-db-instance",
                        "fingerprint_fields": [
                          "account",
                          "region",
                          "name",
                          "source_identifier"
                        ],
                        "labels": {
                          "event_categories": "failover",
                          "rds_event_id": "RDS-EVENT-0049",
                          "source_arn": "arn:aws:rds:us-east-1:123456789012:db:my-db-instance",
                          "source_identifier": "rds:my-db-instance",
                          "source_type": "DB_INSTANCE"
                        }
                      }
                    ]
                    """),
                row("rds/db-instance-stopped.json", """
                    [
                      {
                        "event_id": "12a345b6-78c9-01d2-34e5-123f4ghi5j6k",
                        "occurred_at": "2021-03-19T19:34:09.293Z",
                        "ingested_at": "2026-03-14T12:00:00Z",
                        "source": "rds",
                        "account": "111111111111",
                        "region": "us-east-1",
                        "name": "RDS-EVENT-0087",
                        "title": "DB instance stopped",
                        "state": "info",
                        "severity": "info",
                        "urgency": "high",
                        "unclassified": true,
                        "fingerprint": "rds:111111111111|us-east-1|RDS-EVENT-0087|testdb",
                        "fingerprint_fields": [
                          "account",
                          "region",
                          "name",
                          "source_identifier"
                        ],
                        "labels": {
                          "event_categories": "notification",
                          "rds_event_id": "RDS-EVENT-0087",
                          "source_arn": "arn:aws:rds:us-east-1:111111111111:db:testdb",
                          "source_identifier": "testdb",
                          "source_type": "DB_INSTANCE"
                        }
                      }
                    ]
                    """)
        );
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void normalizesEveryFieldOfEachSample(String sample, String expected) {
        Samples.assertNormalizesTo(sample, null, Map.of(), expected);
    }

    @ParameterizedTest(name = "{0} / {1} / exit {2}: failure {3}")
    @CsvSource(nullValues = "none", value = {
            "RUNNING, none, none, false",
            "STOPPED, EssentialContainerExited, 1, true",
            "STOPPED, EssentialContainerExited, 0, false",
            "STOPPED, TaskFailedToStart, none, true",
            "STOPPED, ServiceSchedulerInitiated, 143, false",
            "STOPPED, UserInitiated, 137, false",
            "STOPPED, SpotInterruption, 137, false",
            "STOPPED, none, 2, true",
            "STOPPED, none, 0, false"})
    void tellsFailedEcsTasksFromOtherStops(String lastStatus, String stopCode, Integer exitCode, boolean failure) {
        ObjectNode event = Samples.tree("ecs/task-stopped-essential-container-exited.json");
        ObjectNode task = (ObjectNode) event.path("detail");
        task.put("lastStatus", lastStatus);
        if (stopCode == null) {
            task.remove("stopCode");
        } else {
            task.put("stopCode", stopCode);
        }
        ObjectNode container = (ObjectNode) task.path("containers").get(0);
        if (exitCode == null) {
            container.remove("exitCode");
        } else {
            container.put("exitCode", exitCode);
        }
        assertThat(EcsTaskStateNormalizer.isFailure(task)).isEqualTo(failure);
        assertThat(Samples.normalizeJson(event.toString())).hasSize(failure ? 1 : 0);
    }

    /**
     * The service scheduler stops a task that fails its health checks under the same stop code as the published
     * deployment sample's scale-in: only the reason tells the two apart.
     */
    @ParameterizedTest(name = "{0}: failure {1}")
    @CsvSource(nullValues = "none", value = {
            "'Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:us-west-2:111122223333:targetgroup/web/a6d71c9b9c18b389)', true",
            "Task failed container health checks, true",
            "Scaling activity initiated by (deployment ecs-svc/5869524585416231321), false",
            "none, false"})
    void aTaskTheServiceStopsForFailedHealthChecksIsAFailure(String stoppedReason, boolean failure) {
        ObjectNode event = Samples.tree("ecs/task-stopped-by-deployment.json");
        ObjectNode task = (ObjectNode) event.path("detail");
        if (stoppedReason == null) {
            task.remove("stoppedReason");
        } else {
            task.put("stoppedReason", stoppedReason);
        }
        assertThat(task.path("stopCode").asText()).isEqualTo("ServiceSchedulerInitiated");
        List<Alert> alerts = Samples.normalizeJson(event.toString());
        assertThat(alerts).hasSize(failure ? 1 : 0);
        if (failure) {
            assertThat(alerts.get(0).title()).startsWith(stoppedReason);
        }
    }

    /** One service name in two clusters (prod's and staging's "web") is two alerts, not one. */
    @Test
    void theSameEcsServiceInTwoClustersIsTwoAlerts() {
        ObjectNode prod = Samples.tree("ecs/task-stopped-essential-container-exited.json");
        ObjectNode staging = Samples.tree("ecs/task-stopped-essential-container-exited.json");
        ((ObjectNode) staging.path("detail")).put("clusterArn", "arn:aws:ecs:us-west-2:111122223333:cluster/StagingCluster");

        Alert inProd = Samples.normalizeJson(prod.toString()).get(0);
        Alert inStaging = Samples.normalizeJson(staging.toString()).get(0);

        assertThat(inStaging.name()).isEqualTo(inProd.name());
        assertThat(inStaging.fingerprint()).isNotEqualTo(inProd.fingerprint());
    }

    /** One job name submitted to two queues is two alerts. */
    @Test
    void theSameBatchJobNameInTwoQueuesIsTwoAlerts() {
        ObjectNode first = Samples.tree("batch/job-failed.json");
        ObjectNode second = Samples.tree("batch/job-failed.json");
        ((ObjectNode) second.path("detail")).put("jobQueue", "arn:aws:batch:us-east-1:123456789012:job-queue/staging-queue");

        assertThat(Samples.normalizeJson(second.toString()).get(0).fingerprint())
                .isNotEqualTo(Samples.normalizeJson(first.toString()).get(0).fingerprint());
    }

    /**
     * ECS may deliver one task change more than once, each copy with an EventBridge id of its own and the same
     * {@code version} in the detail (ECS Developer Guide): one failure, not two; the task's next change is another.
     */
    @Test
    void anEcsTaskChangeDeliveredTwiceIsOneEvent() {
        String sample = "ecs/task-stopped-essential-container-exited.json";
        Alert first = Samples.normalize(sample).get(0);
        ObjectNode again = Samples.tree(sample);
        again.put("id", "0b7c6f1e-aaaa-bbbb-cccc-ddddeeeeffff");
        ObjectNode next = Samples.tree(sample);
        next.put("id", "0b7c6f1e-1111-bbbb-cccc-ddddeeeeffff");
        ((ObjectNode) next.path("detail")).put("version", 7);

        assertThat(Samples.normalizeJson(again.toString()).get(0).eventId()).isEqualTo(first.eventId()).startsWith("ecs:");
        assertThat(Samples.normalizeJson(next.toString()).get(0).eventId()).isNotEqualTo(first.eventId());
    }

    /**
     * When the essential container finishes with 0, ECS stops the others (SIGTERM, SIGKILL after the stop timeout):
     * a sidecar's 143 or 137 is the task ending as meant, unless a reason says it was killed for itself.
     */
    @ParameterizedTest(name = "app {0}, sidecar {1} ({2}): failure {3}")
    @CsvSource(nullValues = "none", value = {
            "0, 143, none, false", "0, 137, none, false", "0, 130, none, false",
            "0, 137, OutOfMemoryError: Container killed due to memory usage, true",
            "0, 1, none, true", "1, 143, none, true", "143, 143, none, true"})
    void aSidecarStoppedAfterTheEssentialContainerSucceededIsNoFailure(int app, int sidecar, String reason, boolean failure) {
        ObjectNode event = Samples.tree("ecs/task-stopped-essential-container-exited.json");
        ObjectNode task = (ObjectNode) event.path("detail");
        ArrayNode containers = (ArrayNode) task.path("containers");
        ((ObjectNode) containers.get(0)).put("exitCode", app);
        ObjectNode shipper = containers.addObject().put("name", "log-shipper").put("exitCode", sidecar).put("lastStatus", "STOPPED");
        if (reason != null) {
            shipper.put("reason", reason);
        }
        assertThat(EcsTaskStateNormalizer.isFailure(task)).isEqualTo(failure);
    }

    @Test
    void anEcsContainerThatCouldNotRunIsAFailure() {
        ObjectNode event = Samples.tree("ecs/task-stopped-essential-container-exited.json");
        ObjectNode task = (ObjectNode) event.path("detail");
        task.remove("stopCode");
        ArrayNode containers = (ArrayNode) task.path("containers");
        ((ObjectNode) containers.get(0)).remove("exitCode");
        ((ObjectNode) containers.get(0)).put("reason", "CannotPullContainerError: pull image manifest has been retried 5 time(s)");
        assertThat(EcsTaskStateNormalizer.isFailure(task)).isTrue();
    }

    /** The title says why each container that failed stopped: its exit code, else its reason; a clean exit says nothing. */
    @ParameterizedTest(name = "app {0} ({1}), sidecar {2}: {3}")
    @CsvSource(nullValues = "none", delimiter = '|', value = {
            "1    | none                                | none | Essential container in task exited (FargateApp exited 1)",
            "none | CannotPullContainerError: not found | none | Essential container in task exited (FargateApp: CannotPullContainerError: not found)",
            "0    | none                                | 1    | Essential container in task exited (log-shipper exited 1)",
            "1    | none                                | 2    | Essential container in task exited (FargateApp exited 1, log-shipper exited 2)"})
    void titlesAStoppedTaskWithWhyItsContainersStopped(Integer app, String reason, Integer sidecar, String title) {
        ObjectNode event = Samples.tree("ecs/task-stopped-essential-container-exited.json");
        ArrayNode containers = (ArrayNode) event.path("detail").path("containers");
        ObjectNode essential = (ObjectNode) containers.get(0);
        essential.remove("exitCode");
        if (app != null) {
            essential.put("exitCode", app);
        }
        if (reason != null) {
            essential.put("reason", reason);
        }
        if (sidecar != null) {
            containers.addObject().put("name", "log-shipper").put("exitCode", sidecar).put("lastStatus", "STOPPED");
        }
        assertThat(Samples.normalizeJson(event.toString())).singleElement().extracting(Alert::title).isEqualTo(title);
    }

    /** A stopped task is dated by when it stopped, else by its last update, else by its event. */
    @ParameterizedTest(name = "without {0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "none                 | 2020-01-23T18:04:11.652Z",
            "stoppedAt            | 2020-01-23T18:04:11.900Z",
            "stoppedAt, updatedAt | 2020-01-23T18:04:12Z"})
    void datesAStoppedTaskByWhenItStopped(String removed, Instant expected) {
        ObjectNode event = Samples.tree("ecs/task-stopped-essential-container-exited.json");
        ObjectNode task = (ObjectNode) event.path("detail");
        task.put("updatedAt", "2020-01-23T18:04:11.900Z").remove(List.of(removed.split(", ")));
        assertThat(Samples.normalizeJson(event.toString())).singleElement().extracting(Alert::occurredAt).isEqualTo(expected);
    }

    /** A task without a group is named by its task definition's family; an ARN that names none still makes an alert. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(nullValues = "none", value = {
        "arn:aws:ecs:us-west-2:111122223333:task-definition/web:7, web",
        "arn:aws:ecs:us-west-2:111122223333:task-definition/web, web",
        "':',                                                    ECS task",
        "'arn:aws:ecs:us-west-2:111122223333:task-definition/:3', ECS task",
        "none,                                                   ECS task"})
    void anEcsTaskWithoutAGroupIsNamedByItsFamily(String taskDefinitionArn, String name) {
        ObjectNode event = Samples.tree("ecs/task-stopped-essential-container-exited.json");
        ObjectNode task = (ObjectNode) event.path("detail");
        task.remove("group");
        if (taskDefinitionArn == null) {
            task.remove("taskDefinitionArn");
        } else {
            task.put("taskDefinitionArn", taskDefinitionArn);
        }
        assertThat(Samples.normalizeJson(event.toString())).singleElement().extracting(Alert::name).isEqualTo(name);
    }

    @ParameterizedTest(name = "batch {0}: {1} alerts")
    @CsvSource({"SUBMITTED, 0", "PENDING, 0", "RUNNABLE, 0", "STARTING, 0", "RUNNING, 0", "SUCCEEDED, 0", "FAILED, 1"})
    void onlyFailedBatchJobsAreAlerts(String status, int alerts) {
        ObjectNode event = Samples.tree("batch/job-failed.json");
        ((ObjectNode) event.path("detail")).put("status", status);
        assertThat(Samples.normalizeJson(event.toString())).hasSize(alerts);
    }
}
