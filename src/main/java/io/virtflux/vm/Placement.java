package io.virtflux.vm;

import io.virtflux.api.Problems;
import io.virtflux.host.Host;
import io.virtflux.host.HostRegistry;
import io.virtflux.host.HostStatus;
import io.virtflux.libvirt.HostFacts;
import io.virtflux.pci.PciMatch;
import io.virtflux.pci.PciPassthrough;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Chooses a host for a deploy that names none: an ONLINE host with the memory free and PCI devices
 * for every request; among those, the one with the most free memory. The answer says where and why,
 * and a refusal says for each host what it lacks ("if no hosts match, an error message will
 * appear": here it names the reason per host).
 */
@Component
class Placement {

  /** The chosen host, and the explanation that goes into the operation's result. */
  record Placed(Host host, Map<String, Object> explanation) {}

  private record Verdict(Host host, long freeMiB, Optional<String> unfit) {}

  private final HostRegistry hosts;
  private final PciPassthrough passthrough;

  Placement(HostRegistry hosts, PciPassthrough passthrough) {
    this.hosts = hosts;
    this.passthrough = passthrough;
  }

  Mono<Placed> choose(long memoryMiB, List<PciMatch> pci) {
    return Flux.fromIterable(hosts.all())
        .concatMap(h -> verdict(h, memoryMiB, pci))
        .collectList()
        .map(verdicts -> placed(verdicts, memoryMiB, pci));
  }

  private Mono<Verdict> verdict(Host h, long memoryMiB, List<PciMatch> pci) {
    if (h.state() != HostStatus.ONLINE || h.facts() == null) {
      return Mono.just(
          new Verdict(
              h, 0, Optional.of(h.state() + (h.reason() == null ? "" : ": " + h.reason()))));
    }
    HostFacts f = h.facts();
    long free = f.freeMemoryKiB() / 1024;
    if (free < memoryMiB) {
      return Mono.just(
          new Verdict(
              h,
              free,
              Optional.of("needs " + memoryMiB + " MiB of memory, " + free + " MiB free")));
    }
    return passthrough
        .unmet(h.ref(), pci)
        .onErrorResume(e -> Mono.just(Optional.of("PCI inventory unreadable: " + e.getMessage())))
        .map(unmet -> new Verdict(h, free, unmet));
  }

  private static Placed placed(List<Verdict> verdicts, long memoryMiB, List<PciMatch> pci) {
    List<Map<String, Object>> candidates = new ArrayList<>();
    for (Verdict v : verdicts) {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("host", v.host().name());
      c.put("fits", v.unfit().isEmpty());
      c.put("freeMemoryMiB", v.freeMiB());
      v.unfit().ifPresent(why -> c.put("reason", why));
      candidates.add(c);
    }
    Optional<Verdict> best =
        verdicts.stream()
            .filter(v -> v.unfit().isEmpty())
            .max(Comparator.comparingLong(Verdict::freeMiB));
    if (best.isEmpty()) {
      throw noHost(verdicts, candidates);
    }
    Verdict chosen = best.get();
    Map<String, Object> explanation = new LinkedHashMap<>();
    explanation.put("host", chosen.host().name());
    explanation.put(
        "why",
        "ONLINE, "
            + chosen.freeMiB()
            + " MiB free for "
            + memoryMiB
            + " MiB"
            + (pci.isEmpty() ? "" : ", PCI devices free for " + pci)
            + "; the most free memory of the hosts that fit");
    explanation.put("candidates", candidates);
    return new Placed(chosen.host(), explanation);
  }

  private static ErrorResponseException noHost(
      List<Verdict> verdicts, List<Map<String, Object>> candidates) {
    List<String> reasons =
        verdicts.stream().map(v -> v.host().name() + ": " + v.unfit().orElse("")).toList();
    ErrorResponseException e =
        Problems.of(
            HttpStatus.CONFLICT,
            "No host fits",
            verdicts.isEmpty()
                ? "no host is registered"
                : "no host can take the VM: " + String.join("; ", reasons));
    e.getBody().setProperty("candidates", candidates);
    return e;
  }
}
