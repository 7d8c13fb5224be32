package dev.rollcall.ingest.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks that a webhook really comes from its sender: Sentry's HMAC-SHA256 body signature
 * ({@code Sentry-Hook-Signature}), PagerDuty's ({@code X-PagerDuty-Signature: v1=…}), and for the other sources a
 * shared secret as a bearer token, HTTP basic password or {@code X-Rollcall-Token}. Comparisons take constant time.
 */
public final class WebhookAuthenticator {

    /** The verdict, with a reason that is safe to return to the caller (it never contains a secret). */
    public record Verdict(boolean accepted, String reason) {
        static Verdict accept() {
            return new Verdict(true, null);
        }

        static Verdict reject(String reason) {
            return new Verdict(false, reason);
        }
    }

    private final WebhookSecrets secrets;

    public WebhookAuthenticator(WebhookSecrets secrets) {
        this.secrets = secrets;
    }

    /** Verifies one request; {@code headers} have lower-case names. */
    public Verdict verify(String source, Map<String, String> headers, byte[] body) {
        List<String> accepted = secrets.secretsFor(source);
        if (accepted.isEmpty()) {
            return Verdict.reject("no webhook secret is configured for source '" + source + "'"
                    + (WebhookSecrets.SIGNING_SOURCES.contains(source) ? " (it signs with a secret of its own: set the secret's '" + source
                    + "' entry; the shared default is not used for it)" : ""));
        }
        // Any of the source's secrets will do: while one is rotated, senders still using the old one get through.
        Verdict verdict = null;
        for (String secret : accepted) {
            verdict = switch (source) {
                case "sentry" -> verifyHmacHex(headers.get("sentry-hook-signature"), "Sentry-Hook-Signature", secret, body);
                case "pagerduty" -> verifyPagerDuty(headers.get("x-pagerduty-signature"), secret, body);
                default -> verifySharedSecret(headers, secret);
            };
            if (verdict.accepted()) {
                return verdict;
            }
        }
        return verdict;
    }

    private static Verdict verifyHmacHex(String signature, String header, String secret, byte[] body) {
        if (signature == null || signature.isBlank()) {
            return Verdict.reject("missing " + header + " header");
        }
        return constantTimeEquals(hmacHex(secret, body), signature.trim().toLowerCase(java.util.Locale.ROOT))
                ? Verdict.accept() : Verdict.reject("invalid signature");
    }

    private static Verdict verifyPagerDuty(String header, String secret, byte[] body) {
        if (header == null || header.isBlank()) {
            return Verdict.reject("missing X-PagerDuty-Signature header");
        }
        String expected = "v1=" + hmacHex(secret, body);
        // PagerDuty sends one signature per active secret during a rotation; any may match.
        for (String candidate : header.split(",")) {
            if (constantTimeEquals(expected, candidate.trim())) {
                return Verdict.accept();
            }
        }
        return Verdict.reject("invalid signature");
    }

    private static Verdict verifySharedSecret(Map<String, String> headers, String secret) {
        String presented = headers.get("x-rollcall-token");
        String authorization = headers.get("authorization");
        if (presented == null && authorization != null) {
            String value = authorization.trim();
            if (value.regionMatches(true, 0, "Bearer ", 0, 7)) {
                presented = value.substring(7).trim();
            } else if (value.regionMatches(true, 0, "Basic ", 0, 6)) {
                try {
                    String decoded = new String(Base64.getDecoder().decode(value.substring(6).trim()), StandardCharsets.UTF_8);
                    presented = decoded.substring(decoded.indexOf(':') + 1);
                } catch (IllegalArgumentException e) {
                    return Verdict.reject("malformed Basic authorization header");
                }
            }
        }
        if (presented == null) {
            return Verdict.reject("missing credentials: send the shared secret as 'Authorization: Bearer <secret>' or 'X-Rollcall-Token'");
        }
        return constantTimeEquals(secret, presented) ? Verdict.accept() : Verdict.reject("invalid credentials");
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
