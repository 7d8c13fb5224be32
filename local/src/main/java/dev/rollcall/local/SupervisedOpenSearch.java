package dev.rollcall.local;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import dev.rollcall.servers.OpenSearchProcess;

/**
 * Local mode's OpenSearch node, started again on the same data and port when it exits while local mode runs (killed,
 * out of memory). Until it is back the doors keep accepting events and the ingest queue holds them for redelivery, as
 * SQS would in AWS; without the restart they waited for a node nothing would start, and a restart of local mode,
 * the only way out, dropped the queue's messages with ElasticMQ's memory.
 */
final class SupervisedOpenSearch implements AutoCloseable {

    private static final Logger LOG = LogManager.getLogger(SupervisedOpenSearch.class);
    /** Restarts within {@link #RESTART_WINDOW} after which a node that keeps exiting is left down, said in one line. */
    static final int MAX_RESTARTS = 3;
    static final Duration RESTART_WINDOW = Duration.ofMinutes(10);
    /**
     * How long an exit waits before it counts as a crash: a signal to local mode's whole process group (Ctrl-C, a
     * closed terminal, a service manager's stop) ends the node as well, and local mode's stop may begin a moment later.
     */
    static final Duration STOP_NOTICE = Duration.ofSeconds(2);
    /**
     * Said whenever the node is left stopped: starting local mode again is the way to bring it back, and it costs what
     * ElasticMQ holds in memory, parked records included, which the user may want to read or replay first.
     */
    private static final String RESTART_DROPS_QUEUES = "; that drops every message in the queues (events still waiting to be stored,"
            + " and those parked in " + LocalConfig.DEAD_LETTER_QUEUE + " and " + LocalConfig.EVENTBRIDGE_DEAD_LETTER_QUEUE
            + "), which ElasticMQ keeps in memory only, unless local mode runs with --sqs-endpoint";

    private final long ownerPid;
    private final URI uri;
    private final Clock clock;
    private final ExecutorService restarter = Executors.newSingleThreadExecutor(
            r -> Thread.ofPlatform().daemon().name("opensearch-supervisor").unstarted(r));
    private final Deque<Instant> restarts = new ArrayDeque<>();
    private OpenSearchProcess node;
    private boolean stopping;

    private SupervisedOpenSearch(OpenSearchProcess node, long ownerPid, Clock clock) {
        this.node = node;
        this.ownerPid = ownerPid;
        this.uri = node.uri();
        this.clock = clock;
    }

    /**
     * Launches a node and its watchdog, which stops it if this JVM ends however it ends; {@link #awaitHealthy} then
     * waits for it and starts watching it.
     */
    static SupervisedOpenSearch launch(OpenSearchProcess.Settings settings, long ownerPid) {
        return new SupervisedOpenSearch(launchWithWatchdog(settings, ownerPid), ownerPid, Clock.systemUTC());
    }

    private static OpenSearchProcess launchWithWatchdog(OpenSearchProcess.Settings settings, long ownerPid) {
        OpenSearchProcess launched = OpenSearchProcess.launch(settings);
        try {
            // Before the wait for health, so that a kill -9 during OpenSearch's start does not leave it behind either.
            launched.stopWhenProcessExits(ownerPid);
        } catch (RuntimeException e) {
            launched.close();
            throw e;
        }
        return launched;
    }

    SupervisedOpenSearch awaitHealthy() {
        OpenSearchProcess started = current();
        started.awaitHealthy();
        watch(started);
        return this;
    }

    /** The node's address; a restarted node keeps the port. */
    URI uri() {
        return uri;
    }

    /** From now on an exit is local mode's own stop, not a fault: called first thing when local mode stops. */
    synchronized void stopSupervising() {
        stopping = true;
    }

    private synchronized OpenSearchProcess current() {
        return node;
    }

    private synchronized boolean isStopping() {
        return stopping;
    }

    private void watch(OpenSearchProcess watched) {
        watched.onExit().thenAcceptAsync(code -> exited(watched, code), restarter);
    }

    private void exited(OpenSearchProcess exited, int code) {
        try {
            Thread.sleep(STOP_NOTICE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        OpenSearchProcess next;
        synchronized (this) {
            if (stopping || exited != node) {
                return;
            }
            if (!mayRestart(restarts, clock.instant())) {
                LOG.error("OpenSearch exited with code {} for the {}th time in {} minutes; left stopped. Events wait in the"
                        + " queue while local mode runs: read {} and start local mode again" + RESTART_DROPS_QUEUES, code,
                        MAX_RESTARTS + 1, RESTART_WINDOW.toMinutes(), exited.pidFile().resolveSibling("logs"));
                return;
            }
            LOG.error("OpenSearch exited with code {} while local mode was running; starting it again on the same data."
                    + " Events sent meanwhile wait in the queue and are stored once it is back", code);
            try {
                next = launchWithWatchdog(exited.keepingData(), ownerPid);
            } catch (RuntimeException e) {
                LOG.error("OpenSearch could not be started again, left stopped: {}. Read {} and start local mode again"
                        + RESTART_DROPS_QUEUES, e.getMessage(), exited.pidFile().resolveSibling("logs"));
                return;
            }
            node = next;
        }
        try {
            next.awaitHealthy();
        } catch (RuntimeException e) {
            if (!isStopping()) {
                LOG.error("OpenSearch did not start again, left stopped ({}): start local mode again" + RESTART_DROPS_QUEUES,
                        e.getMessage());
            }
            return;
        }
        if (!isStopping()) {
            LOG.info("OpenSearch is back on {}", next.uri());
            watch(next);
        }
    }

    /**
     * Whether another restart at {@code now} stays within {@link #MAX_RESTARTS} in the {@link #RESTART_WINDOW} before
     * it; if so it is recorded in {@code restarts} (oldest first), else a node that keeps exiting is left down.
     */
    static boolean mayRestart(Deque<Instant> restarts, Instant now) {
        while (!restarts.isEmpty() && restarts.peekFirst().isBefore(now.minus(RESTART_WINDOW))) {
            restarts.pollFirst();
        }
        if (restarts.size() >= MAX_RESTARTS) {
            return false;
        }
        restarts.addLast(now);
        return true;
    }

    @Override
    public void close() {
        OpenSearchProcess last;
        synchronized (this) {
            stopping = true;
            last = node;
        }
        // Not shutdownNow: closing the node ends a restart's wait for it, and an interrupt would only race that.
        restarter.shutdown();
        last.close();
        try {
            restarter.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "OpenSearch on " + uri;
    }
}
