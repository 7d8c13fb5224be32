package dev.rollcall.query;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.rollcall.query.jobs.AggregationJobs;
import dev.rollcall.query.jobs.JobRequest;
import dev.rollcall.query.jobs.JobState;
import dev.rollcall.query.jobs.JobStatus;

/** A job runner that records what it was asked to run and reports each job as running. */
public final class RecordingAggregationJobs implements AggregationJobs {

    private final List<JobRequest> submitted = new ArrayList<>();
    private final Map<String, JobStatus> jobs = new LinkedHashMap<>();

    @Override
    public synchronized JobStatus submit(JobRequest request) {
        submitted.add(request);
        String id = "job-" + submitted.size();
        JobStatus status = JobStatus.submitted(id, "rollcall-aggregate-" + request.interval().wire(), request, Instant.parse("2026-02-01T00:00:00Z"));
        jobs.put(id, new JobStatus(id, status.name(), JobState.RUNNING, null, status.createdAt(), Instant.parse("2026-02-01T00:01:00Z"),
                null, request, request.arraySize() > 1 ? Map.of(JobState.RUNNING, request.arraySize()) : Map.of(), java.util.List.of()));
        return status;
    }

    @Override
    public synchronized Optional<JobStatus> describe(String id) {
        return Optional.ofNullable(jobs.get(id));
    }

    /** The jobs submitted, newest (the last submitted) first. */
    @Override
    public synchronized List<JobStatus> recent(int limit) {
        List<JobStatus> newestFirst = new ArrayList<>(jobs.values());
        java.util.Collections.reverse(newestFirst);
        return List.copyOf(newestFirst.subList(0, Math.min(limit, newestFirst.size())));
    }

    public synchronized List<JobRequest> submitted() {
        return List.copyOf(submitted);
    }
}
