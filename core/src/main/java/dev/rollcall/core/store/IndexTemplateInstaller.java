package dev.rollcall.core.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.opensearch.client.opensearch.OpenSearchClient;

import dev.rollcall.core.alert.AlertJson;

/**
 * Installs Rollcall's index templates ({@code <prefix>-events}, {@code <prefix>-rollups}, {@code <prefix>-state}).
 * Idempotent: a template already at the same or a newer {@code version} is left alone, so every start-up of every
 * release may call it. A newer version also brings the indices the older one created to its refresh interval and
 * adds its new fields to their mappings. An installer that {@link #reconcilingReplicas() reconciles replicas} also
 * carries a replica count other than the installed one (a domain grown to two zones, or shrunk back) to the template
 * and every index it created, so no index is left without the replica the domain now has room for.
 */
public final class IndexTemplateInstaller {

    /** Templates shipped with this build, by name suffix; bump "version" inside a file when its mapping changes. */
    public static final List<String> TEMPLATES = List.of("events", "rollups", "state");

    private final OpenSearchHttp http;
    private final IndexNames names;
    private final int replicas;
    private final boolean reconcilesReplicas;

    public IndexTemplateInstaller(OpenSearchClient client, IndexNames names, int replicas) {
        this(new OpenSearchHttp(client), names, replicas, false);
    }

    private IndexTemplateInstaller(OpenSearchHttp http, IndexNames names, int replicas, boolean reconcilesReplicas) {
        this.http = http;
        this.names = names;
        this.replicas = replicas;
        this.reconcilesReplicas = reconcilesReplicas;
    }

    /**
     * This installer, also applying its replica count where the installed template (same version) has another. Only
     * the ingest functions do: they install once per container, and once a deployment has switched their alias only
     * the new release's containers start (one of the previous release starting while it switches may set its count
     * back until the next new container starts). The job does not: a Batch retry of a job submitted before the
     * deployment runs the previous job definition, for as long as retries go on, and would undo the new count on
     * every index.
     */
    public IndexTemplateInstaller reconcilingReplicas() {
        return new IndexTemplateInstaller(http, names, replicas, true);
    }

    /** What {@link #install()} did per template. */
    public enum Action { CREATED, UPDATED, UNCHANGED }

    /** Installs or updates each template; returns what it did, by template name. */
    public Map<String, Action> install() {
        return install(() -> true);
    }

    /**
     * As {@link #install()}, asking {@code timeLeft} before each request: a caller with a deadline (an ingest
     * invocation) stops rather than start requests it has no time for, and throws; what is done stays done.
     */
    public Map<String, Action> install(BooleanSupplier timeLeft) {
        Map<String, Action> actions = new java.util.LinkedHashMap<>();
        for (String template : TEMPLATES) {
            String name = names.prefix() + "-" + template;
            JsonNode body = templateBody(template);
            int wanted = body.path("version").asInt();
            Installed installed = installed(timeLeft, name);
            // Never a downgrade: during a deployment, Lambdas of the previous release still start next to the new ones.
            if (installed != null && (installed.version() > wanted
                    || installed.version() == wanted && (!reconcilesReplicas || installed.replicas() == replicas))) {
                actions.put(name, Action.UNCHANGED);
                continue;
            }
            if (installed != null) {
                // Before the template: its version and replica count are what say the upgrade is done, so a step that
                // fails here (a 429, a timeout) is retried by the next start-up instead of skipped for good.
                applyDynamicSettings(timeLeft, body);
                addNewFields(timeLeft, body);
            }
            put(timeLeft, "/_index_template/" + name, Map.of(), AlertJson.toBytes(body));
            actions.put(name, installed == null ? Action.CREATED : Action.UPDATED);
        }
        return actions;
    }

