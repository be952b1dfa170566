package io.virtflux.hotplug;

import io.virtflux.host.Host;
import io.virtflux.libvirt.DomainStatus;
import io.virtflux.libvirt.LibvirtGateway;
import io.virtflux.libvirt.xml.DomainXml;
import java.util.Optional;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** Reads a VM's state and its live and persistent XML, as {@link VmDevices}. */
@Component
class VmDevicesReader {

  private final LibvirtGateway libvirt;

  VmDevicesReader(LibvirtGateway libvirt) {
    this.libvirt = libvirt;
  }

  /** Reads the VM's status again, then the XML that exists for that state. */
  Mono<VmDevices> read(Host host, String vm) {
    return libvirt.status(host.ref(), vm).flatMap(status -> read(host, status));
  }

  Mono<VmDevices> read(Host host, DomainStatus status) {
    Mono<Optional<DomainXml>> live =
        status.state().active() ? domain(host, status.name(), false) : Mono.just(Optional.empty());
    Mono<Optional<DomainXml>> config =
        status.persistent() ? domain(host, status.name(), true) : Mono.just(Optional.empty());
    return Mono.zip(live, config)
        .map(t -> new VmDevices(host, status, t.getT1().orElse(null), t.getT2().orElse(null)));
  }

  private Mono<Optional<DomainXml>> domain(Host host, String vm, boolean inactive) {
    return libvirt.domainXml(host.ref(), vm, inactive).map(Optional::of);
  }
}
