package io.virtflux.host;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * {@code hosts} in {@code /actuator/health}: every host's state, from the registry (no libvirt
 * call). Always UP: an unreachable host is the hosts' problem, not the service's, so it must not
 * take the service out of a load balancer; it is kept out of the readiness group too.
 */
@Component("hosts")
class HostsHealthIndicator implements ReactiveHealthIndicator {

  private final HostRegistry registry;

  HostsHealthIndicator(HostRegistry registry) {
    this.registry = registry;
  }

  @Override
  public Mono<Health> health() {
    return Mono.fromSupplier(
        () -> {
          Map<String, Object> states = new LinkedHashMap<>();
          long online = 0;
          for (Host h : registry.all()) {
            states.put(h.name(), h.state().name());
            if (h.state() == HostStatus.ONLINE) {
              online++;
            }
          }
          return Health.up()
              .withDetail("online", online)
              .withDetail("total", states.size())
              .withDetail("hosts", states)
              .build();
        });
  }
}
