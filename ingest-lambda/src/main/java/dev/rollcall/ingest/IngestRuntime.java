package dev.rollcall.ingest;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.opensearch.client.opensearch.OpenSearchClient;

import com.amazonaws.services.lambda.runtime.Context;

import dev.rollcall.core.ingest.EventOutcome;
import dev.rollcall.core.ingest.IngestPipeline;
import dev.rollcall.core.ingest.IngestReport;
import dev.rollcall.core.normalize.EventNormalizer;
import dev.rollcall.core.normalize.IncomingEvent;
import dev.rollcall.core.store.AlertStore;
import dev.rollcall.core.store.BulkIndexer;
import dev.rollcall.core.store.IndexTemplateInstaller;
import dev.rollcall.core.store.OpenSearchClients;

/**
 * What the EventBridge and SQS handlers share: the pipeline, index templates installed once per container before
 * the first write, and the deadline derived from the Lambda's remaining time.
 */
public final class IngestRuntime {

    private static final Logger LOG = LogManager.getLogger(IngestRuntime.class);
    private static final long NO_CONTEXT_BUDGET_MS = 30_000;

    private final IngestConfig config;
    private final IngestPipeline pipeline;
    private final IndexTemplateInstaller templates;
    private final AtomicBoolean templatesInstalled = new AtomicBoolean();
    private final Clock clock;

    public IngestRuntime(IngestConfig config, EventNormalizer normalizer, Clock clock) {
        this.config = config;
        this.clock = clock;
        OpenSearchClient client = OpenSearchClients.create(config.openSearch());
        this.pipeline = new IngestPipeline(normalizer, new AlertStore(new BulkIndexer(client), config.openSearch().indexNames()));
        // The one runtime that applies a changed replica count (see reconcilingReplicas).
        this.templates = new IndexTemplateInstaller(client, config.openSearch().indexNames(), config.openSearch().replicas()).reconcilingReplicas();
    }

    /** Built from the process environment; fails fast naming a missing or bad variable. */
    public static IngestRuntime fromEnvironment() {
        IngestConfig config = IngestConfig.fromEnvironment(System.getenv());
        return new IngestRuntime(config, EventNormalizer.fromEnvironment(config.environment()), Clock.systemUTC());
    }

    /** Ingests the events before the invocation's deadline; every event gets an outcome, nothing throws. */
    public IngestReport ingest(List<IncomingEvent> events, Context context) {
        Instant deadline = deadline(context);
        Optional<String> templateFailure = ensureTemplates(deadline);
        if (templateFailure.isPresent()) {
            // The cause, not a guess at it: a refused template (a role mapping, a field type conflict on upgrade) is
            // no outage, and whoever reads the events' lines or parked messages must fix it before redriving.
            return retryAll(events, "index templates could not be installed: " + templateFailure.get());
        }
        // A slow first start-up may have used the time the writes needed: one more request now could outlive the
        // invocation, so the events wait for their redelivery instead.
        if (!clock.instant().isBefore(deadline)) {
            return retryAll(events, "installing index templates used the invocation's time");
        }
        return pipeline.ingest(events, deadline);
    }

    private static IngestReport retryAll(List<IncomingEvent> events, String reason) {
        EventOutcome retry = new EventOutcome(EventOutcome.Kind.RETRY, 0, 0, 0, reason);
        return new IngestReport(events.stream().map(e -> retry).toList());
    }

    public Instant now() {
        return clock.instant();
    }

    private Instant deadline(Context context) {
        long budget = context == null ? NO_CONTEXT_BUDGET_MS : context.getRemainingTimeInMillis();
        long usable = Math.max(budget - config.deadlineMargin().toMillis(), Math.min(budget, 1_000));
        return clock.instant().plusMillis(usable);
    }

    /**
     * Why the templates are not installed, or empty when they are. Templates must exist before the first document is written, or OpenSearch would auto-create the monthly
     * index with guessed mappings; done once per container, retried on the next invocation if OpenSearch was down.
     */
    private Optional<String> ensureTemplates(Instant deadline) {
        if (templatesInstalled.get()) {
            return Optional.empty();
        }
        try {
            templates.install(() -> clock.instant().isBefore(deadline));
            templatesInstalled.set(true);
            return Optional.empty();
        } catch (RuntimeException e) {
            LOG.warn("installing index templates failed, will retry: {}", e.getMessage());
            return Optional.of(String.valueOf(e.getMessage()));
        }
    }
}
