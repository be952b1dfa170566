package io.virtflux.host;

import io.virtflux.libvirt.LibvirtGateway;
import io.virtflux.operation.HostOwnership;
import io.virtflux.operation.HostOwnershipListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * A host's libvirt connections follow its ownership. A replica that gains a host reads it at once
 * (its facts, its domains, and the watch connection that carries its domain events), rather than at
 * the next probe round. A replica that loses it (another claimed it, or its own lease lapsed while
 * it was paused) closes its connections to it, so the host's libvirtd hears nothing more from it:
 * its operations are fenced ({@link OwnerOnlyCalls}) and its probes stop ({@link SharedReadings}).
 */
@Component
class OwnerConnections implements HostOwnershipListener {

  private static final Logger log = LoggerFactory.getLogger(OwnerConnections.class);

  private final HostRegistry registry;
  private final HostProber prober;
  private final LibvirtGateway libvirt;

  OwnerConnections(HostRegistry registry, HostProber prober, LibvirtGateway libvirt) {
    this.registry = registry;
    this.prober = prober;
    this.libvirt = libvirt;
  }

  /** Reads the host now, without holding up the takeover (a host that hangs takes 30 s to fail). */
  @Override
  public Mono<Void> claimed(HostOwnership.Fence fence) {
    if (registry.find(fence.host()).isPresent()) {
      prober
          .probe(fence.host())
          .subscribe(
              null, e -> log.debug("first reading of {} failed: {}", fence.host(), e.toString()));
    }
    return Mono.empty();
  }

  @Override
  public void lost(String host) {
    registry
        .find(host)
        .ifPresent(
            h ->
                libvirt
                    .disconnect(h.ref())
                    .subscribe(
                        null,
                        e -> log.debug("connections to {} not closed: {}", host, e.toString())));
  }

  @Override
  public boolean busy(String host) {
    return false; // the operations' own listener answers for them
  }
}
