package io.virtflux.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.virtflux.lab.Guests;
import io.virtflux.lab.Lab;
import io.virtflux.lab.LabHost;
import io.virtflux.lab.Postgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.testcontainers.containers.GenericContainer;

/**
 * Two replicas of the packaged service on one PostgreSQL journal, sharing a lab host with room for
 * one lab guest (its reservedMemoryMiB holds back the rest). A deploy without a host is sent to
 * each replica at the same moment: exactly one is placed, the other is refused with 409 "No host
 * fits" naming the memory the first one holds, and both replicas show that memory as promised, read
 * from the journal (the one that refused it never accepted that deploy).
 */
class PlacementReplicasIT {

  private static final LabHost HOST = Lab.host(14);

  /** The lab guest's memory ({@link Guests#template}). */
  private static final long GUEST = 192;

  private static final ParameterizedTypeReference<Map<String, Object>> JSON =
      new ParameterizedTypeReference<>() {};

  @TempDir Path dir;

  private GenericContainer<?> host;
  private final List<ServiceProcess> replicas = new ArrayList<>();

  @AfterEach
  void stop() {
    replicas.forEach(ServiceProcess::kill);
    if (host != null) {
      host.stop();
    }
  }

  @Test
  void deploysPlacedAtOnceOnTwoReplicasNeverBothTakeTheSameMemory() throws Exception {
    host = Lab.startOwn(HOST);
    // room for one guest and a half
    long reserve = PlacementIT.totalMiB(HOST) - PlacementIT.domainsMiB(HOST) - (GUEST + GUEST / 2);
    Postgres.Database database = Postgres.shared().newDatabase("placement");
    List<CompletableFuture<ServiceProcess>> launching = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      int n = i;
      launching.add(CompletableFuture.supplyAsync(() -> launch(n, database, reserve)));
    }
    launching.forEach(f -> replicas.add(f.join()));
    for (ServiceProcess replica : replicas) {
      Map<String, Object> view = replica.api().get("/api/v1/hosts/" + HOST.name());
      assertThat(Api.<Object>at(view, "state")).isEqualTo("ONLINE");
      assertThat(((Number) Api.at(view, "memory", "availableMiB")).longValue() / GUEST)
          .as("guests that fit: %s", view)
          .isEqualTo(1);
    }

    List<EntityExchangeResult<Map<String, Object>>> answers = deployAtOnce();
    List<Map<String, Object>> accepted = new ArrayList<>();
    List<Map<String, Object>> refused = new ArrayList<>();
    for (EntityExchangeResult<Map<String, Object>> r : answers) {
      int status = r.getStatus().value();
      assertThat(status).as("%s", r.getResponseBody()).isIn(202, 409);
      (status == 202 ? accepted : refused).add(r.getResponseBody());
    }
    assertThat(accepted).as("placed").hasSize(1);
    assertThat(refused).hasSize(1);
    Map<String, Object> problem = refused.get(0);
    assertThat(problem.get("title")).isEqualTo("No host fits");
    assertThat(problem.get("detail").toString())
        .contains(HOST.name() + ": needs 192 MiB of memory", "192 promised to deploys");

    // the journal holds the promise: each replica counts it, whichever accepted the deploy
    for (ServiceProcess replica : replicas) {
      awaitPromised(replica, GUEST);
    }
    Map<String, Object> done = replicas.get(0).api().succeeded(accepted.get(0));
    assertThat(Api.<Object>at(done, "result", "host")).isEqualTo(HOST.name());
  }

  /** One deploy without a host sent to each replica at the same moment. */
  private List<EntityExchangeResult<Map<String, Object>>> deployAtOnce() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(replicas.size());
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<EntityExchangeResult<Map<String, Object>>>> futures = new ArrayList<>();
      for (int i = 0; i < replicas.size(); i++) {
        ServiceProcess replica = replicas.get(i);
        Map<String, Object> body = Map.of("template", Guests.template("it-shared-mem-" + i, 0.25));
        futures.add(
            pool.submit(
                () -> {
                  go.await();
                  return replica
                      .api()
                      .client()
                      .post()
                      .uri("/api/v1/vms")
                      .contentType(MediaType.APPLICATION_JSON)
                      .bodyValue(body)
                      .exchange()
                      .expectBody(JSON)
                      .returnResult();
                }));
      }
      go.countDown();
      List<EntityExchangeResult<Map<String, Object>>> answers = new ArrayList<>();
      for (Future<EntityExchangeResult<Map<String, Object>>> f : futures) {
        answers.add(f.get(1, TimeUnit.MINUTES));
      }
      return answers;
    } finally {
      pool.shutdownNow();
    }
  }

  /** Waits until the replica's view of the host shows {@code miB} promised to deploys. */
  private static void awaitPromised(ServiceProcess replica, long miB) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      Map<String, Object> view = replica.api().get("/api/v1/hosts/" + HOST.name());
      long promised = ((Number) view.get("promisedMemoryMiB")).longValue();
      if (promised == miB) {
        return;
      }
      assertThat(System.nanoTime()).as("promised %s MiB: %s", miB, view).isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  private ServiceProcess launch(int i, Postgres.Database database, long reserve) {
    try {
      Path journal = dir.resolve("replica-" + i).resolve("journal");
      Files.createDirectories(journal.getParent());
      List<String> settings =
          List.of(
              "--virtflux.journal.jdbc-url=" + database.jdbcUrl(),
              "--virtflux.journal.r2dbc-url=" + database.r2dbcUrl(),
              "--virtflux.journal.username=" + database.user(),
              "--virtflux.journal.password=" + database.password(),
              "--virtflux.replicas.id=placement-" + i,
              "--virtflux.hosts[0].name=" + HOST.name(),
              "--virtflux.hosts[0].uri=" + HOST.uri(),
              "--virtflux.hosts[0].reserved-memory-mib=" + reserve,
              // one probe at start-up: no reading counts the deploy's domain during the test
              "--virtflux.probe-interval=0s");
      return ServiceProcess.start(
          "placement-replicas-it-" + i, ServiceProcess.freePort(), journal, settings);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
