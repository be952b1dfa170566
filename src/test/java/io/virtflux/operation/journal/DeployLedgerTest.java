package io.virtflux.operation.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.virtflux.operation.NoMemory;
import io.virtflux.operation.Phase;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which of the journal's deploys hold memory on their host, and how much. */
class DeployLedgerTest {

  private static final Instant READ = Instant.parse("2026-01-01T10:00:00Z");

  @Test
  void anUnfinishedDeployHoldsItsMemory() {
    assertThat(DeployLedger.holds(Phase.QUEUED, null, READ)).isTrue();
    assertThat(DeployLedger.holds(Phase.RUNNING, null, READ)).isTrue();
  }

  @Test
  void aDeployThatEndedWithoutADomainHoldsNothing() {
    assertThat(DeployLedger.holds(Phase.FAILED, READ.plusSeconds(1), READ)).isFalse();
    assertThat(DeployLedger.holds(Phase.CANCELLED, READ.plusSeconds(1), READ)).isFalse();
  }

  @Test
  void aSucceededDeployHoldsUntilAReadingThatBeganAfterItsEnd() {
    assertThat(DeployLedger.holds(Phase.SUCCEEDED, READ.plusSeconds(1), READ)).isTrue();
    assertThat(DeployLedger.holds(Phase.SUCCEEDED, READ.minusSeconds(1), READ)).isFalse();
    assertThat(DeployLedger.holds(Phase.SUCCEEDED, READ, null)).isTrue();
  }

  @Test
  void theViewSumsTheHostsDeploysThatHold() {
    List<JournalPromisedMemory.Held> rows =
        List.of(
            new JournalPromisedMemory.Held("a", Phase.RUNNING, null, 1024),
            new JournalPromisedMemory.Held("a", Phase.QUEUED, null, 512),
            new JournalPromisedMemory.Held("a", Phase.SUCCEEDED, READ.plusSeconds(5), 256),
            new JournalPromisedMemory.Held("a", Phase.SUCCEEDED, READ.minusSeconds(5), 128),
            new JournalPromisedMemory.Held("b", Phase.RUNNING, null, 4096));
    assertThat(JournalPromisedMemory.promisedMiB(rows, "a", READ)).isEqualTo(1024 + 512 + 256);
    assertThat(JournalPromisedMemory.promisedMiB(rows, "b", READ)).isEqualTo(4096);
    assertThat(JournalPromisedMemory.promisedMiB(rows, "c", READ)).isZero();
  }

  @Test
  void aRefusalNamesTheHostAndThePromisedMemory() {
    NoMemory full = new NoMemory("h", 1024, 2048, 1536);
    assertThat(full.host()).isEqualTo("h");
    assertThat(full.getMessage())
        .isEqualTo(
            "host h needs 1024 MiB of memory, 512 MiB left (2048 MiB for VMs - 1536 promised to"
                + " deploys)");
  }
}
