package dev.rollcall.local;

import java.util.concurrent.CountDownLatch;

/**
 * Stands in for the aggregation job's main in the runner's child JVMs, which tests need to last, ignore SIGTERM or
 * print a lot at will: prints which child it is, then does what its arguments say. Like the real job, its SIGTERM hook
 * says so in the log and lets the JVM exit, unless told to hang on.
 *
 * <pre>
 *   sleep SECONDS          sleep, then exit 0
 *   hang-on-term SECONDS   sleep; on SIGTERM, never exit (only SIGKILL ends it)
 *   print BYTES            print that many bytes in lines of 100, then exit 0
 *   exit CODE              exit with that code
 *   fill-heap MB           keep MB-sized arrays until the heap runs out
 *   fail-first SECONDS     the first attempt exits 1, a retry sleeps, then exits 0
 *   fail-attempts N        attempts 1 to N exit 1, later ones exit 0
 * </pre>
 */
public final class StandInJob {

    private StandInJob() {
    }

    public static void main(String[] args) throws InterruptedException {
        System.out.println("started index=" + System.getenv().getOrDefault("AWS_BATCH_JOB_ARRAY_INDEX", "none")
                + " attempt=" + System.getenv("AWS_BATCH_JOB_ATTEMPT")
                + " collecting_since=" + System.getenv().getOrDefault("ROLLCALL_COLLECTING_SINCE", "none"));
        System.out.flush();
        String action = args[0];
        long amount = Long.parseLong(args[1]);
        CountDownLatch never = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("terminated");
            System.out.flush();
            if (action.equals("hang-on-term")) {
                try {
                    never.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }));
        switch (action) {
            case "sleep", "hang-on-term" -> Thread.sleep(amount * 1000);
            case "print" -> {
                String line = "x".repeat(99);
                for (long printed = 0; printed < amount; printed += 100) {
                    System.out.println(line);
                }
            }
            case "fail-first" -> {
                if ("1".equals(System.getenv("AWS_BATCH_JOB_ATTEMPT"))) {
                    System.out.flush();
                    System.exit(1);
                }
                Thread.sleep(amount * 1000);
            }
            case "fail-attempts" -> {
                if (Long.parseLong(System.getenv("AWS_BATCH_JOB_ATTEMPT")) <= amount) {
                    System.out.flush();
                    System.exit(1);
                }
            }
            case "fill-heap" -> {
                java.util.List<long[]> kept = new java.util.ArrayList<>();
                while (true) {
                    kept.add(new long[(int) amount * 1024 * 128]);
                }
            }
            case "exit" -> {
                System.out.flush();
                System.exit((int) amount);
            }
            default -> throw new IllegalArgumentException("unknown action " + action);
        }
        System.out.flush();
    }
}
