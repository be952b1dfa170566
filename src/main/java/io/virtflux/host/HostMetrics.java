package io.virtflux.host;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.virtflux.operation.OperationService;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Per-host gauges, registered when a host is first probed and removed with the host:
 *
 * <ul>
 *   <li>{@code virtflux.lane.queued} and {@code virtflux.lane.running}: the host lane's depth
 *   <li>{@code virtflux.host.state}: 1 for the host's current state, 0 for the others (one series
 *       per state, so a dashboard can count hosts by state)
 * </ul>
 */
@Component
class HostMetrics {

  private final MeterRegistry registry;
  private final HostRegistry hosts;
  private final OperationService operations;
  private final Map<String, List<Meter>> tracked = new ConcurrentHashMap<>();

  HostMetrics(MeterRegistry registry, HostRegistry hosts, OperationService operations) {
    this.registry = registry;
    this.hosts = hosts;
    this.operations = operations;
  }

  void track(String host) {
    tracked.computeIfAbsent(host, this::register);
  }

  void forget(String host) {
    List<Meter> meters = tracked.remove(host);
    if (meters != null) {
      meters.forEach(registry::remove);
    }
  }

  private List<Meter> register(String host) {
    List<Meter> meters = new ArrayList<>();
    Tags tags = Tags.of("host", host);
    meters.add(
        Gauge.builder("virtflux.lane.queued", () -> operations.laneState(host).queued())
            .description("operations waiting in the host's lane")
            .tags(tags)
            .register(registry));
    meters.add(
        Gauge.builder("virtflux.lane.running", () -> operations.laneState(host).running())
            .description("operations running in the host's lane")
            .tags(tags)
            .register(registry));
    for (HostStatus state : HostStatus.values()) {
      meters.add(
          Gauge.builder(
                  "virtflux.host.state",
                  () -> hosts.find(host).map(h -> h.state() == state ? 1 : 0).orElse(0))
              .description("1 when the host is in this state")
              .tags(tags.and("state", state.name()))
              .register(registry));
    }
    return meters;
  }
}
