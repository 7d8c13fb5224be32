package dev.rollcall.ingest.webhook;

/**
 * The characters an SQS message body may hold: {@code #x9 | #xA | #xD | #x20-#xD7FF | #xE000-#xFFFD |
 * #x10000-#x10FFFF} (Amazon SQS message quotas). Valid JSON can hold others (U+FFFE, U+FFFF, a lone surrogate), and
 * SQS refuses such a body on every attempt.
 */
final class SqsMessageCharacters {

    private SqsMessageCharacters() {
    }

    /** The index of the first character SQS would refuse, or -1 when it takes them all. */
    static int firstRefused(String text) {
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            if (!allowed(c)) {
                return i;
            }
            i += Character.charCount(c);
        }
        return -1;
    }

    private static boolean allowed(int c) {
        return c == 0x9 || c == 0xA || c == 0xD
                || (c >= 0x20 && c <= 0xD7FF)
                || (c >= 0xE000 && c <= 0xFFFD)
                || (c >= 0x10000 && c <= 0x10FFFF);
    }
}
