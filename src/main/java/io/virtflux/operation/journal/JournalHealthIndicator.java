package io.virtflux.operation.journal;

import java.time.Duration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The {@code journal} health contributor, part of readiness: UP when the journal just took a write
 * (the probe row), DOWN with the reason when it cannot (disk full or unwritable, file closed) or
 * does not answer within 5 s. A service that cannot record operations must not be sent any. Checks
 * at most once a second, however often it is asked.
 */
@Component("journal")
class JournalHealthIndicator implements ReactiveHealthIndicator {

  private static final Duration PATIENCE = Duration.ofSeconds(5);
  private static final Duration REUSE = Duration.ofSeconds(1);

  private final Mono<Health> check;

  JournalHealthIndicator(JournalWriter writer) {
    this.check =
        Mono.defer(() -> writer.probe())
            .timeout(PATIENCE)
            .then(Mono.fromSupplier(() -> Health.up().build()))
            .onErrorResume(
                e ->
                    Mono.just(
                        Health.down()
                            .withDetail(
                                "error",
                                writer.failure() != null
                                    ? writer.failure()
                                    : "the journal did not take a write within " + PATIENCE)
                            .build()))
            .cache(health -> REUSE, error -> Duration.ZERO, () -> Duration.ZERO);
  }

  @Override
  public Mono<Health> health() {
    return check;
  }
}
