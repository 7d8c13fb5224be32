package dev.rollcall.core.normalize;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Picks the normalizer for one unwrapped payload with cheap field checks, in this order: an EventBridge event by
 * its {@code source} and {@code detail-type}; a CloudWatch alarm's Lambda action or classic SNS notification by
 * their fields; a webhook named by the source hint; a webhook recognized by its shape; else custom. What came
 * through the webhook door is never an AWS service's event, nor Sentry's or PagerDuty's unless its path names them.
 */
final class SourceDispatch {

    /** The prefix of every AWS service's and partner's EventBridge source. */
    static final String AWS_SOURCE_PREFIX = "aws.";

    private SourceDispatch() {
    }

    static List<AlertDraft> normalize(Inbound inbound) {
        JsonNode payload = inbound.payload();
        if (!payload.isObject()) {
            return CustomEventNormalizer.fromAnything(inbound);
        }
        // Only EventBridge (and the producers IAM lets send to the queue) speaks for AWS: through a webhook, anyone
        // holding a shared token could make findings, alarms and pages of any account. Such bodies are kept, as custom.
        boolean viaWebhook = inbound.event().door() == IncomingEvent.Door.WEBHOOK;
        EventBridgeEvent event = EventBridgeEvent.of(payload);
        if (event != null) {
            // EventBridge always gives an id; a producer's own SendMessage or an input transformer may leave it out.
            // Such an event is known by its delivery, as any body without an id is: a redelivery repeats it, another
            // send does not, and no two id-less events share an id.
            EventBridgeEvent identified = event.id() != null ? event : event.withId(event.source() + ":" + ContentHash.ofDelivery(inbound));
            if (viaWebhook) {
                // Its id is the sender's choice: taken as it is, a webhook could store first the id a real event of
                // another source will have (an ECS task's, a finding's next update), which is then dropped as a duplicate.
                identified = identified.withId(CustomEventNormalizer.webhookEventId(inbound.sourceHint(), identified.id()));
            }
            return viaWebhook && event.source().startsWith(AWS_SOURCE_PREFIX)
                    ? CustomEventNormalizer.fromEventBridge(identified, inbound.sourceHint()) : fromEventBridge(identified);
        }
        if (CloudWatchAlarmNormalizer.isLambdaAction(payload)) {
            return viaWebhook ? CustomEventNormalizer.fromAnything(inbound) : CloudWatchAlarmNormalizer.fromLambdaAction(payload);
        }
        if (CloudWatchAlarmNormalizer.isClassicNotification(payload)) {
            return viaWebhook ? CustomEventNormalizer.fromAnything(inbound) : CloudWatchAlarmNormalizer.fromClassicNotification(payload, inbound);
        }
        List<AlertDraft> webhook = fromWebhook(payload, inbound);
        return webhook != null ? webhook : CustomEventNormalizer.fromAnything(inbound);
    }

    private static List<AlertDraft> fromEventBridge(EventBridgeEvent event) {
        if (event.source().startsWith(DatadogNormalizer.PARTNER_SOURCE_PREFIX)) {
            return DatadogNormalizer.fromEventBridge(event);
        }
        String detailType = event.detailType();
        List<AlertDraft> drafts = switch (event.source()) {
            case "aws.cloudwatch" -> switch (detailType) {
                case CloudWatchAlarmNormalizer.STATE_CHANGE -> CloudWatchAlarmNormalizer.fromEventBridge(event);
                case CloudWatchAlarmNormalizer.CONFIGURATION_CHANGE -> List.of();
                default -> null;
            };
            case "aws.guardduty" -> GuardDutyFindingNormalizer.DETAIL_TYPE.equals(detailType)
                    ? GuardDutyFindingNormalizer.fromEventBridge(event) : null;
            case "aws.health" -> HealthEventNormalizer.fromEventBridge(event);
            case "aws.securityhub" -> switch (detailType) {
                case SecurityHubFindingNormalizer.DETAIL_TYPE -> SecurityHubFindingNormalizer.fromEventBridge(event);
                case SecurityHubOcsfFindingNormalizer.DETAIL_TYPE -> SecurityHubOcsfFindingNormalizer.fromEventBridge(event);
                default -> null;
            };
            case "aws.inspector2" -> InspectorFindingNormalizer.DETAIL_TYPE.equals(detailType)
                    ? InspectorFindingNormalizer.fromEventBridge(event) : null;
            case "aws.ecs" -> EcsTaskStateNormalizer.DETAIL_TYPE.equals(detailType)
                    ? EcsTaskStateNormalizer.fromEventBridge(event) : null;
            case "aws.batch" -> BatchJobStateNormalizer.DETAIL_TYPE.equals(detailType)
                    ? BatchJobStateNormalizer.fromEventBridge(event) : null;
            case "aws.ec2" -> Ec2InstanceStateNormalizer.DETAIL_TYPE.equals(detailType)
                    ? Ec2InstanceStateNormalizer.fromEventBridge(event) : null;
            case "aws.rds" -> detailType.startsWith(RdsEventNormalizer.DETAIL_TYPE_PREFIX)
                    ? RdsEventNormalizer.fromEventBridge(event) : null;
            default -> null;
        };
        return drafts != null ? drafts : CustomEventNormalizer.fromEventBridge(event);
    }

