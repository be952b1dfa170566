package io.virtflux.libvirt;

/**
 * Told of every domain lifecycle event libvirt reports on a host's connection. Called on
 * libvirt-java's event-loop thread: implementations hand the event off and return at once, and
 * never call libvirt from there.
 */
@FunctionalInterface
public interface DomainEventListener {

  /**
   * @param event libvirt's event type in lower case: defined, undefined, started, suspended,
   *     resumed, stopped, shutdown, pmsuspended, crashed
   * @param detail libvirt's detail in lower case (booted, migrated, destroyed, failed, …)
   */
  void domainEvent(String host, String vm, String event, String detail);
}
