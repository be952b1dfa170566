package io.virtflux.vm;

import io.virtflux.api.Problems;
import io.virtflux.host.Host;
import io.virtflux.host.HostRegistry;
import io.virtflux.host.HostStatus;
import io.virtflux.libvirt.DomainStatus;
import io.virtflux.libvirt.LibvirtFailure;
import io.virtflux.libvirt.LibvirtGateway;
import io.virtflux.vm.template.SafeNames;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Finds the host a VM lives on. libvirt is the source of truth, so a VM that was migrated or
 * created outside the service is found where it is now: the answer always comes from a status call
 * on the host that has it.
 *
 * <p>Which host to ask first: where the VM was found last, else a host whose last monitoring
 * reading lists it; only when that host doesn't have it (any more) is every reachable host asked,
 * in parallel. With 500 hosts, asking all of them for every request cost 500 libvirt calls per
 * operation and bounded the whole service's throughput ({@code dev/bench}, "hosts").
 */
@Component
public class VmLocator {

  /** A VM and where it is. */
  public record Located(Host host, DomainStatus status) {}

  private static final Logger log = LoggerFactory.getLogger(VmLocator.class);

  private final HostRegistry hosts;
  private final LibvirtGateway libvirt;
  // VM name -> host name where it was found last: a hint, checked by a status call every time
  private final Map<String, String> lastSeen = new ConcurrentHashMap<>();

  VmLocator(HostRegistry hosts, LibvirtGateway libvirt) {
    this.hosts = hosts;
    this.libvirt = libvirt;
  }

  /**
   * Emits the VM's host and status, or fails with a 404 problem (400 for an unsafe name). When no
   * host that answered has it but a host failed to answer, that host's failure instead (503 host
   * offline, 502): the VM may well be there, and a 404 would tell the caller it is gone.
   */
  public Mono<Located> locate(String vm) {
    List<LibvirtFailure> unanswered = new CopyOnWriteArrayList<>();
    return find(vm, unanswered)
        .switchIfEmpty(
            Mono.error(
                () -> {
                  if (!unanswered.isEmpty()) {
                    LibvirtFailure first = unanswered.get(0);
                    log.warn(
                        "VM '{}' not found, and {} host(s) did not answer: {}",
                        vm,
                        unanswered.size(),
                        first.getBody().getDetail());
                    return first;
                  }
                  return Problems.of(
                      HttpStatus.NOT_FOUND,
                      "Unknown VM",
                      "no reachable host has a VM named '" + vm + "'");
                }));
  }

  /** The VM's host and status, or empty when no reachable host has it. */
  public Mono<Located> find(String vm) {
    return find(vm, new CopyOnWriteArrayList<>());
  }

  private Mono<Located> find(String vm, List<LibvirtFailure> unanswered) {
    if (!SafeNames.isSafe(vm)) {
      return Mono.error(
          Problems.invalidField(
              "Bad VM name",
              "name",
              "must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit"));
    }
    return Mono.justOrEmpty(candidate(vm))
        .flatMap(host -> statusOn(host, vm, new CopyOnWriteArrayList<>()))
        .switchIfEmpty(
            Mono.defer(
                () -> {
                  // the hint was wrong (migrated, undefined): forget it, ask everyone
                  lastSeen.remove(vm);
                  return Flux.fromIterable(hosts.all())
                      .filter(h -> h.status() != HostStatus.OFFLINE)
                      .flatMap(h -> statusOn(h, vm, unanswered))
                      .next();
                }))
        .doOnNext(found -> lastSeen.put(vm, found.host().name()));
  }

  /** The host to ask first: where the VM was found last, else where monitoring last saw it. */
  private Optional<Host> candidate(String vm) {
    String last = lastSeen.get(vm);
    if (last != null) {
      Optional<Host> host = hosts.find(last).filter(h -> h.status() != HostStatus.OFFLINE);
      if (host.isPresent()) {
        return host;
      }
      lastSeen.remove(vm, last);
    }
    return hosts.all().stream()
        .filter(h -> h.status() != HostStatus.OFFLINE)
        .filter(h -> h.domains().stream().anyMatch(d -> d.name().equals(vm)))
        .findFirst();
  }

  /**
   * The VM on {@code host}, or empty; a failure other than "no such domain" is added to {@code
   * unanswered}.
   */
  private Mono<Located> statusOn(Host host, String vm, List<LibvirtFailure> unanswered) {
    return libvirt
        .status(host.ref(), vm)
        .map(s -> new Located(host, s))
        .onErrorResume(
            LibvirtFailure.class,
            e -> {
              if (!LibvirtFailure.TYPE_UNKNOWN_VM.equals(e.getBody().getType())) {
                unanswered.add(e);
              }
              return Mono.empty();
            });
  }
}
