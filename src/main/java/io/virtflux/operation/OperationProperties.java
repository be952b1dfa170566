package io.virtflux.operation;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code virtflux.operations.*}: how long each kind of operation may run before it is failed and
 * its lanes are freed.
 *
 * @param defaultTimeout for every kind not listed in {@code timeouts}
 * @param timeouts per kind, e.g. {@code virtflux.operations.timeouts.MIGRATE=30m}
 * @param onRestart what happens to operations a previous process left unfinished
 * @param idempotencyKeyTtl how long after its first request an {@code Idempotency-Key} returns that
 *     request's operation; afterwards the key starts a new operation
 */
@ConfigurationProperties("virtflux.operations")
public record OperationProperties(
    @DefaultValue("2m") Duration defaultTimeout,
    @DefaultValue Map<OperationKind, Duration> timeouts,
    @DefaultValue OnRestart onRestart,
    @DefaultValue("24h") Duration idempotencyKeyTtl) {

  public OperationProperties {
    timeouts = Map.copyOf(timeouts);
  }

  /**
   * {@code virtflux.operations.on-restart.*}.
   *
   * @param queued what becomes of an operation that was QUEUED when the service died
   */
  public record OnRestart(@DefaultValue("run") QueuedOnRestart queued) {}

  /** What becomes of an operation that was QUEUED when the service died. */
  public enum QueuedOnRestart {
    /**
     * It runs, in its lanes, with work rebuilt from the inputs kept with it; one whose feature kept
     * none ends CANCELLED "Interrupted by restart".
     */
    RUN,
    /** It ends CANCELLED "Interrupted by restart": nothing was done, it may be submitted again. */
    CANCEL
  }

  public Duration timeoutOf(OperationKind kind) {
    return timeouts.getOrDefault(kind, defaultTimeout);
  }
}
