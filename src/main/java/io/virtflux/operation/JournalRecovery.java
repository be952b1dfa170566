package io.virtflux.operation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * At startup, fails the operations that a previous process left QUEUED or RUNNING: nothing will run
 * or finish them, and a client watching them must see an end. Runs as a lifecycle step just before
 * the web server starts, so no request can see those operations still "running", and after Flyway
 * (which runs while beans are created).
 */
@Component
final class JournalRecovery implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(JournalRecovery.class);
  private static final Duration MAX_WAIT = Duration.ofMinutes(1);

  private final OperationJournal journal;
  private final Clock clock = Clock.systemUTC();
  private final Instant processStart = Timestamps.now(clock);
  private volatile boolean running;

  JournalRecovery(OperationJournal journal) {
    this.journal = journal;
  }

  /** Fails what was left unfinished; emits how many operations it ended. */
  Mono<Long> recover() {
    return journal
        .unfinishedBefore(processStart)
        .concatMap(
            id ->
                journal.update(
                    id,
                    op -> op.failed(OperationProblems.serviceRestarted(), Timestamps.now(clock))))
        .count();
  }

  @Override
  public void start() {
    // blocking is fine here: this is the startup thread, before any request is served
    Long ended = recover().block(MAX_WAIT);
    if (ended != null && ended > 0) {
      log.warn("{} operations left unfinished by the previous run were marked FAILED", ended);
    }
    running = true;
  }

  @Override
  public void stop() {
    running = false;
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE - 1;
  }
}
