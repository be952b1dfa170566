package io.virtflux.host;

import io.virtflux.operation.HostOwnership;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * With several replicas, only a host's owner reads the host (probe, monitor, PCI table) and stores
 * what it read; the other replicas take that reading over. So a host's libvirtd hears from one
 * replica, as CloudStack's management servers each talk only to the agents they own, and 500 hosts
 * cost 500 readings per interval whatever the number of replicas. A replica that lost a host (it
 * was paused past its lease) stops reading it at once, since {@link HostOwnership#mayAct} answers
 * from the monotonic clock. One replica (H2) reads every host itself and stores nothing.
 */
@Component
public class SharedReadings {

  private static final Logger log = LoggerFactory.getLogger(SharedReadings.class);

  private final HostOwnership ownership;
  private final HostStore store;
  private final HostRegistry registry;
  private final MemoryPromises memory;
  // host → version of the reading applied here last
  private final Map<String, Long> applied = new ConcurrentHashMap<>();

  SharedReadings(
      ObjectProvider<HostOwnership> ownership,
      HostStore store,
      HostRegistry registry,
      MemoryPromises memory) {
    this.ownership = ownership.getIfAvailable(() -> HostOwnership.SOLE);
    this.store = store;
    this.registry = registry;
    this.memory = memory;
  }

  /** Whether this replica reads {@code host} itself: one replica always, else only its owner. */
  public boolean readsItself(String host) {
    return !ownership.shared() || ownership.mayAct(host);
  }

  /**
   * Stores what this replica, the owner, holds of {@code host} now, read from {@code readingFrom}
   * on. Never fails: a reading that isn't stored is replaced by the next one.
   */
  Mono<Void> publish(String host, Instant readingFrom) {
    if (!ownership.shared()) {
      return Mono.empty();
    }
    Optional<HostOwnership.Fence> fence = ownership.fence(host);
    Optional<Host> read = registry.find(host);
    if (fence.isEmpty() || read.isEmpty()) {
      return Mono.empty();
    }
    return store
        .saveReading(
            host,
            fence.get().replica(),
            fence.get().epoch(),
            HostReading.of(read.get(), readingFrom))
        .onErrorResume(
            e -> {
              log.warn("reading of host {} not stored: {}", host, e.toString());
              return Mono.empty();
            });
  }

  /**
   * The host with its owner's latest reading applied; as it is when the owner stored none yet (the
   * host is then UNKNOWN here until it does).
   */
  Mono<Host> load(String host) {
    return store
        .reading(host)
        .doOnNext(stored -> apply(host, stored.getKey(), stored.getValue()))
        .then(Mono.fromSupplier(() -> registry.require(host)));
  }

  /** Applies the readings the owners stored since the last call, one query when none changed. */
  Mono<Void> follow() {
    return store
        .readingVersions()
        .flatMapMany(versions -> Flux.fromIterable(versions.entrySet()))
        .filter(stored -> registry.find(stored.getKey()).isPresent())
        .filter(stored -> !readsItself(stored.getKey()))
        .filter(stored -> !stored.getValue().equals(applied.get(stored.getKey())))
        .concatMap(stored -> load(stored.getKey()))
        .then();
  }

  private void apply(String host, long version, HostReading reading) {
    if (readsItself(host)) {
      return; // it became this replica's meanwhile: its own readings are fresher
    }
    registry.update(host, h -> h.read(reading));
    memory.read(host, reading.readingFrom());
    applied.put(host, version);
  }
}
