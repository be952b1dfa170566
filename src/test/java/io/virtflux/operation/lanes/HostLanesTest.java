package io.virtflux.operation.lanes;

import static io.virtflux.operation.OperationKind.DEPLOY;
import static io.virtflux.operation.OperationKind.MIGRATE;
import static io.virtflux.operation.OperationKind.SHUTDOWN;
import static org.assertj.core.api.Assertions.assertThat;

import io.virtflux.operation.LaneLimits;
import io.virtflux.operation.LaneState;
import io.virtflux.operation.OperationKind;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

class HostLanesTest {

  private static LaneLimits limits(int maxRunning, int maxDeploys) {
    return new LaneLimits() {
      @Override
      public int maxRunning(String host) {
        return maxRunning;
      }

      @Override
      public int maxDeploys(String host) {
        return maxDeploys;
      }
    };
  }

  /** Work whose end the test decides. */
  private static final class Job {
    final Sinks.One<String> end = Sinks.one();
    final String name;
    volatile boolean started;
    volatile boolean ended;

    Job(String name) {
      this.name = name;
    }

    Mono<String> run() {
      started = true;
      return end.asMono().doFinally(signal -> ended = true);
    }

    void finish() {
      end.tryEmitValue(name);
    }

    void fail() {
      end.tryEmitError(new IllegalStateException(name + " failed"));
    }
  }

  private static Disposable start(HostLanes lanes, Job job, OperationKind kind, String... hosts) {
    return lanes.withPermits(List.of(hosts), kind, job::run).subscribe(v -> {}, e -> {});
  }

  @AfterEach
  void resetVirtualTime() {
    VirtualTimeScheduler.reset();
  }

  @Test
  void laneOfOneStartsTheSecondOperationOnlyAfterTheFirstEnds() {
    HostLanes lanes = new HostLanes(limits(1, 1));
    Job first = new Job("first");
    Job second = new Job("second");

    StepVerifier.create(lanes.withPermits(List.of("h"), SHUTDOWN, first::run))
        .then(() -> start(lanes, second, SHUTDOWN, "h"))
        .then(
            () -> {
              assertThat(second.started).isFalse();
              assertThat(lanes.state("h")).isEqualTo(new LaneState(1, 1, 1));
            })
        .then(first::finish)
        .expectNext("first")
        .verifyComplete();

    assertThat(second.started).isTrue();
    assertThat(lanes.state("h")).isEqualTo(new LaneState(1, 1, 0));
    second.finish();
    assertThat(lanes.state("h")).isEqualTo(new LaneState(1, 0, 0));
  }

  @Test
  void closedLanesLetTheRunningEndAndStartNothingMoreNotEvenOnANewLane() {
    HostLanes lanes = new HostLanes(limits(1, 1));
    Job running = new Job("running");
    Job waiting = new Job("waiting");
    Job elsewhere = new Job("elsewhere");
    start(lanes, running, SHUTDOWN, "h");
    start(lanes, waiting, SHUTDOWN, "h");

    lanes.close();
    start(lanes, elsewhere, SHUTDOWN, "other");
    running.finish();

    assertThat(running.ended).isTrue();
    assertThat(waiting.started).as("its slot stays free").isFalse();
    assertThat(elsewhere.started).isFalse();
    assertThat(lanes.state("h")).isEqualTo(new LaneState(1, 0, 1));
    assertThat(lanes.state("other")).isEqualTo(new LaneState(1, 0, 1));
  }

  @Test
  void laneOfThreeRunsThreeAtOnceAndStartsTheFourthWhenOneEnds() {
    HostLanes lanes = new HostLanes(limits(3, 3));
    List<Job> jobs = List.of(new Job("a"), new Job("b"), new Job("c"), new Job("d"), new Job("e"));
    jobs.forEach(job -> start(lanes, job, SHUTDOWN, "h"));

    assertThat(jobs).extracting(job -> job.started).containsExactly(true, true, true, false, false);
    assertThat(lanes.state("h")).isEqualTo(new LaneState(3, 3, 2));

    jobs.get(1).finish();

    assertThat(jobs).extracting(job -> job.started).containsExactly(true, true, true, true, false);
    assertThat(lanes.state("h")).isEqualTo(new LaneState(3, 3, 1));
  }