    /** The template body for {@code template}, with this installation's prefix and replica count. */
    public JsonNode templateBody(String template) {
        String resource = "/dev/rollcall/core/store/" + template + "-template.json";
        try (InputStream in = IndexTemplateInstaller.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing template resource " + resource);
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("{{prefix}}", names.prefix())
                    .replace("\"{{replicas}}\"", Integer.toString(replicas));
            return AlertJson.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Carries a new template's dynamic settings (replicas, refresh interval) to the indices it already created: a
     * template only shapes indices created after it, and the rollup and state indices live for as long as the
     * installation.
     */
    private void applyDynamicSettings(BooleanSupplier timeLeft, JsonNode template) {
        ObjectNode settings = AlertJson.mapper().createObjectNode();
        ObjectNode index = settings.putObject("index");
        index.put("number_of_replicas", replicas);
        JsonNode refresh = template.path("template").path("settings").path("refresh_interval");
        if (!refresh.isMissingNode()) {
            index.put("refresh_interval", refresh.asText());
        }
        for (JsonNode pattern : template.path("index_patterns")) {
            put(timeLeft, "/" + pattern.asText() + "/_settings", Map.of("allow_no_indices", "true", "ignore_unavailable", "true"),
                    AlertJson.toBytes(settings));
        }
    }

    /**
     * Puts a new template's fields onto the indices the older one created: rollup indices are strict and live as long
     * as the installation, so a field a new release writes would otherwise refuse every rollup until the end of time
     * (and new event fields every event until next month's index). Adding fields is safe; a changed field type is
     * refused by OpenSearch, and fails here with its reason.
     */
    private void addNewFields(BooleanSupplier timeLeft, JsonNode template) {
        JsonNode properties = template.path("template").path("mappings").path("properties");
        if (properties.isMissingNode()) {
            return;
        }
        ObjectNode mapping = AlertJson.mapper().createObjectNode();
        mapping.set("properties", properties);
        for (JsonNode pattern : template.path("index_patterns")) {
            put(timeLeft, "/" + pattern.asText() + "/_mapping", Map.of("allow_no_indices", "true", "ignore_unavailable", "true"),
                    AlertJson.toBytes(mapping));
        }
    }

    /** What an installed template says: its version and the replica count it gives new indices. */
    private record Installed(int version, int replicas) {
    }

    private Installed installed(BooleanSupplier timeLeft, String name) {
        requireTime(timeLeft, "GET /_index_template/" + name);
        try {
            OpenSearchHttp.Answer answer = http.get("/_index_template/" + name);
            if (answer.status() == 404) {
                return null;
            }
            if (!answer.ok()) {
                throw failed("reading index template " + name, answer);
            }
            List<JsonNode> found = new ArrayList<>();
            AlertJson.readTree(answer.body()).path("index_templates").forEach(found::add);
            if (found.isEmpty()) {
                return null;
            }
            JsonNode template = found.get(0).path("index_template");
            // OpenSearch answers settings in their nested form, with numbers as strings.
            JsonNode settings = template.path("template").path("settings").path("index");
            return new Installed(template.path("version").asInt(), settings.path("number_of_replicas").asInt(1));
        } catch (IOException | UncheckedIOException e) {
            // Unchecked too: a connection dropped while the answer's body is read surfaces as one.
            throw new TemplatesUnavailableException("OpenSearch unreachable while reading index template " + name + ": " + e.getMessage(), e);
        } catch (AlertJson.MalformedJsonException e) {
            // A 200 page from something in front of the domain (a proxy's sign-in page, a web server at a wrong
            // address): not the caller's input, and nothing is written until a real OpenSearch answers.
            throw new TemplatesUnavailableException("the answer to GET /_index_template/" + name + " is not JSON (" + e.getMessage()
                    + "): check that ROLLCALL_OPENSEARCH_ENDPOINT is the OpenSearch endpoint", e);
        }
    }

    /** A refusal for good, or (429, 5xx) a failure the next start-up may not meet. */
    private static IllegalStateException failed(String what, OpenSearchHttp.Answer answer) {
        return answer.status() == 429 || answer.status() >= 500
                ? new TemplatesUnavailableException(what + " failed: " + answer.status() + " " + answer.text(), null)
                : new OpenSearchRefusedException(what, answer.status(), answer.text());
    }

    private static void requireTime(BooleanSupplier timeLeft, String request) {
        if (!timeLeft.getAsBoolean()) {
            throw new IllegalStateException("no time left for " + request + " while installing index templates");
        }
    }

    private void put(BooleanSupplier timeLeft, String endpoint, Map<String, String> query, byte[] body) {
        requireTime(timeLeft, "PUT " + endpoint);
        try {
            OpenSearchHttp.Answer answer = http.execute("PUT", endpoint, query, body, "application/json");
            if (!answer.ok()) {
                throw failed("PUT " + endpoint, answer);
            }
        } catch (IOException | UncheckedIOException e) {
            throw new TemplatesUnavailableException("OpenSearch unreachable while updating " + endpoint + ": " + e.getMessage(), e);
        }
    }
}
