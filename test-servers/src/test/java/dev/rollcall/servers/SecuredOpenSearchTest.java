package dev.rollcall.servers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecuredOpenSearchTest {

    /** The 2.x node runs on a JDK from 11 to 21; folders without a release file or a java binary are no JDK. */
    @Test
    void findsTheFirstJdkTheSecuredNodeCanRunOn(@TempDir Path jvms) throws IOException {
        Map<String, String> releases = Map.of(
                "a-jdk-8", "JAVA_VERSION=\"1.8.0_392\"",
                "b-temurin-25", "JAVA_VERSION=\"25.0.1\"",
                "c-openjdk-17", "IMPLEMENTOR=\"Debian\"\nJAVA_VERSION=\"17.0.15\"",
                "d-openjdk-21", "JAVA_VERSION=\"21.0.4\"");
        for (Map.Entry<String, String> jdk : releases.entrySet()) {
            Path home = Files.createDirectories(jvms.resolve(jdk.getKey()).resolve("bin"));
            Files.writeString(home.getParent().resolve("release"), jdk.getValue() + "\n");
            Files.writeString(home.resolve("java"), "#!/bin/sh\n");
            Files.setPosixFilePermissions(home.resolve("java"), PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Files.createDirectories(jvms.resolve("0-no-release/bin"));

        List<Path> homes = SecuredOpenSearch.homesIn(jvms, "");
        assertThat(SecuredOpenSearch.findJdk(homes)).contains(jvms.resolve("c-openjdk-17").toRealPath());
        Files.delete(jvms.resolve("c-openjdk-17/bin/java"));
        assertThat(SecuredOpenSearch.findJdk(homes)).contains(jvms.resolve("d-openjdk-21").toRealPath());
        assertThat(SecuredOpenSearch.findJdk(SecuredOpenSearch.homesIn(jvms.resolve("missing"), ""))).isEqualTo(Optional.empty());
    }

    /** macOS keeps a JDK's home inside its bundle. */
    @Test
    void looksInsideMacOsJdkBundles(@TempDir Path machines) throws IOException {
        Path home = Files.createDirectories(machines.resolve("temurin-21.jdk/Contents/Home/bin"));
        Files.writeString(home.getParent().resolve("release"), "JAVA_VERSION=\"21.0.5\"\n");
        Files.writeString(home.resolve("java"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(home.resolve("java"), PosixFilePermissions.fromString("rwxr-xr-x"));

        assertThat(SecuredOpenSearch.findJdk(SecuredOpenSearch.homesIn(machines, "Contents/Home")))
                .contains(machines.resolve("temurin-21.jdk/Contents/Home").toRealPath());
    }
}