  @Test
  void cancelledQueuedOperationNeverTakesItsSlotAndOthersProceed() {
    HostLanes lanes = new HostLanes(limits(1, 1));
    Job running = new Job("running");
    Job cancelled = new Job("cancelled");
    Job next = new Job("next");
    start(lanes, running, SHUTDOWN, "h");
    Disposable queued = start(lanes, cancelled, SHUTDOWN, "h");
    start(lanes, next, SHUTDOWN, "h");

    queued.dispose();
    assertThat(lanes.state("h")).isEqualTo(new LaneState(1, 1, 1));
    running.finish();

    assertThat(cancelled.started).isFalse();
    assertThat(next.started).isTrue();
    assertThat(lanes.state("h")).isEqualTo(new LaneState(1, 1, 0));
  }

  @Test
  void cancellingRunningWorkGivesItsSlotBack() {
    HostLanes lanes = new HostLanes(limits(1, 1));
    Job running = new Job("running");
    Job next = new Job("next");
    Disposable subscription = start(lanes, running, SHUTDOWN, "h");
    start(lanes, next, SHUTDOWN, "h");

    subscription.dispose();

    assertThat(running.ended).isTrue();
    assertThat(next.started).isTrue();
  }

  @Test
  void hangingOperationFreesTheLaneAtItsTimeout() {
    VirtualTimeScheduler time = VirtualTimeScheduler.getOrSet();
    HostLanes lanes = new HostLanes(limits(1, 1));
    Job next = new Job("next");
    AtomicInteger timeouts = new AtomicInteger();
    lanes
        .withPermits(List.of("h"), SHUTDOWN, () -> Mono.never().timeout(Duration.ofMinutes(2)))
        .subscribe(v -> {}, e -> timeouts.addAndGet(e instanceof TimeoutException ? 1 : 100));
    start(lanes, next, SHUTDOWN, "h");

    time.advanceTimeBy(Duration.ofSeconds(119));
    assertThat(next.started).isFalse();

    time.advanceTimeBy(Duration.ofSeconds(1));
    assertThat(timeouts).hasValue(1);
    assertThat(next.started).isTrue();
  }

  @Test
  void failingOperationFreesTheLane() {
    HostLanes lanes = new HostLanes(limits(1, 1));
    Job failing = new Job("failing");
    Job next = new Job("next");

    StepVerifier.create(lanes.withPermits(List.of("h"), SHUTDOWN, failing::run))
        .then(() -> start(lanes, next, SHUTDOWN, "h"))
        .then(failing::fail)
        .verifyErrorMessage("failing failed");

    assertThat(next.started).isTrue();
  }

  @Test
  void workThatThrowsWhileStartingFreesTheLane() {
    HostLanes lanes = new HostLanes(limits(1, 1));
    Job next = new Job("next");

    StepVerifier.create(
            lanes.withPermits(
                List.of("h"),
                SHUTDOWN,
                () -> {
                  throw new IllegalStateException("thrown");
                }))
        .verifyErrorMessage("thrown");

    start(lanes, next, SHUTDOWN, "h");
    assertThat(next.started).isTrue();
  }

  @Test
  void deployBlockedByTheDeployCapDoesNotBlockTheShutdownBehindIt() {
    HostLanes lanes = new HostLanes(limits(2, 1));
    Job firstDeploy = new Job("deploy-1");
    Job secondDeploy = new Job("deploy-2");
    Job shutdown = new Job("shutdown");
    start(lanes, firstDeploy, DEPLOY, "h");
    start(lanes, secondDeploy, DEPLOY, "h");
    start(lanes, shutdown, SHUTDOWN, "h");

    assertThat(secondDeploy.started).isFalse();
    assertThat(shutdown.started).isTrue();
    assertThat(lanes.state("h")).isEqualTo(new LaneState(2, 2, 1));

    shutdown.finish();
    assertThat(secondDeploy.started).as("still capped by the first deploy").isFalse();

    firstDeploy.finish();
    assertThat(secondDeploy.started).isTrue();
  }

