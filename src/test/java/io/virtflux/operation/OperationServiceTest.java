package io.virtflux.operation;

import static io.virtflux.operation.OperationKind.DEPLOY;
import static io.virtflux.operation.OperationKind.MIGRATE;
import static io.virtflux.operation.OperationKind.REBOOT;
import static io.virtflux.operation.OperationKind.SHUTDOWN;
import static org.assertj.core.api.Assertions.assertThat;

import io.virtflux.api.IdempotencyKey;
import io.virtflux.operation.journal.JournalFailures;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.NONE,
    properties = "virtflux.operations.timeouts.REBOOT=300ms")
@Import(OneLaneTestConfig.class)
class OperationServiceTest extends JournalTestSupport {

  @org.springframework.beans.factory.annotation.Autowired ApplicationContext application;

  private static final OperationWork DONE = context -> Mono.just(Map.of("state", "running"));

  @Test
  void submitCompletesOnlyOnceTheOperationIsJournaled() {
    Sinks.Empty<Void> never = Sinks.empty();
    Operation queued =
        operations
            .submit(request(SHUTDOWN, unique("vm"), unique("host")), context -> never.asMono())
            .block();

    assertThat(queued.phase()).isEqualTo(Phase.QUEUED);
    Long rows =
        db.sql("SELECT COUNT(*) AS n FROM operations WHERE id = :id")
            .bind("id", queued.id())
            .map(row -> row.get("n", Long.class))
            .one()
            .block();
    assertThat(rows).isEqualTo(1);
    assertThat(events(queued.id())).first().extracting(JournaledEvent::type).isEqualTo("QUEUED");
  }

  @Test
  void succeedingOperationGoesQueuedRunningSucceededWithIncreasingSeqs() {
    String vm = unique("vm");
    Operation queued = operations.submit(request(SHUTDOWN, vm, unique("host")), DONE).block();

    Operation done = awaitEnd(queued.id());

    assertThat(done.phase()).isEqualTo(Phase.SUCCEEDED);
    assertThat(done.result()).isEqualTo(Map.of("kind", "SHUTDOWN", "state", "running"));
    assertThat(done.error()).isNull();
    assertThat(done.startedAt()).isAfterOrEqualTo(done.createdAt());
    assertThat(done.finishedAt()).isAfterOrEqualTo(done.startedAt());
    List<JournaledEvent> events = events(queued.id());
    assertThat(events)
        .extracting(JournaledEvent::type)
        .containsExactly("QUEUED", "RUNNING", "SUCCEEDED");
    assertThat(events).extracting(JournaledEvent::seq).isSorted().doesNotHaveDuplicates();
  }

  @Test
  void workWithoutValueSucceedsWithAResultOfOnlyItsKind() {
    Operation queued =
        operations
            .submit(request(SHUTDOWN, unique("vm"), unique("host")), context -> Mono.empty())
            .block();

    Operation done = awaitEnd(queued.id());

    assertThat(done.phase()).isEqualTo(Phase.SUCCEEDED);
    assertThat(done.result()).isEqualTo(Map.of("kind", "SHUTDOWN"));
  }

  @Test
  void failedOperationCarriesTheProblemOfAnErrorResponse() {
    ProblemDetail problem =
        ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, "domain 'web-1' already exists");
    problem.setProperty("libvirtCode", 9);
    Operation queued =
        operations
            .submit(
                request(DEPLOY, unique("vm"), unique("host")),
                context ->
                    Mono.error(new ErrorResponseException(HttpStatus.CONFLICT, problem, null)))
            .block();

    Operation done = awaitEnd(queued.id());

