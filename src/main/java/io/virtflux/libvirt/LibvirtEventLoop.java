package io.virtflux.libvirt;

import java.util.concurrent.atomic.AtomicBoolean;
import org.libvirt.Connect;
import org.libvirt.Library;
import org.libvirt.LibvirtException;
import org.libvirt.jna.Libvirt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * libvirt's client event loop, which keepalive and every callback (close, lifecycle) need: without
 * it running, libvirt drops a connection after the keepalive interval. {@link #ensureRunning()} is
 * called before the first connection opens, as libvirt requires. Should the loop ever end with an
 * error, it is started again (after a short pause, so that a loop failing at once does not spin): a
 * dead loop would silently take keepalive, and so every connection, with it.
 */
final class LibvirtEventLoop {

  private static final Logger log = LoggerFactory.getLogger(LibvirtEventLoop.class);

  /**
   * A no-op error callback: libvirt's default prints every error to stderr, and errors reach us as
   * exceptions anyway. Kept in a static field because a JNA callback that is garbage-collected
   * crashes the JVM the next time libvirt calls it.
   */
  private static final Libvirt.VirErrorCallback SILENT = (userData, error) -> {};

  private static final AtomicBoolean started = new AtomicBoolean();

  private LibvirtEventLoop() {}

  static void ensureRunning() {
    if (!started.compareAndSet(false, true)) {
      return;
    }
    try {
      Connect.setErrorCallback(SILENT);
      Library.initEventLoop();
    } catch (LibvirtException e) {
      started.set(false);
      throw new IllegalStateException("cannot initialise libvirt's event loop", e);
    }
    Thread loop = new Thread(LibvirtEventLoop::run, "libvirt-event-loop");
    loop.setDaemon(true);
    loop.start();
  }

  static final long RESTART_PAUSE_MILLIS = 100;

  private static void run() {
    runUntilInterrupted(Library::runEventLoop);
  }

  /** The loop itself, separate so that a test can hand it a loop that fails. */
  @FunctionalInterface
  interface Loop {
    void run() throws LibvirtException, InterruptedException;
  }

  /** Runs {@code loop} again whenever it ends with an error; returns only when interrupted. */
  static void runUntilInterrupted(Loop loop) {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        loop.run();
        log.warn("libvirt event loop returned; starting it again");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (LibvirtException | RuntimeException e) {
        log.error("libvirt event loop failed; starting it again", e);
      }
      try {
        Thread.sleep(RESTART_PAUSE_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
