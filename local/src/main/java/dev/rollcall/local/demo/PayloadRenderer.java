package dev.rollcall.local.demo;

import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.rollcall.core.alert.AlertJson;

/** Renders a simulated event as the payload its real source sends, so it travels through the real normalizers. */
public final class PayloadRenderer {

    private static final DateTimeFormatter CLOUDWATCH_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ").withZone(ZoneOffset.UTC);

    private PayloadRenderer() {
    }

    /** The source name a webhook for this event is posted under ({@code /v1/events/{source}}), or null for AWS events. */
    public static String webhookSource(SimulatedEvent event) {
        return switch (event.alert().kind()) {
            case CLOUDWATCH -> null;
            case ALERTMANAGER -> "alertmanager";
            case SENTRY -> "sentry";
        };
    }

    public static String render(SimulatedEvent event) {
        return switch (event.alert().kind()) {
            case CLOUDWATCH -> cloudWatch(event).toString();
            case ALERTMANAGER -> alertmanager(event).toString();
            case SENTRY -> sentry(event).toString();
        };
    }

    /** An EventBridge "CloudWatch Alarm State Change" event, shaped as in the CloudWatch User Guide's example. */
    public static ObjectNode cloudWatch(SimulatedEvent event) {
        AlertDefinition a = event.alert();
        ObjectNode root = AlertJson.mapper().createObjectNode();
        root.put("version", "0");
        root.put("id", event.id());
        root.put("detail-type", "CloudWatch Alarm State Change");
        root.put("source", "aws.cloudwatch");
        root.put("account", a.account());
        root.put("time", event.time().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        root.put("region", a.region());
        root.putArray("resources").add("arn:aws:cloudwatch:" + a.region() + ":" + a.account() + ":alarm:" + a.name());
        ObjectNode detail = root.putObject("detail");
        detail.put("alarmName", a.name());
        ObjectNode configuration = detail.putObject("configuration");
        configuration.put("description", "Simulated alarm of " + a.service());
        ArrayNode metrics = configuration.putArray("metrics");
        ObjectNode metric = metrics.addObject();
        metric.put("id", "m1");
        ObjectNode stat = metric.putObject("metricStat");
        ObjectNode m = stat.putObject("metric");
        m.putObject("dimensions").put("Service", a.service());
        m.put("name", a.name().substring(a.service().length() + 1));
        m.put("namespace", "Rollcall/Demo");
        stat.put("period", 60);
        stat.put("stat", "Average");
        metric.put("returnData", true);
        ObjectNode state = detail.putObject("state");
        state.put("value", event.firing() ? "ALARM" : "OK");
        state.put("reason", event.firing() ? "Threshold Crossed: simulated datapoint above the threshold" : "Threshold Crossed: back below the threshold");
        state.put("timestamp", CLOUDWATCH_TIME.format(event.time()));
        ObjectNode previous = detail.putObject("previousState");
        previous.put("value", event.firing() ? "OK" : "ALARM");
        previous.put("reason", "simulated");
        previous.put("timestamp", CLOUDWATCH_TIME.format(event.time().minusSeconds(60)));
        return root;
    }

    /** A Prometheus Alertmanager webhook (version 4) with one alert. */
    public static ObjectNode alertmanager(SimulatedEvent event) {
        AlertDefinition a = event.alert();
        ObjectNode root = AlertJson.mapper().createObjectNode();
        root.put("version", "4");
        root.put("groupKey", "{}:{alertname=\"" + a.name() + "\"}");
        root.put("status", event.firing() ? "firing" : "resolved");
        root.put("receiver", "rollcall");
        root.putObject("groupLabels").put("alertname", a.name());
        root.putObject("commonLabels").put("alertname", a.name()).put("service", a.service());
        root.putObject("commonAnnotations");
        root.put("externalURL", "http://alertmanager.example:9093");
        ObjectNode alert = root.putArray("alerts").addObject();
        alert.put("status", event.firing() ? "firing" : "resolved");
        alert.putObject("labels").put("alertname", a.name()).put("service", a.service()).put("severity", "critical")
                .put("account", a.account()).put("env", "prod");
        alert.putObject("annotations").put("summary", a.name() + " on " + a.service());
        alert.put("startsAt", event.time().toString());
        alert.put("endsAt", event.firing() ? "0001-01-01T00:00:00Z" : event.time().toString());
        alert.put("generatorURL", "http://prometheus.example:9090/graph");
        alert.put("fingerprint", Integer.toHexString((a.name() + a.service()).hashCode()));
        return root;
    }

    /** A Sentry issue-alert webhook ({@code event_alert}, action {@code triggered}). */
    public static ObjectNode sentry(SimulatedEvent event) {
        AlertDefinition a = event.alert();
        ObjectNode root = AlertJson.mapper().createObjectNode();
        root.put("action", event.firing() ? "triggered" : "resolved");
        ObjectNode data = root.putObject("data");
        ObjectNode ev = data.putObject("event");
        ev.put("event_id", event.id().replace("-", ""));
        ev.put("title", a.name());
        ev.put("project", a.service());
        ev.put("level", "error");
        ev.put("timestamp", event.time().getEpochSecond() + event.time().getNano() / 1e9);
        ev.put("issue_id", Integer.toString(Math.abs(a.name().hashCode())));
        ev.put("web_url", "https://sentry.example/issues/" + Math.abs(a.name().hashCode()) + "/");
        data.put("triggered_rule", "Any new error");
        root.putObject("installation").put("uuid", "00000000-0000-4000-8000-000000000000");
        root.putObject("actor").put("type", "application").put("id", "sentry").put("name", "Sentry");
        return root;
    }
}
