package dev.rollcall.core.normalize;

import java.text.Normalizer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * AWS region codes from what payloads carry: a code already ({@code eu-west-1}), a display name as classic CloudWatch
 * SNS notifications write it ({@code "EU (Ireland)"}, {@code "US East (N. Virginia)"}, older {@code "EU - Ireland"},
 * newer {@code "Europe (Ireland)"}), or an ARN.
 */
final class AwsRegions {

    private static final String[][] NAMES = {
            {"us-east-1", "US East (N. Virginia)"},
            {"us-east-2", "US East (Ohio)"},
            {"us-west-1", "US West (N. California)"},
            {"us-west-2", "US West (Oregon)"},
            {"af-south-1", "Africa (Cape Town)"},
            {"ap-east-1", "Asia Pacific (Hong Kong)"},
            {"ap-east-2", "Asia Pacific (Taipei)"},
            {"ap-south-1", "Asia Pacific (Mumbai)"},
            {"ap-south-2", "Asia Pacific (Hyderabad)"},
            {"ap-northeast-1", "Asia Pacific (Tokyo)"},
            {"ap-northeast-2", "Asia Pacific (Seoul)"},
            {"ap-northeast-3", "Asia Pacific (Osaka)"},
            {"ap-southeast-1", "Asia Pacific (Singapore)"},
            {"ap-southeast-2", "Asia Pacific (Sydney)"},
            {"ap-southeast-3", "Asia Pacific (Jakarta)"},
            {"ap-southeast-4", "Asia Pacific (Melbourne)"},
            {"ap-southeast-5", "Asia Pacific (Malaysia)"},
            {"ap-southeast-6", "Asia Pacific (New Zealand)"},
            {"ap-southeast-7", "Asia Pacific (Thailand)"},
            {"ca-central-1", "Canada (Central)"},
            {"ca-west-1", "Canada West (Calgary)"},
            {"eu-central-1", "EU (Frankfurt)"},
            {"eu-central-2", "EU (Zurich)"},
            {"eu-west-1", "EU (Ireland)"},
            {"eu-west-2", "EU (London)"},
            {"eu-west-3", "EU (Paris)"},
            {"eu-south-1", "EU (Milan)"},
            {"eu-south-2", "EU (Spain)"},
            {"eu-north-1", "EU (Stockholm)"},
            {"il-central-1", "Israel (Tel Aviv)"},
            {"me-south-1", "Middle East (Bahrain)"},
            {"me-central-1", "Middle East (UAE)"},
            {"mx-central-1", "Mexico (Central)"},
            {"sa-east-1", "South America (Sao Paulo)"},
            {"us-gov-east-1", "AWS GovCloud (US-East)"},
            {"us-gov-west-1", "AWS GovCloud (US-West)"},
            {"cn-north-1", "China (Beijing)"},
            {"cn-northwest-1", "China (Ningxia)"},
    };

    /** Whole display names, normalized; and the part in parentheses alone where it names one region only. */
    private static final Map<String, String> BY_NAME = new HashMap<>();
    private static final Map<String, String> BY_PLACE = new HashMap<>();
    private static final Set<String> CODES = new HashSet<>();

    static {
        Set<String> ambiguousPlaces = new HashSet<>();
        for (String[] entry : NAMES) {
            String code = entry[0];
            String name = entry[1];
            CODES.add(code);
            BY_NAME.put(key(name), code);
            String place = key(name.substring(name.indexOf('(') + 1, name.indexOf(')')));
            if (BY_PLACE.putIfAbsent(place, code) != null) {
                ambiguousPlaces.add(place);
            }
        }
        ambiguousPlaces.forEach(BY_PLACE::remove);
    }

    private AwsRegions() {
    }

    /** The region code for a code or display name; null when it names no region Rollcall knows. */
    static String code(String codeOrName) {
        if (codeOrName == null || codeOrName.isBlank()) {
            return null;
        }
        String text = codeOrName.trim();
        // A label typed by hand may shout the code (US-EAST-1); AWS writes and matches codes in lower case.
        String lower = text.toLowerCase(Locale.ROOT);
        if (looksLikeCode(lower)) {
            return lower;
        }
        String code = BY_NAME.get(key(text));
        if (code != null) {
            return code;
        }
        // "EU - Ireland", "US - N. Virginia": the place after the dash, where it is unambiguous.
        int paren = text.indexOf('(');
        int dash = text.lastIndexOf(" - ");
        String place = paren >= 0 && text.indexOf(')', paren) > paren
                ? text.substring(paren + 1, text.indexOf(')', paren))
                : dash >= 0 ? text.substring(dash + 3) : null;
        return place == null ? null : BY_PLACE.get(key(place));
    }

    /** The region field of an ARN ({@code arn:partition:service:region:account:resource}); null when absent. */
    static String fromArn(String arn) {
        String field = arnField(arn, 3);
        return field != null && looksLikeCode(field) ? field : null;
    }

    /** The account field of an ARN; null when absent. */
    static String accountFromArn(String arn) {
        return arnField(arn, 4);
    }

    /**
     * The name in an ARN's resource part ({@code cluster/prod} gives prod, {@code task-definition/web:7} web:7,
     * {@code db:orders} orders); text that is no ARN is returned as it is.
     */
    static String resourceName(String arnOrName) {
        if (arnOrName == null || !arnOrName.startsWith("arn:")) {
            return arnOrName;
        }
        // The resource part follows the fifth colon: arn:partition:service:region:account:resource.
        int colon = arnOrName.indexOf(':');
        for (int i = 0; i < 4 && colon >= 0; i++) {
            colon = arnOrName.indexOf(':', colon + 1);
        }
        String resource = colon < 0 ? null : arnOrName.substring(colon + 1);
        if (resource == null || resource.isEmpty()) {
            return arnOrName;
        }
        int slash = resource.lastIndexOf('/');
        if (slash >= 0) {
            return slash < resource.length() - 1 ? resource.substring(slash + 1) : resource;
        }
        int typeColon = resource.indexOf(':');
        return typeColon >= 0 && typeColon < resource.length() - 1 ? resource.substring(typeColon + 1) : resource;
    }

    private static String arnField(String arn, int index) {
        if (arn == null || !arn.startsWith("arn:")) {
            return null;
        }
        int start = 0;
        for (int i = 0; i < index; i++) {
            start = arn.indexOf(':', start) + 1;
            if (start == 0) {
                return null;
            }
        }
        int end = arn.indexOf(':', start);
        String field = (end < 0 ? arn.substring(start) : arn.substring(start, end)).trim();
        return field.isEmpty() ? null : field;
    }

    /** Two letters, dashes, ending in a digit: eu-west-1, us-gov-west-1, cn-north-1. */
    static boolean looksLikeCode(String text) {
        int n = text.length();
        if (n < 9 || n > 20 || !Character.isDigit(text.charAt(n - 1)) || text.charAt(2) != '-') {
            return false;
        }
        int dashes = 0;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c == '-') {
                dashes++;
            } else if (!(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9')) {
                return false;
            }
        }
        return dashes >= 2;
    }

    /** Lower case letters and digits only, accents dropped, "europe" read as "eu": so spellings compare equal. */
    private static String key(String name) {
        String ascii = Normalizer.normalize(name, Normalizer.Form.NFD).toLowerCase(Locale.ROOT);
        StringBuilder key = new StringBuilder(ascii.length());
        for (int i = 0; i < ascii.length(); i++) {
            char c = ascii.charAt(i);
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                key.append(c);
            }
        }
        String k = key.toString();
        return k.startsWith("europe") ? "eu" + k.substring("europe".length()) : k;
    }
}
