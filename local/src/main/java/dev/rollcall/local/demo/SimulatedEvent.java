package dev.rollcall.local.demo;

import java.time.Instant;

/**
 * One generated alert event: which alert, when, and whether it fires or resolves. {@link PayloadRenderer} turns it
 * into the payload its real source would send.
 *
 * @param id      a deterministic event id (a UUID for EventBridge sources)
 * @param alert   the alert definition it belongs to
 * @param firing  true for a firing transition, false for a resolution
 */
public record SimulatedEvent(String id, Instant time, AlertDefinition alert, boolean firing) {
}
