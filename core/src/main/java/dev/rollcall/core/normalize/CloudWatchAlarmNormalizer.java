package dev.rollcall.core.normalize;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;

import com.fasterxml.jackson.databind.JsonNode;

import dev.rollcall.core.alert.AlertJson;
import dev.rollcall.core.alert.AlertState;
import dev.rollcall.core.alert.Severity;
import dev.rollcall.core.alert.Timestamps;

/**
 * CloudWatch alarms in every shape they arrive in: the EventBridge "CloudWatch Alarm State Change" event (metric,
 * metric-math, anomaly-detection and composite alarms), the alarm's direct Lambda action payload
 * ({@code alarmData}), and the classic PascalCase SNS notification (via SNS, SQS or HTTP; region as a display name).
 * ALARM is firing, OK resolved, INSUFFICIENT_DATA info, or resolved when it follows ALARM (see {@link #state}).
 * Severity comes from a {@code severity} alarm tag when EventBridge carries tags, else it is high: CloudWatch alarms
 * have no severity of their own.
 */
final class CloudWatchAlarmNormalizer {

    static final String SOURCE = "cloudwatch";
    static final String STATE_CHANGE = "CloudWatch Alarm State Change";
    static final String CONFIGURATION_CHANGE = "CloudWatch Alarm Configuration Change";

    private static final Field ALARM_NAME = Field.of("alarmName");
    private static final Field ALARM_ARN = Field.of("alarmArn");
    private static final Field ALARM_DESCRIPTION = Field.of("alarmDescription");
    private static final Field STATE = Field.of("state");
    private static final Field PREVIOUS_STATE = Field.of("previousState");
    private static final Field VALUE = Field.of("value");
    private static final Field REASON = Field.of("reason");
    private static final Field REASON_DATA = Field.of("reasonData");
    private static final Field TIMESTAMP = Field.of("timestamp");
    private static final Field CONFIGURATION = Field.of("configuration");
    private static final Field DESCRIPTION = Field.of("description");
    private static final Field METRICS = Field.of("metrics");
    private static final Field METRIC_STAT = Field.of("metricStat");
    private static final Field METRIC = Field.of("metric");
    private static final Field NAME = Field.of("name");
    private static final Field METRIC_NAME = Field.of("metricName");
    private static final Field NAMESPACE = Field.of("namespace");
    private static final Field DIMENSIONS = Field.of("dimensions");
    private static final String[] SERVICE_DIMENSIONS = {"Dimension.Service", "Dimension.ServiceName"};
    private static final Field EXPRESSION = Field.of("expression");
    private static final Field ALARM_RULE = Field.of("alarmRule");
    private static final Field ALARM_TAGS = Field.of("alarmTags");
    private static final Field TRIGGERING_ALARMS = Field.of("triggeringAlarms");
    private static final Field ACTIONS_SUPPRESSED_BY = Field.of("actionsSuppressedBy");
    private static final Field ACTIONS_SUPPRESSED_REASON = Field.of("actionsSuppressedReason");
    private static final Field MUTE_DETAIL = Field.of("muteDetail");
    private static final Field MUTED_BY_ARN = Field.of("mutedByArn");
    private static final Field TRIGGERING_CHILDREN = Field.of("triggeringChildren");
    private static final Field ARN = Field.of("arn");
    private static final Field ACCOUNT_ID = Field.of("accountId");
    private static final Field REGION = Field.of("region");
    private static final Field TIME = Field.of("time");
    // Classic SNS notification fields.
    private static final Field AWS_ACCOUNT_ID = new Field("awsAccountId", "AWSAccountId");
    private static final Field NEW_STATE_VALUE = Field.of("newStateValue");
    private static final Field NEW_STATE_REASON = Field.of("newStateReason");
    private static final Field OLD_STATE_VALUE = Field.of("oldStateValue");
    private static final Field STATE_CHANGE_TIME = Field.of("stateChangeTime");
    private static final Field TRIGGER = Field.of("trigger");

    private CloudWatchAlarmNormalizer() {
    }

    /** The classic SNS notification's signature fields: {@code AlarmName} and {@code NewStateValue}. */
    static boolean isClassicNotification(JsonNode payload) {
        return payload.has("AlarmName") && payload.has("NewStateValue");
    }

    /** The alarm Lambda action's payload: {@code source: aws.cloudwatch} with {@code alarmData}. */
    static boolean isLambdaAction(JsonNode payload) {
        return payload.has("alarmData") && "aws.cloudwatch".equals(Field.textOf(payload.get("source")));
    }

    static List<AlertDraft> fromEventBridge(EventBridgeEvent event) {
        if (!STATE_CHANGE.equals(event.detailType())) {
            return List.of();
        }
        JsonNode detail = event.detail();
        String alarmArn = event.firstResource();
        return List.of(fromAlarmData(detail, event.id(), event.account(), event.region(), alarmArn, event.eventTime()));
    }

