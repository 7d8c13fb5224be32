package dev.rollcall.bench;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.rollcall.core.alert.AlertJson;

/**
 * The benchmark runner: {@code java -jar bench/target/rollcall-bench.jar [SCENARIO...] [--events N] [--json FILE]}.
 * Each scenario prints a table and its ratio against a baseline measured in the same run; {@code --json} writes all
 * results to a file. Scenarios: normalize, ingest, aggregate, query, coldstart, or all (the default).
 */
public final class BenchMain {

    static final List<String> SCENARIOS = List.of("normalize", "ingest", "aggregate", "query", "coldstart");

    private BenchMain() {
    }

    /** Options of one run. */
    record Options(List<String> scenarios, int events, Path json, URI openSearch, Path workDir, boolean smoke, Path repository) {
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = parse(Arrays.asList(args));
        } catch (IllegalArgumentException e) {
            System.err.println("rollcall-bench: " + e.getMessage());
            System.exit(2);
            return;
        }
        run(options);
        System.exit(0);
    }

    static Options parse(List<String> args) {
        List<String> scenarios = new ArrayList<>();
        int events = 20_000;
        Path json = null;
        URI openSearch = null;
        Path workDir = Path.of("target", "bench");
        boolean smoke = false;
        Path repository = Path.of(".");
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--events" -> events = eventCount(value(args, ++i, arg));
                case "--json" -> json = Path.of(value(args, ++i, arg));
                case "--opensearch" -> openSearch = openSearchUrl(value(args, ++i, arg));
                case "--work-dir" -> workDir = Path.of(value(args, ++i, arg));
                case "--repository" -> repository = Path.of(value(args, ++i, arg));
                case "--smoke" -> smoke = true;
                case "all" -> scenarios.addAll(SCENARIOS);
                default -> {
                    if (!SCENARIOS.contains(arg)) {
                        throw new IllegalArgumentException("unknown scenario or option '" + arg + "'; scenarios: " + SCENARIOS + " or all");
                    }
                    scenarios.add(arg);
                }
            }
        }
        if (scenarios.isEmpty()) {
            scenarios.addAll(SCENARIOS);
        }
        if (events < 100) {
            throw new IllegalArgumentException("--events must be at least 100");
        }
        return new Options(List.copyOf(new java.util.LinkedHashSet<>(scenarios)), events, json, openSearch, workDir, smoke, repository);
    }

    private static int eventCount(String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--events must be a whole number such as 1000000, got '" + text + "'");
        }
    }

    private static URI openSearchUrl(String text) {
        try {
            URI uri = new URI(text.trim());
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return uri;
            }
        } catch (java.net.URISyntaxException e) {
            // said below
        }
        throw new IllegalArgumentException("--opensearch must be an http(s) URL such as http://127.0.0.1:9200, got '" + text + "'");
    }

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args.get(i);
    }

    /** Runs the scenarios and returns their results (also printed, and written as JSON when asked). */
    static List<BenchResult> run(Options options) throws Exception {
        List<BenchResult> results = new ArrayList<>();
        try (BenchEnvironment env = BenchEnvironment.start(options.openSearch(), options.workDir().toAbsolutePath(), "1g")) {
            // aggregate and query share one loaded data set: the job's rollups are what the API serves.
            String dataset = "bench-data-" + java.util.UUID.randomUUID().toString().substring(0, 6);
            long[] loaded = {-1};
            for (String scenario : options.scenarios()) {
                if ((scenario.equals("aggregate") || scenario.equals("query")) && loaded[0] < 0) {
                    loaded[0] = AggregateScenario.load(env, dataset, options.events());
                }
                // Loading a million events leaves gigabytes of garbage in this JVM; collecting it here keeps its pauses
                // out of the next scenario, whose in-process handler would otherwise be timed across them.
                System.gc();
                BenchResult result = switch (scenario) {
                    case "normalize" -> NormalizeScenario.run(options.smoke());
                    case "ingest" -> IngestScenario.run(env, options.events(), 500, 2);
                    case "aggregate" -> AggregateScenario.run(env, dataset, loaded[0]);
                    case "query" -> {
                        if (!options.scenarios().contains("aggregate")) {
                            AggregateScenario.runJob(env, dataset, List.of("--from", BenchData.START.minusSeconds(86_400).toString(),
                                    "--to", BenchData.START.plusSeconds(92L * 86_400).toString(), "--interval", "all"));
                        }
                        yield QueryScenario.run(env, dataset, options.smoke() ? 10 : 200);
                    }
                    case "coldstart" -> ColdStartScenario.run(env, options.repository(), options.smoke() ? 1 : 5);
                    default -> throw new IllegalArgumentException(scenario);
                };
                results.add(result);
                print(result);
            }
        }
        if (options.json() != null) {
            ObjectNode root = AlertJson.mapper().createObjectNode();
            root.put("java", System.getProperty("java.version"));
            root.put("cores", Runtime.getRuntime().availableProcessors());
            root.put("max_heap_mb", Runtime.getRuntime().maxMemory() / 1_048_576);
            root.put("events", options.events());
            ArrayNode array = root.putArray("results");
            for (BenchResult r : results) {
                ObjectNode node = array.addObject().put("scenario", r.scenario()).put("target", r.target());
                node.set("figures", AlertJson.mapper().valueToTree(r.figures()));
            }
            Files.createDirectories(options.json().toAbsolutePath().getParent());
            Files.writeString(options.json(), AlertJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(root));
        }
        return results;
    }

    static void print(BenchResult result) {
        Map<String, Object> rows = new LinkedHashMap<>(result.figures());
        int width = rows.keySet().stream().mapToInt(String::length).max().orElse(10);
        System.out.println();
        System.out.println("== " + result.scenario() + (result.target().isEmpty() ? "" : "  (target: " + result.target() + ")"));
        rows.forEach((name, value) -> System.out.printf("  %-" + width + "s  %s%n", name, value));
    }
}
