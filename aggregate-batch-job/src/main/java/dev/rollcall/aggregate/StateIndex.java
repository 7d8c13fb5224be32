package dev.rollcall.aggregate;

import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.rollcall.core.alert.AlertJson;
import dev.rollcall.core.store.IndexTemplateInstaller;
import dev.rollcall.core.store.OpenSearchHttp;
import dev.rollcall.core.store.OpenSearchRefusedException;

/** Documents in {@code <prefix>-state}, by id: the one place the job's state stores read and write. */
final class StateIndex {

    private final OpenSearchCalls calls;
    private final String index;

    StateIndex(OpenSearchCalls calls, String index) {
        this.calls = calls;
        this.index = index;
    }

    String name() {
        return index;
    }

    OpenSearchCalls calls() {
        return calls;
    }

    /**
     * Makes sure the index exists with the current mapping: the template only shapes indices created after it, so
     * fields added in a newer template version are put onto an older state index here (adding fields is safe).
     */
    void ensure(IndexTemplateInstaller installer) {
        OpenSearchHttp.Answer created = calls.send("PUT", "/" + index, null, null);
        if (!created.ok() && !created.text().contains("resource_already_exists_exception")) {
            throw new OpenSearchRefusedException("creating " + index, created.status(), created.text());
        }
        JsonNode mappings = installer.templateBody("state").path("template").path("mappings");
        ObjectNode body = AlertJson.mapper().createObjectNode();
        body.set("properties", mappings.path("properties"));
        calls.json("PUT", "/" + index + "/_mapping", null, body);
    }

    /** A stored document with the sequence number and primary term a conditional write must name. */
    record Versioned(JsonNode source, long seqNo, long primaryTerm) {
    }

    Optional<JsonNode> get(String id) {
        return getVersioned(id).map(Versioned::source);
    }

    Optional<Versioned> getVersioned(String id) {
        OpenSearchHttp.Answer answer = calls.send("GET", "/" + index + "/_doc/" + id, null, null);
        if (answer.status() == 404) {
            return Optional.empty();
        }
        if (!answer.ok()) {
            throw new OpenSearchRefusedException("reading " + index + "/" + id, answer.status(), answer.text());
        }
        JsonNode doc = AlertJson.readTree(answer.body());
        return doc.path("found").asBoolean()
                ? Optional.of(new Versioned(doc.path("_source"), doc.path("_seq_no").asLong(), doc.path("_primary_term").asLong()))
                : Optional.empty();
    }

    void put(String id, ObjectNode source) {
        calls.json("PUT", "/" + index + "/_doc/" + id, Map.of("refresh", "true"), source);
    }

    /** Writes {@code source} unless a document with {@code id} exists; answers whichever is stored now. */
    JsonNode putIfAbsent(String id, ObjectNode source) {
        if (create(id, source)) {
            return source;
        }
        return get(id).orElseThrow(() -> new IllegalStateException(index + "/" + id + " exists but cannot be read"));
    }

    /** Writes {@code source} unless a document with {@code id} exists; false when one does. */
    boolean create(String id, ObjectNode source) {
        return conditional("PUT", id, Map.of("op_type", "create", "refresh", "true"), source);
    }

    /** Replaces the document if it is still the version read; false when another writer changed it since. */
    boolean replace(String id, Versioned read, ObjectNode source) {
        return conditional("PUT", id, ifUnchanged(read), source);
    }

    /** Deletes the document if it is still the version read; false when another writer changed or deleted it since. */
    boolean delete(String id, Versioned read) {
        return conditional("DELETE", id, ifUnchanged(read), null);
    }

    private static Map<String, String> ifUnchanged(Versioned read) {
        return Map.of("if_seq_no", Long.toString(read.seqNo()), "if_primary_term", Long.toString(read.primaryTerm()), "refresh", "true");
    }

    private boolean conditional(String method, String id, Map<String, String> query, ObjectNode source) {
        OpenSearchHttp.Answer answer = calls.send(method, "/" + index + "/_doc/" + id, query, source);
        if (answer.ok()) {
            return true;
        }
        // 409: someone else's write came first; 404: a conditional delete of what is already gone.
        if (answer.status() == 409 || (answer.status() == 404 && source == null)) {
            return false;
        }
        throw new OpenSearchRefusedException(method + " " + index + "/" + id, answer.status(), answer.text());
    }

    /** Makes every write so far visible to search (snapshots are written by bulk, without waiting for a refresh). */
    void refresh() {
        calls.send("POST", "/" + index + "/_refresh", Map.of("ignore_unavailable", "true", "allow_no_indices", "true"), null);
    }

    JsonNode search(ObjectNode body) {
        return calls.json("POST", "/" + index + "/_search", Map.of("ignore_unavailable", "true", "allow_no_indices", "true"), body);
    }

    long deleteByQuery(ObjectNode query) {
        return calls.deleteByQuery(index, query);
    }
}
