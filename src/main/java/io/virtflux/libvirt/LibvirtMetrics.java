package io.virtflux.libvirt;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;

/**
 * {@code virtflux.libvirt.calls}: the latency of every libvirt call the adapter makes, by gateway
 * API, host and outcome (a histogram, so percentiles can be computed across instances).
 */
final class LibvirtMetrics {

  static final String CALLS = "virtflux.libvirt.calls";

  private final MeterRegistry registry;

  LibvirtMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** For tests and tools that run the adapter without Spring. */
  static LibvirtMetrics detached() {
    return new LibvirtMetrics(new SimpleMeterRegistry());
  }

  void record(String api, String host, boolean ok, long nanos) {
    Timer.builder(CALLS)
        .description("libvirt calls made by the adapter")
        .tag("api", api)
        .tag("host", host)
        .tag("outcome", ok ? "ok" : "error")
        .publishPercentileHistogram()
        // buckets from 100 µs to 5 min only: a scrape stays small with many hosts and APIs
        .minimumExpectedValue(java.time.Duration.ofNanos(100_000))
        .maximumExpectedValue(java.time.Duration.ofMinutes(5))
        .register(registry)
        .record(nanos, TimeUnit.NANOSECONDS);
  }
}
