package io.virtflux.operation;

import static org.assertj.core.api.Assertions.assertThat;

import io.virtflux.VirtfluxApplication;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Two runs of the application on one journal file, as a restart does. */
class JournalRestartTest {

  @TempDir Path dir;

  /**
   * The journal both runs of a test share, as command-line arguments: an H2 file under {@code dir};
   * the PostgreSQL twin gives a new database.
   */
  List<String> journal() {
    return List.of("--virtflux.journal.path=" + dir.resolve("journal"));
  }

  @Test
  void restartFailsWhatThePreviousRunLeftQueuedOrRunningAndKeepsWhatEnded() {
    List<String> journal = journal();
    OperationTarget target = OperationTarget.vmOn("vm", "host");
    String ended;
    String running;
    String queued;
    try (ConfigurableApplicationContext first = start(journal)) {
      OperationService operations = first.getBean(OperationService.class);
      ended = submit(operations, target, context -> Mono.just("ok"));
      awaitPhase(operations, ended, Phase.SUCCEEDED);
      running = submit(operations, target, context -> Mono.never());
      awaitPhase(operations, running, Phase.RUNNING);
      queued = submit(operations, target, context -> Mono.just("never runs"));
    }

    try (ConfigurableApplicationContext second = start(journal)) {
      OperationService operations = second.getBean(OperationService.class);
      DatabaseClient db = second.getBean(DatabaseClient.class);

      Operation wasRunning = operations.find(running).block();
      assertThat(wasRunning.phase()).isEqualTo(Phase.FAILED);
      assertThat(wasRunning.error().getTitle()).isEqualTo("Service restarted");
      assertThat(eventTypes(db, running)).containsExactly("QUEUED", "RUNNING", "FAILED");
      Operation wasQueued = operations.find(queued).block();
      assertThat(wasQueued.phase()).isEqualTo(Phase.CANCELLED);
      assertThat(wasQueued.error().getTitle()).isEqualTo("Interrupted by restart");
      assertThat(eventTypes(db, queued)).containsExactly("QUEUED", "CANCELLED");
      assertThat(operations.find(ended).block().phase()).isEqualTo(Phase.SUCCEEDED);
      assertThat(eventTypes(db, ended)).containsExactly("QUEUED", "RUNNING", "SUCCEEDED");
    }
  }

  @Test
  void aRunningOperationWhoseEffectTheHostShowsSucceedsAfterTheRestartAndOneWhoseDoesNotFails() {
    List<String> journal = journal();
    String done;
    String notDone;
    try (ConfigurableApplicationContext first = start(journal)) {
      OperationService operations = first.getBean(OperationService.class);
      done = submit(operations, OperationTarget.vmOn("runs", "host"), context -> Mono.never());
      // another host: each host's lane runs one operation at a time
      notDone = submit(operations, OperationTarget.vmOn("off", "other"), context -> Mono.never());
      awaitPhase(operations, done, Phase.RUNNING);
      awaitPhase(operations, notDone, Phase.RUNNING);
    }

    try (ConfigurableApplicationContext second = start(journal, HostSays.class)) {
      OperationService operations = second.getBean(OperationService.class);
      Operation succeeded = operations.find(done).block();
      assertThat(succeeded.phase()).isEqualTo(Phase.SUCCEEDED);
      assertThat(succeeded.result())
          .isEqualTo(
              java.util.Map.of(
                  "kind", "SHUTDOWN", "reconciledAfterRestart", "runs: shut off on host"));
      Operation failed = operations.find(notDone).block();
      assertThat(failed.phase()).isEqualTo(Phase.FAILED);
      assertThat(failed.error().getTitle()).isEqualTo("Service restarted");
      assertThat(failed.error().getDetail()).endsWith("off: still running on host");
    }
  }

  /** A host that shows "runs" shut off (its shutdown happened) and "off" still running. */
  @org.springframework.boot.test.context.TestConfiguration
  static class HostSays {
    @org.springframework.context.annotation.Bean
    @org.springframework.context.annotation.Primary
    RestartReconciler hostSays() {
      return running ->
          Mono.just(
              "runs".equals(running.target().vm())
                  ? new RestartReconciler.Seen(true, "runs: shut off on host")
                  : new RestartReconciler.Seen(false, "off: still running on host"));
    }
  }

  private static ConfigurableApplicationContext start(List<String> journal, Class<?>... more) {
    List<Class<?>> sources =
        new java.util.ArrayList<>(List.of(VirtfluxApplication.class, OneLaneTestConfig.class));
    sources.addAll(List.of(more));
    return new SpringApplicationBuilder(sources.toArray(Class<?>[]::new))
        .web(WebApplicationType.NONE)
        // arguments, not builder properties: those are defaults that application.yml overrides
        .run(
            Stream.concat(journal.stream(), Stream.of("--spring.main.banner-mode=off"))
                .toArray(String[]::new));
  }

  private static String submit(
      OperationService operations, OperationTarget target, OperationWork work) {
    return operations
        .submit(new OperationRequest(OperationKind.SHUTDOWN, target, null, "alice"), work)
        .block()
        .id();
  }

  private static void awaitPhase(OperationService operations, String id, Phase phase) {
    Flux.interval(Duration.ZERO, Duration.ofMillis(10))
        .onBackpressureDrop()
        .concatMap(tick -> operations.find(id))
        .filter(op -> op.phase() == phase)
        .blockFirst(Duration.ofSeconds(10));
  }

  private static List<String> eventTypes(DatabaseClient db, String id) {
    return db.sql("SELECT type FROM operation_events WHERE operation_id = :id ORDER BY seq")
        .bind("id", id)
        .map(row -> row.get("type", String.class))
        .all()
        .collectList()
        .block();
  }
}
