package io.virtflux.vm;

import io.virtflux.api.Problems;
import io.virtflux.host.Host;
import io.virtflux.host.HostRegistry;
import io.virtflux.host.HostStatus;
import io.virtflux.libvirt.DomainStatus;
import io.virtflux.libvirt.LibvirtFailure;
import io.virtflux.libvirt.LibvirtGateway;
import io.virtflux.vm.template.SafeNames;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Finds the host a VM lives on by asking every reachable host (in parallel): libvirt is the source
 * of truth, so a VM that was migrated or created outside the service is found where it is now.
 */
@Component
public class VmLocator {

  /** A VM and where it is. */
  public record Located(Host host, DomainStatus status) {}

  private final HostRegistry hosts;
  private final LibvirtGateway libvirt;

  VmLocator(HostRegistry hosts, LibvirtGateway libvirt) {
    this.hosts = hosts;
    this.libvirt = libvirt;
  }

  /** Emits the VM's host and status, or fails with a 404 problem (400 for an unsafe name). */
  public Mono<Located> locate(String vm) {
    return find(vm)
        .switchIfEmpty(
            Mono.error(
                () ->
                    Problems.of(
                        HttpStatus.NOT_FOUND,
                        "Unknown VM",
                        "no reachable host has a VM named '" + vm + "'")));
  }

  /** The VM's host and status, or empty when no reachable host has it. */
  public Mono<Located> find(String vm) {
    if (!SafeNames.isSafe(vm)) {
      return Mono.error(
          Problems.of(
              HttpStatus.BAD_REQUEST,
              "Bad VM name",
              "a VM name is 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit"));
    }
    return Flux.fromIterable(hosts.all())
        .filter(h -> h.status() != HostStatus.OFFLINE)
        .flatMap(
            h ->
                libvirt
                    .status(h.ref(), vm)
                    .map(s -> new Located(h, s))
                    .onErrorResume(LibvirtFailure.class, e -> Mono.empty()))
        .next();
  }
}
