package io.virtflux.libvirt;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.libvirt.Connect;
import org.libvirt.LibvirtException;
import org.libvirt.event.LifecycleListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The libvirt connections to one host: a <em>watch</em> connection that carries the domain
 * lifecycle listener and serves no call, and a small pool of connections that calls borrow, one
 * call per connection at a time. Blocking: only ever called on the libvirt scheduler.
 *
 * <p>Why never two calls on one connection: libvirt 9.0's RPC client (Debian 12's) lets the threads
 * inside calls on one connection take turns driving its socket, each watching it through a glib
 * source whose data lives on that thread's stack. A thread that leaves with an error (keepalive
 * declared the daemon dead) leaves its source attached; when the next thread in line drives the
 * socket and the daemon answers after all (a frozen libvirtd continued), that stale source fires
 * and writes into, then reads from, a stack frame that is long gone. We saw exactly this in core
 * dumps ({@code virNetClientIOEventFD} with a data pointer into another libvirt thread's stack),
 * crashing the JVM in two of four CI runs of {@code HostHangsIT}. With one caller per connection
 * the stale source belongs to a connection nobody drives again, so it never fires.
 *
 * <p>libvirt's test driver ({@code test:} URIs) runs in this process, with no socket, and keeps a
 * state per connection when it reads a file: there, every call and the events share the watch
 * connection, counted in and out so that it is released only once no call is inside.
 *
 * <p>Every connection has libvirt's keepalive (a call on a frozen host ends after interval × count)
 * and a close listener. A connection that libvirt closed, or on which a call failed with a
 * connection error, is released on a calling thread, never in libvirt's callback, and only once no
 * call is inside it: libvirt-java frees the native handle on close.
 */
final class HostConnection {

  private static final Logger log = LoggerFactory.getLogger(HostConnection.class);

  /** Calls that need the connection. */
  @FunctionalInterface
  interface Call<T> {
    T apply(Connect connect) throws LibvirtException;
  }

  /** One opened libvirt connection. All but {@code connect}: guarded by the host. */
  private static final class Link {
    final Connect connect;
    @Nullable LifecycleListener lifecycle;
    // calls inside a shared (in-process) connection
    int users;
    boolean dead;

    Link(Connect connect) {
      this.connect = connect;
    }
  }

  private final HostRef host;
  private final LibvirtProperties properties;
  private final ConnectionLossListener lost;
  private final DomainEventListener events;
  // libvirt's test driver: in this process, no socket (so none of the client's troubles), and a
  // state per connection when it reads a file: every call and the events share the watch
  private final boolean inProcess;

  // all guarded by this
  private final Deque<Link> idle = new ArrayDeque<>();
  private @Nullable Link watch;
  private boolean watchOpening;
  // dropped while nobody was inside: released by the next caller's thread
  private final List<Link> released = new ArrayList<>();

  HostConnection(
      HostRef host,
      LibvirtProperties properties,
      ConnectionLossListener lost,
      DomainEventListener events) {
    this(host, properties, lost, events, host.connectUri().startsWith("test:"));
  }

  /** {@code inProcess}: every call and the events on one shared connection (tests choose). */
  HostConnection(
      HostRef host,
      LibvirtProperties properties,
      ConnectionLossListener lost,
      DomainEventListener events,
      boolean inProcess) {
    this.host = host;
    this.properties = properties;
    this.lost = lost;
    this.events = events;
    this.inProcess = inProcess;
  }

  HostRef host() {
    return host;
  }

  /**
   * Runs {@code call} on a connection of its own (an idle one, or a new one). A connection error
   * drops that connection and the idle ones (the host goes OFFLINE) and is thrown as a "host
   * offline" {@link LibvirtFailure}.
   */
  <T> T call(Call<T> call) {
    releaseDropped();
    Link link;
    if (inProcess) {
      link = enterWatch();
    } else {
      ensureWatch();
      link = borrow();
    }
    try {
      return call.apply(link.connect);
    } catch (LibvirtException e) {
      LibvirtFailure failure = LibvirtErrors.map(host.name(), e);
      if (failure.hostOffline()) {
        lose(link, String.valueOf(failure.getBody().getDetail()));
      }
      throw failure;
    } finally {
      giveBack(link);
    }
  }

  private Link borrow() {
    synchronized (this) {
      Link link = idle.pollFirst();
      if (link != null) {
        return link;
      }
    }
    return open(false);
  }

  private void giveBack(Link link) {
    synchronized (this) {
      if (inProcess) {
        // the shared watch of an in-process host: the last call out of a dropped one releases it
        link.users--;
        if (!link.dead || link.users > 0) {
          return;
        }
      } else if (!link.dead && idle.size() < properties.idleConnectionsPerHost()) {
        idle.addFirst(link);
        return;
      }
    }
    release(link);
  }

  /** The watch of an in-process host, opened if needed, counted as in use until given back. */
  private synchronized Link enterWatch() {
    if (watch == null) {
      // the test driver opens at once, in this process: nothing waits long on this lock
      watch = open(true);
    }
    watch.users++;
    return watch;
  }

  /**
   * Opens the watch connection when there is none, so that domain events flow again after the host
   * came back. Another thread already opening it is not waited for.
   */
  private void ensureWatch() {
    synchronized (this) {
      if (watch != null || watchOpening) {
        return;
      }
      watchOpening = true;
    }
    Link opened = null;
    try {
      opened = open(true);
    } finally {
      synchronized (this) {
        watchOpening = false;
        if (opened != null) {
          watch = opened;
        }
      }
    }
  }

  private Link open(boolean withEvents) {
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
    Link link = new Link(c);
    try {
      c.registerCloseListener((conn, reason) -> onClosed(link, String.valueOf(reason)));
    } catch (LibvirtException e) {
      log.debug("close listener not supported on {}: {}", host.uri(), e.getMessage());
    }
    if (withEvents) {
      // every (re)opened watch registers again: events follow the connection, not the host
      link.lifecycle = DomainEvents.register(c, host.name(), events);
      log.info("connected to host {} ({})", host.name(), host.uri());
    } else {
      log.debug("opened a call connection to host {}", host.name());
    }
    return link;
  }

  /** Runs on libvirt's event-loop thread: only flips state, never calls libvirt back. */
  private void onClosed(Link closed, String reason) {
    synchronized (this) {
      if (closed.dead) {
        return;
      }
      closed.dead = true;
      if (watch == closed) {
        watch = null;
        if (closed.users == 0) {
          released.add(closed);
        }
      } else if (idle.remove(closed)) {
        released.add(closed);
      }
      // a borrowed one, or a shared one in use, is released by its last caller
    }
    log.warn("connection to host {} closed: {}", host.name(), reason);
    lost.connectionLost(host.name(), "connection closed: " + reason);
  }

  /**
   * A call failed for want of a connection: the idle ones are most likely gone too, so they are
   * dropped with it (the watch is left to its own keepalive and close listener).
   */
  private void lose(Link failed, String reason) {
    List<Link> drop;
    synchronized (this) {
      if (failed.dead) {
        return;
      }
      failed.dead = true;
      if (watch == failed) {
        watch = null; // in-process: its last caller releases it
      }
      drop = new ArrayList<>(idle);
      idle.clear();
      drop.forEach(l -> l.dead = true);
    }
    drop.forEach(this::release);
    lost.connectionLost(host.name(), reason);
  }

  /** Releases the connections libvirt closed while nobody was inside them. */
  private void releaseDropped() {
    List<Link> closed;
    synchronized (this) {
      if (released.isEmpty()) {
        return;
      }
      closed = new ArrayList<>(released);
      released.clear();
    }
    closed.forEach(this::release);
  }

  /** Closes the connections; a borrowed one is released when its call returns. */
  void close() {
    List<Link> now = new ArrayList<>();
    synchronized (this) {
      if (watch != null) {
        watch.dead = true;
        if (watch.users == 0) {
          now.add(watch);
        }
        watch = null;
      }
      now.addAll(idle);
      idle.clear();
      now.addAll(released);
      released.clear();
      now.forEach(l -> l.dead = true);
    }
    now.forEach(this::release);
  }

  private void release(Link link) {
    Connect c = link.connect;
    LifecycleListener l;
    synchronized (this) {
      l = link.lifecycle;
      link.lifecycle = null;
    }
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
