package io.virtflux.libvirt;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.libvirt.Connect;
import org.libvirt.LibvirtException;
import org.libvirt.event.LifecycleListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

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
 * connection, counted in and out so that it is released only once no call is inside. {@code
 * virtflux.libvirt.connection-per-call: false} does the same for every host (one shared connection,
 * as libvirt intends it to be used): only safe on a client that carries the fix (libvirt 10.4 or
 * later, see {@link LibvirtClient}).
 *
 * <p>A bulkhead per host: every call to the host runs on the host's own bounded scheduler ({@code
 * threads-per-host}), so a host that hangs holds only its own threads. Opening a connection is
 * bounded by {@code connect-timeout}: libvirt has no such limit, and a host that accepts TCP but
 * never answers (or a frozen libvirtd, whose kernel still accepts) holds the opening thread until
 * the peer goes away. The open runs on a thread of its own and the caller waits at most the
 * timeout; while such an overdue open still waits, further opens fail at once, so an unanswering
 * host holds one thread, whatever probes and calls keep asking for it.
 *
 * <p>Native handles: every {@link Connect} this class opens is closed by it, on every path (also
 * when setting it up fails half-way), never left to libvirt-java's {@code finalize()}. A connection
 * lost while a call is inside it is released by that call's thread once it returns.
 *
 * <p>Every connection has libvirt's keepalive (a call on a frozen host ends after interval × count)
 * and a close listener. A connection that libvirt closed, or on which a call failed with a
 * connection error, is released on a calling thread, never in libvirt's callback, and only once no
 * call is inside it: libvirt-java frees the native handle on close.
 */
final class HostConnection {

  private static final Logger log = LoggerFactory.getLogger(HostConnection.class);

