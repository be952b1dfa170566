package io.virtflux.libvirt;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * {@code virtflux.libvirt.calls}: the latency of every libvirt call the adapter makes, by gateway
 * API, host and outcome (a histogram, so percentiles can be computed across instances).
 */
final class LibvirtMetrics {

  static final String CALLS = "virtflux.libvirt.calls";

  /** Built once; each call only adds its tags. */
  private final Meter.MeterProvider<Timer> calls;

  LibvirtMetrics(MeterRegistry registry) {
    this.calls =
        Timer.builder(CALLS)
            .description("libvirt calls made by the adapter")
            .publishPercentileHistogram()
            // buckets from 100 µs to 5 min only: a scrape stays small with many hosts and APIs
            .minimumExpectedValue(Duration.ofNanos(100_000))
            .maximumExpectedValue(Duration.ofMinutes(5))
            .withRegistry(registry);
  }

  /** For tests and tools that run the adapter without Spring. */
  static LibvirtMetrics detached() {
    return new LibvirtMetrics(new SimpleMeterRegistry());
  }

  void record(String api, String host, boolean ok, long nanos) {
    calls
        .withTags("api", api, "host", host, "outcome", ok ? "ok" : "error")
        .record(nanos, TimeUnit.NANOSECONDS);
  }
}
