package dev.rollcall.core.normalize;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.rollcall.core.alert.AlertState;
import dev.rollcall.core.alert.Severity;

/** EC2 "EC2 Instance State-change Notification" events, kept as {@code info}: useful context, never a page. */
final class Ec2InstanceStateNormalizer {

    static final String SOURCE = "ec2";
    static final String DETAIL_TYPE = "EC2 Instance State-change Notification";

    private Ec2InstanceStateNormalizer() {
    }

    static List<AlertDraft> fromEventBridge(EventBridgeEvent event) {
        JsonNode detail = event.detail();
        String instanceId = Field.textOf(detail.get("instance-id"));
        String state = Field.textOf(detail.get("state"));
        Labels labels = new Labels()
                .put("instance_id", instanceId)
                .put("state", state)
                .put("previous_state", Field.textOf(detail.get("previousState")));
        return List.of(AlertDraft.builder(SOURCE)
                .eventId(event.id())
                .occurredAt(event.eventTime())
                .account(event.account())
                .region(event.region())
                .name(DETAIL_TYPE)
                .title("EC2 instance " + instanceId + " is " + state)
                .state(AlertState.INFO)
                .severity(Severity.INFO)
                .labels(labels)
                .identity("instance_id", instanceId)
                .build());
    }
}