  // opens connections, so that a caller can stop waiting; at most one thread per unanswering host
  // waits here (see connectWithinTimeout), the others end within a connect
  private static final ExecutorService OPENERS =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "libvirt-connect");
            t.setDaemon(true);
            return t;
          });

  /** Calls that need the connection. */
  @FunctionalInterface
  interface Call<T> {
    T apply(Connect connect) throws LibvirtException;
  }

  /** One opened libvirt connection. All but {@code connect}: guarded by the host. */
  private static final class Link {
    final Connect connect;
    @Nullable LifecycleListener lifecycle;
    // calls inside a shared connection
    int users;
    boolean dead;

    Link(Connect connect) {
      this.connect = connect;
    }
  }

  private final HostRef host;
  private final LibvirtProperties properties;
  private final ConnectionLossListener lost;
  // runs the loss listener: libvirt may call the close callback nested inside a failing call, with
  // its close-callback lock held, and the listener writes the journal
  private final Executor notifier;
  private final DomainEventListener events;
  // every call and the events share the watch: libvirt's test driver (in this process, no socket,
  // and a state per connection when it reads a file), or connection-per-call turned off
  private final boolean shared;
  private final Scheduler scheduler;

  // all guarded by this
  private final Deque<Link> idle = new ArrayDeque<>();
  // inside a call now: close() marks them dead, so that their caller releases them
  private final Set<Link> borrowed = Collections.newSetFromMap(new IdentityHashMap<>());
  private @Nullable Link watch;
  private boolean watchOpening;
  // dropped while nobody was inside: released by the next caller's thread
  private final List<Link> released = new ArrayList<>();
  // opens that outlived connect-timeout and still wait for the host
  private int overdueOpens;

  HostConnection(
      HostRef host,
      LibvirtProperties properties,
      ConnectionLossListener lost,
      Executor notifier,
      DomainEventListener events) {
    this(
        host,
        properties,
        lost,
        notifier,
        events,
        host.connectUri().startsWith("test:") || !properties.connectionPerCall());
  }

  /** {@code shared}: every call and the events on one shared connection (tests choose). */
  HostConnection(
      HostRef host,
      LibvirtProperties properties,
      ConnectionLossListener lost,
      Executor notifier,
      DomainEventListener events,
      boolean shared) {
    this.host = host;
    this.properties = properties;
    this.lost = lost;
    this.notifier = notifier;
    this.events = events;
    this.shared = shared;
    this.scheduler =
        Schedulers.newBoundedElastic(
            properties.threadsPerHost(),
            properties.queuePerHost(),
            "libvirt-" + host.name(),
            60,
            true);
  }

  HostRef host() {
    return host;
  }

  /** The host's own bounded scheduler: every blocking call to the host runs on it. */
  Scheduler scheduler() {
    return scheduler;
  }

  /** Closes the connections and retires the host's threads once their calls are done. */
  void dispose() {
    close();
    scheduler.disposeGracefully().subscribe();
  }

  /**
   * {@link #dispose()} on the host's own threads, for a caller that must not block (the host was
   * registered again with another URI): closing can mean an RPC to a host that hangs.
   */
  void retire() {
    scheduler.schedule(this::dispose);
  }

  /**
   * Runs {@code call} on a connection of its own (an idle one, or a new one). A connection error
   * drops that connection and the idle ones (the host goes OFFLINE) and is thrown as a "host
   * offline" {@link LibvirtFailure}.
   */
  <T> T call(Call<T> call) {
    releaseDropped();
    Link link;
    if (shared) {
      link = enterWatch();
    } else {
      ensureWatch();
      link = borrow();
    }
    try {
      return call.apply(link.connect);
    } catch (LibvirtException e) {
      LibvirtFailure failure = LibvirtErrors.map(host.name(), e);
      if (failure.hostOffline() || !alive(link.connect)) {
        lose(link, String.valueOf(failure.getBody().getDetail()));
      }
      throw failure;
    } finally {
      giveBack(link);
    }
  }

  /**
   * Whether libvirt still counts the connection as open: a local check, no RPC. A failed call whose
   * connection is dead failed because of it, whatever error libvirt named.
   */
  static boolean alive(Connect c) {
    try {
      return c.isAlive();
    } catch (LibvirtException | RuntimeException e) {
      return false;
    }
  }

  private Link borrow() {
    synchronized (this) {
      Link link = idle.pollFirst();
      if (link != null) {
        borrowed.add(link);
        return link;
      }
    }
    Link opened = open(false);
    synchronized (this) {
      borrowed.add(opened);
    }
    return opened;
  }

  private void giveBack(Link link) {
    synchronized (this) {
      borrowed.remove(link);
      if (shared) {
        // the shared watch: the last call out of a dropped one releases it
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

  /**
   * The shared watch, opened if needed, counted as in use until given back. Opened outside the lock
   * (a remote host may take its connect timeout to answer); when two callers open one at once, the
   * second one's is released and the first one's used.
   */
  private Link enterWatch() {
    synchronized (this) {
      if (watch != null) {
        watch.users++;
        return watch;
      }
    }
    Link opened = open(true);
    Link surplus = null;
    Link entered;
    synchronized (this) {
      if (watch == null) {
        watch = opened;
      } else {
        surplus = opened;
      }
      entered = watch;
      entered.users++;
    }
    if (surplus != null) {
      release(surplus);
    }
    return entered;
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
    Connect c = connectWithinTimeout();
    Link link = new Link(c);
    boolean ready = false;
    try {
      setUp(link, withEvents);
      ready = true;
      return link;
    } finally {
      if (!ready) {
        // half set up: nothing else holds it, so nothing else would ever close it
        release(link);
      }
    }
  }

  /**
   * A new connection, or a "host offline" failure once {@code connect-timeout} passed without one.
   * An open that times out keeps waiting on its thread; what it opens late is closed.
   */
  private Connect connectWithinTimeout() {
    long timeoutMillis = properties.connectTimeout().toMillis();
    synchronized (this) {
      if (overdueOpens > 0) {
        throw noAnswer(timeoutMillis, " (an earlier attempt still waits)");
      }
    }
    CompletableFuture<Connect> opening = CompletableFuture.supplyAsync(this::connectNow, OPENERS);
    try {
      return opening.get(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException failure) {
        throw failure;
      }
      throw new IllegalStateException(e.getCause());
    } catch (TimeoutException | InterruptedException e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      synchronized (this) {
        overdueOpens++;
      }
      opening.whenComplete(
          (late, error) -> {
            synchronized (this) {
              overdueOpens--;
            }
            if (late != null) {
              NativeHandles.close(late);
            }
          });
      throw noAnswer(timeoutMillis, "");
    }
  }

  private Connect connectNow() {
    try {
      return new Connect(host.connectUri(), false);
    } catch (LibvirtException e) {
      String message =
          e.getError() == null ? String.valueOf(e.getMessage()) : e.getError().getMessage();
      throw LibvirtErrors.offline(host.name(), "VIR_ERR_NO_CONNECT", message, e);
    }
  }

  private LibvirtFailure noAnswer(long timeoutMillis, String more) {
    return LibvirtErrors.offline(
        host.name(),
        "VIR_ERR_NO_CONNECT",
        "no answer to connect within " + timeoutMillis + " ms" + more,
        null);
  }

  private void setUp(Link link, boolean withEvents) {
    Connect c = link.connect;
    try {
      // the in-process test driver has no socket to keep alive
      if (!host.uri().startsWith("test:")) {
        c.setKeepAlive(properties.keepaliveIntervalSeconds(), properties.keepaliveCount());
      }
    } catch (LibvirtException e) {
      log.debug("keepalive not supported on {}: {}", host.uri(), e.getMessage());
    }
    try {
      c.registerCloseListener((conn, reason) -> onClosed(link, String.valueOf(reason)));
    } catch (LibvirtException e) {
      log.debug("close listener not supported on {}: {}", host.uri(), e.getMessage());
    }
    if (withEvents) {
      // every (re)opened watch registers again: events follow the connection, not the host
      LifecycleListener listener = DomainEvents.register(c, host.name(), events);
      synchronized (this) {
        link.lifecycle = listener;
      }
      log.info("connected to host {} ({})", host.name(), host.uri());
    } else {
      log.debug("opened a call connection to host {}", host.name());
    }
  }

  /**
   * libvirt's close callback: on its event-loop thread, or nested inside the call that found the
   * connection dead, with libvirt's close-callback lock held. So it only flips state here, never
   * calls libvirt back, and hands the loss listener (which writes the journal) to {@code notifier}.
   */
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
    notifier.execute(() -> lost.connectionLost(host.name(), "connection closed: " + reason));
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
        watch = null; // shared: its last caller releases it
      }
      drop = new ArrayList<>(idle);
      idle.clear();
      drop.forEach(l -> l.dead = true);
    }
    drop.forEach(this::release);
    notifier.execute(() -> lost.connectionLost(host.name(), reason));
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

  /**
   * Closes the connections; one a call is inside is marked dead, so that it is released (not kept
   * idle) when its call returns.
   */
  void close() {
    List<Link> now = new ArrayList<>();
    synchronized (this) {
      borrowed.forEach(l -> l.dead = true);
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
    NativeHandles.close(c);
  }
}
