/**
 * Starts a Lambda handler as the Java runtime does, by its public no-argument constructor, in a JVM holding only the
 * function's jar and the environment the stack gives it: run by CdkSynthIT with Java's source launcher, so that
 * nothing of the test's own class path can stand in for a class the jar lacks (an HTTP client, a logging backend).
 */
public class HandlerStart {
    public static void main(String[] args) throws Exception {
        Object handler = Class.forName(args[0]).getConstructor().newInstance();
        System.out.println("started " + handler.getClass().getName());
        // A client's non-daemon thread would keep the JVM alive after main: the test waits for an exit.
        System.exit(0);
    }
}
