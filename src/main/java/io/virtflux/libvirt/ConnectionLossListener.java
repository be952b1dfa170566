package io.virtflux.libvirt;

/**
 * Told when the adapter loses a host's connection (libvirt closed it, keepalive expired, or a call
 * failed for want of it), so that the host shows OFFLINE at once rather than at the next probe.
 * Called on libvirt's event-loop thread or the libvirt scheduler: it must only record state.
 */
@FunctionalInterface
public interface ConnectionLossListener {

  void connectionLost(String host, String reason);
}
