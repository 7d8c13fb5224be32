package dev.rollcall.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Context values are validated at synth time, with messages that name the value to fix. */
class CentralSettingsTest {

    private static CentralSettings read(Map<String, Object> overrides) {
        Map<String, Object> context = new HashMap<>(TestApps.BASE_CONTEXT);
        context.putAll(overrides);
        return CentralSettings.fromContext(TestApps.app(context).getNode(), RepositoryLayout.locate());
    }

    @Test
    void defaultsAreSmallAndCheap() {
        CentralSettings settings = read(Map.of("organizationId", "", "alarmEmail", ""));

        assertThat(settings.openSearch()).isEqualTo(new CentralSettings.OpenSearchSizing(
                "3.5", "t3.small.search", 1, 0, "m7g.large.search", false, 10));
        assertThat(settings.openSearch().indexReplicas()).isZero();
        assertThat(settings.organizationId()).isEmpty();
        assertThat(settings.natGateways()).isEqualTo(1);
        assertThat(settings.sqs()).isEqualTo(new CentralSettings.SqsIngestTuning(100, 5, 5, 5));
        assertThat(settings.job().vcpus()).isEqualTo(1.0);
        assertThat(settings.job().memoryMb()).isEqualTo(2048);
        assertThat(settings.retainData()).isTrue();
        assertThat(settings.rollupsStaleAfterHours()).isEqualTo(3);
        assertThat(settings.ingestionSilentAfterHours()).isEqualTo(24);
        assertThat(settings.eventBridgeReservedConcurrency()).isEqualTo(10);
        assertThat(settings.webhook()).isEqualTo(new CentralSettings.WebhookLimits(25, 50, 10));
    }

    @Test
    void commandLineTextAndCdkJsonNumbersReadAlike() {
        assertThat(read(Map.of("openSearchVolumeGb", "25")).openSearch().volumeGb()).isEqualTo(25);
        assertThat(read(Map.of("openSearchVolumeGb", 25)).openSearch().volumeGb()).isEqualTo(25);
        assertThat(read(Map.of("openSearchZoneAwareness", true, "openSearchDataNodes", 4)).openSearch().zoneAwareness()).isTrue();
    }

