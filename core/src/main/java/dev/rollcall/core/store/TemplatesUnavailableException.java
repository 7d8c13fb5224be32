package dev.rollcall.core.store;

/**
 * Index templates could not be installed because OpenSearch did not answer or pushed back (429, 5xx): a condition of
 * the domain that passes, unlike a refusal ({@link OpenSearchRefusedException}) or a fault of the templates themselves.
 */
public final class TemplatesUnavailableException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    TemplatesUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
