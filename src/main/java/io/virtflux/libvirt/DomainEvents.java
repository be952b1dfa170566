package io.virtflux.libvirt;

import java.util.Locale;
import org.libvirt.Connect;
import org.libvirt.LibvirtException;
import org.libvirt.event.LifecycleListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection's domain lifecycle listener.
 *
 * <p>libvirt-java keeps its listener registry in unsynchronised maps, one set per {@link Connect}
 * instance. Every connection registers once, when {@link HostConnection} opens it, and removes
 * once, when it releases it; the connection is published and taken back under the host's lock,
 * which orders the two. So no lock is needed here, and none may be held: removing a listener is an
 * RPC, which blocks for the keepalive window (15 s) on a frozen host, and a lock held across it
 * stalled every other host's connects and releases behind that one.
 */
final class DomainEvents {

  private static final Logger log = LoggerFactory.getLogger(DomainEvents.class);

  private DomainEvents() {}

  /** Registers a listener that passes {@code host}'s events on; null when libvirt refused. */
  static LifecycleListener register(Connect c, String host, DomainEventListener events) {
    LifecycleListener listener =
        (domain, event) -> {
          try {
            events.domainEvent(
                host,
                domain.getName(),
                event.getType().name().toLowerCase(Locale.ROOT),
                String.valueOf(event.getDetail()).toLowerCase(Locale.ROOT));
          } catch (LibvirtException | RuntimeException e) {
            log.warn("dropped a lifecycle event of host {}: {}", host, e.toString());
          } finally {
            // the callback's Domain holds a reference of its own
            NativeHandles.free(domain);
          }
          return 0;
        };
    try {
      c.addLifecycleListener(listener);
      return listener;
    } catch (LibvirtException e) {
      log.warn("no lifecycle events from host {}: {}", host, e.getMessage());
      return null;
    }
  }

  static void remove(Connect c, LifecycleListener listener) {
    try {
      c.removeLifecycleListener(listener);
    } catch (LibvirtException | RuntimeException ignored) {
      // the connection is being thrown away: nothing more will arrive on it
    }
  }
}