    @Test
    void wrongValuesNameTheirKey() {
        assertThatThrownBy(() -> read(Map.of("organizationId", "acme"))).hasMessageContaining("organizationId='acme'");
        assertThatThrownBy(() -> read(Map.of("openSearchDataNodes", "two"))).hasMessageContaining("openSearchDataNodes");
        assertThatThrownBy(() -> read(Map.of("openSearchMasterNodes", "2"))).hasMessageContaining("one of [0, 3, 5]");
        assertThatThrownBy(() -> read(Map.of("openSearchZoneAwareness", "true", "openSearchDataNodes", "3")))
                .hasMessageContaining("even openSearchDataNodes");
        assertThatThrownBy(() -> read(Map.of("logRetentionDays", "31"))).hasMessageContaining("logRetentionDays");
        // The webhook credentials alarm counts a warning line, which ERROR would drop.
        assertThatThrownBy(() -> read(Map.of("logLevel", "ERROR"))).hasMessageContaining("logLevel='ERROR'")
                .hasMessageContaining("WebhookCredentialsRefused");
        assertThatThrownBy(() -> read(Map.of("jobVcpus", "3"))).hasMessageContaining("jobVcpus");
        assertThatThrownBy(() -> read(Map.of("jobVcpus", "0.25", "jobMemoryMb", "4096"))).hasMessageContaining("between 512 and 2048");
        // Fargate would run 512 MiB, but the job's JVM needs more than the quarter its heap leaves.
        assertThatThrownBy(() -> read(Map.of("jobVcpus", "0.25", "jobMemoryMb", "512"))).hasMessageContaining("jobMemoryMb")
                .hasMessageContaining("a whole number from 1024 to 122880");
        // Combinations CloudFormation accepts and Batch then never places.
        assertThatThrownBy(() -> read(Map.of("jobVcpus", "0.25", "jobMemoryMb", "1536"))).hasMessageContaining("512, 1024 or 2048");
        assertThatThrownBy(() -> read(Map.of("jobVcpus", "1", "jobMemoryMb", "3000"))).hasMessageContaining("steps of 1024 MiB");
        assertThatThrownBy(() -> read(Map.of("jobVcpus", "8", "jobMemoryMb", "18432", "jobMaxVcpus", "8")))
                .hasMessageContaining("steps of 4096 MiB");
        assertThatThrownBy(() -> read(Map.of("jobVcpus", "8", "jobMemoryMb", "16384", "jobMaxVcpus", "4")))
                .hasMessageContaining("jobMaxVcpus=4 is smaller than jobVcpus=8");
        assertThatThrownBy(() -> read(Map.of("jobSpot", "true", "jobCpuArchitecture", "ARM64"))).hasMessageContaining("Fargate Spot");
        assertThatThrownBy(() -> read(Map.of("jobArraySize", "100"))).hasMessageContaining("jobArraySize");
        assertThat(read(Map.of("jobVcpus", "2", "jobMemoryMb", "5120")).job().memoryMb()).isEqualTo(5120);
        assertThatThrownBy(() -> read(Map.of("sqsBatchingWindowSeconds", "0"))).hasMessageContaining("sqsBatchingWindowSeconds");
        assertThatThrownBy(() -> read(Map.of("retainData", "maybe"))).hasMessageContaining("true or false");
        assertThatThrownBy(() -> read(Map.of("rollupsStaleAfterHours", "1"))).hasMessageContaining("rollupsStaleAfterHours");
        // CloudWatch evaluates at most a day of hourly periods.
        assertThatThrownBy(() -> read(Map.of("ingestionSilentAfterHours", "25"))).hasMessageContaining("ingestionSilentAfterHours='25'");
        // CDK would build an environment-agnostic VPC over two zones anyway.
        assertThatThrownBy(() -> read(Map.of("maxAzs", "3"))).hasMessageContaining("maxAzs='3'");
        assertThatThrownBy(() -> read(Map.of("eventBridgeReservedConcurrency", "-1"))).hasMessageContaining("eventBridgeReservedConcurrency='-1'");
        // 0 is no reservation, for an account whose quota cannot spare one; never Lambda's 0, which stops the function.
        assertThat(CentralSettings.reservation(read(Map.of("eventBridgeReservedConcurrency", "0")).eventBridgeReservedConcurrency())).isNull();
        assertThat(CentralSettings.reservation(read(Map.of("webhookReservedConcurrency", "0")).webhook().reservedConcurrency())).isNull();
        assertThat(CentralSettings.reservation(read(Map.of()).webhook().reservedConcurrency())).isEqualTo(10);
        assertThatThrownBy(() -> read(Map.of("webhookRateLimit", "0"))).hasMessageContaining("webhookRateLimit='0'");
        assertThatThrownBy(() -> read(Map.of("webhookBurstLimit", "lots"))).hasMessageContaining("webhookBurstLimit='lots'");
        assertThatThrownBy(() -> read(Map.of("webhookReservedConcurrency", "5000"))).hasMessageContaining("webhookReservedConcurrency='5000'");
        assertThatThrownBy(() -> read(Map.of("openSearchVersion", "2.19"))).hasMessageContaining("openSearchVersion='2.19'")
                .hasMessageContaining("3.3 or later");
        assertThatThrownBy(() -> read(Map.of("openSearchVersion", "3.1"))).hasMessageContaining("3.3 or later");
        assertThat(read(Map.of("openSearchVersion", "3.3")).openSearch().version()).isEqualTo("3.3");
    }

    @Test
    void missingArtifactsSayHowToBuildThem() {
        assertThatThrownBy(() -> read(Map.of("ingestLambdaJar", "nowhere/ingest.jar")))
                .hasMessageContaining("ingestLambdaJar").hasMessageContaining("./rollcall mvn -B install -DskipTests");
        assertThatThrownBy(() -> read(Map.of("aggregateJobDirectory", "infra-cdk/src")))
                .hasMessageContaining("has no Dockerfile");
    }

    @Test
    void aRulesFileIsValidatedAtSynthAsTheIngestFunctionsWouldLoadIt(@TempDir Path dir) throws IOException {
        assertThat(read(Map.of()).rulesFile()).isEmpty();
        Path good = TestApps.MODULE.resolve("src/test/resources/rules/team-rules.yaml");
        assertThat(read(Map.of("rulesFile", good.toString())).rulesFile()).contains(good);

        Path typo = Files.writeString(dir.resolve("rules.yaml"), "version: 1\nrules:\n  - id: typo\n    urgency: hgh\n");
        assertThatThrownBy(() -> read(Map.of("rulesFile", typo.toString())))
                .hasMessage("rulesFile: rules file " + typo + ": rule 'typo' (#1): urgency 'hgh' is not one of: high, low, ignore");
        Path missing = dir.resolve("missing.yaml");
        assertThatThrownBy(() -> read(Map.of("rulesFile", missing.toString())))
                .hasMessage("rulesFile: rules file " + missing + " does not exist");
    }
}
