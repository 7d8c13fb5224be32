package dev.rollcall.local;

/** The ready-to-paste requests printed after the demo has loaded. */
final class DemoGuide {

    private DemoGuide() {
    }

    static String examples(LocalConfig config) {
        String api = "http://127.0.0.1:" + config.queryPort();
        java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneOffset.UTC);
        String window = "from=" + today.minusDays(config.demoDays()) + "&to=" + today.plusDays(1);
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
                "       -d '{\"status\":\"firing\",\"alerts\":[{\"status\":\"firing\",\"labels\":{\"alertname\":\"Demo\",\"service\":\"checkout\"}}]}'",
                "  aws events put-events --endpoint-url http://127.0.0.1:" + config.eventsPort() + " --region " + LocalConfig.REGION + " \\",
                "       --entries '[{\"Source\":\"my.app\",\"DetailType\":\"Deploy\",\"Detail\":\"{}\"}]'",
                "  aws lambda invoke --endpoint-url http://127.0.0.1:" + config.lambdaPort() + " --region " + LocalConfig.REGION
                        + " --function-name " + LocalPipeline.INGEST_EVENTBRIDGE + " --payload fileb://event.json out.json",
                "  aws sqs send-message --endpoint-url " + config.sqsEndpoint() + " --region " + LocalConfig.REGION
                        + " --queue-url " + config.sqsEndpoint() + "/" + LocalConfig.ACCOUNT_ID + "/" + LocalConfig.QUEUE + " --message-body file://event.json",
                "  curl -s 'http://127.0.0.1:" + config.openSearchPort() + "/rollcall-events-*/_count'",
                "",
                "Ctrl-C stops everything; the data stays in " + config.dataDir().toAbsolutePath() + " for the next start.");
    }
}
