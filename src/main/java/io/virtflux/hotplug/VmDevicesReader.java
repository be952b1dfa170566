package io.virtflux.hotplug;

import io.virtflux.host.Host;
import io.virtflux.libvirt.DomainStatus;
import io.virtflux.libvirt.LibvirtGateway;
import io.virtflux.libvirt.xml.DomainXml;
import java.util.Optional;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** Reads a VM's XML, as {@link VmDevices}: each document is a libvirt call of its own. */
@Component
class VmDevicesReader {

  /** Which of the VM's XML documents to read. */
  enum Documents {
    /**
     * The one the VM runs or would start from: the live XML of a running VM, the definition of a
     * shut-off one. Enough for a change that libvirt itself refuses where the other one disagrees
     * (a disk target taken in the definition only).
     */
    CURRENT,
    /** The live XML (when it runs) and the definition (when it has one). */
    BOTH
  }

  private final LibvirtGateway libvirt;

  VmDevicesReader(LibvirtGateway libvirt) {
    this.libvirt = libvirt;
  }

  /** Reads the VM's status again, then {@code documents} as they exist in that state. */
  Mono<VmDevices> read(Host host, String vm, Documents documents) {
    return libvirt.status(host.ref(), vm).flatMap(status -> read(host, status, documents));
  }

  /** Reads {@code documents} of a VM whose status was just read. */
  Mono<VmDevices> read(Host host, DomainStatus status, Documents documents) {
    boolean running = status.state().active();
    boolean config = status.persistent() && (documents == Documents.BOTH || !running);
    Mono<Optional<DomainXml>> live =
        running ? domain(host, status.name(), false) : Mono.just(Optional.empty());
    Mono<Optional<DomainXml>> inactive =
        config ? domain(host, status.name(), true) : Mono.just(Optional.empty());
    return Mono.zip(live, inactive)
        .map(t -> new VmDevices(host, status, t.getT1().orElse(null), t.getT2().orElse(null)));
  }

  private Mono<Optional<DomainXml>> domain(Host host, String vm, boolean inactive) {
    return libvirt.domainXml(host.ref(), vm, inactive).map(Optional::of);
  }
}
