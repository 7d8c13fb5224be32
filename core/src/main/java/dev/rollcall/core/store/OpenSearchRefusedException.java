package dev.rollcall.core.store;

/**
 * OpenSearch answered a request with a refusal that retrying will not change (403 from a role mapping that leaves
 * the caller out, a closed index, a mapping conflict): an expected condition for an operator to fix, which callers
 * report in one line with the status, without a stack trace.
 */
public final class OpenSearchRefusedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    private static final int ANSWER_CHARS = 500;

    private final int status;

    /** {@code what} failed, with OpenSearch's status and its answer, cut to {@value #ANSWER_CHARS} characters. */
    public OpenSearchRefusedException(String what, int status, String answer) {
        this(what + " failed with " + status + ": " + cut(answer) + hint(status, answer), status);
    }

    private OpenSearchRefusedException(String message, int status) {
        super(message);
        this.status = status;
    }

    /** A refusal whose {@code message} already says what failed and why; the hint {@code reason} calls for is added. */
    public static OpenSearchRefusedException of(String message, int status, String reason) {
        return new OpenSearchRefusedException(message + hint(status, reason), status);
    }

    public int status() {
        return status;
    }

    private static String cut(String answer) {
        return answer == null ? "" : answer.length() <= ANSWER_CHARS ? answer : answer.substring(0, ANSWER_CHARS) + "…";
    }

    private static String hint(int status, String answer) {
        if (answer != null && (BulkIndexer.saysWritesBlocked(answer) || answer.contains(BulkIndexer.WRITES_BLOCKED))) {
            return " (the domain blocks writes, as it does short of storage or JVM memory: see OpenSearchWritesBlocked in "
                    + "infra-cdk/README.md)";
        }
        return status == 401 || status == 403
                ? " (check the OpenSearch role mapping of this function's or job's role: see infra-cdk/README.md)" : "";
    }
}
