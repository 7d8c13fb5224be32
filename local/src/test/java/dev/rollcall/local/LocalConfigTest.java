package dev.rollcall.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.rollcall.core.alert.Alert;
import dev.rollcall.core.normalize.IncomingEvent;

class LocalConfigTest {

    @Test
    void withoutAnSqsEndpointLocalModeRunsElasticMqOnItsPort() {
        LocalConfig config = LocalConfig.parse(List.of("--sqs-port", "9400"));

        assertThat(config.externalSqsEndpoint()).isEmpty();
        assertThat(config.sqsEndpoint()).isEqualTo(URI.create("http://127.0.0.1:9400"));
        assertThat(config.ports()).containsEntry("--sqs-port", 9400);
    }

    @Test
    void anExternalSqsEndpointReplacesElasticMqAndFreesItsPort() {
        LocalConfig config = LocalConfig.parse(List.of("--sqs-endpoint", "http://127.0.0.1:4566", "--sqs-port", "9400"));

        assertThat(config.externalSqsEndpoint()).contains(URI.create("http://127.0.0.1:4566"));
        assertThat(config.sqsEndpoint()).isEqualTo(URI.create("http://127.0.0.1:4566"));
        // Nothing listens on --sqs-port then, so a busy port there must not stop local mode.
        assertThat(config.ports()).doesNotContainKey("--sqs-port").containsKeys("--query-port", "--opensearch-port");
        assertThat(DemoGuide.examples(config, Path.of("event.json"), java.time.Instant.parse("2026-12-06T16:10:42Z"))).contains(" sqs send-message --endpoint-url http://127.0.0.1:4566 ");
    }

    @Test
    void anSqsEndpointThatIsNotAnHttpUrlNamesTheOption() {
        for (String bad : List.of("127.0.0.1:4566", "ftp://host/", "http://", "http://bad host:1")) {
            assertThatThrownBy(() -> LocalConfig.parse(List.of("--sqs-endpoint", bad)))
                    .isInstanceOf(LocalConfig.UsageException.class)
                    .hasMessage("--sqs-endpoint must be an http(s) URL such as http://127.0.0.1:4566, got '" + bad + "'");
        }
        assertThat(LocalConfig.parse(List.of("--sqs-endpoint", "https://sqs.us-east-1.amazonaws.com")).externalSqsEndpoint())
                .isEqualTo(Optional.of(URI.create("https://sqs.us-east-1.amazonaws.com")));
    }

    @Test
    void helpIsAnAnswerAndABadOptionAnError() {
        for (String help : List.of("--help", "-h")) {
            assertThatThrownBy(() -> LocalConfig.parse(List.of(help)))
                    .isInstanceOfSatisfying(LocalConfig.UsageException.class, e -> assertThat(e.helpAsked()).isTrue())
                    .hasMessageStartingWith("usage: ./rollcall local");
        }
        assertThatThrownBy(() -> LocalConfig.parse(List.of("--no-such-option")))
                .isInstanceOfSatisfying(LocalConfig.UsageException.class, e -> assertThat(e.helpAsked()).isFalse())
                .hasMessageStartingWith("unknown or incomplete option '--no-such-option'");
    }

    @Test
    void rulesComeFromTheOptionElseTheStacksVariableElseTheBundledFile(@TempDir Path dir) throws IOException {
        Path mine = Files.writeString(dir.resolve("mine.yaml"), "version: 1\nrules:\n  - id: all-low\n    urgency: low\n");
        Path theirs = Files.writeString(dir.resolve("theirs.yaml"), "version: 1\nrules:\n  - id: all-ignored\n    urgency: ignore\n");
        Map<String, String> env = Map.of("ROLLCALL_RULES_FILE", theirs.toString());

        assertThat(LocalConfig.parse(List.of(), Map.of()).rulesFile()).isEmpty();
        assertThat(LocalConfig.parse(List.of(), env).rulesFile()).contains(theirs);
        LocalConfig config = LocalConfig.parse(List.of("--rules", mine.toString()), env);
        assertThat(config.rulesFile()).contains(mine);

        byte[] alarm = Files.readAllBytes(Path.of("src/test/resources/cloudwatch-alarm-state-change.json"));
        List<Alert> alerts = config.normalizer().normalize(new IncomingEvent(alarm, null, Map.of(), IncomingEvent.Door.EVENTBRIDGE, Instant.now()));
        assertThat(alerts).extracting(Alert::classifiedBy).containsExactly("all-low");
        assertThat(LocalConfig.parse(List.of(), Map.of()).normalizer().normalize(
                new IncomingEvent(alarm, null, Map.of(), IncomingEvent.Door.EVENTBRIDGE, Instant.now()))).extracting(Alert::unclassified).containsExactly(true);
    }

    @Test
    void aJobStoppedAtItsTimeoutGetsBatchsGracePeriodUnlessTheVariableSaysOtherwise() {
        assertThat(LocalConfig.parse(List.of(), Map.of()).jobStopGrace()).isEqualTo(Duration.ofSeconds(30));
        assertThat(LocalConfig.parse(List.of(), Map.of("ROLLCALL_LOCAL_JOB_STOP_GRACE", "PT5S")).jobStopGrace()).isEqualTo(Duration.ofSeconds(5));
        assertThat(LocalConfig.parse(List.of(), Map.of("ROLLCALL_LOCAL_JOB_STOP_GRACE", "PT0S")).jobStopGrace()).isZero();
        // The short form every other Rollcall duration takes.
        assertThat(LocalConfig.parse(List.of(), Map.of("ROLLCALL_LOCAL_JOB_STOP_GRACE", "45s")).jobStopGrace()).isEqualTo(Duration.ofSeconds(45));
        for (String bad : List.of("30", "-PT1S", "PT11M", "11m", "99999999999999999999s")) {
            assertThatThrownBy(() -> LocalConfig.parse(List.of(), Map.of("ROLLCALL_LOCAL_JOB_STOP_GRACE", bad)))
                    .isInstanceOf(LocalConfig.UsageException.class)
                    .hasMessage("ROLLCALL_LOCAL_JOB_STOP_GRACE must be a duration from PT0S to PT10M such as PT30S or 30s, got '" + bad + "'");
        }
    }

