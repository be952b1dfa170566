package io.virtflux.operation;

import static io.virtflux.operation.OperationKind.SHUTDOWN;
import static org.assertj.core.api.Assertions.assertThat;

import io.virtflux.libvirt.LibvirtCallGuard;
import io.virtflux.operation.journal.OperationJournal;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;

/**
 * Fencing on a shared journal (one replica here; another "claims" the host behind its back, as a
 * replica that took over after a pause would): the old owner's journal write with its old epoch is
 * refused in its own transaction, its libvirt calls for the operation are refused, and at its next
 * heartbeat it drops the host and the operation's pipeline, journaling nothing more.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class FencingPostgresIT extends JournalTestSupport {

  @DynamicPropertySource
  static void journalOnPostgres(DynamicPropertyRegistry registry) {
    PostgresJournal.register(registry, "fencing");
  }

  @Autowired OperationJournal journal;
  @Autowired HostOwnership ownership;
  @Autowired LibvirtCallGuard guard;

  @Test
  void aWriteAndACallUnderAnEpochThatIsNoLongerTheHostsAreRefused() throws InterruptedException {
    String host = unique("host");
    AtomicBoolean stillRunning = new AtomicBoolean(true);
    Operation running =
        operations
            .submit(
                request(SHUTDOWN, unique("vm"), host),
                context ->
                    Mono.never().doOnCancel(() -> stillRunning.set(false)).then(Mono.empty()))
            .block();
    awaitPhase(running.id(), Phase.RUNNING);
    HostOwnership.Fence fence = ownership.fence(host).orElseThrow();
    assertThat(fence.replica()).isEqualTo(ownership.replica());
    assertThat(guard.refusal(host, Context.of(HostOwnership.Fence.class, fence))).isEmpty();

    // another replica, alive, claims the host (epoch + 1), as after this one's pause
    db.sql(
            "INSERT INTO replicas (id, started_at, expires_at)"
                + " VALUES ('another-replica', now(), now() + interval '10 minutes')"
                + " ON CONFLICT (id) DO UPDATE SET expires_at = EXCLUDED.expires_at")
        .fetch()
        .rowsUpdated()
        .block(Duration.ofSeconds(10));
    db.sql(
            "UPDATE host_owners SET replica_id = 'another-replica', epoch = epoch + 1"
                + " WHERE host = :host")
        .bind("host", host)
        .fetch()
        .rowsUpdated()
        .block(Duration.ofSeconds(10));

    Throwable refused =
        journal
            .update(running.id(), op -> op.withProgress(Map.of("late", true)), fence)
            .then(Mono.<Throwable>empty())
            .onErrorResume(Mono::just)
            .block(Duration.ofSeconds(10));
    assertThat(refused).isInstanceOf(LostOwnership.class);
    assertThat(refused.getMessage()).contains("newer owner");

    // at its next heartbeat the replica sees the new owner: it acts no more, drops the pipeline
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (ownership.fence(host).isPresent() || stillRunning.get()) {
      assertThat(System.nanoTime()).as("the host dropped").isLessThan(deadline);
      Thread.sleep(100);
    }
    assertThat(guard.refusal(host, Context.of(HostOwnership.Fence.class, fence)))
        .get()
        .asString()
        .contains("no longer owns host " + host);
    assertThat(events(running.id()))
        .extracting(JournaledEvent::type)
        .as("nothing journaled after the takeover")
        .containsExactly("QUEUED", "RUNNING");
    assertThat(operations.find(running.id()).block().phase()).isEqualTo(Phase.RUNNING);
  }
}
