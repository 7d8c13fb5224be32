package dev.rollcall.ingest.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.rollcall.core.alert.Timestamps;

/**
 * Checks that a webhook really comes from its sender: Sentry's HMAC-SHA256 body signature
 * ({@code Sentry-Hook-Signature}), PagerDuty's ({@code X-PagerDuty-Signature: v1=…}), and for the other sources a
 * shared secret as a bearer token, HTTP basic password or {@code X-Rollcall-Token}, or for Grafana its HMAC signature
 * ({@code X-Grafana-Alerting-Signature}). A request presenting several credentials is accepted when any of them is
 * right (a stale token beside a correct {@code Authorization} header is no reason to lose an alert). Comparisons
 * take constant time.
 */
public final class WebhookAuthenticator {

    /**
     * The verdict, with a reason that is safe to return to the caller (it never contains a secret).
     *
     * @param credentialsRefused the request carried credentials of some kind and was refused (a wrong secret, a stale
     *                           signature timestamp, Sentry's signature on another source's path, a token on Sentry's):
     *                           a sender set up wrong, whose every delivery is lost, rather than a bare request
     */
    public record Verdict(boolean accepted, String reason, boolean credentialsRefused) {
        static Verdict accept() {
            return new Verdict(true, null, false);
        }

        static Verdict reject(String reason) {
            return new Verdict(false, reason, false);
        }

        Verdict withCredentialsRefused(boolean presented) {
            return accepted ? this : new Verdict(false, reason, presented);
        }
    }

    /** Grafana's signature header: the one its documentation and contact point form name, and the one its code used as default. */
    private static final List<String> GRAFANA_SIGNATURE = List.of("x-grafana-alerting-signature", "x-grafana-alert-signature");
    /** Grafana sends no timestamp unless its contact point names a header; Rollcall reads this one (Grafana's example). */
    private static final String GRAFANA_TIMESTAMP = "x-grafana-alerting-signature-timestamp";
    /** Every header a sender puts its credentials in (lower-case, as {@link #verify} takes them). */
    private static final List<String> CREDENTIAL_HEADERS = List.of("authorization", "x-rollcall-token", "sentry-hook-signature",
            "x-pagerduty-signature", GRAFANA_SIGNATURE.get(0), GRAFANA_SIGNATURE.get(1));
    private static final String SEND_THE_SECRET =
            "send the shared secret as 'Authorization: Bearer <secret>', Basic auth's password or 'X-Rollcall-Token'";
    private static final String MISSING_CREDENTIALS = "missing credentials: " + SEND_THE_SECRET;
    /**
     * Authentication schemes senders use in place of Bearer (IANA's registry and common API keys), the only words of an
     * Authorization header an answer may repeat.
     */
    private static final Set<String> OTHER_SCHEMES = Set.of("token", "digest", "negotiate", "ntlm", "dpop", "hoba", "mutual",
            "aws4-hmac-sha256", "apikey", "api-key", "key", "ssws", "geniekey", "splunk", "oauth", "hmac");

    /**
     * How far a signed Grafana timestamp may be from now. The timestamp is what makes a captured request useless
     * later: a legacy dashboard alert has no id of its own, so a replay of one would count again.
     */
    static final Duration GRAFANA_TIMESTAMP_TOLERANCE = Duration.ofMinutes(5);

    private final WebhookSecrets secrets;
    private final Clock clock;

    public WebhookAuthenticator(WebhookSecrets secrets) {
        this(secrets, Clock.systemUTC());
    }

    public WebhookAuthenticator(WebhookSecrets secrets, Clock clock) {
        this.secrets = secrets;
        this.clock = clock;
    }

    /** Verifies one request; {@code headers} have lower-case names. */
    public Verdict verify(String source, Map<String, String> headers, byte[] body) {
        // Any of the source's secrets will do: while one is rotated, senders still using the old one get through.
        List<String> accepted = secrets.secretsFor(source);
        if (accepted.isEmpty()) {
            String reason = "no webhook secret is configured for source '" + source + "'"
                    + (WebhookSecrets.SIGNING_SOURCES.contains(source) ? " (it signs with a secret of its own: set the secret's '" + source
                    + "' entry; the shared default is not used for it)" : "");
            return Verdict.reject(reason).withCredentialsRefused(presentsCredentials(headers));
        }
        Verdict verdict = switch (source) {
            case "sentry" -> verifyHmacHex(headers.get("sentry-hook-signature"), "Sentry-Hook-Signature", accepted, body);
            case "pagerduty" -> verifyPagerDuty(headers.get("x-pagerduty-signature"), accepted, body);
            case "grafana" -> verifyGrafana(headers, accepted, body);
            default -> verifySharedSecret(headers, accepted);
        };
        return verdict.withCredentialsRefused(presentsCredentials(headers));
    }

    /**
     * Whether the request carries credentials of any kind, whatever its path expects: a sender that signs or sends a
     * token is set up, and losing every delivery if they are refused (Sentry pointed at another path, its entry never
     * set after the first deploy, a rotated secret); a request without any is nobody's to fix.
     */
    private static boolean presentsCredentials(Map<String, String> headers) {
        return CREDENTIAL_HEADERS.stream().anyMatch(headers::containsKey);
    }

