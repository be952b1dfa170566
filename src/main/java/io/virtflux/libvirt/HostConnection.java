package io.virtflux.libvirt;

import org.jspecify.annotations.Nullable;
import org.libvirt.Connect;
import org.libvirt.LibvirtException;
import org.libvirt.event.LifecycleListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one libvirt connection to a host: opened lazily, kept alive by libvirt's keepalive, dropped
 * when libvirt says it closed (or a call fails with a connection error) and re-opened by the next
 * call. Blocking: only ever called on the libvirt scheduler.
 */
final class HostConnection {

  private static final Logger log = LoggerFactory.getLogger(HostConnection.class);

  /** Calls that need the connection. */
  @FunctionalInterface
  interface Call<T> {
    T apply(Connect connect) throws LibvirtException;
  }

  private final HostRef host;
  private final LibvirtProperties properties;
  private @Nullable Connect connect;

  private final ConnectionLossListener lost;
  private final DomainEventListener events;
  private @Nullable LifecycleListener lifecycle;

  /** Closed by libvirt (keepalive, daemon gone); its handle and listener are freed on reopen. */
  private @Nullable Connect closedByLibvirt;

  HostConnection(
      HostRef host,
      LibvirtProperties properties,
      ConnectionLossListener lost,
      DomainEventListener events) {
    this.host = host;
    this.properties = properties;
    this.lost = lost;
    this.events = events;
  }

  HostRef host() {
    return host;
  }

  <T> T call(Call<T> call) {
    Connect c = open();
    try {
      return call.apply(c);
    } catch (LibvirtException e) {
      LibvirtFailure failure = LibvirtErrors.map(host.name(), e);
      if (failure.hostOffline()) {
        drop(c, String.valueOf(failure.getBody().getDetail()));
      }
      throw failure;
    }
  }

  /** The open connection (opening it if needed), for a call that spans two hosts. */
  Connect connect() {
    return open();
  }

  private synchronized Connect open() {
    Connect c = connect;
    if (c != null) {
      return c;
    }
    // a connection libvirt closed is released here, on a libvirt thread, never in the callback
    Connect dead = closedByLibvirt;
    closedByLibvirt = null;
    if (dead != null) {
      closeQuietly(dead);
    }
    LibvirtEventLoop.ensureRunning();
    try {
      c = new Connect(host.uri(), false);
    } catch (LibvirtException e) {
      String message =
          e.getError() == null ? String.valueOf(e.getMessage()) : e.getError().getMessage();
      throw LibvirtErrors.offline(host.name(), "VIR_ERR_NO_CONNECT", message, e);
    }
    try {
      // the in-process test driver has no socket to keep alive
      if (!host.uri().startsWith("test:")) {
        c.setKeepAlive(properties.keepaliveIntervalSeconds(), properties.keepaliveCount());
      }
    } catch (LibvirtException e) {
      log.debug("keepalive not supported on {}: {}", host.uri(), e.getMessage());
    }
    try {
      Connect opened = c;
      c.registerCloseListener((conn, reason) -> onClosed(opened, String.valueOf(reason)));
    } catch (LibvirtException e) {
      log.debug("close listener not supported on {}: {}", host.uri(), e.getMessage());
    }
    // every (re)opened connection registers again: events follow the connection, not the host
    lifecycle = DomainEvents.register(c, host.name(), events);
    log.info("connected to host {} ({})", host.name(), host.uri());
    connect = c;
    return c;
  }

  /** Runs on libvirt's event-loop thread: only flips state, never calls libvirt back. */
  private synchronized void onClosed(Connect closed, String reason) {
    if (connect == closed) {
      log.warn("connection to host {} closed: {}", host.name(), reason);
      connect = null;
      closedByLibvirt = closed;
      lost.connectionLost(host.name(), "connection closed: " + reason);
    }
  }

  private synchronized void drop(Connect failed, String reason) {
    if (connect == failed) {
      connect = null;
      closeQuietly(failed);
      lost.connectionLost(host.name(), reason);
    }
  }

  synchronized void close() {
    Connect c = connect;
    connect = null;
    if (c != null) {
      closeQuietly(c);
    }
    Connect dead = closedByLibvirt;
    closedByLibvirt = null;
    if (dead != null) {
      closeQuietly(dead);
    }
  }

  private void closeQuietly(Connect c) {
    LifecycleListener l = lifecycle;
    lifecycle = null;
    if (l != null) {
      DomainEvents.remove(c, l);
    }
    try {
      c.unregisterCloseListener();
    } catch (LibvirtException | RuntimeException ignored) {
      // the connection is being thrown away; a failing unregister changes nothing
    }
    try {
      c.close();
    } catch (LibvirtException | RuntimeException ignored) {
      // same: nothing left to release if close fails
    }
  }
}
