package io.virtflux.host;

import io.virtflux.libvirt.DomainStats;
import io.virtflux.libvirt.HostFacts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

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
 */
@Component
public class MemoryPromises {

  private final HostRegistry registry;
  private final Map<String, List<MemoryPromise>> byHost = new HashMap<>();

  /** host → when its last complete reading (facts, then domains) began. */
  private final Map<String, Instant> readingFrom = new HashMap<>();

  public MemoryPromises(HostRegistry registry) {
    this.registry = registry;
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
    byHost.computeIfAbsent(host, h -> new ArrayList<>()).add(p);
    return p;
  }
}
