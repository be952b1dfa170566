package io.virtflux.operation;

import io.virtflux.operation.journal.OperationJournal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * At startup, deals with the operations that a previous process left QUEUED or RUNNING, which
 * nothing would otherwise run or finish, so that a client watching them sees them go on or end.
 *
 * <ul>
 *   <li>A RUNNING one is checked on its host first ({@link RestartReconciler}): a deploy whose
 *       domain runs SUCCEEDED; otherwise it FAILED "Service restarted", with what the host showed.
 *   <li>Then the QUEUED ones, oldest first: each is scheduled again under its own id, its command
 *       read back from the journal and run by its {@link CommandHandler} when admitted, so it waits
 *       in its lanes in the order it was accepted. One without a command this version can run, or
 *       when {@code virtflux.operations.on-restart.queued} is {@code cancel}, ends CANCELLED
 *       "Interrupted by restart" (nothing was done; it may be submitted again).
 * </ul>
 *
 * <p>Runs as a lifecycle step just before the web server starts, so that no request can see those
 * operations still "running", and after Flyway (which runs while beans are created). RUNNING ones
 * are settled before any QUEUED one runs again, so that a reconciliation never looks at a host that
 * a resumed operation is already changing.
 */
@Component
final class JournalRecovery implements SmartLifecycle, HostOwnershipListener {

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
  private final OperationService operations;
  private final OperationProperties.QueuedOnRestart queuedOnRestart;
  private final @Nullable RestartReconciler reconciler;
  private final HostOwnership ownership;
  private final Clock clock = Clock.systemUTC();
  private final Instant processStart = Timestamps.now(clock);
  private volatile boolean running;

  JournalRecovery(
      OperationJournal journal,
      OperationService operations,
      OperationProperties properties,
      ObjectProvider<RestartReconciler> reconcilers,
      ObjectProvider<HostOwnership> ownership) {
    this.ownership = ownership.getIfAvailable(() -> HostOwnership.SOLE);
    this.journal = journal;
    this.operations = operations;
    this.queuedOnRestart = properties.onRestart().queued();
    this.reconciler = reconcilers.getIfAvailable();
  }

  /** How many operations left by the previous process were ended, and how many run again. */
  record Recovered(long ended, long resumed) {}

  /** Settles the RUNNING ones left over, then resumes or cancels the QUEUED ones, oldest first. */
  Mono<Recovered> recover() {
    return journal.unfinishedBefore(processStart).collectList().flatMap(left -> settle(left, null));
  }

  /**
   * What a new owner of a host does (on a shared journal, where a host changes owners while the
   * others run on): the operations another replica left RUNNING there are settled with the host,
   * those waiting QUEUED are run here, oldest first; as after a restart.
   */
  Mono<Recovered> takeOver(HostOwnership.Fence fence) {
    return journal
        .unfinishedOn(fence.host())
        .filter(op -> !operations.runsHere(op.id()))
        .collectList()
        .flatMap(left -> settle(left, fence));
  }

  private Mono<Recovered> settle(List<Operation> left, HostOwnership.@Nullable Fence fence) {
    long deadline = System.nanoTime() + RECONCILE_BUDGET.toNanos();
    // hosts are asked a few at a time; a dead host's questions time out together
    Mono<Long> settled =
        Flux.fromIterable(left)
            .filter(op -> op.phase() == Phase.RUNNING)
            .flatMap(op -> end(op, deadline, fence), ASKED_AT_ONCE)
            .count();
    return Mono.defer(
        () -> {
          Mono<List<Boolean>> queued =
              Flux.fromIterable(left)
                  .filter(op -> op.phase() == Phase.QUEUED)
                  .concatMap(this::resumeOrCancel)
                  .collectList();
          return settled.zipWhen(
              ended -> queued,
              (ended, resumed) -> {
                long again = resumed.stream().filter(r -> r).count();
                return new Recovered(ended + resumed.size() - again, again);
              });
        });
  }

  private Mono<Operation> end(Operation left, long deadline, HostOwnership.@Nullable Fence fence) {
    return seen(left, deadline)
        .map(this::ending)
        .defaultIfEmpty(serviceRestarted())
        .flatMap(ending -> journal.update(left.id(), ending, fence));
  }

  @Override
  public Mono<Void> claimed(HostOwnership.Fence fence) {
    return takeOver(fence)
        .doOnNext(
            r -> {
              if (r.ended() + r.resumed() > 0) {
                log.warn(
                    "host {} taken over (epoch {}): {} operation(s) left running ended, {} queued"
                        + " one(s) run here",
                    fence.host(),
                    fence.epoch(),
                    r.ended(),
                    r.resumed());
              }
            })
        .doOnError(e -> log.error("taking over host {} failed", fence.host(), e))
        .onErrorComplete()
        .then();
  }

  @Override
  public void lost(String host) {
    List<String> dropped = operations.abandonOn(host);
    if (!dropped.isEmpty()) {
      log.warn("host {} lost: its new owner takes over operations {}", host, dropped);
    }
  }

  @Override
  public boolean busy(String host) {
    return operations.busyOn(host);
  }

  /** Emits true when {@code left} was scheduled again, false when it was cancelled. */
  private Mono<Boolean> resumeOrCancel(Operation left) {
    if (queuedOnRestart == OperationProperties.QueuedOnRestart.CANCEL) {
      return cancel(left, "virtflux.operations.on-restart.queued is cancel");
    }
    return journal
        .commandOf(left.id())
        .map(operations::whyNotRunnable)
        .defaultIfEmpty(Optional.of("its request was not kept"))
        .flatMap(
            whyNot -> {
              if (whyNot.isPresent()) {
                return cancel(left, whyNot.get());
              }
              log.info(
                  "operation {} ({}) was queued when the service stopped; it runs now",
                  left.id(),
                  left.kind());
              operations.resume(left);
              return Mono.just(true);
            });
  }

  private Mono<Boolean> cancel(Operation left, String why) {
    Instant now = Timestamps.now(clock);
    return journal
        .update(left.id(), op -> op.cancelled(OperationProblems.interruptedByRestart(why), now))
        .thenReturn(false);
  }

  private UnaryOperator<Operation> serviceRestarted() {
    Instant now = Timestamps.now(clock);
    return op -> op.failed(OperationProblems.serviceRestarted(), now);
  }

  /** How an operation ends once its host showed {@code seen}. */
  private UnaryOperator<Operation> ending(RestartReconciler.Seen seen) {
    Instant now = Timestamps.now(clock);
    if (seen.done()) {
      return op ->
          op.succeeded(Map.of(Operation.RECONCILED_AFTER_RESTART, seen.observation()), now);
    }
    return op -> op.failed(OperationProblems.serviceRestarted(seen.observation()), now);
  }

  /** What the host shows for a RUNNING operation; empty when it cannot tell or was not asked. */
  private Mono<RestartReconciler.Seen> seen(Operation left, long deadline) {
    if (reconciler == null || System.nanoTime() > deadline) {
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
    if (ownership.shared()) {
      // several replicas: each host's new owner takes its operations over (claimed)
      running = true;
      return;
    }
    // blocking is fine here: this is the startup thread, before any request is served
    Recovered r = recover().block(MAX_WAIT);
    if (r != null && r.ended() + r.resumed() > 0) {
      log.warn(
          "operations left unfinished by the previous run: {} ended, {} queued ones run again",
          r.ended(),
          r.resumed());
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
