package io.virtflux.host;

import io.virtflux.libvirt.DomainEventListener;
import io.virtflux.operation.ObservedEvents;
import io.virtflux.operation.VmEvent;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Puts libvirt's domain lifecycle events of every host on the event stream ({@code event: vm}), so
 * that a VM stopped or crashed outside the service shows up at once, without polling. Runs on
 * libvirt's event-loop thread: it only queues the journal write.
 */
@Component
class VmEventRelay implements DomainEventListener {

  private static final Logger log = LoggerFactory.getLogger(VmEventRelay.class);

  private final ObservedEvents events;

  VmEventRelay(ObservedEvents events) {
    this.events = events;
  }

  @Override
  public void domainEvent(String host, String vm, String event, String detail) {
    log.debug("host {}: VM {} {} ({})", host, vm, event, detail);
    events
        .record(new VmEvent(host, vm, event, detail, Instant.now()))
        .subscribe(
            null, e -> log.warn("VM event of {} on {} not journaled: {}", vm, host, e.toString()));
  }
}
