package dev.rollcall.core.classify;

import java.util.List;

/**
 * The dedup key of "the same alert" ({@code <source>:<value>|<value>...}) and the fields it was made of.
 */
public record Fingerprint(String value, List<String> fields) {
}
