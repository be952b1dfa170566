package io.virtflux.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.virtflux.host.Host;
import io.virtflux.host.HostConfig;
import io.virtflux.host.HostRegistry;
import io.virtflux.host.HostStatus;
import io.virtflux.host.HostsProperties;
import io.virtflux.host.MemoryPromises;
import io.virtflux.host.Transport;
import io.virtflux.libvirt.HostFacts;
import io.virtflux.libvirt.xml.CapabilitiesXml;
import io.virtflux.pci.PciPassthrough;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.ErrorResponseException;
import reactor.core.publisher.Mono;

/** Placement's memory accounting, with hosts whose facts are given and deploys racing. */
class PlacementTest {

  private static final long GUEST = 256;

  private final Map<String, Host> hosts = new ConcurrentHashMap<>();
  private final HostRegistry registry =
      new HostRegistry(new HostsProperties(List.of(), List.of(), 10, Duration.ZERO)) {
        @Override
        public List<Host> all() {
          return hosts.values().stream()
              .sorted(java.util.Comparator.comparing(Host::name))
              .toList();
        }

        @Override
        public Optional<Host> find(String name) {
          return Optional.ofNullable(hosts.get(name));
        }
      };
  private final ExecutorService pool = Executors.newFixedThreadPool(12);

  private final MemoryPromises memory = new MemoryPromises(registry);
  private final Placement placement =
      new Placement(registry, noPci(), memory, name -> Mono.just(registry.require(name)));

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  private static PciPassthrough noPci() {
    PciPassthrough pci = mock(PciPassthrough.class);
    when(pci.unmet(any(), any())).thenReturn(Mono.just(Optional.empty()));
    return pci;
  }

  private void host(String name, long totalMiB, long freeMiB) {
    host(name, totalMiB, freeMiB, 0);
  }

  private void host(String name, long totalMiB, long freeMiB, long reservedMiB) {
    HostFacts facts =
        new HostFacts(
            name,
            "QEMU",
            "9.0.0",
            "10.0.0",
            "x86_64",
            4,
            2000,
            totalMiB * 1024,
            freeMiB * 1024,
            0,
            new CapabilitiesXml(new CapabilitiesXml.Host(null, null, null), List.of()));
    hosts.put(
        name,
        new Host(
            new HostConfig(
                name, "test:///default", null, null, null, null, null, null, reservedMiB),
            Transport.of("test:///default"),
            List.of(),
            new Host.Probe(HostStatus.ONLINE, null, facts, false, Instant.now(), Instant.now()),
            false,
            List.of(),
            List.of()));
  }

  /** Runs {@code n} placements of {@code GUEST} MiB at once; returns the hosts they got. */
  private List<Optional<String>> race(int n) throws Exception {
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Optional<String>>> all = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      all.add(
          pool.submit(
              () -> {
                go.await();
                try {
                  return Optional.of(placement.choose(GUEST, List.of()).block().host().name());
                } catch (ErrorResponseException e) {
                  assertThat(e.getStatusCode().value()).isEqualTo(409);
                  return Optional.<String>empty();
                }
              }));
    }
    go.countDown();
    List<Optional<String>> placed = new java.util.ArrayList<>();
    for (Future<Optional<String>> f : all) {
      placed.add(f.get(10, TimeUnit.SECONDS));
    }
    return placed;
  }

  @Test
  void concurrentPlacementsNeverPromiseTheSameFreeMemoryTwice() throws Exception {
    // room for two guests on each host (and a half, which fits none)
    host("a", 8192, 2 * GUEST + GUEST / 2);
    host("b", 8192, 2 * GUEST + GUEST / 2);

    List<Optional<String>> placed = race(12);

    assertThat(placed.stream().filter(Optional::isPresent).map(Optional::get))
        .containsExactlyInAnyOrder("a", "a", "b", "b");
    for (String h : List.of("a", "b")) {
      assertThat(memory.promisedMiB(h)).isEqualTo(2 * GUEST);
      assertThat(memory.budget(hosts.get(h)).orElseThrow().availableMiB()).isEqualTo(GUEST / 2);
    }
  }

  @Test
  void theReserveIsHeldBackFromTheHostsMemory() throws Exception {
    // 8 GiB free, but all of it reserved except room for three guests
    host("a", 8192, 8192, 8192 - 3 * GUEST);

    assertThat(race(9).stream().filter(Optional::isPresent)).hasSize(3);
  }

  @Test
  void aRefusalNamesPerHostWhatIsPromisedAndReserved() {
    host("a", 8192, 8192, 8192 - GUEST);
    Placement.Placed first = placement.choose(GUEST, List.of()).block();
    assertThat(first.explanation().toString()).contains("host=a");

    assertThatThrownBy(() -> placement.choose(GUEST, List.of()).block())
        .isInstanceOfSatisfying(
            ErrorResponseException.class,
            e -> {
              assertThat(e.getStatusCode().value()).isEqualTo(409);
              assertThat(e.getBody().getTitle()).isEqualTo("No host fits");
              assertThat(e.getBody().getDetail())
                  .contains(
                      "a: needs 256 MiB of memory, 0 MiB left",
                      (8192 - GUEST) + " reserved",
                      "256 promised to deploys");
              assertThat(e.getBody().getProperties().get("candidates").toString())
                  .contains("promisedMemoryMiB=256", "reservedMemoryMiB=" + (8192 - GUEST));
            });

    // the first deploy failed before it defined a domain: its memory is free again
    first.promise().end();
    assertThat(placement.choose(GUEST, List.of()).block().host().name()).isEqualTo("a");
  }
}
