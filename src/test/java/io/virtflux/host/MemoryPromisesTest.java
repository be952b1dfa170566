package io.virtflux.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When a promise stops counting: never before the host's readings count what it was made for. */
class MemoryPromisesTest {

  private final HostRegistry registry =
      new HostRegistry(
          new HostsProperties(
              List.of(
                  new HostConfig("h", "test:///default", null, null, null, null, null, null, 512L)),
              List.of("/ds"),
              10,
              Duration.ZERO));
  private final MemoryPromises memory = new MemoryPromises(registry);

  /** A reading of the host: {@code freeMiB} free and one domain per entry of {@code vmsMiB}. */
  private void reading(long freeMiB, long... vmsMiB) {
    TestReadings.read(registry, "h", freeMiB, vmsMiB);
  }

  private long available() {
    return memory.budget(registry.require("h")).orElseThrow().availableMiB();
  }

  @Test
  void theBudgetHoldsBackTheReserveTheDomainsAndThePromises() {
    reading(4096, 1024);
    // 4096 total - 512 reserved - 1024 of the domain
    assertThat(available()).isEqualTo(2560);
    memory.promise("h", 1000).orElseThrow();
    assertThat(available()).isEqualTo(1560);
    assertThat(memory.promise("h", 1561)).isEmpty();
    // free memory bounds it too (memory used by what the service doesn't know)
    reading(1200, 1024);
    assertThat(available()).isEqualTo(200);
  }

  @Test
  void aDeployThatEndedWithoutADomainFreesItsPromiseAtOnce() {
    reading(4096);
    MemoryPromise p = memory.promise("h", 1024).orElseThrow();
    assertThat(memory.promisedMiB("h")).isEqualTo(1024);
    p.end();
    p.end();
    assertThat(memory.promisedMiB("h")).isZero();
  }

  @Test
  void aDeployedDomainKeepsItsPromiseUntilAReadingThatBeganAfterItCountsIt() {
    reading(4096);
    Instant before = Instant.now();
    MemoryPromise p = memory.promise("h", 1024).orElseThrow();
    p.domainDefined();
    p.end();
    // a probe that began before the domain existed may have missed it: not counted twice, not
    // freed either
    memory.read("h", before);
    assertThat(memory.promisedMiB("h")).isEqualTo(1024);
    assertThat(available()).isEqualTo(4096 - 512 - 1024);

    Instant after = Instant.now().plusMillis(1);
    reading(3900, 1024);
    memory.read("h", after);
    assertThat(memory.promisedMiB("h")).isZero();
    // now the reading counts the domain instead
    assertThat(available()).isEqualTo(4096 - 512 - 1024);
  }

  @Test
  void aPromiseMadeAnywayIsCountedEvenWhenItDoesNotFit() {
    reading(4096);
    memory.promiseAnyway("h", 8192);
    assertThat(memory.promisedMiB("h")).isEqualTo(8192);
    assertThat(available()).isZero();
    assertThat(memory.promise("h", 1)).isEmpty();
  }
}
