package io.virtflux.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.virtflux.operation.MemoryClaim;
import io.virtflux.operation.PromisedMemory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * With several replicas the journal is the ledger: the figures are the journal's, a promise made
 * here records nothing (the deploy counts from the journal, once), and a placed deploy carries what
 * the journal checks.
 */
class SharedMemoryPromisesTest {

  /** The journal's figures, as a test sets them; remembers from when each refresh read. */
  private static final class Journal implements PromisedMemory {
    final Map<String, Long> promised = new HashMap<>();
    final List<Instant> refreshedSince = new ArrayList<>();
    @Nullable Instant askedFrom;

    @Override
    public long promisedMiB(String host, @Nullable Instant readingFrom) {
      askedFrom = readingFrom;
      return promised.getOrDefault(host, 0L);
    }

    @Override
    public Mono<Void> refresh(Instant since) {
      return Mono.fromRunnable(() -> refreshedSince.add(since));
    }
  }

  private final HostRegistry registry =
      new HostRegistry(
          new HostsProperties(
              List.of(
                  new HostConfig("h", "test:///default", null, null, null, null, null, null, 512L)),
              List.of("/ds"),
              10,
              Duration.ZERO));
  private final Journal journal = new Journal();
  private final MemoryPromises memory = new MemoryPromises(registry, journal);

  private void reading(long freeMiB, long vmMiB) {
    TestReadings.read(registry, "h", freeMiB, vmMiB);
  }

  private MemoryBudget budget() {
    return memory.budget(registry.require("h")).orElseThrow();
  }

  @Test
  void theFiguresAreTheJournalsCountedFromTheReadingThisReplicaApplied() {
    reading(4096, 1024);
    Instant from = Instant.parse("2026-01-01T10:00:00Z");
    memory.read("h", from);
    journal.promised.put("h", 1500L);
    // 4096 total - 512 reserved - 1024 of the domain, less what the journal says is promised
    assertThat(budget().capacityMiB()).isEqualTo(2560);
    assertThat(budget().promisedMiB()).isEqualTo(1500);
    assertThat(budget().availableMiB()).isEqualTo(1060);
    assertThat(journal.askedFrom).isEqualTo(from);
  }

  @Test
  void aPromiseMadeHereIsNotCountedOnTopOfTheJournals() {
    reading(4096, 0);
    memory.read("h", Instant.now());
    memory.promise("h", 1000).orElseThrow().domainDefined();
    memory.promiseAnyway("h", 2000);
    assertThat(memory.promisedMiB("h")).isZero();
    // the journal has them once they are journaled
    journal.promised.put("h", 3000L);
    assertThat(memory.promisedMiB("h")).isEqualTo(3000);
    assertThat(memory.promise("h", 585)).isEmpty();
  }

  @Test
  void aPlacedDeployCarriesTheHostsCapacityAndTheReadingItWasCountedFrom() {
    assertThat(memory.claim(registry.require("h"), 100)).isEmpty();
    reading(1200, 1024);
    Instant from = Instant.parse("2026-01-01T10:00:00Z");
    memory.read("h", from);
    journal.promised.put("h", 700L);
    // free memory bounds the capacity; promises are the journal's to count, in its write
    assertThat(memory.claim(registry.require("h"), 100))
        .contains(MemoryClaim.placed(100, 1200, from));
  }

  @Test
  void aRefreshReadsTheDeploysThatEndedAfterTheOldestReading() {
    memory.refreshed().block();
    assertThat(journal.refreshedSince).hasSize(1);
    Instant older = Instant.parse("2026-01-01T10:00:00Z");
    memory.read("h", older.plusSeconds(60));
    memory.read("h2", older);
    memory.refreshed().block();
    assertThat(journal.refreshedSince.get(1)).isEqualTo(older);
  }

  @Test
  void inMemoryNothingIsRead() {
    assertThat(new MemoryPromises(registry).refreshed().hasElement().block()).isFalse();
  }
}
