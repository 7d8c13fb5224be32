package dev.rollcall.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

import software.amazon.awscdk.Stage;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.LayerVersion;
import software.amazon.awscdk.services.lambda.Runtime;
import software.constructs.Construct;

import dev.rollcall.core.normalize.EventNormalizer;

/**
 * The team's classification rules file as a Lambda layer, and the variable that points the ingest functions at it.
 * A layer rather than an environment variable because Lambda caps all variables together at 4 KB; a new file
 * publishes a new layer version, which changes the functions' configuration and so publishes new versions of them.
 */
final class ClassificationRulesLayer extends Construct {

    /** Where Lambda mounts the layer's {@code rollcall/} folder. */
    static final String MOUNT = "/opt/rollcall/";

    private final LayerVersion layer;
    private final String path;

    ClassificationRulesLayer(Construct scope, String id, Path rulesFile) {
        super(scope, id);
        // The loader reads JSON when the name ends in .json (in any case) and YAML otherwise: the name keeps the kind.
        String name = rulesFile.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".json") ? "rules.json" : "rules.yaml";
        this.path = MOUNT + name;
        this.layer = LayerVersion.Builder.create(this, "Layer")
                .description("Rollcall classification rules (" + rulesFile.getFileName() + ")")
                .code(Code.fromAsset(staged(Path.of(Stage.of(this).getOutdir()), rulesFile, name).toString()))
                .compatibleRuntimes(List.of(Runtime.JAVA_25))
                .compatibleArchitectures(List.of(Architecture.ARM_64))
                .build();
    }

    /** Lets {@code function} load the rules instead of the bundled ones. */
    void applyTo(JavaFunction function) {
        function.function().addLayers(layer);
        function.function().addEnvironment(EventNormalizer.RULES_FILE_VARIABLE, path);
    }

    /**
     * A folder holding only {@code rollcall/<name>}: the asset's whole content, so its hash is the file's. It lives in
     * the cloud assembly's folder ({@code cdk.out}), which the CDK owns, rather than one more temp folder per synth.
     */
    private static Path staged(Path outdir, Path rulesFile, String name) {
        try {
            Path dir = Files.createTempDirectory(Files.createDirectories(outdir), "rules-");
            Path target = Files.createDirectories(dir.resolve("rollcall")).resolve(name);
            Files.copy(rulesFile, target, StandardCopyOption.REPLACE_EXISTING);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("rulesFile: cannot stage " + rulesFile + " for its layer", e);
        }
    }
}
