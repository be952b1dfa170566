package io.virtflux.operation;

import io.virtflux.api.IdempotencyKey;
import io.virtflux.operation.journal.NoRoom;
import io.virtflux.operation.journal.OperationJournal;
import io.virtflux.operation.journal.OperationJournal.Keyed;
import io.virtflux.operation.lanes.HostLanes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Service;
import org.springframework.util.function.SingletonSupplier;
import org.springframework.web.ErrorResponseException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

/**
 * The operation pipeline: journal the request as QUEUED, wait for the lanes of all its hosts, run
 * the work as RUNNING under its kind's timeout, and journal how it ended. Every accepted operation
 * reaches SUCCEEDED, FAILED or CANCELLED with an event, whatever its work does: throws, never
 * completes, or returns what cannot be serialised.
 */
@Service
public class OperationService implements Operations {

  private static final Logger log = LoggerFactory.getLogger(OperationService.class);

  /**
   * Journal writes that fail are retried a few times before the operation is failed instead; one
   * refused because another replica owns the host now is not: that replica carries on.
   */
  private static final Retry JOURNAL_RETRY =
      Retry.backoff(3, Duration.ofMillis(100)).filter(e -> !(e instanceof LostOwnership));

  /**
   * How an operation's end is retried when the journal can't take it. With one replica, a few
   * times. With several, for as long as this replica still owns the host: a database restart takes
   * longer than a few retries, and an end given up on would leave the operation RUNNING with nobody
   * to settle it; once the replica lost the host, its new owner (or itself, claiming it again)
   * settles the operation with the host instead.
   */
  private Retry endRetry(HostOwnership.Fence fence) {
    if (!ownership.shared()) {
      return JOURNAL_RETRY;
    }
    // a write whose data the database refuses is not an outage: a few tries, as with one replica
    AtomicInteger refused = new AtomicInteger();
    return Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(200))
        .maxBackoff(Duration.ofSeconds(2))
        .filter(
            e ->
                !(e instanceof LostOwnership)
                    && ownership.holds(fence)
                    && (OperationProblems.isJournalUnavailable(e)
                        || refused.incrementAndGet() <= 3));
  }

  /** How long an operation that found a host full (other replicas' operations) waits to retry. */
  private static final Duration NO_ROOM_RETRY = Duration.ofMillis(200);

  private final OperationJournal journal;
  private final JournalJson json;
  private final HostLanes lanes;
  private final OperationProperties properties;
  private final Clock clock = Clock.systemUTC();
  private final Map<String, RunningOperation> active = new ConcurrentHashMap<>();
  private final ShutdownGate gate = new ShutdownGate();

  private final ObjectProvider<HostAdmission> admission;
  private final CommandHandlers handlers;
  private final HostOwnership ownership;
  private final LaneLimits limits;

  /**
   * Operations this replica accepted that another replica runs (it owns their first host): their
   * work is told it ended when their end arrives on the journal's tail.
   */
  private final Map<String, OperationWork> runElsewhere = new ConcurrentHashMap<>();

  /** Operations this replica is journaling now, which it schedules itself once written. */
  private final Set<String> creating = ConcurrentHashMap.newKeySet();

  OperationService(
      OperationJournal journal,
      JournalJson json,
      CommandHandlers handlers,
      ObjectProvider<LaneLimits> limits,
      ObjectProvider<HostAdmission> admission,
      ObjectProvider<HostOwnership> ownership,
      OperationProperties properties) {
    this.admission = admission;
    this.handlers = handlers;
    this.journal = journal;
    this.json = json;
    this.limits = resolvedOnFirstUse(limits);
    this.lanes = new HostLanes(this.limits);
    this.ownership = ownership.getIfAvailable(() -> HostOwnership.SOLE);
    this.properties = properties;
  }

  @Override
  public Mono<Operation> submit(Command command, @Nullable IdempotencyKey key, String principal) {
    return submit(command, key, principal, null);
  }

  @Override
  public Mono<Operation> submit(
      Command command,
      @Nullable IdempotencyKey key,
      String principal,
      @Nullable MemoryClaim memory) {
    CommandHandlers.Bound<?> bound = handlers.bind(command);
    OperationRequest request =
        new OperationRequest(command.kind(), command.target(), key, principal);
    // once handed to the pipeline, the operation's end tells the handler; before, this does
    AtomicBoolean handedOver = new AtomicBoolean();
    // a repeated request is answered before the checks, which its first run may now fail
    return earlier(request)
        .switchIfEmpty(
            Mono.defer(
                () ->
                    noConflict(bound)
                        .then(check(bound))
                        .then(
                            Mono.defer(
                                () -> {
                                  handedOver.set(true);
                                  return submit(
                                      request,
                                      fromJournal(bound),
                                      new JournaledCommand(bound.handler().name(), command),
                                      memory);
                                }))))
        .doOnSuccess(operation -> endedUnlessHandedOver(handedOver, bound))
        .doOnError(error -> endedUnlessHandedOver(handedOver, bound));
  }

  private static void endedUnlessHandedOver(
      AtomicBoolean handedOver, CommandHandlers.Bound<?> bound) {
    if (!handedOver.get()) {
      tellEnded(bound);
    }
  }

  /** A 409 when an operation of a kind the handler declares conflicting is queued or running. */
  private Mono<Void> noConflict(CommandHandlers.Bound<?> bound) {
    String vm = bound.command().target().vm();
    if (vm == null || bound.handler().conflictsWith().isEmpty()) {
      return Mono.empty();
    }
    return Flux.fromIterable(bound.handler().conflictsWith())
        .concatMap(kind -> unfinished(vm, kind))
        .next()
        .flatMap(
            other ->
                Mono.error(
                    OperationProblems.conflictingOperation(bound.command().kind(), vm, other)));
  }

  private static <C extends Command> Mono<Void> check(CommandHandlers.Bound<C> bound) {
    return Mono.defer(() -> bound.handler().check(bound.command()));
  }

  /**
   * The work of a journaled command: read back from the journal when the lanes admit it (for an
   * operation accepted by this process or an earlier one alike), checked again against the hosts as
   * they are now, then run by its handler. {@code submitted}, when this process accepted it, is
   * told when the operation ends.
   */
  private OperationWork fromJournal(CommandHandlers.@Nullable Bound<?> submitted) {
    return new OperationWork() {
      @Override
      public Mono<?> run(OperationContext context) {
        return journal
            .commandOf(context.operationId())
            .switchIfEmpty(
                Mono.error(
                    () -> new IllegalStateException("the operation's command is not journaled")))
            .map(handlers::read)
            .flatMap(
                read ->
                    read instanceof CommandHandlers.Read.Ok ok
                        ? checkAndRun(ok.bound(), context)
                        : Mono.error(
                            new IllegalStateException(
                                ((CommandHandlers.Read.Unreadable) read).why())));
      }

      @Override
      public void ended() {
        if (submitted != null) {
          tellEnded(submitted);
        }
      }
    };
  }

  private static <C extends Command> Mono<?> checkAndRun(
      CommandHandlers.Bound<C> bound, OperationContext context) {
    return check(bound).then(Mono.defer(() -> bound.handler().run(bound.command(), context)));
  }

  private static <C extends Command> void tellEnded(CommandHandlers.Bound<C> bound) {
    bound.handler().ended(bound.command());
  }

  /**
   * Why a journaled command cannot be run by this version of the service (its handler is gone, or
   * its fields no longer read), or empty when it can.
   */
  Optional<String> whyNotRunnable(String journaled) {
    return handlers.read(journaled) instanceof CommandHandlers.Read.Unreadable unreadable
        ? Optional.of(unreadable.why())
        : Optional.empty();
  }

  /**
   * Schedules a QUEUED operation that a previous process journaled with its command, under its own
   * id: it waits in its lanes behind what was scheduled before it, like a new submission, and its
   * command is read from the journal when it is admitted.
   */
  void resume(Operation queued) {
    // accepted here while another replica owned its host: the work this replica kept for it
    OperationWork accepted = runElsewhere.remove(queued.id());
    resume(queued, accepted != null ? accepted : fromJournal(null));
  }

  /**
   * The pipeline under {@link #submit(Command, IdempotencyKey, String)}: journals the operation as
   * QUEUED with {@code command} (the journal's form of what runs it), then schedules {@code work},
   * which reads that command back when the lanes admit it. Tests of the pipeline itself give it
   * work of their own (and no command: such an operation cannot outlive this process).
   */
  Mono<Operation> submit(
      OperationRequest request, OperationWork work, @Nullable JournaledCommand command) {
    return submit(request, work, command, null);
  }

  /** As {@link #submit(OperationRequest, OperationWork, JournaledCommand)}, with its memory. */
  Mono<Operation> submit(
      OperationRequest request,
      OperationWork work,
      @Nullable JournaledCommand command,
      @Nullable MemoryClaim memory) {
    if (request.target().hosts().isEmpty()) {
      work.ended();
      return Mono.error(new IllegalArgumentException("an operation needs at least one host"));
    }
    AtomicBoolean scheduled = new AtomicBoolean();
    return Mono.defer(
            () -> {
              if (gate.closed()) {
                return Mono.error(OperationProblems.shuttingDown(gate.retryAfterSeconds(now())));
              }
              HostAdmission hosts = admission.getIfAvailable(() -> HostAdmission.OPEN);
              for (String host : request.target().hosts()) {
                Optional<String> refusal = hosts.refusal(host, request.kind());
                if (refusal.isPresent()) {
                  return Mono.error(
                      new ErrorResponseException(
                          HttpStatus.CONFLICT,
                          OperationProblems.problem(
                              HttpStatus.CONFLICT.value(), "Host not accepting", refusal.get()),
                          null));
                }
              }
              // a host no replica has seen yet gets an owner without waiting for a heartbeat
              request.target().hosts().forEach(ownership::known);
              Operation queued = Operation.queued(UUID.randomUUID().toString(), request, now());
              // its QUEUED event may reach the tail before the write's after-commit schedules it:
              // the tail leaves it to this submission
              creating.add(queued.id());
              // serialised here, before anything is journaled: inputs that can't be are a bug,
              // not a 202
              String kept = command == null ? null : json.write(command);
              return journal
                  .create(
                      queued,
                      request.idempotencyKey(),
                      keysSince(),
                      kept,
                      memory,
                      created -> {
                        scheduled.set(true);
                        scheduleHereOrElsewhere(created, work);
                      })
                  .doFinally(signal -> creating.remove(queued.id()))
                  .flatMap(keyed -> sameRequest(keyed, request));
            })
        // nothing was queued: the work will never end on its own (a cancelled submission is left
        // alone, as its write may still commit)
        .doOnSuccess(operation -> endedUnlessScheduled(scheduled, work))
        .doOnError(error -> endedUnlessScheduled(scheduled, work));
  }

  private static void endedUnlessScheduled(AtomicBoolean scheduled, OperationWork work) {
    if (!scheduled.get()) {
      work.ended();
    }
  }

  @Override
  public Mono<Operation> earlier(OperationRequest request) {
    IdempotencyKey key = request.idempotencyKey();
    if (key == null) {
      return Mono.empty();
    }
    return Mono.defer(() -> journal.findByKey(request.principal(), key.value(), keysSince()))
        .flatMap(keyed -> sameRequest(keyed, request));
  }

  /** The operation, or a 404 problem. */
  public Mono<Operation> find(String id) {
    return journal.find(id).switchIfEmpty(Mono.error(() -> OperationProblems.notFound(id)));
  }

  /** A RUNNING (else a QUEUED) operation of {@code kind} on {@code vm}, or empty. */
  private Mono<Operation> unfinished(String vm, OperationKind kind) {
    // one page of one row per phase: no COUNT, as only whether there is one matters
    return Flux.just(Phase.RUNNING, Phase.QUEUED)
        .concatMap(phase -> journal.list(new OperationFilter(null, vm, kind, phase), 0, 1))
        .next();
  }

  public Mono<OperationPage> list(OperationFilter filter, int page, int size) {
    return Mono.zip(
        journal.list(filter, page, size).collectList(),
        journal.count(filter),
        (items, total) -> new OperationPage(items, page, size, total));
  }

  /**
   * Cancels a QUEUED operation (emitted CANCELLED), or asks a RUNNING one of an abortable kind to
   * abort (emitted still RUNNING; it becomes CANCELLED when its work ends, or SUCCEEDED when the
   * work finished before the abort took hold). Anything else is a 409 problem, an unknown id 404.
   */
  public Mono<Operation> cancel(String id, String principal) {
    return journal
        .update(
            id,
            op ->
                op.phase() == Phase.QUEUED
                    ? op.cancelled(OperationProblems.cancelled(principal), now())
                    : null)
        .doOnNext(cancelled -> leaveLanes(id))
        .switchIfEmpty(Mono.defer(() -> find(id).flatMap(current -> abort(current, principal))));
  }

  /**
   * Begins a graceful stop: new submissions are refused (503, Retry-After), and the lanes start
   * nothing more: a QUEUED operation stays QUEUED, with the inputs its feature kept, for the next
   * start ({@link JournalRecovery}), neither started nor cancelled. Completes once every operation
   * already started has ended and its end is journaled (and published); the caller bounds the wait
   * ({@code drainEnds}) and then {@link #abandonStarted() abandons} what still runs.
   */
  Mono<Void> drain(Instant drainEnds) {
    Mono<Void> ended = gate.close(drainEnds);
    lanes.close();
    int running = gate.stillStarted().size();
    log.info(
        "stopping: waiting for {} running operation(s) until {}; {} queued one(s) stay QUEUED for"
            + " the next start",
        running,
        drainEnds,
        active.size() - running);
    return ended;
  }

  /**
   * Drops the pipelines of the operations that still run after a drain, journaling nothing more:
   * they stay RUNNING in the journal, and the next start reconciles them with their hosts ({@link
   * RestartReconciler}). Returns their ids.
   */
  List<String> abandonStarted() {
    List<RunningOperation> left = gate.stillStarted();
    left.forEach(RunningOperation::abandon);
    return left.stream().map(RunningOperation::operationId).toList();
  }

  /**
   * A QUEUED operation on the journal's tail (any replica may have accepted it): scheduled here
   * when this replica owns its first host and does not have it already.
   */
  void queuedOnTail(Operation queued) {
    if (queued.phase() != Phase.QUEUED
        || creating.contains(queued.id())
        || active.containsKey(queued.id())
        || !ownership.mayAct(home(queued))) {
      return;
    }
    resume(queued);
  }

  /**
   * An operation's end on the journal's tail: tells the work of an operation accepted here and run
   * by another replica that it ended; and takes a QUEUED one that another replica cancelled out of
   * this replica's lanes.
   */
  void endedOnTail(Operation ended) {
    OperationWork accepted = runElsewhere.remove(ended.id());
    if (accepted != null) {
      accepted.ended();
    }
    if (ended.phase() == Phase.CANCELLED && ended.startedAt() == null) {
      leaveLanes(ended.id());
    }
  }

  /**
   * This replica lost {@code host}: the pipelines of the operations it runs there are dropped, with
   * nothing more journaled (their writes would be refused anyway); the new owner reconciles what
   * they left RUNNING and runs what waits QUEUED.
   */
  List<String> abandonOn(String host) {
    List<String> dropped = new ArrayList<>();
    for (RunningOperation running : List.copyOf(active.values())) {
      if (running.fence().host().equals(host) && active.remove(running.operationId(), running)) {
        running.abandon();
        gate.ended(running);
        dropped.add(running.operationId());
      }
    }
    return dropped;
  }

  /** Whether this replica queues or runs the operation, or is journaling it to do so. */
  boolean runsHere(String id) {
    return active.containsKey(id) || creating.contains(id);
  }

  /** Whether this replica queues or runs an operation on {@code host}. */
  boolean busyOn(String host) {
    return active.values().stream().anyMatch(r -> r.fence().host().equals(host));
  }

  /** How busy a host's lane is. */
  public LaneState laneState(String host) {
    return lanes.state(host);
  }

  /** The pipeline's own work, without a command (its tests). */
  Mono<Operation> submit(OperationRequest request, OperationWork work) {
    return submit(request, work, null);
  }

  /** Schedules a QUEUED operation again under its own id, with {@code work}. */
  private void resume(Operation queued, OperationWork work) {
    if (queued.phase() != Phase.QUEUED) {
      throw new IllegalStateException("only a QUEUED operation can be resumed: " + queued.phase());
    }
    Optional<HostOwnership.Fence> fence = ownership.fence(home(queued));
    if (fence.isEmpty()) {
      // its host's owner runs it (or the next one will)
      work.ended();
      return;
    }
    schedule(queued, work, fence.get());
  }

  /**
   * A new operation runs here when this replica owns its first host, else its owner (which learns
   * of it from the journal's tail, or when it claims the host) runs it.
   */
  private void scheduleHereOrElsewhere(Operation queued, OperationWork work) {
    Optional<HostOwnership.Fence> fence = ownership.fence(home(queued));
    if (fence.isPresent()) {
      schedule(queued, work, fence.get());
    } else {
      runElsewhere.put(queued.id(), work);
    }
  }

  /** Where an operation runs: the owner of its first host (a migration's source). */
  static String home(Operation operation) {
    return operation.target().hosts().get(0);
  }

  private void schedule(Operation queued, OperationWork work, HostOwnership.Fence fence) {
    String id = queued.id();
    RunningOperation running =
        new RunningOperation(id, fence, progress -> recordProgress(id, fence, progress));
    if (active.putIfAbsent(id, running) != null) {
      // already here: told twice (its submission, and the tail or a takeover)
      work.ended();
      return;
    }
    Mono<Void> pipeline =
        lanes
            .withPermits(
                queued.target().hosts(), queued.kind(), () -> start(running, queued.kind(), work))
            // another replica's operations filled a host: wait in the lanes again
            .retryWhen(
                Retry.fixedDelay(Long.MAX_VALUE, NO_ROOM_RETRY).filter(NoRoom.class::isInstance))
            .onErrorResume(
                LostOwnership.class,
                lost -> {
                  log.warn("operation {} left to its host's new owner: {}", id, lost.getMessage());
                  return Mono.empty();
                })
            // start() never errors; this is the lanes failing, and the operation must still end
            .onErrorResume(error -> finish(id, fence, failed(OperationProblems.of(error))))
            .doFinally(
                signal -> {
                  active.remove(id, running);
                  work.ended();
                  gate.ended(running);
                  running.pipelineEnded();
                })
            // every log line of this operation's pipeline and work carries its id and host
            .contextWrite(OperationLogContext.of(queued))
            // and every libvirt call of its work is made only while this replica still owns it
            .contextWrite(context -> context.put(HostOwnership.Fence.class, fence));
    running.attach(
        pipeline.subscribe(null, error -> log.error("pipeline of operation {} broke", id, error)));
  }

  /**
   * Runs inside the lanes: RUNNING, the work, and the journaled end before the slots are freed.
   * Errors only with {@link NoRoom} (another replica's operations fill a host: nothing was written)
   * or {@link LostOwnership} (another replica runs it now).
   */
  private Mono<Void> start(RunningOperation running, OperationKind kind, OperationWork work) {
    String id = running.operationId();
    if (!gate.tryStart(running)) {
      // admitted just as the service began to stop: it never ran, and the next start runs it
      log.info("operation {} stays QUEUED: the service is stopping", id);
      return Mono.empty();
    }
    HostOwnership.Fence fence = running.fence();
    return journal
        .start(id, op -> op.running(now()), limits, fence)
        .flatMap(started -> execute(running, work, properties.timeoutOf(kind)))
        // the RUNNING write itself failed: the operation must still end
        .onErrorResume(
            error -> !(error instanceof NoRoom) && !(error instanceof LostOwnership),
            error -> Mono.just(failed(OperationProblems.of(error))))
        .flatMap(ending -> finish(id, fence, ending))
        .doOnError(NoRoom.class, full -> gate.ended(running));
  }

  /** The work's outcome as the change that ends the operation; never errors. */
  private Mono<UnaryOperator<Operation>> execute(
      RunningOperation running, OperationWork work, Duration timeout) {
    return Mono.<Object>defer(
            () -> {
              log.info("operation {} running", running.operationId());
              return work.run(running);
            })
        // work that blocks inside run() must stall neither the journal nor an event loop
        .subscribeOn(Schedulers.boundedElastic())
        .takeUntilOther(running.stopped())
        .map(value -> succeeded(json.plain(value)))
        .switchIfEmpty(Mono.fromSupplier(() -> endedEmpty(running)))
        .onErrorResume(error -> Mono.just(endedWith(running, error)))
        .timeout(
            timeout,
            Mono.fromSupplier(
                () -> {
                  running.abortAfterTimeout();
                  return failed(OperationProblems.timedOut(timeout));
                }));
  }

  private Mono<Void> finish(String id, HostOwnership.Fence fence, UnaryOperator<Operation> ending) {
    return journal
        .update(id, ending, fence)
        .retryWhen(endRetry(fence))
        .doOnNext(ended -> log.info("operation {} ended {}", id, ended.phase()))
        .onErrorResume(
            error -> !(error instanceof LostOwnership),
            error -> {
              log.warn("outcome of operation {} not journaled; failing it instead", id, error);
              return journal
                  .update(id, failed(OperationProblems.notRecorded(error)), fence)
                  .retryWhen(JOURNAL_RETRY);
            })
        .doOnError(
            error ->
                log.error(
                    "operation {} left unfinished in the journal; restart fails it", id, error))
        .onErrorComplete()
        .then();
  }

  private UnaryOperator<Operation> endedEmpty(RunningOperation running) {
    String abortedBy = running.abortRequestedBy();
    // no value is still a success; an empty object keeps "exactly one of result or error"
    return abortedBy == null ? succeeded(Map.of()) : cancelled(abortedBy);
  }

  private UnaryOperator<Operation> endedWith(RunningOperation running, Throwable error) {
    String abortedBy = running.abortRequestedBy();
    return abortedBy == null ? failed(OperationProblems.of(error)) : cancelled(abortedBy);
  }

  private UnaryOperator<Operation> succeeded(Object result) {
    Instant at = now();
    return op -> op.succeeded(result, at);
  }

  private UnaryOperator<Operation> failed(ProblemDetail problem) {
    Instant at = now();
    return op -> op.failed(problem, at);
  }

  private UnaryOperator<Operation> cancelled(String by) {
    Instant at = now();
    return op -> op.cancelled(OperationProblems.cancelled(by), at);
  }

  private Mono<Operation> abort(Operation current, String principal) {
    if (current.phase().terminal()) {
      return Mono.error(
          OperationProblems.conflict("the operation already ended: " + current.phase()));
    }
    if (!current.kind().abortable()) {
      return Mono.error(
          OperationProblems.conflict(
              "a running " + current.kind() + " operation cannot be cancelled"));
    }
    RunningOperation running = active.get(current.id());
    if (running != null) {
      running.requestAbort(principal);
      return Mono.just(current);
    }
    if (!ownership.shared()) {
      return Mono.error(OperationProblems.conflict("the operation is not run by this instance"));
    }
    // another replica runs it: the request goes through the journal, whose tail tells the owner
    return journal
        .update(
            current.id(),
            op ->
                op.phase() == Phase.RUNNING
                    ? op.withProgress(withAbortRequest(op.progress(), principal))
                    : null)
        .switchIfEmpty(
            Mono.error(() -> OperationProblems.conflict("the operation ended meanwhile")));
  }

  /**
   * The progress an abort request from another replica is journaled in: what the operation showed,
   * plus who asked. The owner sees it on the journal's tail ({@link #abortRequestedOnTail}); a
   * client sees who asked until the next progress update.
   */
  private static Map<String, Object> withAbortRequest(
      @Nullable Map<String, Object> progress, String principal) {
    Map<String, Object> next = new java.util.LinkedHashMap<>();
    if (progress != null) {
      next.putAll(progress);
    }
    next.put(ABORT_REQUESTED_BY, principal);
    return next;
  }

  /** The progress field by which a replica asks the owner of a RUNNING operation to abort it. */
  static final String ABORT_REQUESTED_BY = "abortRequestedBy";

  /** A RUNNING operation's progress on the journal's tail: an abort another replica asked for. */
  void abortRequestedOnTail(Operation running) {
    Map<String, Object> progress = running.progress();
    RunningOperation here = active.get(running.id());
    if (here != null && progress != null && progress.get(ABORT_REQUESTED_BY) instanceof String by) {
      here.requestAbort(by);
    }
  }

  private void leaveLanes(String id) {
    RunningOperation running = active.get(id);
    if (running != null) {
      running.cancelQueued();
    }
  }

  private void recordProgress(String id, HostOwnership.Fence fence, Map<String, Object> progress) {
    Mono.fromCallable(() -> json.plainMap(progress))
        .flatMap(
            plain ->
                journal.update(
                    id, op -> op.phase() == Phase.RUNNING ? op.withProgress(plain) : null, fence))
        .subscribe(null, error -> log.warn("progress of operation {} not journaled", id, error));
  }

  /**
   * The operation journaled for {@code request}'s key, when {@code request} is the request that
   * created it: the same fingerprint (method, path, body), or for an operation journaled before
   * fingerprints were, the same kind and target. Anything else reuses the key for another request:
   * a 422 naming the key.
   */
  private Mono<Operation> sameRequest(Keyed keyed, OperationRequest request) {
    Operation operation = keyed.operation();
    IdempotencyKey key = request.idempotencyKey();
    if (key == null) {
      return Mono.just(operation);
    }
    boolean same =
        keyed.fingerprint() != null
            ? keyed.fingerprint().equals(key.fingerprint())
            : operation.kind() == request.kind() && operation.target().equals(request.target());
    return same
        ? Mono.just(operation)
        : Mono.error(OperationProblems.keyReused(key.value(), operation.id()));
  }

  /** Keys sent for operations created before this have expired. */
  private Instant keysSince() {
    return now().minus(properties.idempotencyKeyTtl());
  }

  private Instant now() {
    return Timestamps.now(clock);
  }

  /**
   * The host registry's limits, looked up when a lane first needs them rather than at construction:
   * the registry may itself depend on {@link Operations}. Without a registry, one at a time.
   */
  private static LaneLimits resolvedOnFirstUse(ObjectProvider<LaneLimits> provider) {
    Supplier<LaneLimits> limits =
        SingletonSupplier.of(() -> provider.getIfAvailable(() -> LaneLimits.ONE_AT_A_TIME));
    return new LaneLimits() {
      @Override
      public int maxRunning(String host) {
        return limits.get().maxRunning(host);
      }

      @Override
      public int maxDeploys(String host) {
        return limits.get().maxDeploys(host);
      }
    };
  }
}
