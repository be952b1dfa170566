package io.virtflux.operation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * At startup, ends the operations that a previous process left QUEUED or RUNNING: nothing will run
 * or finish them, and a client watching them must see an end. A QUEUED one never started: it ends
 * CANCELLED "Interrupted by restart" (its request is not kept, so it cannot run now). A RUNNING one
 * is checked on its host first ({@link RestartReconciler}): a deploy whose domain runs SUCCEEDED;
 * otherwise it FAILED "Service restarted", with what the host showed. Runs as a lifecycle step just
 * before the web server starts, so no request can see those operations still "running", and after
 * Flyway (which runs while beans are created).
 */
@Component
final class JournalRecovery implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(JournalRecovery.class);
  private static final Duration MAX_WAIT = Duration.ofMinutes(1);

  /** How long one operation's host may take to answer before it counts as "cannot tell". */
  private static final Duration ASK_HOST = Duration.ofSeconds(5);

  /**
   * How long start-up spends asking hosts in all; operations still unasked then fail "Service
   * restarted" without an answer, so that dead hosts never keep the service from starting.
   */
  private static final Duration RECONCILE_BUDGET = Duration.ofSeconds(30);

  private static final int ASKED_AT_ONCE = 16;

  private final OperationJournal journal;
  private final @Nullable RestartReconciler reconciler;
  private final Clock clock = Clock.systemUTC();
  private final Instant processStart = Timestamps.now(clock);
  private volatile boolean running;

  JournalRecovery(OperationJournal journal, ObjectProvider<RestartReconciler> reconcilers) {
    this.journal = journal;
    this.reconciler = reconcilers.getIfAvailable();
  }

  /**
   * Ends what was left unfinished; emits how many operations it ended. A QUEUED one is CANCELLED; a
   * RUNNING one whose effect the host shows (the {@link RestartReconciler}) SUCCEEDED; any other
   * RUNNING one FAILED "Service restarted", with what the host showed when it could be asked.
   */
  Mono<Long> recover() {
    long deadline = System.nanoTime() + RECONCILE_BUDGET.toNanos();
    return journal
        .unfinishedBefore(processStart)
        // hosts are asked a few at a time; a dead host's questions time out together
        .flatMap(id -> end(id, deadline), ASKED_AT_ONCE)
        .count();
  }

  private Mono<Operation> end(String id, long deadline) {
    return journal
        .find(id)
        .flatMap(
            left ->
                seen(left, deadline)
                    .map(this::ending)
                    .defaultIfEmpty(unanswered(left))
                    .flatMap(ending -> journal.update(id, ending)));
  }

  /** How an operation ends when its host was not asked or could not tell. */
  private UnaryOperator<Operation> unanswered(Operation left) {
    Instant now = Timestamps.now(clock);
    if (left.phase() == Phase.QUEUED) {
      return op -> op.cancelled(OperationProblems.interruptedByRestart(), now);
    }
    return op -> op.failed(OperationProblems.serviceRestarted(), now);
  }

  /** How an operation ends once its host showed {@code seen}. */
  private UnaryOperator<Operation> ending(RestartReconciler.Seen seen) {
    Instant now = Timestamps.now(clock);
    if (seen.done()) {
      return op -> op.succeeded(Map.of("reconciledAfterRestart", seen.observation()), now);
    }
    return op -> op.failed(OperationProblems.serviceRestarted(seen.observation()), now);
  }

  /** What the host shows for a RUNNING operation; empty for QUEUED ones or when it cannot tell. */
  private Mono<RestartReconciler.Seen> seen(Operation left, long deadline) {
    if (left.phase() != Phase.RUNNING || reconciler == null || System.nanoTime() > deadline) {
      return Mono.empty();
    }
    return reconciler
        .reconcile(left)
        .timeout(ASK_HOST)
        .onErrorResume(
            e -> {
              log.warn("could not check operation {} on its host: {}", left.id(), e.toString());
              return Mono.empty();
            });
  }

  @Override
  public void start() {
    // blocking is fine here: this is the startup thread, before any request is served
    Long ended = recover().block(MAX_WAIT);
    if (ended != null && ended > 0) {
      log.warn("{} operations left unfinished by the previous run were ended", ended);
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