    static List<AlertDraft> fromLambdaAction(JsonNode payload) {
        String alarmArn = ALARM_ARN.text(payload);
        String account = Field.firstOf(ACCOUNT_ID.text(payload), AwsRegions.accountFromArn(alarmArn));
        String region = Field.firstOf(REGION.text(payload), AwsRegions.fromArn(alarmArn));
        Instant time = Timestamps.parse(TIME.in(payload)).orElse(null);
        return List.of(fromAlarmData(payload.get("alarmData"), null, account, region, alarmArn, time));
    }

    /** The EventBridge {@code detail} and the Lambda action's {@code alarmData} share one shape. */
    private static AlertDraft fromAlarmData(JsonNode data, String envelopeId, String account, String region, String alarmArn,
                                            Instant envelopeTime) {
        JsonNode state = STATE.in(data);
        JsonNode configuration = CONFIGURATION.in(data);
        String alarmName = Field.firstOf(ALARM_NAME.text(data), alarmNameOf(alarmArn));
        String stateValue = VALUE.text(state);
        String previousValue = VALUE.text(PREVIOUS_STATE.in(data));
        String stateTime = TIMESTAMP.text(state);
        Instant occurredAt = Timestamps.parse(stateTime).orElse(envelopeTime);

        Labels labels = new Labels().putTags("", ALARM_TAGS.in(data));
        String alarmRule = ALARM_RULE.text(configuration);
        labels.put("alarm_type", alarmRule != null ? "composite" : metricAlarmType(METRICS.in(configuration)))
                .put("alarm_arn", alarmArn)
                .put("previous_state", previousValue)
                .put("alarm_rule", alarmRule);
        putMetrics(labels, METRICS.in(configuration));
        // An alarm mute rule (planned maintenance) lets the alarm change state but runs none of its actions: nobody was
        // notified, and rules need to see that to not page for it either.
        labels.put("muted_by", MUTED_BY_ARN.text(MUTE_DETAIL.in(data)));
        if (alarmRule != null) {
            labels.put("triggering_alarms", triggeringAlarms(REASON_DATA.text(state)))
                    // A composite alarm's suppressor (in ALARM, or in its wait or extension period) kept its actions
                    // from running: nobody was notified, and rules need to see that to not page for it either.
                    .put("actions_suppressed_by", ACTIONS_SUPPRESSED_BY.text(state))
                    .put("actions_suppressed_reason", ACTIONS_SUPPRESSED_REASON.text(state));
        }
        return draft(labels, alarmName, previousValue, stateValue)
                // The transition's own time names it on every route; an envelope id would make an alarm delivered
                // by EventBridge and by its SNS action (or copied to a second bus) two events.
                .eventId(stateTime == null && envelopeId != null ? envelopeId : contentId(account, region, alarmName, stateValue, stateTime))
                .occurredAt(occurredAt)
                .account(account)
                .region(region)
                .title(Field.firstOf(DESCRIPTION.text(configuration), REASON.text(state), alarmName))
                .identity("alarm_arn", alarmArn)
                .build();
    }

    static List<AlertDraft> fromClassicNotification(JsonNode message, Inbound inbound) {
        String alarmArn = ALARM_ARN.text(message);
        String alarmName = Field.firstOf(ALARM_NAME.text(message), alarmNameOf(alarmArn));
        String account = Field.firstOf(AWS_ACCOUNT_ID.text(message), AwsRegions.accountFromArn(alarmArn));
        String region = Field.firstOf(AwsRegions.code(REGION.text(message)), AwsRegions.fromArn(alarmArn));
        String stateValue = NEW_STATE_VALUE.text(message);
        String previousValue = OLD_STATE_VALUE.text(message);
        String stateTime = STATE_CHANGE_TIME.text(message);
        Instant occurredAt = Timestamps.parse(stateTime).or(() -> Timestamps.parse(inbound.snsTimestamp())).orElse(null);

        JsonNode trigger = TRIGGER.in(message);
        String alarmRule = ALARM_RULE.text(message);
        Labels labels = new Labels()
                .put("alarm_type", alarmRule != null ? "composite" : metricAlarmType(METRICS.in(trigger)))
                .put("alarm_arn", alarmArn)
                .put("previous_state", previousValue)
                .put("alarm_rule", alarmRule);
        putMetric(labels, new LinkedHashSet<>(), new LinkedHashSet<>(), trigger);
        putMetrics(labels, METRICS.in(trigger));
        if (alarmRule != null) {
            labels.put("triggering_alarms", alarmNames(TRIGGERING_CHILDREN.in(message)));
        }
        return List.of(draft(labels, alarmName, previousValue, stateValue)
                .eventId(contentId(account, region, alarmName, stateValue, stateTime))
                .occurredAt(occurredAt)
                .account(account)
                .region(region)
                .title(Field.firstOf(ALARM_DESCRIPTION.text(message), NEW_STATE_REASON.text(message), alarmName))
                .identity("alarm_arn", alarmArn)
                .build());
    }