    @Test
    void aWrongRulesFileStopsLocalModeBeforeAnythingStarts(@TempDir Path dir) throws IOException {
        Path typo = Files.writeString(dir.resolve("rules.yaml"), "version: 1\nrules:\n  - id: typo\n    urgency: hgh\n");
        assertThatThrownBy(() -> LocalConfig.parse(List.of("--rules", typo.toString()), Map.of()))
                .isInstanceOf(LocalConfig.UsageException.class)
                .hasMessage("--rules: rules file " + typo + ": rule 'typo' (#1): urgency 'hgh' is not one of: high, low, ignore");
        assertThatThrownBy(() -> LocalConfig.parse(List.of(), Map.of("ROLLCALL_RULES_FILE", dir.resolve("gone.yaml").toString())))
                .hasMessage("ROLLCALL_RULES_FILE: rules file " + dir.resolve("gone.yaml") + " does not exist");
    }

    /** The demo's data never mixes with local mode's: every demo starts afresh in a folder of its own. */
    @Test
    void theDemoKeepsItsDataApartFromLocalMode() {
        assertThat(LocalConfig.parse(List.of()).dataDir()).isEqualTo(Path.of(".rollcall/local"));
        assertThat(LocalConfig.parse(List.of("--demo")).dataDir()).isEqualTo(Path.of(".rollcall/demo"));
        assertThat(LocalConfig.parse(List.of("--demo", "--data-dir", "/tmp/x")).dataDir()).isEqualTo(Path.of("/tmp/x"));
        // Only the demo's own folder is emptied at its start: a folder given by hand may hold what a user keeps.
        assertThat(LocalPipeline.startsAfresh(LocalConfig.parse(List.of("--demo")))).isTrue();
        assertThat(LocalPipeline.startsAfresh(LocalConfig.parse(List.of("--demo")).withDataDir(Path.of("/tmp/moved")))).isTrue();
        assertThat(LocalPipeline.startsAfresh(LocalConfig.parse(List.of("--demo", "--data-dir", ".rollcall/local")))).isFalse();
        assertThat(LocalPipeline.startsAfresh(LocalConfig.parse(List.of()))).isFalse();
    }

    /**
     * Under root OpenSearch runs as nobody: a data folder nobody cannot enter is refused naming --data-dir before the
     * node starts (not a stack trace once it fails), and kept as given; as a normal user every folder will do.
     */
    @Test
    void aDataFolderTheNodeCannotReachIsRefusedUnderRoot(@TempDir Path temp) throws IOException {
        Path closed = Files.createDirectory(temp.resolve("closed"));
        Files.setPosixFilePermissions(closed, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        LocalConfig config = LocalConfig.parse(List.of("--data-dir", closed.resolve("data").toString()));
        assertThat(LocalPipeline.reachableByTheNode(config)).as("a folder given by hand is not moved").isEqualTo(config);
        if (!"root".equals(System.getProperty("user.name"))) {
            LocalPipeline.requireReachableByTheNode(config);
        } else {
            assertThatThrownBy(() -> LocalPipeline.requireReachableByTheNode(config))
                    .isInstanceOf(LocalConfig.UsageException.class)
                    .hasMessageStartingWith("OpenSearch runs as nobody under root, and nobody cannot enter " + closed.resolve("data"))
                    .hasMessageContaining("(--data-dir)");
        }
    }

    /** The temp folder's data folder under root has a predictable name: one that is not the user's own is refused. */
    @Test
    void aMovedDataFolderMustBeTheUsersOwnAndWritableByNoOneElse(@TempDir Path temp) throws IOException {
        Path fresh = temp.resolve("fresh");
        LocalPipeline.requireOwnFolder(fresh);
        assertThat(Files.isDirectory(fresh)).isTrue();
        assertThat(Files.getPosixFilePermissions(fresh)).doesNotContain(java.nio.file.attribute.PosixFilePermission.GROUP_WRITE,
                java.nio.file.attribute.PosixFilePermission.OTHERS_WRITE);
        LocalPipeline.requireOwnFolder(fresh);

        Path shared = Files.createDirectory(temp.resolve("shared"));
        Files.setPosixFilePermissions(shared, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThatThrownBy(() -> LocalPipeline.requireOwnFolder(shared)).isInstanceOf(LocalConfig.UsageException.class)
                .hasMessageContaining(shared + " is not a folder of ").hasMessageContaining("rwxrwxrwx").hasMessageEndingWith("--data-dir");

        Path link = Files.createSymbolicLink(temp.resolve("link"), fresh);
        assertThatThrownBy(() -> LocalPipeline.requireOwnFolder(link)).isInstanceOf(LocalConfig.UsageException.class)
                .hasMessageContaining("(a link)");

        if ("root".equals(System.getProperty("user.name"))) {
            Path others = Files.createDirectory(temp.resolve("others"));
            Files.setOwner(others, others.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
            assertThatThrownBy(() -> LocalPipeline.requireOwnFolder(others)).isInstanceOf(LocalConfig.UsageException.class)
                    .hasMessageContaining("owner nobody");
        }
    }
}
