package dev.rollcall.aggregate;

/** Thrown at a run's next check after the container was asked to stop (see {@link Termination}). */
final class TerminatedException extends RuntimeException {

    TerminatedException() {
        super("the container is being stopped (SIGTERM)", null, false, false);
    }
}
