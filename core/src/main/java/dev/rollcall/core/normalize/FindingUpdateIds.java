package dev.rollcall.core.normalize;

import dev.rollcall.core.alert.AlertState;
import dev.rollcall.core.alert.Severity;

/**
 * Event ids of security findings made of the finding update, not of the EventBridge envelope that carried it. One
 * update reaches Rollcall once for each account and Region it is published to (the member account, its administrator,
 * the aggregation Region), each copy with an envelope id of its own: counted by envelope id, it paged once per copy.
 */
final class FindingUpdateIds {

    private FindingUpdateIds() {
    }

    /**
     * {@code <source>:} and the hash of the product, the finding id, its update time and the state and severity it is
     * normalized to. The provider's update time does not move when a user changes the finding (workflow status,
     * suppression, archiving, a severity override): without state and severity such a change would pass for a copy
     * of the update it changes, and a suppression would never resolve its finding. A finding without an id or an
     * update time keeps {@code envelopeId}: updates that cannot be told apart are not merged.
     */
    static String of(String source, String product, String findingId, String updatedAt, AlertState state, Severity severity,
                     String envelopeId) {
        if (findingId == null || updatedAt == null) {
            return envelopeId;
        }
        return ContentHash.eventId(source, product, findingId, ContentHash.timePart(updatedAt), state.wire(), severity.wire());
    }
}