    assertThat(done.phase()).isEqualTo(Phase.FAILED);
    assertThat(done.result()).isNull();
    assertThat(done.error().getStatus()).isEqualTo(409);
    assertThat(done.error().getDetail()).isEqualTo("domain 'web-1' already exists");
    assertThat(done.error().getProperties()).containsEntry("libvirtCode", 9);
    assertThat(events(queued.id()))
        .extracting(JournaledEvent::type)
        .containsExactly("QUEUED", "RUNNING", "FAILED");
  }

  @Test
  void otherErrorsBecomeAnInternalProblemWithTheirMessage() {
    Operation queued =
        operations
            .submit(
                request(SHUTDOWN, unique("vm"), unique("host")),
                context -> Mono.error(new IllegalStateException("connection reset")))
            .block();

    Operation done = awaitEnd(queued.id());

    assertThat(done.phase()).isEqualTo(Phase.FAILED);
    assertThat(done.error().getStatus()).isEqualTo(500);
    assertThat(done.error().getDetail()).isEqualTo("connection reset");
  }

  @Test
  void workThatThrowsInsteadOfReturningAMonoFails() {
    Operation queued =
        operations
            .submit(
                request(SHUTDOWN, unique("vm"), unique("host")),
                context -> {
                  throw new IllegalArgumentException("thrown synchronously");
                })
            .block();

    Operation done = awaitEnd(queued.id());

    assertThat(done.phase()).isEqualTo(Phase.FAILED);
    assertThat(done.error().getDetail()).isEqualTo("thrown synchronously");
  }

  @Test
  void resultThatCannotBeSerialisedFailsTheOperation() {
    Operation queued =
        operations
            .submit(
                request(SHUTDOWN, unique("vm"), unique("host")),
                context -> Mono.just(new Unserialisable()))
            .block();

    Operation done = awaitEnd(queued.id());

    assertThat(done.phase()).isEqualTo(Phase.FAILED);
    assertThat(done.result()).isNull();
    assertThat(done.error().getDetail()).contains("not serialisable");
  }

  @Test
  void resultTheJournalCannotStoreIsRetriedThenTheOperationFails() {
    // larger than the result column: every attempt to journal SUCCEEDED fails in the database
    String tooLarge = "x".repeat(1_000_001);
    Operation queued =
        operations
            .submit(request(SHUTDOWN, unique("vm"), unique("host")), context -> Mono.just(tooLarge))
            .block();

    Operation done = awaitEnd(queued.id());

    assertThat(done.phase()).isEqualTo(Phase.FAILED);
    assertThat(done.error().getTitle()).isEqualTo("Outcome not recorded");
    assertThat(events(queued.id()))
        .extracting(JournaledEvent::type)
        .containsExactly("QUEUED", "RUNNING", "FAILED");
    // one write's data refused is not a journal outage: readiness stays up
    assertThat(JournalFailures.lastFailure(application)).isNull();
  }

  /** A value whose only property throws when Jackson reads it. */
  static final class Unserialisable {
    public String getValue() {
      throw new IllegalStateException("not serialisable");
    }
  }

  @Test
  void workThatNeverEndsTimesOutFreesItsLaneAndIsAborted() {
    String host = unique("host");
    AtomicInteger aborts = new AtomicInteger();
    Operation hanging =
        operations
            .submit(
                request(REBOOT, unique("vm"), host),
                context -> {
                  context.onAbort(() -> Mono.fromRunnable(aborts::incrementAndGet));
                  return Mono.never();
                })
            .block();
    Operation next = operations.submit(request(SHUTDOWN, unique("vm"), host), DONE).block();

    Operation timedOut = awaitEnd(hanging.id());
    assertThat(timedOut.phase()).isEqualTo(Phase.FAILED);
    assertThat(timedOut.error().getStatus()).isEqualTo(504);
    assertThat(timedOut.error().getDetail()).isEqualTo("operation timed out after PT0.3S");
    assertThat(aborts).hasValue(1);
    assertThat(awaitEnd(next.id()).phase()).isEqualTo(Phase.SUCCEEDED);
  }

  @Test
  void progressUpdatesAreJournaledEventsBetweenRunningAndTheEnd() {
    Operation queued =
        operations
            .submit(
                request(MIGRATE, unique("vm"), unique("host")),
                context -> {
                  context.progress(Map.of("dataProcessed", 10));
                  context.progress(Map.of("dataProcessed", 20));
                  return Mono.just("done");
                })
            .block();

    Operation done = awaitEnd(queued.id());

    assertThat(done.progress()).isEqualTo(Map.of("dataProcessed", 20));
    assertThat(events(queued.id()))
        .extracting(JournaledEvent::type)
        .containsExactly("QUEUED", "RUNNING", "PROGRESS", "PROGRESS", "SUCCEEDED");
  }

  @Test
  void repeatedIdempotencyKeyReturnsTheFirstOperationAndRunsItOnce() {
    String vm = unique("vm");
    String host = unique("host");
    AtomicInteger runs = new AtomicInteger();
    OperationWork counted = context -> Mono.fromCallable(runs::incrementAndGet);
    OperationRequest keyed =
        new OperationRequest(SHUTDOWN, OperationTarget.vmOn(vm, host), key(unique("key")), "alice");

    Operation first = operations.submit(keyed, counted).block();
    awaitEnd(first.id());
    Operation second = operations.submit(keyed, counted).block();

    assertThat(second.id()).isEqualTo(first.id());
    assertThat(second.phase()).isEqualTo(Phase.SUCCEEDED);
    assertThat(runs).hasValue(1);
    assertThat(operationsOn(vm)).isEqualTo(1);
  }

  @Test
  void sameKeyFromAnotherPrincipalIsAnotherOperation() {
    OperationTarget target = OperationTarget.vmOn(unique("vm"), unique("host"));
    IdempotencyKey key = key(unique("key"));

    Operation alices =
        operations.submit(new OperationRequest(SHUTDOWN, target, key, "alice"), DONE).block();
    Operation bobs =
        operations.submit(new OperationRequest(SHUTDOWN, target, key, "bob"), DONE).block();

    assertThat(bobs.id()).isNotEqualTo(alices.id());
  }

  @Test
  void concurrentRequestsWithOneKeyCreateOneOperation() {
    String vm = unique("vm");
    AtomicInteger runs = new AtomicInteger();
    OperationRequest keyed =
        new OperationRequest(
            SHUTDOWN, OperationTarget.vmOn(vm, unique("host")), key(unique("key")), "alice");

    List<String> ids =
        Flux.range(0, 16)
            .flatMap(
                i ->
                    operations
                        .submit(keyed, context -> Mono.fromCallable(runs::incrementAndGet))
                        .subscribeOn(Schedulers.parallel()))
            .map(Operation::id)
            .collectList()
            .block(Duration.ofSeconds(10));

    assertThat(ids).hasSize(16).containsOnly(ids.get(0));
    awaitEnd(ids.get(0));
    assertThat(runs).hasValue(1);
    assertThat(operationsOn(vm)).isEqualTo(1);
  }

  @Test
  void keyReusedForAnotherRequestIsRefused() {
    String host = unique("host");
    String key = unique("key");
    operations
        .submit(
            new OperationRequest(SHUTDOWN, OperationTarget.host(host), key(key, "first"), "alice"),
            DONE)
        .block();

    StepVerifier.create(
            operations.submit(
                new OperationRequest(
                    REBOOT, OperationTarget.host(host), key(key, "second"), "alice"),
                DONE))
        .expectErrorSatisfies(error -> assertReused(error, key))
        .verify();
  }

  /** Work that counts how often it was told its operation ended. */
  private static final class Ending implements OperationWork {
    final AtomicInteger ended = new AtomicInteger();
    private final Mono<?> result;

    Ending(Mono<?> result) {
      this.result = result;
    }

    @Override
    public Mono<?> run(OperationContext context) {
      return result;
    }

    @Override
    public void ended() {
      ended.incrementAndGet();
    }
  }

  @Test
  void workIsToldOnceThatItsOperationEndedHoweverItEnds() {
    String host = unique("host");
    Ending succeeds = new Ending(Mono.just("ok"));
    awaitEnd(operations.submit(request(SHUTDOWN, unique("vm"), host), succeeds).block().id());
    Ending fails = new Ending(Mono.error(new IllegalStateException("no")));
    awaitEnd(operations.submit(request(SHUTDOWN, unique("vm"), host), fails).block().id());

    // cancelled while QUEUED: it never runs, and is told all the same
    Sinks.One<String> blockerEnd = Sinks.one();
    Operation blocker =
        operations
            .submit(request(SHUTDOWN, unique("vm"), host), context -> blockerEnd.asMono())
            .block();
    awaitPhase(blocker.id(), Phase.RUNNING);
    Ending cancelled = new Ending(Mono.just("never"));
    Operation queued = operations.submit(request(SHUTDOWN, unique("vm"), host), cancelled).block();
    assertThat(cancelled.ended).hasValue(0);
    operations.cancel(queued.id(), "bob").block();
    blockerEnd.tryEmitValue("done");
    awaitEnd(blocker.id());

    // queued nothing: the key's first operation is answered, this work is told at once
    OperationRequest keyed =
        new OperationRequest(
            SHUTDOWN, OperationTarget.vmOn(unique("vm"), host), key(unique("key")), "alice");
    awaitEnd(operations.submit(keyed, DONE).block().id());
    Ending repeated = new Ending(Mono.just("never"));
    operations.submit(keyed, repeated).block();

    for (Ending work : List.of(succeeds, fails, cancelled, repeated)) {
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (work.ended.get() == 0 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertThat(work.ended).hasValue(1);
    }
  }

  @Test
  void keyReusedWithAnotherFingerprintForTheSameKindAndTargetIsRefusedAndQueuesNothing() {
    String vm = unique("vm");
    OperationTarget target = OperationTarget.vmOn(vm, unique("host"));
    String key = unique("key");
    operations
        .submit(new OperationRequest(SHUTDOWN, target, key(key, "body-1"), "alice"), DONE)
        .block();

    OperationRequest other = new OperationRequest(SHUTDOWN, target, key(key, "body-2"), "alice");
    StepVerifier.create(operations.submit(other, DONE))
        .expectErrorSatisfies(error -> assertReused(error, key))
        .verify();
    StepVerifier.create(operations.earlier(other))
        .expectErrorSatisfies(error -> assertReused(error, key))
        .verify();
    assertThat(operationsOn(vm)).isEqualTo(1);
  }

  @Test
  void anOperationJournaledWithoutAFingerprintIsComparedByKindAndTarget() {
    OperationTarget target = OperationTarget.vmOn(unique("vm"), unique("host"));
    String key = unique("key");
    Operation first =
        operations
            .submit(new OperationRequest(SHUTDOWN, target, key(key, "body-1"), "alice"), DONE)
            .block();
    // as journaled before V7
    db.sql("UPDATE operations SET idempotency_fingerprint = NULL WHERE id = :id")
        .bind("id", first.id())
        .fetch()
        .rowsUpdated()
        .block();

    Operation again =
        operations
            .submit(new OperationRequest(SHUTDOWN, target, key(key, "body-2"), "alice"), DONE)
            .block();

    assertThat(again.id()).isEqualTo(first.id());
    StepVerifier.create(
            operations.submit(
                new OperationRequest(REBOOT, target, key(key, "body-1"), "alice"), DONE))
        .expectErrorSatisfies(error -> assertReused(error, key))
        .verify();
  }

  private static void assertReused(Throwable error, String key) {
    ErrorResponseException refused = (ErrorResponseException) error;
    assertThat(refused.getStatusCode().value()).isEqualTo(422);
    assertThat(refused.getBody().getDetail()).contains(key);
    assertThat(refused.getBody().getProperties()).containsEntry("idempotencyKey", key);
  }

  @Test
  void cancellingAQueuedOperationLeavesTheLaneQueueAndNeverRunsIt() {
    String host = unique("host");
    Sinks.One<String> blockerEnd = Sinks.one();
    AtomicInteger cancelledRuns = new AtomicInteger();
    Operation blocker =
        operations
            .submit(request(SHUTDOWN, unique("vm"), host), context -> blockerEnd.asMono())
            .block();
    awaitPhase(blocker.id(), Phase.RUNNING);
    Operation queued =
        operations
            .submit(
                request(SHUTDOWN, unique("vm"), host),
                context -> Mono.fromCallable(cancelledRuns::incrementAndGet))
            .block();
    assertThat(operations.laneState(host)).isEqualTo(new LaneState(1, 1, 1));

    Operation cancelled = operations.cancel(queued.id(), "bob").block();

    assertThat(cancelled.phase()).isEqualTo(Phase.CANCELLED);
    assertThat(cancelled.error().getDetail()).isEqualTo("cancelled by bob");
    assertThat(operations.laneState(host)).isEqualTo(new LaneState(1, 1, 0));
    assertThat(events(queued.id()))
        .extracting(JournaledEvent::type)
        .containsExactly("QUEUED", "CANCELLED");

    blockerEnd.tryEmitValue("done");
    Operation after = operations.submit(request(SHUTDOWN, unique("vm"), host), DONE).block();
    assertThat(awaitEnd(after.id()).phase()).isEqualTo(Phase.SUCCEEDED);
    assertThat(cancelledRuns).hasValue(0);
  }

  @Test
  void cancellingARunningOperationThatCannotAbortIsAConflict() {
    Sinks.One<String> end = Sinks.one();
    Operation running =
        operations
            .submit(request(SHUTDOWN, unique("vm"), unique("host")), context -> end.asMono())
            .block();
    awaitPhase(running.id(), Phase.RUNNING);

    StepVerifier.create(operations.cancel(running.id(), "bob"))
        .expectErrorSatisfies(error -> assertThat(status(error)).isEqualTo(409))
        .verify();
    end.tryEmitValue("done");
    assertThat(awaitEnd(running.id()).phase()).isEqualTo(Phase.SUCCEEDED);
  }

  @Test
  void cancellingARunningMigrationCallsItsAbortHookAndEndsCancelled() {
    Sinks.One<String> migration = Sinks.one();
    Operation running =
        operations
            .submit(
                new OperationRequest(
                    MIGRATE,
                    new OperationTarget(unique("vm"), List.of(unique("src"), unique("dst"))),
                    null,
                    "alice"),
                context -> {
                  // what libvirt does: abortJob makes the running migrate call fail
                  context.onAbort(
                      () ->
                          Mono.fromRunnable(
                              () ->
                                  migration.tryEmitError(
                                      new IllegalStateException("migration job: aborted"))));
                  return migration.asMono();
                })
            .block();
    awaitPhase(running.id(), Phase.RUNNING);

    Operation aborting = operations.cancel(running.id(), "bob").block();

    assertThat(aborting.phase()).isEqualTo(Phase.RUNNING);
    Operation done = awaitEnd(running.id());
    assertThat(done.phase()).isEqualTo(Phase.CANCELLED);
    assertThat(done.error().getDetail()).isEqualTo("cancelled by bob");
    assertThat(events(running.id()))
        .extracting(JournaledEvent::type)
        .containsExactly("QUEUED", "RUNNING", "CANCELLED");
  }

  @Test
  void cancellingARunningMigrationWithoutHookCancelsItsWork() throws InterruptedException {
    AtomicInteger cancelledWork = new AtomicInteger();
    CountDownLatch workStarted = new CountDownLatch(1);
    Operation running =
        operations
            .submit(
                new OperationRequest(
                    MIGRATE,
                    new OperationTarget(unique("vm"), List.of(unique("src"), unique("dst"))),
                    null,
                    "alice"),
                context ->
                    Mono.never()
                        .doOnSubscribe(subscription -> workStarted.countDown())
                        .doOnCancel(cancelledWork::incrementAndGet))
            .block();
    // RUNNING is journaled before the work is subscribed (on another thread): a cancel in between
    // ends the operation before its work ever started, and there is nothing to cancel
    assertThat(workStarted.await(10, TimeUnit.SECONDS)).isTrue();

    operations.cancel(running.id(), "bob").block();

    assertThat(awaitEnd(running.id()).phase()).isEqualTo(Phase.CANCELLED);
    assertThat(cancelledWork).hasValue(1);
  }

  @Test
  void cancellingAnEndedOperationIsAConflictAndAnUnknownOneNotFound() {
    Operation queued =
        operations.submit(request(SHUTDOWN, unique("vm"), unique("host")), DONE).block();
    awaitEnd(queued.id());

    StepVerifier.create(operations.cancel(queued.id(), "bob"))
        .expectErrorSatisfies(error -> assertThat(status(error)).isEqualTo(409))
        .verify();
    StepVerifier.create(operations.cancel("no-such-operation", "bob"))
        .expectErrorSatisfies(error -> assertThat(status(error)).isEqualTo(404))
        .verify();
  }

  @Test
  void operationWithoutHostIsRejected() {
    StepVerifier.create(
            operations.submit(
                new OperationRequest(SHUTDOWN, new OperationTarget("vm", List.of()), null, "a"),
                DONE))
        .expectError(IllegalArgumentException.class)
        .verify();
  }

  private long operationsOn(String vm) {
    return db.sql("SELECT COUNT(*) AS n FROM operations WHERE vm = :vm")
        .bind("vm", vm)
        .map(row -> row.get("n", Long.class))
        .one()
        .block();
  }

  private static int status(Throwable error) {
    return ((ErrorResponseException) error).getStatusCode().value();
  }
}
