package io.virtflux.migration;

import static org.assertj.core.api.Assertions.assertThat;

import io.virtflux.libvirt.MigrationProgress;
import io.virtflux.operation.OperationKind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON a migration is journaled and answered with: what clients and journals written by earlier
 * versions of the service read.
 */
class MigrationJsonTest {

  private final JsonMapper json =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  @Test
  void aMigrationQueuedByAnEarlierVersionReadsAsTheCommand() {
    // what MigrationService.Kept was journaled as, under the same name
    String kept =
        """
        {"vm":"web-1","source":"lab-a","destination":"lab-b",
         "request":{"destination":"lab-b","live":true,"unsafe":true,"mode":"managed",
                    "copyStorage":"all","diskPaths":{"vda":"/datastores/1/web-1/disk.0"},
                    "timeoutSeconds":60,"onTimeout":"pause"}}
        """;

    Migrate migrate = json.readValue(kept, Migrate.class);

    assertThat(migrate.vm()).isEqualTo("web-1");
    assertThat(migrate.request().isPeerToPeer()).isFalse();
    assertThat(migrate.request().pauseOnTimeout()).isTrue();
    assertThat(migrate.request().diskPaths()).containsEntry("vda", "/datastores/1/web-1/disk.0");
    assertThat(migrate.kind()).isEqualTo(OperationKind.MIGRATE);
    assertThat(migrate.target().hosts())
        .as("the destination last, where a restart looks for the VM")
        .containsExactly("lab-a", "lab-b");
    assertThat(json.readValue(json.writeValueAsString(migrate), Migrate.class)).isEqualTo(migrate);
  }

  @Test
  void theResultKeepsItsFieldsAndAnEmptyJobWhenLibvirtReportedNone() {
    MigrationResult result =
        new MigrationResult(
            "web-1",
            "lab-a",
            "lab-b",
            "peer-to-peer",
            true,
            "RUNNING",
            1234,
            false,
            MigrationJobStats.none());

    Map<String, Object> plain = json.convertValue(result, Map.class);

    assertThat(plain)
        .isEqualTo(
            Map.of(
                "vm", "web-1",
                "source", "lab-a",
                "destination", "lab-b",
                "mode", "peer-to-peer",
                "live", true,
                "state", "RUNNING",
                "wallMs", 1234L,
                "pausedOnTimeout", false,
                "completedJob", Map.of()));
  }

  @Test
  void jobStatisticsLeaveOutWhatLibvirtDidNotReport() {
    MigrationJobStats stats =
        MigrationJobStats.of(new MigrationProgress(true, 900L, 400L, 100L, 300L, null, null));

    assertThat(stats.asProgress())
        .containsExactly(
            Map.entry("elapsedMs", 900L),
            Map.entry("dataTotal", 400L),
            Map.entry("dataProcessed", 100L),
            Map.entry("dataRemaining", 300L),
            Map.entry("percent", 25L));
    assertThat(json.writeValueAsString(stats))
        .isEqualTo(
            "{\"elapsedMs\":900,\"dataTotal\":400,\"dataProcessed\":100,\"dataRemaining\":300,"
                + "\"percent\":25}");
    assertThat(
            MigrationJobStats.of(new MigrationProgress(true, null, 0L, 0L, null, 2L, 30L))
                .asProgress())
        .as("no percent of nothing")
        .containsOnlyKeys(List.of("dataTotal", "dataProcessed", "memoryIteration", "downtimeMs"));
  }
}
