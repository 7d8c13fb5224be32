package dev.rollcall.servers;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OpenSearchProcessTest {

    @Test
    void knowsWhetherItRunsAsRootByItsUidNotByAFilesOwner() {
        // Once decided by the owner of /proc/self (a root-owned symlink), which made every user look like root.
        assertThat(OpenSearchProcess.isRoot()).isEqualTo("root".equals(System.getProperty("user.name")));
    }
}