    /**
     * Whether a webhook body is read alert by alert, each alert its own event whatever group it came in (Alertmanager's
     * and Grafana's {@code {"alerts":[...]}}), as {@link #fromWebhook} would read it: only such a body can be split into
     * parts that together read as the whole. Another body with an {@code alerts} array is one custom alert.
     */
    static boolean readsAlertByAlert(JsonNode payload, String sourceHint) {
        // As normalize() reads them first, whatever else they carry: one alert each, never a group.
        if (!payload.isObject() || EventBridgeEvent.of(payload) != null || CloudWatchAlarmNormalizer.isLambdaAction(payload)
                || CloudWatchAlarmNormalizer.isClassicNotification(payload)) {
            return false;
        }
        if (sourceHint != null) {
            switch (sourceHint) {
                case SentryWebhookNormalizer.SOURCE, DatadogNormalizer.SOURCE, PagerDutyWebhookNormalizer.SOURCE -> {
                    return false;
                }
                case AlertmanagerNormalizer.ALERTMANAGER, "prometheus", AlertmanagerNormalizer.GRAFANA -> {
                    return AlertmanagerNormalizer.looksLikeAlertmanager(payload) || AlertmanagerNormalizer.hasLabelledAlerts(payload);
                }
                default -> {
                    // Named by a custom producer: the shape decides, as below.
                }
            }
        }
        return AlertmanagerNormalizer.looksLikeAlertmanager(payload);
    }

    /** The webhook the hint names, else the one whose shape the payload has; null when it is none of them. */
    private static List<AlertDraft> fromWebhook(JsonNode payload, Inbound inbound) {
        String hint = inbound.sourceHint();
        if (hint != null) {
            switch (hint) {
                case SentryWebhookNormalizer.SOURCE -> {
                    return SentryWebhookNormalizer.normalize(payload, inbound);
                }
                case DatadogNormalizer.SOURCE -> {
                    return DatadogNormalizer.hasAnyFieldRead(payload) ? DatadogNormalizer.fromWebhook(payload, inbound) : null;
                }
                case AlertmanagerNormalizer.ALERTMANAGER, "prometheus" -> {
                    return AlertmanagerNormalizer.looksLikeAlertmanager(payload) || AlertmanagerNormalizer.hasLabelledAlerts(payload)
                            ? AlertmanagerNormalizer.normalize(payload, AlertmanagerNormalizer.ALERTMANAGER, inbound) : null;
                }
                case AlertmanagerNormalizer.GRAFANA -> {
                    if (AlertmanagerNormalizer.looksLikeAlertmanager(payload) || AlertmanagerNormalizer.hasLabelledAlerts(payload)) {
                        return AlertmanagerNormalizer.normalize(payload, AlertmanagerNormalizer.GRAFANA, inbound);
                    }
                    return GrafanaLegacyAlertNormalizer.looksLikeLegacyAlert(payload)
                            ? GrafanaLegacyAlertNormalizer.normalize(payload, inbound) : null;
                }
                case PagerDutyWebhookNormalizer.SOURCE -> {
                    return PagerDutyWebhookNormalizer.looksLikePagerDuty(payload) ? PagerDutyWebhookNormalizer.normalize(payload) : null;
                }
                default -> {
                    // A hint Rollcall has no webhook for (a custom producer's name): the payload speaks for itself.
                }
            }
        }
        if (AlertmanagerNormalizer.looksLikeAlertmanager(payload)) {
            return AlertmanagerNormalizer.normalize(payload,
                    AlertmanagerNormalizer.isGrafana(payload) ? AlertmanagerNormalizer.GRAFANA : AlertmanagerNormalizer.ALERTMANAGER, inbound);
        }
        // Sentry and PagerDuty sign with secrets of their own, checked only on their own paths: a body of their shape
        // on another webhook's path (a shared token) is not theirs.
        boolean signedSourcesSpeak = inbound.event().door() != IncomingEvent.Door.WEBHOOK;
        if (signedSourcesSpeak && PagerDutyWebhookNormalizer.looksLikePagerDuty(payload)) {
            return PagerDutyWebhookNormalizer.normalize(payload);
        }
        // evalMatches is the legacy Grafana webhook's own field: without the hint the shape alone is Grafana's.
        if (GrafanaLegacyAlertNormalizer.looksLikeLegacyAlert(payload) && payload.path("evalMatches").isArray()) {
            return GrafanaLegacyAlertNormalizer.normalize(payload, inbound);
        }
        if (signedSourcesSpeak && SentryWebhookNormalizer.looksLikeSentry(payload, inbound)) {
            return SentryWebhookNormalizer.normalize(payload, inbound);
        }
        return DatadogNormalizer.looksLikeDatadog(payload) ? DatadogNormalizer.fromWebhook(payload, inbound) : null;
    }
}