    private static AlertDraft.Builder draft(Labels labels, String alarmName, String previousValue, String stateValue) {
        return AlertDraft.builder(SOURCE)
                .name(alarmName)
                .state(state(previousValue, stateValue))
                .severity(SeverityWords.of(labels.first("severity", "Severity", "priority", "Priority"), Severity.HIGH))
                .service(service(labels))
                .environment(labels.environmentTag())
                .labels(labels);
    }

    /**
     * The alarm's service tag; else a metric dimension that names a service ({@code Service} in custom metrics,
     * {@code ServiceName} in ECS's), so untagged alarms still land on a service instead of {@code unknown}.
     */
    static String service(Labels labels) {
        String tagged = labels.serviceTag();
        return tagged != null ? tagged : labels.first(SERVICE_DIMENSIONS);
    }

    /**
     * The alert state of a transition from {@code previous} to {@code value}. INSUFFICIENT_DATA after ALARM ends the
     * alarm: a metric published only when nonzero (an ALB's HTTPCode_Target_5XX_Count) stops when the errors stop,
     * so with TreatMissingData=missing the alarm goes to INSUFFICIENT_DATA, never to OK, and would stay open forever.
     * After OK (or with no previous state) it only says that a metric stopped reporting.
     */
    static AlertState state(String previous, String value) {
        if (value == null) {
            return AlertState.INFO;
        }
        return switch (value) {
            case "ALARM" -> AlertState.FIRING;
            case "OK" -> AlertState.RESOLVED;
            case "INSUFFICIENT_DATA" -> "ALARM".equals(previous) ? AlertState.RESOLVED : AlertState.INFO;
            default -> AlertState.INFO;
        };
    }

    /**
     * Alarm transitions are identified by what they are: the same transition of the same alarm gets the same id
     * whichever route delivers it (EventBridge, an SNS notification, the Lambda action), however often.
     */
    private static String contentId(String account, String region, String alarmName, String stateValue, String stateTime) {
        return ContentHash.eventId(SOURCE, account, region, alarmName, stateValue, ContentHash.timePart(stateTime));
    }

    private static String metricAlarmType(JsonNode metrics) {
        String type = "metric";
        if (metrics.isArray()) {
            for (JsonNode metric : metrics) {
                String expression = EXPRESSION.text(metric);
                if (expression != null) {
                    if (expression.contains("ANOMALY_DETECTION_BAND")) {
                        return "anomaly_detection";
                    }
                    type = "metric_math";
                }
            }
        }
        return type;
    }

    private static void putMetrics(Labels labels, JsonNode metrics) {
        if (!metrics.isArray()) {
            return;
        }
        Set<String> namespaces = new LinkedHashSet<>();
        Set<String> names = new LinkedHashSet<>();
        for (JsonNode metric : metrics) {
            putMetric(labels, namespaces, names, METRIC.in(METRIC_STAT.in(metric)));
        }
    }

    /** One metric's namespace, name and dimensions; several metrics' names and namespaces are comma-joined. */
    private static void putMetric(Labels labels, Set<String> namespaces, Set<String> names, JsonNode metric) {
        if (!metric.isObject()) {
            return;
        }
        String namespace = NAMESPACE.text(metric);
        String name = Field.firstOf(METRIC_NAME.text(metric), NAME.text(metric));
        if (namespace != null && namespaces.add(namespace)) {
            labels.put("namespace", String.join(",", namespaces));
        }
        if (name != null && names.add(name)) {
            labels.put("metric_name", String.join(",", names));
        }
        labels.putTags("Dimension.", DIMENSIONS.in(metric));
    }

    /** The names of the children that triggered a composite alarm, from its {@code reasonData} (JSON in a string). */
    private static String triggeringAlarms(String reasonData) {
        if (reasonData == null || !reasonData.contains("triggeringAlarms")) {
            return null;
        }
        try {
            return alarmNames(TRIGGERING_ALARMS.in(AlertJson.readPayload(reasonData)));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The alarm name in an alarm ARN; alarm names may contain slashes and colons, so all after ":alarm:". */
    private static String alarmNameOf(String arn) {
        if (arn == null) {
            return null;
        }
        int at = arn.indexOf(":alarm:");
        return at >= 0 ? arn.substring(at + ":alarm:".length()) : AwsRegions.resourceName(arn);
    }

    private static String alarmNames(JsonNode alarms) {
        if (!alarms.isArray() || alarms.isEmpty()) {
            return null;
        }
        StringJoiner names = new StringJoiner(",");
        for (JsonNode alarm : alarms) {
            String arn = ARN.text(alarm);
            if (arn != null) {
                names.add(alarmNameOf(arn));
            }
        }
        return names.length() == 0 ? null : names.toString();
    }
}
