package dev.rollcall.local;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import dev.rollcall.core.alert.AlertJson;
import dev.rollcall.local.demo.AlertDefinition;
import dev.rollcall.local.demo.PayloadRenderer;
import dev.rollcall.local.demo.SimulatedEvent;
import dev.rollcall.query.jobs.BatchAggregationJobs;
import dev.rollcall.query.jobs.JobInterval;
import dev.rollcall.query.jobs.JobRequest;

/** The ready-to-paste requests printed after the demo has loaded; each works as pasted from the repository root. */
final class DemoGuide {

    /** The file the AWS CLI examples send, written beside the demo's data. */
    static final String EXAMPLE_EVENT = "example-alarm.json";

    private DemoGuide() {
    }

    /**
     * When the example alarm fired: half past the previous hour. The job rolls up only hours that have ended, so an
     * alarm of this hour could be seen only after the next one; one of the hour before can be rolled up at once.
     */
    static Instant exampleTime(Instant now) {
        return now.truncatedTo(ChronoUnit.HOURS).minus(Duration.ofMinutes(30));
    }

    /**
     * An EventBridge "CloudWatch Alarm State Change" firing at {@code at}, of an alarm the demo traffic does not have,
     * so that sending it shows up as a new alert in that hour's rollups. Sent again, by any route, it is the same
     * transition and stored once.
     */
    static String exampleEvent(Instant at) {
        AlertDefinition alarm = new AlertDefinition(AlertDefinition.Kind.CLOUDWATCH, "checkout-TryItHighLatency", "checkout",
                LocalConfig.ACCOUNT_ID, LocalConfig.REGION, AlertDefinition.Profile.INCIDENT, 1);
        return PayloadRenderer.cloudWatch(new SimulatedEvent(UUID.randomUUID().toString(), at, alarm, true)).toPrettyString();
    }

    /**
     * The PutEvents example's entries: an alarm of service checkout firing at {@code at}, so that it shows in the
     * hour the guide rolls up and among the checkout alarms it lists (without a time it would fall in the current
     * hour, and without a Service dimension under service unknown).
     */
    static String putEventsEntries(Instant at) {
        var detail = AlertJson.mapper().createObjectNode();
        detail.put("alarmName", "checkout-TryItPutEvents");
        detail.putObject("state").put("value", "ALARM");
        detail.putObject("configuration").putArray("metrics").addObject().putObject("metricStat").putObject("metric")
                .putObject("dimensions").put("Service", "checkout");
        var entries = AlertJson.mapper().createArrayNode();
        entries.addObject().put("Source", "aws.cloudwatch").put("DetailType", "CloudWatch Alarm State Change")
                .put("Time", at.toString()).put("Detail", detail.toString());
        return entries.toString();
    }

    static String examples(LocalConfig config, Path exampleEvent, Instant now) {
        String api = "http://127.0.0.1:" + config.queryPort();
        Instant hourEnd = now.truncatedTo(ChronoUnit.HOURS);
        Instant hourStart = hourEnd.minus(Duration.ofHours(1));
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        String window = "from=" + today.minusDays(config.demoDays()) + "&to=" + today.plusDays(1);
        String event = exampleEvent.toAbsolutePath().toString();
        // The CLI writes the function's answer to a file, truncating it first: /dev/stdout would empty a redirected log.
        String invokeAnswer = config.dataDir().toAbsolutePath().resolve("invoke-answer.json").toString();
        // The local endpoints check no signature, but the AWS CLI will not send a request without credentials.
        String aws = "AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local aws --region " + LocalConfig.REGION;
        return String.join("\n",
                "",
                "Try it:",
                "  curl -s '" + api + "/v1/health'",
                "  curl -s '" + api + "/v1/services'",
                "  curl -s '" + api + "/v1/rollups?interval=day&group_by=service&" + window + "'",
                "  curl -s '" + api + "/v1/alerts/top?by=events&limit=10&" + window + "'",
                "  curl -s '" + api + "/v1/oncall'",
                "  curl -s '" + api + "/v1/noise?" + window + "' -H 'Accept: text/csv'",
                "  curl -s -X POST '" + api + "/v1/events/alertmanager' -H 'Authorization: Bearer " + LocalConfig.WEBHOOK_SECRET + "' \\",
                "       -d '{\"receiver\":\"rollcall\",\"status\":\"firing\",\"alerts\":[{\"status\":\"firing\","
                        + "\"labels\":{\"alertname\":\"Demo\",\"service\":\"checkout\"}}]}'",
                "  (counted once an aggregation has run over its hour: the 5-minute schedule covers an hour once it has ended"
                        + " and settled 15 minutes; POST /v1/jobs runs up to the last complete hour)",
                "and with the AWS CLI (PutEvents sends a second checkout alarm of that hour; " + event + " is an alarm that"
                        + " fired at " + exampleTime(now) + ", in the hour that just ended: sent by both routes after it, it is"
                        + " stored once, as one transition):",
                "  " + aws + " events put-events --endpoint-url http://127.0.0.1:" + config.eventsPort() + " \\",
                "       --entries '" + putEventsEntries(exampleTime(now)) + "'",
                "  " + aws + " lambda invoke --endpoint-url http://127.0.0.1:" + config.lambdaPort()
                        + " --function-name " + LocalPipeline.INGEST_EVENTBRIDGE + " --payload fileb://" + event + " " + invokeAnswer
                        + " && cat " + invokeAnswer,
                "  " + aws + " sqs send-message --endpoint-url " + config.sqsEndpoint()
                        + " --queue-url " + config.sqsEndpoint() + "/" + LocalConfig.ACCOUNT_ID + "/" + LocalConfig.QUEUE
                        + " --message-body file://" + event,
                "  curl -s 'http://127.0.0.1:" + config.openSearchPort() + "/rollcall-events-*/_count'",
                "then roll that hour up now (a few seconds after sending: stored events become searchable within 5 s),"
                        + " and see the alarm once the job SUCCEEDED:",
                "  curl -s -X POST '" + api + "/v1/jobs' -d '{\"from\":\"" + hourStart + "\",\"to\":\"" + hourEnd
                        + "\",\"interval\":\"all\"}'",
                "  curl -s '" + api + "/v1/jobs?limit=5'   # yours is " + BatchAggregationJobs.jobName(
                        new JobRequest(hourStart, hourEnd, JobInterval.ALL, 1)) + "; scheduled runs are rollcall-incremental",
                "  curl -s '" + api + "/v1/rollups?interval=hour&group_by=name&service=checkout&from=" + hourStart + "&to=" + hourEnd + "'",
                "",
                "Ctrl-C stops everything. The next ./rollcall demo starts afresh; to keep working on this data, run "
                        + "./rollcall local --data-dir " + config.dataDir() + ".");
    }
}