  @Test
  void twoHostOperationHoldsBothLanesWhileItRuns() {
    HostLanes lanes = new HostLanes(limits(1, 1));
    Job migration = new Job("migration");
    Job onDestination = new Job("on-destination");
    start(lanes, migration, MIGRATE, "src", "dst");
    start(lanes, onDestination, SHUTDOWN, "dst");

    assertThat(onDestination.started).isFalse();
    assertThat(lanes.state("src")).isEqualTo(new LaneState(1, 1, 0));
    assertThat(lanes.state("dst")).isEqualTo(new LaneState(1, 1, 1));

    migration.finish();
    assertThat(onDestination.started).isTrue();
    assertThat(lanes.state("src")).isEqualTo(new LaneState(1, 0, 0));
  }

  @Test
  void crossingMigrationWaitsOnTheFirstLaneInGlobalOrderHoldingNothing() {
    HostLanes lanes = new HostLanes(limits(1, 1));
    Job aToB = new Job("a->b");
    Job bToA = new Job("b->a");
    start(lanes, aToB, MIGRATE, "a", "b");
    start(lanes, bToA, MIGRATE, "b", "a");

    // b->a waits for lane "a" first, so it holds no slot in "b" meanwhile
    assertThat(lanes.state("a")).isEqualTo(new LaneState(1, 1, 1));
    assertThat(lanes.state("b")).isEqualTo(new LaneState(1, 1, 0));

    aToB.finish();
    assertThat(bToA.started).isTrue();
  }

  @Test
  void laneWhoseLimitsCannotBeReadRunsOneAtATime() {
    HostLanes lanes =
        new HostLanes(
            new LaneLimits() {
              @Override
              public int maxRunning(String host) {
                throw new IllegalArgumentException("unknown host " + host);
              }

              @Override
              public int maxDeploys(String host) {
                throw new IllegalArgumentException("unknown host " + host);
              }
            });
    Job first = new Job("first");
    Job second = new Job("second");
    start(lanes, first, DEPLOY, "h");
    start(lanes, second, SHUTDOWN, "h");

    assertThat(first.started).isTrue();
    assertThat(second.started).isFalse();
    first.finish();
    assertThat(second.started).isTrue();
  }

  @Test
  void manyCrossingMigrationsAllCompleteAndNeverShareALane() {
    HostLanes lanes = new HostLanes(limits(1, 1));
    Map<String, AtomicInteger> inLane = new ConcurrentHashMap<>();
    AtomicInteger overlaps = new AtomicInteger();
    List<List<String>> routes =
        List.of(List.of("a", "b"), List.of("b", "a"), List.of("b", "c"), List.of("c", "a"));

    Flux<Integer> migrations =
        Flux.range(0, 400)
            .flatMap(
                i -> {
                  List<String> hosts = routes.get(i % routes.size());
                  return lanes
                      .withPermits(
                          hosts,
                          MIGRATE,
                          () -> {
                            hosts.forEach(
                                h -> {
                                  int now =
                                      inLane
                                          .computeIfAbsent(h, k -> new AtomicInteger())
                                          .incrementAndGet();
                                  if (now > 1) {
                                    overlaps.incrementAndGet();
                                  }
                                });
                            return Mono.just(i)
                                .publishOn(Schedulers.parallel())
                                .doOnNext(v -> hosts.forEach(h -> inLane.get(h).decrementAndGet()));
                          })
                      .subscribeOn(Schedulers.parallel());
                },
                64);

    // the duration only bounds a deadlock; it asserts no speed
    StepVerifier.create(migrations)
        .expectNextCount(400)
        .expectComplete()
        .verify(Duration.ofSeconds(30));
    assertThat(overlaps).hasValue(0);
    for (String host : List.of("a", "b", "c")) {
      assertThat(lanes.state(host)).isEqualTo(new LaneState(1, 0, 0));
    }
  }
}
