package io.virtflux.host;

import io.virtflux.libvirt.DomainStats;
import io.virtflux.libvirt.HostFacts;
import io.virtflux.operation.MemoryClaim;
import io.virtflux.operation.PromisedMemory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Memory promised to deploys on each host, so that deploys accepted at the same time never count
 * the same free memory twice. The PCI devices of a deploy are promised the same way ({@code
 * PciReservations}), inside its lane.
 *
 * <p>A promise is made when a deploy is accepted, checked against the host's {@link MemoryBudget}
 * and recorded under one lock, so two placements can't both see the same memory. It ends when the
 * deploy ends without a domain (FAILED, CANCELLED). When the deploy defined its domain, the promise
 * is kept until the host has been read (facts and domains) by a reading that began after that: only
 * then does the reading count the domain, and dropping the promise earlier would free its memory
 * twice in the window before the next probe. Promises live in memory: a restart drops them, and a
 * deploy that was QUEUED promises its memory again when it runs.
 *
 * <p>With several replicas (a shared journal) the journal is the ledger instead ({@link
 * PromisedMemory}): every DEPLOY is journaled with its memory, and a host's promised memory is that
 * of its deploys queued or running, or that ended after the reading this replica last applied,
 * whichever replica accepted them. Promises made here then record nothing (the replica's own
 * deploys are in the journal: counting them here too would count them twice), placement reads the
 * journal's figures ({@link #refreshed}), and the journal checks a placed deploy again in the write
 * that takes it ({@link #claim}).
 */
@Component
public class MemoryPromises {

  private final HostRegistry registry;
  private final @Nullable PromisedMemory shared;
  private final Map<String, List<MemoryPromise>> byHost = new HashMap<>();

  /** host → when its last complete reading (facts, then domains) began. */
  private final Map<String, Instant> readingFrom = new HashMap<>();

  /** Promises kept in memory: one process accepts every deploy. */
  public MemoryPromises(HostRegistry registry) {
    this(registry, (PromisedMemory) null);
  }

  @Autowired
  MemoryPromises(HostRegistry registry, ObjectProvider<PromisedMemory> shared) {
    this(registry, shared.getIfAvailable());
  }

  /** Promises counted from the shared journal when {@code shared} is given. */
  public MemoryPromises(HostRegistry registry, @Nullable PromisedMemory shared) {
    this.registry = registry;
    this.shared = shared;
  }

  /**
   * Completes once the figures of promised memory are current: at once in memory; with several
   * replicas, when the journal's have been read again (on the journal's reader threads).
   */
  public Mono<Void> refreshed() {
    if (shared == null) {
      return Mono.empty();
    }
    Instant since;
    synchronized (this) {
      // a host's figure counts deploys that ended after its last reading: the oldest one bounds
      // what must be read
      since = readingFrom.values().stream().min(Instant::compareTo).orElseGet(Instant::now);
    }
    return shared.refresh(since);
  }

  /**
   * What the journal checks when it takes a deploy of {@code memoryMiB} placed on {@code host}: the
   * host's memory for VMs at its last reading, and when that reading began. Empty before the host's
   * first reading.
   */
  public synchronized Optional<MemoryClaim> claim(Host host, long memoryMiB) {
    return budgetOf(host)
        .map(b -> MemoryClaim.placed(memoryMiB, b.capacityMiB(), readingFrom.get(host.name())));
  }

  /**
   * Promises {@code memoryMiB} on {@code host} if its budget has it; empty when it does not, or the
   * host is unknown or was never read.
   */
  public synchronized Optional<MemoryPromise> promise(String host, long memoryMiB) {
    Optional<MemoryBudget> budget = registry.find(host).flatMap(this::budgetOf);
    if (budget.isEmpty() || budget.get().shortOf(memoryMiB).isPresent()) {
      return Optional.empty();
    }
    return Optional.of(record(host, memoryMiB));
  }

  /**
   * Promises {@code memoryMiB} on {@code host} whether it fits or not: a deploy whose caller chose
   * the host is not refused (as OpenNebula's {@code onevm deploy} without {@code --enforce}), but
   * placed deploys must count it.
   */
  public synchronized MemoryPromise promiseAnyway(String host, long memoryMiB) {
    return record(host, memoryMiB);
  }

  /** The host's budget now, or empty before its first reading. */
  public synchronized Optional<MemoryBudget> budget(Host host) {
    return budgetOf(host);
  }

  /** Memory promised on {@code host} and not yet counted by its readings. */
  public synchronized long promisedMiB(String host) {
    Instant from = readingFrom.get(host);
    if (shared != null) {
      return shared.promisedMiB(host, from);
    }
    List<MemoryPromise> promises = byHost.get(host);
    if (promises == null) {
      return 0;
    }
    promises.removeIf(p -> !p.holds(from));
    return promises.stream().mapToLong(MemoryPromise::memoryMiB).sum();
  }

  /**
   * The host's facts and domains were read by a reading that began at {@code from}: promises of
   * domains defined before then are counted by it now.
   */
  synchronized void read(String host, Instant from) {
    readingFrom.merge(host, from, (a, b) -> a.isAfter(b) ? a : b);
  }

  synchronized void defined(MemoryPromise promise, Instant at) {
    promise.markDefined(at);
  }

  synchronized void ended(MemoryPromise promise) {
    promise.markEnded();
  }

  private Optional<MemoryBudget> budgetOf(Host host) {
    HostFacts facts = host.facts();
    if (facts == null) {
      return Optional.empty();
    }
    long vms = host.domains().stream().mapToLong(DomainStats::maxMemoryKiB).sum() / 1024;
    return Optional.of(
        new MemoryBudget(
            facts.memoryKiB() / 1024,
            facts.freeMemoryKiB() / 1024,
            host.config().reservedMiB(),
            vms,
            promisedMiB(host.name())));
  }

  private MemoryPromise record(String host, long memoryMiB) {
    MemoryPromise p = new MemoryPromise(this, host, memoryMiB);
    if (shared == null) {
      // with several replicas the journal keeps it, from the deploy's creation on
      byHost.computeIfAbsent(host, h -> new ArrayList<>()).add(p);
    }
    return p;
  }
}
