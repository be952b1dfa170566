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
 */
@ConfigurationProperties("virtflux.operations")
public record OperationProperties(
    @DefaultValue("2m") Duration defaultTimeout,
    @DefaultValue Map<OperationKind, Duration> timeouts) {

  public OperationProperties {
    timeouts = Map.copyOf(timeouts);
  }

  public Duration timeoutOf(OperationKind kind) {
    return timeouts.getOrDefault(kind, defaultTimeout);
  }
}