    private static Verdict verifyHmacHex(String signature, String header, List<String> secrets, byte[] body) {
        if (signature == null || signature.isBlank()) {
            return Verdict.reject("missing " + header + " header");
        }
        String presented = signature.trim().toLowerCase(Locale.ROOT);
        for (String secret : secrets) {
            if (constantTimeEquals(hmacHex(secret, body), presented)) {
                return Verdict.accept();
            }
        }
        return Verdict.reject("invalid signature");
    }

    private static Verdict verifyPagerDuty(String header, List<String> secrets, byte[] body) {
        if (header == null || header.isBlank()) {
            return Verdict.reject("missing X-PagerDuty-Signature header");
        }
        // PagerDuty sends one signature per active secret during a rotation; any may match.
        for (String secret : secrets) {
            String expected = "v1=" + hmacHex(secret, body);
            for (String candidate : header.split(",")) {
                if (constantTimeEquals(expected, candidate.trim())) {
                    return Verdict.accept();
                }
            }
        }
        return Verdict.reject("invalid signature");
    }

    /**
     * Grafana sends the shared secret (bearer or Basic) or, with an HMAC secret set on its contact point, the hex
     * HMAC-SHA256 of the body, or of {@code <timestamp>:<body>} when it also sends a timestamp header, which must then
     * be within {@link #GRAFANA_TIMESTAMP_TOLERANCE} of now.
     */
    private Verdict verifyGrafana(Map<String, String> headers, List<String> secrets, byte[] body) {
        Verdict shared = verifySharedSecret(headers, secrets);
        String signature = GRAFANA_SIGNATURE.stream().map(headers::get).filter(v -> v != null && !v.isBlank()).findFirst().orElse(null);
        if (shared.accepted() || signature == null) {
            return shared;
        }
        String timestamp = headers.get(GRAFANA_TIMESTAMP);
        byte[] signedBytes = body;
        if (timestamp != null) {
            byte[] prefix = (timestamp.trim() + ":").getBytes(StandardCharsets.UTF_8);
            signedBytes = new byte[prefix.length + body.length];
            System.arraycopy(prefix, 0, signedBytes, 0, prefix.length);
            System.arraycopy(body, 0, signedBytes, prefix.length, body.length);
        }
        Verdict signed = verifyHmacHex(signature, "X-Grafana-Alerting-Signature", secrets, signedBytes);
        return signed.accepted() && timestamp != null ? verifyFresh(timestamp.trim()) : signed;
    }

    private Verdict verifyFresh(String timestamp) {
        Optional<Instant> signedAt = Timestamps.parse(timestamp);
        if (signedAt.isEmpty()) {
            return Verdict.reject("the signature timestamp '" + timestamp + "' is no time (Grafana sends Unix seconds)");
        }
        Duration offset = Duration.between(signedAt.get(), clock.instant()).abs();
        return offset.compareTo(GRAFANA_TIMESTAMP_TOLERANCE) > 0
                ? Verdict.reject("the signature timestamp is " + offset.toSeconds() + " s from now, more than "
                        + GRAFANA_TIMESTAMP_TOLERANCE.toMinutes() + " minutes: a replayed request, or a clock to set right")
                : Verdict.accept();
    }

    private static Verdict verifySharedSecret(Map<String, String> headers, List<String> secrets) {
        List<String> presented = new ArrayList<>(3);
        String token = headers.get("x-rollcall-token");
        if (token != null) {
            presented.add(token.trim());
        }
        String malformed = null;
        String authorization = headers.get("authorization");
        if (authorization != null && !authorization.isBlank()) {
            String[] parts = authorization.trim().split("\\s+", 2);
            String scheme = parts[0];
            String credentials = parts.length == 2 ? parts[1].trim() : "";
            if (scheme.equalsIgnoreCase("Bearer")) {
                if (!credentials.isEmpty()) {
                    presented.add(credentials);
                }
            } else if (scheme.equalsIgnoreCase("Basic")) {
                String password = credentials.isEmpty() ? null : basicPassword(credentials);
                if (password != null) {
                    presented.add(password);
                } else if (!credentials.isEmpty()) {
                    malformed = "malformed Basic authorization header: expected base64 of 'user:password'";
                }
            } else {
                // Told "missing", a sender that did send its secret under another scheme looks everywhere but here.
                // Only a registered scheme's name is repeated: the first word of the header may be the secret itself.
                malformed = parts.length == 2 && OTHER_SCHEMES.contains(scheme.toLowerCase(Locale.ROOT))
                        ? "Authorization scheme '" + scheme + "' is not supported: " + SEND_THE_SECRET
                        : "the Authorization header has no 'Bearer' or 'Basic' scheme: " + SEND_THE_SECRET;
            }
        }
        if (presented.isEmpty()) {
            return Verdict.reject(malformed != null ? malformed : MISSING_CREDENTIALS);
        }
        for (String credential : presented) {
            for (String secret : secrets) {
                if (constantTimeEquals(secret, credential)) {
                    return Verdict.accept();
                }
            }
        }
        return Verdict.reject("invalid credentials");
    }

    /**
     * The password of Basic credentials, or null when they are not base64 of {@code user:password}. A bare secret
     * with no colon is refused: every sender with a Basic auth setting (Alertmanager, Grafana) sends the pair, so a
     * value without one is not what an operator configured.
     */
    private static String basicPassword(String credentials) {
        try {
            String decoded = new String(Base64.getDecoder().decode(credentials), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? null : decoded.substring(colon + 1);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Lower-case hex HMAC-SHA256 of {@code body} under {@code secret}. */
    public static String hmacHex(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
