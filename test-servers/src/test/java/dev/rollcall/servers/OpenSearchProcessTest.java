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
}
