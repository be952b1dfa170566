package io.virtflux.host;

import io.virtflux.libvirt.LibvirtClient;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * {@code hosts} in {@code /actuator/health}: every host's state, from the registry (no libvirt
 * call). Always UP: an unreachable host is the hosts' problem, not the service's, so it must not
 * take the service out of a load balancer; it is kept out of the readiness group too. It also names
 * the libvirt client library every host is reached through, with a warning when that version is
 * known to crash the process (see {@link LibvirtClient}).
 */
@Component("hosts")
class HostsHealthIndicator implements ReactiveHealthIndicator {

  private final HostRegistry registry;
  private final LibvirtClient client;

  HostsHealthIndicator(HostRegistry registry, LibvirtClient client) {
    this.registry = registry;
    this.client = client;
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
          Health.Builder health =
              Health.up()
                  .withDetail("online", online)
                  .withDetail("total", states.size())
                  .withDetail("hosts", states)
                  .withDetail("libvirtClient", client.version());
          client.warning().ifPresent(w -> health.withDetail("warning", w));
          return health.build();
        });
  }
}
