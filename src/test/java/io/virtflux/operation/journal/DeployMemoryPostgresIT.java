package io.virtflux.operation.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.virtflux.operation.JournalJson;
import io.virtflux.operation.MemoryClaim;
import io.virtflux.operation.NoMemory;
import io.virtflux.operation.Operation;
import io.virtflux.operation.OperationKind;
import io.virtflux.operation.OperationTarget;
import io.virtflux.operation.Phase;
import io.virtflux.operation.PostgresJournal;
import io.virtflux.operation.PromisedMemory;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The journal as the ledger of the memory promised to deploys, on PostgreSQL, with two journal
 * stacks on one database as two replicas have them (each its own writer connection, both taking the
 * one-writer lock): placed deploys racing for a host whose memory fits one of them never both get
 * it; a deploy to a named host is never refused but counts; the ends free the memory as the
 * readings count it; the view placement reads has the same figures.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class DeployMemoryPostgresIT {

  private static final Duration WAIT = Duration.ofSeconds(10);

  @DynamicPropertySource
  static void journalOnPostgres(DynamicPropertyRegistry registry) {
    PostgresJournal.register(registry, "deploymemory");
  }

  @Autowired JournalDatabase database;
  @Autowired JournalJson json;
  @Autowired DatabaseClient db;
  @Autowired PromisedMemory view;

  /**
   * Two replicas' journal stacks: each its own writer thread and connection. Neither claims the
   * hosts: a live replica that is not this context's owns them, so the context's own replica leaves
   * these operations (which have no command to run) alone.
   */
  private final List<JournalThreads> threads = new ArrayList<>();

  private OperationJournal journal;
  private OperationJournal other;

  @BeforeEach
  void twoReplicas() {
    journal = stack();
    other = stack();
    db.sql(
            "INSERT INTO replicas (id, started_at, expires_at)"
                + " VALUES ('elsewhere', now(), now() + interval '1 hour')"
                + " ON CONFLICT (id) DO UPDATE SET expires_at = EXCLUDED.expires_at")
        .fetch()
        .rowsUpdated()
        .block(WAIT);
  }

  private OperationJournal stack() {
    JournalThreads own = new JournalThreads();
    threads.add(own);
    return new OperationJournal(
        db,
        json,
        List.of(),
        new JournalWriter(own, database),
        own,
        new StaticListableBeanFactory().getBeanProvider(HostLeases.class));
  }

  @AfterEach
  void stop() {
    threads.forEach(JournalThreads::destroy);
  }

  /** A new host, owned by the replica "elsewhere". */
  private String host() {
    String host = unique("host");
    db.sql(
            "INSERT INTO host_owners (host, replica_id, epoch, claimed_at)"
                + " VALUES (:host, 'elsewhere', 1, now())")
        .bind("host", host)
        .fetch()
        .rowsUpdated()
        .block(WAIT);
    return host;
  }

  @Test
  void twoReplicasPlacingOnOneHostAtOnceNeverBothTakeItsMemory() {
    // capacity 1536 MiB, two deploys of 1024: one fits, never both; 20 rounds of a real race
    for (int round = 0; round < 20; round++) {
      String host = host();
      Instant read = Instant.now();
      MemoryClaim claim = MemoryClaim.placed(1024, 1536, read);
      Mono<Object> here = outcome(journal, deploy(host), claim);
      Mono<Object> there = outcome(other, deploy(host), claim);
      List<Object> outcomes =
          Mono.zip(
                  here.subscribeOn(Schedulers.parallel()), there.subscribeOn(Schedulers.parallel()))
              .map(both -> List.of(both.getT1(), both.getT2()))
              .block(WAIT);
      assertThat(outcomes).filteredOn(Operation.class::isInstance).hasSize(1);
      assertThat(outcomes)
          .filteredOn(NoMemory.class::isInstance)
          .singleElement()
          .extracting(Object::toString)
          .asString()
          .contains("1024 promised to deploys");
      assertThat(deploysOn(host)).as("the refused one wrote nothing").isEqualTo(1);
    }
  }

  @Test
  void aDeployToANamedHostIsNeverRefusedButItsMemoryCounts() {
    String host = host();
    Instant read = Instant.now();
    // more than the host has: named, so taken all the same
    assertThat(outcome(journal, deploy(host), MemoryClaim.named(4096)).block(WAIT))
        .isInstanceOf(Operation.class);
    assertThat(outcome(other, deploy(host), MemoryClaim.placed(512, 2048, read)).block(WAIT))
        .isInstanceOf(NoMemory.class);
  }

  @Test
  void aFailedDeployFreesItsMemoryAtOnceASucceededOneOnceAReadingCountsIt() {
    String host = host();
    Instant before = Instant.now();
    Operation failing = (Operation) outcome(journal, deploy(host), placed(before)).block(WAIT);
    assertThat(outcome(other, deploy(host), placed(before)).block(WAIT))
        .isInstanceOf(NoMemory.class);
    end(failing, Phase.FAILED);
    Operation succeeding = (Operation) outcome(other, deploy(host), placed(before)).block(WAIT);
    end(succeeding, Phase.SUCCEEDED);
    // a reading that began before it ended may miss its domain: it still holds the memory
    assertThat(outcome(journal, deploy(host), placed(before)).block(WAIT))
        .isInstanceOf(NoMemory.class);
    view.refresh(before).block(WAIT);
    assertThat(view.promisedMiB(host, before)).isEqualTo(1024);
    // one that began after counts the domain itself
    Instant after = Instant.now().plusMillis(1);
    assertThat(view.promisedMiB(host, after)).isZero();
    assertThat(outcome(journal, deploy(host), placed(after)).block(WAIT))
        .isInstanceOf(Operation.class);
  }

  @Test
  void theViewPlacementReadsSumsEveryReplicasDeploysOnEachHost() {
    String a = host();
    String b = host();
    Instant read = Instant.now();
    outcome(journal, deploy(a), MemoryClaim.named(1024)).block(WAIT);
    outcome(other, deploy(a), MemoryClaim.placed(512, 4096, read)).block(WAIT);
    outcome(other, deploy(b), MemoryClaim.named(256)).block(WAIT);
    view.refresh(read).block(WAIT);
    assertThat(view.promisedMiB(a, read)).isEqualTo(1536);
    assertThat(view.promisedMiB(b, read)).isEqualTo(256);
  }

  private static MemoryClaim placed(Instant read) {
    return MemoryClaim.placed(1024, 1536, read);
  }

  /** The created operation, or the error that refused it. */
  private static Mono<Object> outcome(OperationJournal on, Operation queued, MemoryClaim memory) {
    return on.create(queued, null, Instant.EPOCH, null, memory, created -> {})
        .<Object>map(OperationJournal.Keyed::operation)
        .onErrorResume(Mono::just);
  }

  private static Operation deploy(String host) {
    return new Operation(
        UUID.randomUUID().toString(),
        OperationKind.DEPLOY,
        OperationTarget.vmOn(unique("vm"), host),
        Phase.QUEUED,
        Instant.now().truncatedTo(ChronoUnit.MICROS),
        null,
        null,
        null,
        null,
        null,
        "alice");
  }

  private void end(Operation op, Phase phase) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    Operation ended =
        journal
            .update(
                op.id(),
                current ->
                    new Operation(
                        current.id(),
                        current.kind(),
                        current.target(),
                        phase,
                        current.createdAt(),
                        now,
                        now,
                        current.progress(),
                        phase == Phase.SUCCEEDED ? Map.of("vm", "done") : null,
                        null,
                        current.requestedBy()))
            .block(WAIT);
    assertThat(ended.phase()).isEqualTo(phase);
  }

  private long deploysOn(String host) {
    return db.sql(
            "SELECT COUNT(*) AS n FROM operations o JOIN operation_hosts h"
                + " ON h.operation_id = o.id WHERE h.host = :host")
        .bind("host", host)
        .map(row -> row.get("n", Long.class))
        .one()
        .block(WAIT);
  }

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
