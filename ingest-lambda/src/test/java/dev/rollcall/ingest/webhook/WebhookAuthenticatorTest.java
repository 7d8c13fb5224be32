package dev.rollcall.ingest.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookAuthenticatorTest {

    private static final byte[] BODY = "{\"action\":\"triggered\"}".getBytes(StandardCharsets.UTF_8);
    private static final WebhookAuthenticator AUTH = new WebhookAuthenticator(
            StaticWebhookSecrets.of(Map.of("sentry", "sentry-secret", "pagerduty", "pd-secret", "default", "shared-secret")));

    static Stream<Arguments> cases() {
        String sentrySig = WebhookAuthenticator.hmacHex("sentry-secret", BODY);
        String pdSig = "v1=" + WebhookAuthenticator.hmacHex("pd-secret", BODY);
        return Stream.of(
                Arguments.of("sentry", Map.of("sentry-hook-signature", sentrySig), true, null),
                Arguments.of("sentry", Map.of("sentry-hook-signature", sentrySig.toUpperCase()), true, null),
                Arguments.of("sentry", Map.of("sentry-hook-signature", WebhookAuthenticator.hmacHex("other", BODY)), false, "invalid signature"),
                Arguments.of("sentry", Map.of(), false, "missing Sentry-Hook-Signature header"),
                Arguments.of("sentry", Map.of("authorization", "Bearer shared-secret"), false, "missing Sentry-Hook-Signature header"),
                Arguments.of("pagerduty", Map.of("x-pagerduty-signature", pdSig), true, null),
                Arguments.of("pagerduty", Map.of("x-pagerduty-signature", "v1=deadbeef, " + pdSig), true, null),
                Arguments.of("pagerduty", Map.of("x-pagerduty-signature", "v1=deadbeef"), false, "invalid signature"),
                Arguments.of("alertmanager", Map.of("authorization", "Bearer shared-secret"), true, null),
                Arguments.of("alertmanager", Map.of("authorization", "bearer shared-secret"), true, null),
                Arguments.of("grafana", Map.of("authorization", "Basic " + Base64.getEncoder().encodeToString("grafana:shared-secret".getBytes(StandardCharsets.UTF_8))), true, null),
                Arguments.of("datadog", Map.of("x-rollcall-token", "shared-secret"), true, null),
                Arguments.of("datadog", Map.of("x-rollcall-token", "shared-secreT"), false, "invalid credentials"),
                Arguments.of("datadog", Map.of("authorization", "Basic !!!"), false, "malformed Basic authorization header"),
                Arguments.of("custom", Map.of(), false, "missing credentials"),
                // Sent, under a scheme Rollcall does not read: "missing" would send its operator looking elsewhere.
                Arguments.of("datadog", Map.of("authorization", "Token shared-secret"), false, "Authorization scheme 'Token' is not supported"),
                // A bare secret is never named back: the answer and its log line would hold it.
                Arguments.of("datadog", Map.of("authorization", "shared-secret"), false, "the Authorization header has no 'Bearer' or 'Basic' scheme"),
                Arguments.of("datadog", Map.of("authorization", "Bearer"), false, "missing credentials"),
                Arguments.of("datadog", Map.of("authorization", "Bearer\tshared-secret"), true, null),
                Arguments.of("datadog", Map.of("authorization", "Basic\t" + Base64.getEncoder().encodeToString("u:nope".getBytes(StandardCharsets.UTF_8))),
                        false, "invalid credentials"),
                Arguments.of("datadog", Map.of("authorization", "basic "), false, "missing credentials"),
                // Any credential that is right will do: a stale token beside a correct header loses no alert.
                Arguments.of("grafana", Map.of("authorization", "Bearer shared-secret", "x-rollcall-token", "stale"), true, null),
                Arguments.of("grafana", Map.of("authorization", "Bearer stale", "x-rollcall-token", "shared-secret"), true, null),
                Arguments.of("grafana", Map.of("authorization", "Bearer stale", "x-rollcall-token", "staler"), false, "invalid credentials"),
                Arguments.of("datadog", Map.of("authorization", "Basic !!!", "x-rollcall-token", "shared-secret"), true, null),
                // Basic auth is user:password; base64 of the bare secret is not what any sender's Basic setting sends.
                Arguments.of("alertmanager", Map.of("authorization", basic("shared-secret")), false, "malformed Basic authorization header"),
                Arguments.of("alertmanager", Map.of("authorization", basic(":shared-secret")), true, null),
                Arguments.of("alertmanager", Map.of("authorization", basic("shared-secret:")), false, "invalid credentials"));
    }

    private static String basic(String credentials) {
        return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @MethodSource("cases")
    void verifies(String source, Map<String, String> headers, boolean accepted, String reason) {
        WebhookAuthenticator.Verdict verdict = AUTH.verify(source, headers, BODY);
        assertThat(verdict.accepted()).isEqualTo(accepted);
        if (reason != null) {
            assertThat(verdict.reason()).startsWith(reason);
        }
    }

    /**
     * Refused credentials are a sender set up wrong, which the deployment alarms on at the first one, whatever kind
     * its path expects (a token on Sentry's path is a sender on the wrong path); a request without any (a bare probe)
     * is not, and must not be counted with them. Every header of these cases carries credentials.
     */
    @ParameterizedTest(name = "{0} {1} -> {2}")
    @MethodSource("cases")
    void refusedRequestsWithAnyCredentialsCountAsRefused(String source, Map<String, String> headers, boolean accepted, String reason) {
        WebhookAuthenticator.Verdict verdict = AUTH.verify(source, headers, BODY);
        assertThat(verdict.credentialsRefused()).isEqualTo(!accepted && !headers.isEmpty());
    }

    /** Whatever an Authorization header without a known scheme holds, the refusal never repeats it. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"shared-secret", "s3cr3t-with-20-chars", "my s3cr3t-phrase", "s3cr3t-with-20-chars foo", "sk_live_0123 xyz"})
    void aRefusalNeverRepeatsTheSecretOfAHeaderWithoutAKnownScheme(String header) {
        WebhookAuthenticator.Verdict verdict = AUTH.verify("datadog", Map.of("authorization", header), BODY);
        assertThat(verdict.accepted()).isFalse();
        for (String part : header.split(" ")) {
            assertThat(verdict.reason()).doesNotContain("'" + part).doesNotContain(part + "'");
        }
        assertThat(verdict.reason()).startsWith("the Authorization header has no 'Bearer' or 'Basic' scheme");
    }

    @Test
    void sentryPointedAtAnotherPathCountsAsRefusedNotMissing() {
        String signature = WebhookAuthenticator.hmacHex("sentry-secret", BODY);
        WebhookAuthenticator.Verdict verdict = AUTH.verify("sentry-prod", Map.of("sentry-hook-signature", signature), BODY);
        assertThat(verdict.accepted()).isFalse();
        assertThat(verdict.reason()).startsWith("missing credentials");
        assertThat(verdict.credentialsRefused()).isTrue();
        assertThat(AUTH.verify("sentry-prod", Map.of("content-type", "application/json"), BODY).credentialsRefused()).isFalse();
    }

    @ParameterizedTest(name = "{0} {1} -> refused {2}")
    @MethodSource("unconfiguredSources")
    void aSourceLeftOutOfTheSecretIsASenderSetUpWrongOnlyWhenItSendsCredentials(String source, Map<String, String> headers, boolean refused) {
        WebhookAuthenticator onlyDatadog = new WebhookAuthenticator(StaticWebhookSecrets.of(Map.of("datadog", "d")));
        WebhookAuthenticator.Verdict verdict = onlyDatadog.verify(source, headers, BODY);
        assertThat(verdict.accepted()).isFalse();
        assertThat(verdict.reason()).startsWith("no webhook secret is configured for source '" + source + "'");
        assertThat(verdict.credentialsRefused()).isEqualTo(refused);
    }

    static Stream<Arguments> unconfiguredSources() {
        return Stream.of(
                // Sentry's entry never set after the first deploy: every signed delivery is lost.
                Arguments.of("sentry", Map.of("sentry-hook-signature", "ab12"), true),
                Arguments.of("pagerduty", Map.of("x-pagerduty-signature", "v1=ab12"), true),
                Arguments.of("grafana", Map.of("x-grafana-alert-signature", "ab12"), true),
                Arguments.of("alertmanager", Map.of("authorization", "Bearer t"), true),
                Arguments.of("custom", Map.of("x-rollcall-token", "t"), true),
                Arguments.of("sentry", Map.of(), false),
                Arguments.of("custom", Map.of("content-type", "application/json"), false));
    }

    @Test
    void aSignatureOverOtherBytesIsRejected() {
        String sig = WebhookAuthenticator.hmacHex("sentry-secret", BODY);
        byte[] tampered = "{\"action\":\"resolved\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(AUTH.verify("sentry", Map.of("sentry-hook-signature", sig), tampered).accepted()).isFalse();
    }

    @Test
    void aSourceWithoutAnyConfiguredSecretIsRejected() {
        WebhookAuthenticator strict = new WebhookAuthenticator(StaticWebhookSecrets.of(Map.of("sentry", "s")));
        WebhookAuthenticator.Verdict verdict = strict.verify("datadog", Map.of("x-rollcall-token", ""), BODY);
        assertThat(verdict.accepted()).isFalse();
        assertThat(verdict.reason()).isEqualTo("no webhook secret is configured for source 'datadog'");
    }

    /** A rotation without a gap: the new secret is added, senders move to it, then the old one is removed. */
    @Test
    void whileASecretIsRotatedTheOldAndTheNewAreBothAccepted() {
        WebhookAuthenticator rotating = new WebhookAuthenticator(StaticWebhookSecrets.parse(
                "{\"sentry\":[\"sentry-new\",\"sentry-old\"],\"default\":[\"shared-new\",\"shared-old\"]}", "V"));

        for (String secret : new String[] {"sentry-new", "sentry-old"}) {
            assertThat(rotating.verify("sentry", Map.of("sentry-hook-signature", WebhookAuthenticator.hmacHex(secret, BODY)), BODY)
                    .accepted()).as(secret).isTrue();
        }
        assertThat(rotating.verify("alertmanager", Map.of("authorization", "Bearer shared-old"), BODY).accepted()).isTrue();
        assertThat(rotating.verify("alertmanager", Map.of("authorization", "Bearer shared-new"), BODY).accepted()).isTrue();
        WebhookAuthenticator.Verdict neither = rotating.verify("sentry",
                Map.of("sentry-hook-signature", WebhookAuthenticator.hmacHex("sentry-older", BODY)), BODY);
        assertThat(neither.accepted()).isFalse();
        assertThat(neither.reason()).isEqualTo("invalid signature");
    }

    @Test
    void secretsJsonErrorsNameTheVariableWithoutEchoingSecrets() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> StaticWebhookSecrets.parse("{\"sentry\": 1, oops", "ROLLCALL_WEBHOOK_SECRETS"))
                .hasMessageStartingWith("ROLLCALL_WEBHOOK_SECRETS must be a JSON object")
                .hasMessageNotContaining("oops");
        assertThat(StaticWebhookSecrets.parse("{\"a\":\"x\"}", "V").toString()).doesNotContain("x\"").contains("[a]");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> StaticWebhookSecrets.parse("{\"sentry\":{\"k\":\"s3cr3t\"}}", "V"))
                .hasMessageContaining("'sentry' must be a string or a list of strings").hasMessageNotContaining("s3cr3t");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> StaticWebhookSecrets.parse("[\"s3cr3t\"]", "V"))
                .hasMessageStartingWith("V must be a JSON object").hasMessageNotContaining("s3cr3t");
    }

    /**
     * What the stack's secret holds right after deploy: Sentry's entry still the template's placeholder, PagerDuty's
     * absent. Neither may be signed with the placeholder or the shared default, and the answer says why.
     */
    @Test
    void signedSourcesNeverUseAPlaceholderOrTheSharedDefault() {
        WebhookAuthenticator deployed = new WebhookAuthenticator(StaticWebhookSecrets.parse(
                "{\"sentry\":\"replace-with-the-sentry-integration-client-secret\",\"datadog\":\"replace-with-a-token\",\"default\":\"shared-secret\"}", "V"));

        WebhookAuthenticator.Verdict placeholder = deployed.verify("sentry", Map.of("sentry-hook-signature",
                WebhookAuthenticator.hmacHex("replace-with-the-sentry-integration-client-secret", BODY)), BODY);
        WebhookAuthenticator.Verdict sharedSentry = deployed.verify("sentry", Map.of("sentry-hook-signature",
                WebhookAuthenticator.hmacHex("shared-secret", BODY)), BODY);
        WebhookAuthenticator.Verdict sharedPagerDuty = deployed.verify("pagerduty", Map.of("x-pagerduty-signature",
                "v1=" + WebhookAuthenticator.hmacHex("shared-secret", BODY)), BODY);

        assertThat(placeholder.accepted()).isFalse();
        assertThat(placeholder.reason()).startsWith("no webhook secret is configured for source 'sentry'");
        assertThat(sharedSentry.accepted()).isFalse();
        assertThat(sharedPagerDuty.accepted()).isFalse();
        assertThat(sharedPagerDuty.reason()).startsWith("no webhook secret is configured for source 'pagerduty'")
                .contains("the shared default is not used for it");
        // A placeholder counts as unset for a bearer source too: it takes the default like any source without an entry.
        assertThat(deployed.verify("datadog", Map.of("authorization", "Bearer replace-with-a-token"), BODY).accepted()).isFalse();
        assertThat(deployed.verify("datadog", Map.of("authorization", "Bearer shared-secret"), BODY).accepted()).isTrue();
    }

    /**
     * Grafana's HMAC signature, checked against signatures computed outside Java (openssl dgst -sha256 -hmac), over
     * the body, or over {@code <timestamp>:<body>} when Grafana sends a timestamp, as its documentation and its
     * signing code (grafana/alerting, http/hmac.go) define them.
     */
    @Test
    void grafanasHmacSignatureIsVerifiedWithAndWithoutItsTimestamp() {
        byte[] body = "{\"receiver\":\"rollcall\",\"status\":\"firing\",\"alerts\":[]}".getBytes(StandardCharsets.UTF_8);
        String overBody = "9484ae540756cf6efe39f3020ee95b37e602a265950336dbe199a65fe9c565d8";
        String overTimestampAndBody = "5c54b57670b7c47798f3223566a3279f3a25993430a93c90a74cf8ea0d801aa0";
        WebhookAuthenticator grafana = new WebhookAuthenticator(StaticWebhookSecrets.of(Map.of("grafana", "grafana-hmac-secret")),
                Clock.fixed(Instant.ofEpochSecond(1_700_000_030), ZoneOffset.UTC));

        assertThat(grafana.verify("grafana", Map.of("x-grafana-alerting-signature", overBody), body).accepted()).isTrue();
        assertThat(grafana.verify("grafana", Map.of("x-grafana-alerting-signature", overTimestampAndBody,
                "x-grafana-alerting-signature-timestamp", "1700000000"), body).accepted()).isTrue();
        assertThat(grafana.verify("grafana", Map.of("x-grafana-alert-signature", overBody), body).accepted()).isTrue();
        WebhookAuthenticator.Verdict otherTime = grafana.verify("grafana", Map.of("x-grafana-alerting-signature", overTimestampAndBody,
                "x-grafana-alerting-signature-timestamp", "1700000001"), body);
        assertThat(otherTime.accepted()).isFalse();
        assertThat(otherTime.reason()).isEqualTo("invalid signature");
        assertThat(grafana.verify("grafana", Map.of("x-grafana-alerting-signature", overBody), BODY).accepted()).isFalse();
        // Bearer and Basic still work, and a wrong signature beside a right bearer token loses nothing.
        assertThat(grafana.verify("grafana", Map.of("authorization", "Bearer grafana-hmac-secret",
                "x-grafana-alerting-signature", "00"), body).accepted()).isTrue();
        assertThat(grafana.verify("grafana", Map.of(), body).reason()).startsWith("missing credentials");
    }

    /** A signed timestamp is what keeps a captured request from being sent again later; it may be 5 minutes off. */
    @ParameterizedTest(name = "signed {0} s from now -> {1}")
    @CsvSource({"0, true", "-299, true", "299, true", "-301, false", "301, false", "-86400, false"})
    void aGrafanaSignatureTimestampMustBeRecent(long secondsFromNow, boolean accepted) {
        Instant now = Instant.parse("2026-12-06T08:00:00Z");
        WebhookAuthenticator grafana = new WebhookAuthenticator(StaticWebhookSecrets.of(Map.of("grafana", "grafana-hmac-secret")),
                Clock.fixed(now, ZoneOffset.UTC));
        String timestamp = Long.toString(now.getEpochSecond() + secondsFromNow);
        String signature = WebhookAuthenticator.hmacHex("grafana-hmac-secret", (timestamp + ":" + new String(BODY, StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.UTF_8));

        WebhookAuthenticator.Verdict verdict = grafana.verify("grafana", Map.of("x-grafana-alerting-signature", signature,
                "x-grafana-alerting-signature-timestamp", timestamp), BODY);

        assertThat(verdict.accepted()).isEqualTo(accepted);
        if (!accepted) {
            assertThat(verdict.reason()).isEqualTo("the signature timestamp is " + Math.abs(secondsFromNow)
                    + " s from now, more than 5 minutes: a replayed request, or a clock to set right");
        }
    }

    @Test
    void aSignedTimestampThatIsNoTimeIsRefused() {
        WebhookAuthenticator grafana = new WebhookAuthenticator(StaticWebhookSecrets.of(Map.of("grafana", "grafana-hmac-secret")));
        String signature = WebhookAuthenticator.hmacHex("grafana-hmac-secret", ("soon:" + new String(BODY, StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.UTF_8));
        assertThat(grafana.verify("grafana", Map.of("x-grafana-alerting-signature", signature,
                "x-grafana-alerting-signature-timestamp", "soon"), BODY).reason())
                .isEqualTo("the signature timestamp 'soon' is no time (Grafana sends Unix seconds)");
    }
}
