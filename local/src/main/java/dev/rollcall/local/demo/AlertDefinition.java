package dev.rollcall.local.demo;

/**
 * An alert that exists in the simulated estate, and how it behaves.
 *
 * @param kind    which tool raises it
 * @param name    the alarm name, alert name or issue title
 * @param service the service it belongs to
 * @param account the AWS account (also used as a label for non-AWS sources)
 * @param region  the AWS region
 * @param profile how its episodes look (noise, incidents, flapping ...)
 * @param weight  relative frequency of its episodes: a few alerts make most of the volume
 */
public record AlertDefinition(Kind kind, String name, String service, String account, String region, Profile profile, double weight) {

    /** The tool that raises an alert, i.e. the door its events come through. */
    public enum Kind { CLOUDWATCH, ALERTMANAGER, SENTRY }

    /** Episode shapes that make up real alert traffic. */
    public enum Profile {
        /** Fires, someone fixes it within tens of minutes to hours. */
        INCIDENT,
        /** Resolves by itself within a few minutes. */
        TRANSIENT,
        /** Changes state many times within minutes. */
        FLAPPING,
        /** Stays firing for days. */
        STANDING,
        /** Fires again while still open (same fingerprint, twice for one problem). */
        REFIRING,
        /** Fires together with its service's other "paired" alert, e.g. Lambda errors and API Gateway 5xx. */
        PAIRED
    }
}
