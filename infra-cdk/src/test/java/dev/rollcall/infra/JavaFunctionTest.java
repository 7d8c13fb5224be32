package dev.rollcall.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The synth-time check that a function's jar holds what its handler needs to run. */
class JavaFunctionTest {

    private static final String HANDLER = "dev.rollcall.ingest.SqsHandler::handleRequest";

    @TempDir
    static Path jars;

    static Stream<Arguments> jarsAndWhatTheyLack() {
        return Stream.of(
                Arguments.of("shaded", List.of("dev/rollcall/ingest/SqsHandler.class", "dev/rollcall/core/store/OpenSearchConfig.class"),
                        Optional.empty()),
                // The module's plain jar, as `mvn package` builds it beside the shaded one.
                Arguments.of("plain", List.of("dev/rollcall/ingest/SqsHandler.class", "dev/rollcall/ingest/SqsConfig.class"),
                        Optional.of("dev/rollcall/core/ classes (a module's plain jar, not its shaded -lambda.jar)")),
                Arguments.of("another module's", List.of("dev/rollcall/query/QueryApiHandler.class", "dev/rollcall/core/store/OpenSearchConfig.class"),
                        Optional.of("dev/rollcall/ingest/SqsHandler.class")),
                Arguments.of("empty", List.of(), Optional.of("dev/rollcall/ingest/SqsHandler.class")));
    }

    @ParameterizedTest(name = "{0} jar")
    @MethodSource("jarsAndWhatTheyLack")
    void aJarIsCheckedForTheHandlerAndForCore(String name, List<String> entries, Optional<String> lacks) throws IOException {
        Path jar = jars.resolve(name.replace(' ', '-').replace("'", "") + ".jar");
        try (OutputStream out = Files.newOutputStream(jar); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (String entry : entries) {
                zip.putNextEntry(new ZipEntry(entry));
                zip.closeEntry();
            }
        }

        assertThat(JavaFunction.whatTheJarLacks(jar, HANDLER)).isEqualTo(lacks);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("defaultJars")
    void theDefaultJarsAreTheShadedOnes(String jar) {
        assertThat(jar).endsWith("-0.1.0-SNAPSHOT-lambda.jar");
    }

    static Stream<String> defaultJars() {
        RepositoryLayout repo = RepositoryLayout.locate();
        return Stream.of(repo.defaultIngestLambdaJar(), repo.defaultQueryLambdaJar());
    }
}
