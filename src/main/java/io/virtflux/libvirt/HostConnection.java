package io.virtflux.libvirt;

import java.util.ArrayList;
import java.util.List;
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
 *
 * <p>A dropped connection is released only once no call is inside it any more: libvirt-java frees
 * the native handle on close, and a thread still blocked in a call on it (a hung host's other
 * calls, which end at keepalive) would then touch freed memory and crash the JVM. So every call
 * counts itself in and out of the connection's {@link Generation}, and the last one out of a dead
 * generation closes it, on its own libvirt thread, never in libvirt's callback.
 */
final class HostConnection {

  private static final Logger log = LoggerFactory.getLogger(HostConnection.class);

  /** Calls that need the connection. */
  @FunctionalInterface
  interface Call<T> {
    T apply(Connect connect) throws LibvirtException;
  }

  /**
   * One opened connection, the calls inside it, and whether it was dropped. Guarded by the host.
   */
  private static final class Generation {
    final Connect connect;
    @Nullable LifecycleListener lifecycle;
    int calls;
    boolean dead;

    Generation(Connect connect) {
      this.connect = connect;
    }
  }

  private final HostRef host;
  private final LibvirtProperties properties;
  private final ConnectionLossListener lost;
  private final DomainEventListener events;
  private @Nullable Generation current;
  // closed by libvirt while no call was inside; released by the next call's thread
  private final List<Generation> idle = new ArrayList<>();

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

  /**
   * Runs {@code call} on the open connection (opening it if needed). A connection error drops the
   * connection (the host goes OFFLINE) and is thrown as a "host offline" {@link LibvirtFailure}.
   */
  <T> T call(Call<T> call) {
    releaseIdle();
    Generation g = enter();
    try {
      return call.apply(g.connect);
    } catch (LibvirtException e) {
      LibvirtFailure failure = LibvirtErrors.map(host.name(), e);
      if (failure.hostOffline()) {
        drop(g, String.valueOf(failure.getBody().getDetail()));
      }
      throw failure;
    } finally {
      leave(g);
    }
  }

  private synchronized Generation enter() {
    Generation g = current;
    if (g == null) {
      g = open();
      current = g;
    }
    g.calls++;
    return g;
  }

  private void leave(Generation g) {
    boolean release;
    synchronized (this) {
      g.calls--;
      release = g.dead && g.calls == 0;
    }
    if (release) {
      release(g);
    }
  }

  private Generation open() {
    LibvirtEventLoop.ensureRunning();
    Connect c;
    try {
      c = new Connect(host.connectUri(), false);
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
    Generation g = new Generation(c);
    try {
      c.registerCloseListener((conn, reason) -> onClosed(g, String.valueOf(reason)));
    } catch (LibvirtException e) {
      log.debug("close listener not supported on {}: {}", host.uri(), e.getMessage());
    }
    // every (re)opened connection registers again: events follow the connection, not the host
    g.lifecycle = DomainEvents.register(c, host.name(), events);
    log.info("connected to host {} ({})", host.name(), host.uri());
    return g;
  }

  /** Runs on libvirt's event-loop thread: only flips state, never calls libvirt back. */
  private void onClosed(Generation closed, String reason) {
    synchronized (this) {
      if (current != closed) {
        return;
      }
      log.warn("connection to host {} closed: {}", host.name(), reason);
      current = null;
      closed.dead = true;
      if (closed.calls == 0) {
        // nobody inside to release it on the way out: the next call does
        idle.add(closed);
      }
    }
    lost.connectionLost(host.name(), "connection closed: " + reason);
  }

  private synchronized void drop(Generation failed, String reason) {
    if (current == failed) {
      current = null;
      failed.dead = true;
      lost.connectionLost(host.name(), reason);
    }
  }

  /** Releases the connections libvirt closed while no call was inside them. */
  private void releaseIdle() {
    List<Generation> closed;
    synchronized (this) {
      if (idle.isEmpty()) {
        return;
      }
      closed = new ArrayList<>(idle);
      idle.clear();
    }
    closed.forEach(this::release);
  }

  /** Closes the connection; one with calls inside is released by the last of them. */
  void close() {
    List<Generation> now = new ArrayList<>();
    synchronized (this) {
      Generation g = current;
      current = null;
      if (g != null) {
        g.dead = true;
        if (g.calls == 0) {
          now.add(g);
        }
      }
      now.addAll(idle);
      idle.clear();
    }
    now.forEach(this::release);
  }

  private void release(Generation g) {
    Connect c = g.connect;
    LifecycleListener l = g.lifecycle;
    g.lifecycle = null;
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
