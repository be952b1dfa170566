package io.virtflux.operation;

import static io.virtflux.operation.OperationKind.SHUTDOWN;
import static org.assertj.core.api.Assertions.assertThat;

import io.virtflux.api.IdempotencyKey;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import reactor.core.publisher.Mono;

/**
 * {@code virtflux.operations.idempotency-key-ttl}: once a key has expired, the same key (even with
 * the same request) starts a new operation, which takes the key over from the old one in the same
 * write, so the unique (principal, key) constraint never turns the insert into a 500.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.NONE,
    properties = "virtflux.operations.idempotency-key-ttl=100ms")
@Import(OneLaneTestConfig.class)
class IdempotencyKeyExpiryTest extends JournalTestSupport {

  private static final OperationWork DONE = context -> Mono.just(Map.of());

  @Test
  void anExpiredKeyStartsANewOperationThatTakesTheKeyOver() throws InterruptedException {
    String vm = unique("vm");
    IdempotencyKey key = key(unique("key"));
    OperationRequest keyed =
        new OperationRequest(SHUTDOWN, OperationTarget.vmOn(vm, unique("host")), key, "alice");
    Operation first = operations.submit(keyed, DONE).block();
    awaitEnd(first.id());

    Thread.sleep(300);
    assertThat(operations.earlier(keyed).blockOptional())
        .as("an expired key is forgotten")
        .isEmpty();
    Operation second = operations.submit(keyed, DONE).block();

    assertThat(second.id()).isNotEqualTo(first.id());
    assertThat(second.phase()).isEqualTo(Phase.QUEUED);
    assertThat(keyHolders(key.value())).containsExactly(second.id());
  }

  @Test
  void anExpiredKeyMayComeWithAnotherRequest() throws InterruptedException {
    OperationTarget target = OperationTarget.vmOn(unique("vm"), unique("host"));
    String key = unique("key");
    Operation first =
        operations
            .submit(new OperationRequest(SHUTDOWN, target, key(key, "body-1"), "alice"), DONE)
            .block();

    Thread.sleep(300);
    Operation second =
        operations
            .submit(new OperationRequest(SHUTDOWN, target, key(key, "body-2"), "alice"), DONE)
            .block();

    assertThat(second.id()).isNotEqualTo(first.id());
  }

  private List<String> keyHolders(String key) {
    return db.sql("SELECT id FROM operations WHERE idempotency_key = :key")
        .bind("key", key)
        .map(row -> row.get("id", String.class))
        .all()
        .collectList()
        .block(Duration.ofSeconds(5));
  }
}
