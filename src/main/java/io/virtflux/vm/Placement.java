package io.virtflux.vm;

import io.virtflux.api.Problems;
import io.virtflux.host.Host;
import io.virtflux.host.HostProber;
import io.virtflux.host.HostRegistry;
import io.virtflux.host.HostStatus;
import io.virtflux.host.MemoryBudget;
import io.virtflux.host.MemoryPromise;
import io.virtflux.host.MemoryPromises;
import io.virtflux.operation.MemoryClaim;
import io.virtflux.pci.PciMatch;
import io.virtflux.pci.PciPassthrough;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Chooses a host for a deploy that names none: an ONLINE host with the PCI devices for every
 * request and the memory, counted by {@link MemoryBudget} (its reserve held back, and the memory
 * already promised to deploys counted); among those, the one with the most memory left. The chosen
 * host's memory is promised to the deploy in the same step ({@link MemoryPromises}), so deploys
 * placed at the same time never count the same memory; with several replicas the promises are the
 * journal's, read before each placement, and the journal checks the chosen host again when it takes
 * the deploy ({@link MemoryClaim}). The answer says where and why, and a refusal says for each host
 * what it lacks ("if no hosts match, an error message will appear": here it names the reason per
 * host).
 */
@Component
class Placement {

  /**
   * The chosen host, the explanation that goes into the operation's result, the memory promised
   * there (null for a host the caller named: it is promised when the deploy is queued), and what
   * the journal checks when it takes the deploy (with several replicas; null for a named host).
   */
  record Placed(
      Host host,
      Map<String, Object> explanation,
      @Nullable MemoryPromise promise,
      @Nullable MemoryClaim claim) {}

  /** A host, and what it lacks (its state, memory, PCI devices). */
  private record Verdict(Host host, Optional<String> unfit) {}

  private final HostRegistry hosts;
  private final PciPassthrough passthrough;
  private final MemoryPromises memory;
  private final Function<String, Mono<Host>> firstProbe;

  @Autowired
  Placement(
      HostRegistry hosts, PciPassthrough passthrough, MemoryPromises memory, HostProber prober) {
    this(hosts, passthrough, memory, prober::probed);
  }

  /** With {@code firstProbe} reading a host that was never probed (tests pass their own). */
  Placement(
      HostRegistry hosts,
      PciPassthrough passthrough,
      MemoryPromises memory,
      Function<String, Mono<Host>> firstProbe) {
    this.hosts = hosts;
    this.passthrough = passthrough;
    this.memory = memory;
    this.firstProbe = firstProbe;
  }

  /**
   * The host for a VM of {@code memoryMiB} with {@code pci}, its memory promised; a 409 problem
   * naming what each host lacks when none fits.
   */
  Mono<Placed> choose(long memoryMiB, List<PciMatch> pci) {
    // with several replicas, the memory every replica promised, as the journal has it now
    return memory
        .refreshed()
        .thenMany(Flux.defer(() -> Flux.fromIterable(hosts.all())))
        // a deploy right after start-up must not find every host UNKNOWN: those never probed are
        // read first, as a deploy to a named host does
        .flatMapSequential(
            h -> h.probedAt() == null ? firstProbe.apply(h.name()).onErrorReturn(h) : Mono.just(h))
        .concatMap(h -> verdict(h, memoryMiB, pci))
        .collectList()
        .map(verdicts -> placed(verdicts, memoryMiB, pci));
  }

  /** The host's state, then its memory (checked again when promised), then its PCI devices. */
  private Mono<Verdict> verdict(Host h, long memoryMiB, List<PciMatch> pci) {
    if (h.state() != HostStatus.ONLINE || h.facts() == null) {
      return Mono.just(
          new Verdict(h, Optional.of(h.state() + (h.reason() == null ? "" : ": " + h.reason()))));
    }
    Optional<String> noMemory = memory.budget(h).flatMap(b -> b.shortOf(memoryMiB));
    if (noMemory.isPresent()) {
      return Mono.just(new Verdict(h, noMemory));
    }
    return passthrough
        .unmet(h.ref(), pci)
        .onErrorResume(e -> Mono.just(Optional.of("PCI inventory unreadable: " + e.getMessage())))
        .map(unmet -> new Verdict(h, unmet));
  }

  private Placed placed(List<Verdict> verdicts, long memoryMiB, List<PciMatch> pci) {
    // the most memory left first; each promise checks again under the ledger's lock, so a host
    // that another placement filled meanwhile is passed over for the next
    List<Verdict> fitting =
        verdicts.stream()
            .filter(v -> v.unfit().isEmpty())
            .sorted(Comparator.comparingLong((Verdict v) -> available(v.host())).reversed())
            .toList();
    Verdict chosen = null;
    MemoryPromise promise = null;
    for (Verdict v : fitting) {
      Optional<MemoryPromise> p = memory.promise(v.host().name(), memoryMiB);
      if (p.isPresent()) {
        chosen = v;
        promise = p.get();
        break;
      }
    }
    List<Map<String, Object>> candidates = new ArrayList<>();
    List<String> reasons = new ArrayList<>();
    for (Verdict v : verdicts) {
      Optional<MemoryBudget> budget = memory.budget(v.host());
      Optional<String> unfit =
          v == chosen
              ? Optional.empty()
              : v.unfit().or(() -> budget.flatMap(b -> b.shortOf(memoryMiB)));
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("host", v.host().name());
      c.put("fits", v == chosen || unfit.isEmpty());
      budget.ifPresent(
          b -> {
            c.put("freeMemoryMiB", b.freeMiB());
            c.put("reservedMemoryMiB", b.reservedMiB());
            c.put("promisedMemoryMiB", b.promisedMiB());
            c.put("availableMemoryMiB", b.availableMiB());
          });
      unfit.ifPresent(why -> c.put("reason", why));
      candidates.add(c);
      reasons.add(v.host().name() + ": " + unfit.orElse("fits"));
    }
    if (chosen == null || promise == null) {
      throw noHost(verdicts.isEmpty(), reasons, candidates);
    }
    Map<String, Object> explanation = new LinkedHashMap<>();
    explanation.put("host", chosen.host().name());
    explanation.put(
        "why",
        "ONLINE, "
            + memoryMiB
            + " MiB promised of the memory it had left"
            + (pci.isEmpty() ? "" : ", PCI devices free for " + pci)
            + "; the most memory left of the hosts that fit");
    explanation.put("candidates", candidates);
    return new Placed(
        chosen.host(), explanation, promise, memory.claim(chosen.host(), memoryMiB).orElse(null));
  }

  private long available(Host h) {
    return memory.budget(h).map(MemoryBudget::availableMiB).orElse(0L);
  }

  private static ErrorResponseException noHost(
      boolean none, List<String> reasons, List<Map<String, Object>> candidates) {
    ErrorResponseException e =
        Problems.of(
            HttpStatus.CONFLICT,
            "No host fits",
            none
                ? "no host is registered"
                : "no host can take the VM: " + String.join("; ", reasons));
    e.getBody().setProperty("candidates", candidates);
    return e;
  }
}
