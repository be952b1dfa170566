package io.virtflux.vm;

import io.virtflux.api.Caller;
import io.virtflux.host.Host;
import io.virtflux.host.HostRegistry;
import io.virtflux.host.HostStatus;
import io.virtflux.libvirt.DomainStatus;
import io.virtflux.libvirt.LibvirtFailure;
import io.virtflux.libvirt.LibvirtGateway;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * What libvirt says about VMs (the list, one VM, its domain XML), and the domain XML a deploy would
 * define (its dry run). Nothing here changes a host.
 */
@Service
class VmQueries {

  private final HostRegistry hosts;
  private final LibvirtGateway libvirt;
  private final VmLocator locator;
  private final DeployPlanner planner;

  VmQueries(HostRegistry hosts, LibvirtGateway libvirt, VmLocator locator, DeployPlanner planner) {
    this.hosts = hosts;
    this.libvirt = libvirt;
    this.locator = locator;
    this.planner = planner;
  }

  /** The domain XML a deploy of {@code request} would define (dry run, without PCI devices). */
  Mono<String> render(DeployRequest request, Caller caller) {
    return planner
        .host(request)
        .map(
            placed -> {
              if (placed.promise() != null) {
                placed.promise().end(); // nothing is deployed
              }
              return libvirt.definitionXml(
                  planner.build(request.template(), placed.host(), DeployPlanner.roleOf(caller)));
            });
  }

  /** VMs on every reachable host, or on one. */
  Flux<VmSummary> list(@Nullable String hostName) {
    List<Host> targets = hostName == null ? hosts.all() : List.of(hosts.require(hostName));
    return Flux.fromIterable(targets)
        .filter(h -> h.status() != HostStatus.OFFLINE)
        .flatMap(
            h ->
                libvirt
                    .list(h.ref())
                    .flatMapIterable(all -> all)
                    .map(s -> summary(h, s))
                    .onErrorResume(LibvirtFailure.class, e -> Flux.empty()))
        .sort(Comparator.comparing(VmSummary::host).thenComparing(VmSummary::name));
  }

  /** One VM with its devices, read from its live XML (or its definition when shut off). */
  Mono<VmDetail> get(String vm) {
    return locator
        .locate(vm)
        .flatMap(
            found ->
                libvirt
                    .domainXml(found.host().ref(), vm, !found.status().state().active())
                    .map(domain -> VmDetail.of(found.host().name(), found.status(), domain)));
  }

  /** The VM's domain XML as libvirt has it now, libvirt's text unchanged. */
  Mono<String> domainXml(String vm, boolean inactive) {
    return locator
        .locate(vm)
        .flatMap(found -> libvirt.domainXmlText(found.host().ref(), vm, inactive));
  }

  private static VmSummary summary(Host h, DomainStatus s) {
    return new VmSummary(
        s.name(), h.name(), s.state(), s.vcpus(), s.memoryKiB() / 1024, s.managed());
  }
}
