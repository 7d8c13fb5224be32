package dev.rollcall.infra;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the deployable artifacts sit in a Rollcall checkout. The app may run from the repository root (Maven via
 * {@code ./rollcall}), from {@code infra-cdk/} (the cdk CLI) or from a test, so the root is taken from the
 * {@code rollcall.root} system property when set, else found by walking up from the working directory.
 */
record RepositoryLayout(Path root) {

    static final String VERSION = "0.1.0-SNAPSHOT";

    static RepositoryLayout locate() {
        String property = System.getProperty("rollcall.root");
        if (property != null && !property.isBlank() && isRoot(Path.of(property))) {
            return new RepositoryLayout(Path.of(property).toAbsolutePath().normalize());
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (isRoot(dir)) {
                return new RepositoryLayout(dir.normalize());
            }
        }
        throw new IllegalStateException("cannot find the Rollcall repository root (a folder with pom.xml and infra-cdk/) "
                + "above " + Path.of("").toAbsolutePath() + "; set -Drollcall.root=PATH");
    }

    private static boolean isRoot(Path dir) {
        return Files.isRegularFile(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("infra-cdk"));
    }

    /** A path given in context: absolute as it is, relative to the repository root otherwise. */
    Path resolve(String path) {
        return root.resolve(path).toAbsolutePath().normalize();
    }

    String defaultIngestLambdaJar() {
        return deployableJar("ingest-lambda", "rollcall-ingest-lambda");
    }

    String defaultQueryLambdaJar() {
        return deployableJar("query-api", "rollcall-query-api");
    }

    /**
     * The shaded jar a module builds for Lambda, attached as {@code -lambda.jar} beside the plain jar other modules
     * depend on. Never the plain jar: it holds the handler but none of its dependencies, so a function deployed from
     * it would fail on every invocation.
     */
    private String deployableJar(String module, String artifact) {
        return module + "/target/" + artifact + "-" + VERSION + "-lambda.jar";
    }

    String defaultAggregateJobDirectory() {
        return "aggregate-batch-job";
    }

    /** The custom resource that prepares OpenSearch; part of this module, so not configurable. */
    Path openSearchSetupDirectory() {
        return root.resolve("infra-cdk/opensearch-setup");
    }
}
