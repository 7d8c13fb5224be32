package dev.rollcall.servers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenSearchProcessTest {

    @Test
    void knowsWhetherItRunsAsRootByItsUidNotByAFilesOwner() {
        // Once decided by the owner of /proc/self (a root-owned symlink), which made every user look like root.
        assertThat(OpenSearchProcess.isRoot()).isEqualTo("root".equals(System.getProperty("user.name")));
    }

    /** The instance folder belongs to the node's user under root: links it left there are replaced, not written through. */
    @Test
    void theConfigIsWrittenAnewNotThroughLinksLeftInTheInstanceFolder(@TempDir Path temp) throws IOException {
        Path home = Files.createDirectories(temp.resolve("home/config"));
        Files.writeString(home.resolve("jvm.options"), "-Xms1g\n-Xmx1g\n");
        Files.writeString(home.resolve("log4j2.properties"), "status = error\n");
        Path instance = Files.createDirectories(temp.resolve("instance/config"));
        Path victim = Files.writeString(temp.resolve("victim"), "untouched");
        for (String file : new String[] {"jvm.options", "opensearch.yml", "log4j2.properties"}) {
            Files.createSymbolicLink(instance.resolve(file), victim);
        }
        Path linkedConfigOf = Files.createDirectories(temp.resolve("second/elsewhere"));
        Path second = Files.createDirectories(temp.resolve("second/instance"));
        Files.createSymbolicLink(second.resolve("config"), linkedConfigOf);

        OpenSearchProcess.writeConfig(temp.resolve("home"), temp.resolve("instance"), 9200, 9300, "512m");
        OpenSearchProcess.writeConfig(temp.resolve("home"), second, 9201, 9301, "512m");

        assertThat(victim).hasContent("untouched");
        assertThat(temp.resolve("instance/config/jvm.options")).isRegularFile().content().contains("-Xmx512m");
        assertThat(temp.resolve("instance/config/opensearch.yml")).isRegularFile().content().contains("http.port: 9200");
        assertThat(temp.resolve("instance/config/log4j2.properties")).isRegularFile().hasContent("status = error");
        assertThat(second.resolve("config")).isDirectory().isNotEqualTo(linkedConfigOf);
        assertThat(Files.isSymbolicLink(second.resolve("config"))).isFalse();
        assertThat(linkedConfigOf).isEmptyDirectory();
    }

    /** An unpacked distribution is reused while it is made of the same zip, and made again from another one. */
    @Test
    void aDistributionIsUnpackedOnceAndAgainWhenItsZipChanges(@TempDir Path temp) throws IOException {
        Path first = distributionZip(temp.resolve("first.zip"), "one");
        Path second = distributionZip(temp.resolve("second.zip"), "two");
        OpenSearchProcess.Settings settings = new OpenSearchProcess.Settings(first, "9.9.9", temp.resolve("dist"),
                temp.resolve("instance"), 0, "512m", java.time.Duration.ofSeconds(1), false);

        Path home = OpenSearchProcess.unpack(settings);
        assertThat(home.resolve("bin/opensearch")).hasContent("one");
        Files.writeString(home.resolve("left-by-a-node"), "x");
        assertThat(OpenSearchProcess.unpack(settings)).isEqualTo(home);
        assertThat(home.resolve("left-by-a-node")).as("reused as it was").exists();

        OpenSearchProcess.unpack(new OpenSearchProcess.Settings(second, "9.9.9", temp.resolve("dist"),
                temp.resolve("instance"), 0, "512m", java.time.Duration.ofSeconds(1), false));
        assertThat(home.resolve("bin/opensearch")).hasContent("two");
        assertThat(home.resolve("left-by-a-node")).as("made anew").doesNotExist();
    }

    private static Path distributionZip(Path zip, String script) throws IOException {
        try (java.nio.file.FileSystem fs = java.nio.file.FileSystems.newFileSystem(zip, java.util.Map.of("create", "true"))) {
            Path bin = Files.createDirectories(fs.getPath("/opensearch-9.9.9/bin"));
            Files.writeString(bin.resolve("opensearch"), script);
        }
        return zip;
    }
}
