package dev.rollcall.query.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The {@code %XX} escapes of a URL's path segments and query string, decoded strictly as UTF-8: one decoder for both,
 * so that a value a client cannot have meant is refused alike wherever it is sent.
 */
final class PercentEscapes {

    private PercentEscapes() {
    }

    /**
     * {@code text} with its escapes decoded as UTF-8, and with {@code +} as a space where {@code plusIsSpace} (a query
     * string, as API Gateway reads it; in a path a {@code +} is a plus). Empty when an escape is cut short, not hex,
     * or spells bytes that are not UTF-8 (a lone {@code %FF}, an overlong {@code %C0%AF}, an encoded surrogate
     * {@code %ED%A0%80}).
     */
    static Optional<String> decode(String text, boolean plusIsSpace) {
        if (text.indexOf('%') < 0) {
            return Optional.of(plusIsSpace ? text.replace('+', ' ') : text);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int i = 0;
        while (i < text.length()) {
            if (text.charAt(i) != '%') {
                // Up to the next escape at once, so that a character outside the BMP keeps both its surrogates.
                int next = text.indexOf('%', i);
                int end = next < 0 ? text.length() : next;
                String plain = text.substring(i, end);
                bytes.writeBytes((plusIsSpace ? plain.replace('+', ' ') : plain).getBytes(StandardCharsets.UTF_8));
                i = end;
            } else if (i + 2 < text.length() && HexFormat.isHexDigit(text.charAt(i + 1)) && HexFormat.isHexDigit(text.charAt(i + 2))) {
                bytes.write(HexFormat.fromHexDigits(text, i + 1, i + 3));
                i += 3;
            } else {
                return Optional.empty();
            }
        }
        try {
            // The strict decoder: String's constructor (and URLDecoder) would put U+FFFD for bytes that are not UTF-8
            // and answer for a value nobody sent.
            return Optional.of(StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes.toByteArray())).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    /** The 400 for a value of {@code parameter} that {@link #decode} refused, {@code raw} as it was sent. */
    static ApiError malformed(String parameter, String raw) {
        return ApiError.badParameter(parameter, parameter + " " + ApiError.quoted(raw)
                + " has a malformed %-escape: a % starts two hex digits of UTF-8, e.g. %3A for ':'");
    }
}
