package io.virtflux.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import org.springframework.stereotype.Component;

/** {@code virtflux_requests_limited_total{limit}}: requests refused by a limit, by which one. */
@Component
final class LimitMetrics {

  static final String BODY = "body-size";
  static final String RATE = "submission-rate";
  static final String STREAMS = "event-streams";

  private final Map<String, Counter> refused;

  LimitMetrics(MeterRegistry registry) {
    this.refused =
        Map.of(
            BODY, counter(registry, BODY),
            RATE, counter(registry, RATE),
            STREAMS, counter(registry, STREAMS));
  }

  void refused(String limit) {
    refused.get(limit).increment();
  }

  private static Counter counter(MeterRegistry registry, String limit) {
    return Counter.builder("virtflux.requests.limited")
        .description("requests refused by a limit of virtflux.limits")
        .tag("limit", limit)
        .register(registry);
  }
}
