package dev.rollcall.local;

/**
 * Prints the class path Maven resolved for local mode, so that {@code ./rollcall rules} can run {@link RulesCheck}
 * with plain {@code java}: its exit code and messages then reach the caller instead of a Maven failure report.
 */
public final class ClasspathPrinter {

    private ClasspathPrinter() {
    }

    public static void main(String[] args) {
        System.out.println(System.getProperty("java.class.path"));
    }
}
