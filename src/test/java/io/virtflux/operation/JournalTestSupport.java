package io.virtflux.operation;

import io.virtflux.api.IdempotencyKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import reactor.core.publisher.Flux;

/**
 * What the Spring tests of this package share: a journal in a fresh H2 file per context, lanes of
 * one, and helpers that read the journal. Each test uses its own host and VM names, so tests that
 * share a context never see each other's operations.
 */
abstract class JournalTestSupport {

  @Autowired OperationService operations;
  @Autowired DatabaseClient db;

  @DynamicPropertySource
  static void journalInTempFile(DynamicPropertyRegistry registry) {
    // once per context: the supplier is asked again for every property that refers to it
    String path = tempJournal();
    registry.add("virtflux.journal.path", () -> path);
  }

  private static String tempJournal() {
    try {
      return Files.createTempDirectory("virtflux-journal").resolve("journal").toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  static OperationRequest request(OperationKind kind, String vm, String host) {
    return new OperationRequest(kind, OperationTarget.vmOn(vm, host), null, "alice");
  }

  /** {@code key} as sent with one request: the same fingerprint on every call. */
  static IdempotencyKey key(String key) {
    return key(key, "fingerprint-of-the-request");
  }

  static IdempotencyKey key(String key, String fingerprint) {
    return new IdempotencyKey(key, fingerprint);
  }

  Operation awaitPhase(String id, Phase... phases) {
    List<Phase> wanted = List.of(phases);
    return Flux.interval(Duration.ZERO, Duration.ofMillis(10))
        .onBackpressureDrop()
        .concatMap(tick -> operations.find(id))
        .filter(op -> wanted.contains(op.phase()))
        .blockFirst(Duration.ofSeconds(10));
  }

  Operation awaitEnd(String id) {
    return awaitPhase(id, Phase.SUCCEEDED, Phase.FAILED, Phase.CANCELLED);
  }

  /** The journaled events of one operation, as (seq, type), oldest first. */
  List<JournaledEvent> events(String id) {
    return db.sql("SELECT seq, type FROM operation_events WHERE operation_id = :id ORDER BY seq")
        .bind("id", id)
        .map(row -> new JournaledEvent(row.get("seq", Long.class), row.get("type", String.class)))
        .all()
        .collectList()
        .block(Duration.ofSeconds(5));
  }

  record JournaledEvent(long seq, String type) {}
}
