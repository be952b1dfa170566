package io.virtflux.operation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A result starts with its operation's kind: the contract's discriminator of the result type. */
class OperationResultKindTest {

  private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

  @Test
  void aSucceededOperationsResultStartsWithItsKind() {
    Operation attached =
        running(OperationKind.ATTACH_DISK).succeeded(Map.of("vm", "web-1", "target", "vdb"), NOW);

    assertThat(attached.result())
        .isInstanceOfSatisfying(
            Map.class,
            result -> {
              assertThat(result.keySet().iterator().next()).isEqualTo("kind");
              assertThat(result)
                  .containsEntry("kind", "ATTACH_DISK")
                  .containsEntry("vm", "web-1")
                  .containsEntry("target", "vdb");
            });
  }

  @Test
  void aResultJournaledWithoutItsKindGetsItWhenReadBack() {
    Operation journaled =
        new Operation(
            "op-1",
            OperationKind.DEPLOY,
            new OperationTarget("web-1", List.of("kvm1")),
            Phase.SUCCEEDED,
            NOW,
            NOW,
            NOW,
            null,
            Map.of(Operation.RECONCILED_AFTER_RESTART, "running on host"),
            null,
            "alice");

    assertThat(journaled.result())
        .isEqualTo(Map.of("kind", "DEPLOY", Operation.RECONCILED_AFTER_RESTART, "running on host"));
  }

  @Test
  void aKindInTheResultIsTheOperationsKind() {
    Operation started =
        running(OperationKind.START).succeeded(Map.of("kind", "something else"), NOW);

    assertThat(started.result()).isEqualTo(Map.of("kind", "START"));
  }

  private static Operation running(OperationKind kind) {
    return new Operation(
        "op-1",
        kind,
        new OperationTarget("web-1", List.of("kvm1")),
        Phase.RUNNING,
        NOW,
        NOW,
        null,
        null,
        null,
        null,
        "alice");
  }
}
