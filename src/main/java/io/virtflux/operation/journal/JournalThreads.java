package io.virtflux.operation.journal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The threads the journal's database work runs on.
 *
 * <p>H2 runs its embedded engine, disk I/O included, on the calling thread; that must not be an
 * event loop. And the threads must never be interrupted: an interrupt during I/O closes H2's file
 * channel. Reactor's ExecutorService-backed schedulers interrupt a task that is cancelled from
 * another thread, so the readers' scheduler wraps a plain executor ({@link
 * Schedulers#fromExecutor}), whose cancellation only skips tasks that have not started, and the
 * writer ({@link JournalWriter}) gets its executor directly.
 */
@Component
final class JournalThreads implements DisposableBean {

  private static final int READERS = 4;

  private final ExecutorService writerThread =
      Executors.newSingleThreadExecutor(daemon("journal-writer-"));
  private final ExecutorService readerThreads =
      Executors.newFixedThreadPool(READERS, daemon("journal-reader-"));
  private final Scheduler readers = Schedulers.fromExecutor(readerThreads);

  /** One thread: the journal's writes run one at a time ({@link JournalWriter}), blocking it. */
  ExecutorService writerExecutor() {
    return writerThread;
  }

  Scheduler readers() {
    return readers;
  }

  @Override
  public void destroy() {
    // shutdown, not shutdownNow: queued writes still finish, and nothing is interrupted
    writerThread.shutdown();
    readerThreads.shutdown();
  }

  private static CustomizableThreadFactory daemon(String prefix) {
    CustomizableThreadFactory factory = new CustomizableThreadFactory(prefix);
    factory.setDaemon(true);
    return factory;
  }
}
