package dev.rollcall.local;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.rollcall.core.alert.AlertJson;

/** The functions local mode serves, by their Lambda function name. */
final class LocalFunctions {

    /** A function's answer: its response JSON, or the error payload Lambda would return. */
    record Result(String response, String error) {
    }

    private static final Logger LOG = LogManager.getLogger(LocalFunctions.class);

    private final Map<String, LocalFunction> functions = new TreeMap<>();

    LocalFunctions register(String name, LocalFunction function) {
        functions.put(name, function);
        return this;
    }

    boolean has(String name) {
        return functions.containsKey(name);
    }

    Set<String> names() {
        return functions.keySet();
    }

    /** Invokes a function; its exception becomes Lambda's error payload (errorMessage, errorType, stackTrace). */
    Result invoke(String name, String eventJson) {
        LocalFunction function = functions.get(name);
        if (function == null) {
            throw new IllegalArgumentException("no local function " + name);
        }
        try {
            return new Result(function.invoke(eventJson), null);
        } catch (Exception e) {
            LOG.warn("function {} failed: {}", name, e.toString());
            ObjectNode error = AlertJson.mapper().createObjectNode()
                    .put("errorMessage", String.valueOf(e.getMessage()))
                    .put("errorType", e.getClass().getName());
            ArrayNode trace = error.putArray("stackTrace");
            for (StackTraceElement element : e.getStackTrace()) {
                trace.add(element.toString());
            }
            return new Result(null, error.toString());
        }
    }
}
