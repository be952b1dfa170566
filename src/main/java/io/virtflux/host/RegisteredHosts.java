package io.virtflux.host;

import io.virtflux.libvirt.LibvirtGateway;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;
import reactor.core.publisher.Mono;

/**
 * Registration of hosts through the API: the host is stored before it is added, and the stored
 * hosts are added again when the service starts (after the configured ones, which win a name
 * clash).
 */
@Component
public class RegisteredHosts implements SmartInitializingSingleton {

  private static final Logger log = LoggerFactory.getLogger(RegisteredHosts.class);

  private final HostRegistry registry;
  private final HostStore store;

  private final LibvirtGateway libvirt;

  private final HostMetrics metrics;

  RegisteredHosts(
      HostRegistry registry, HostStore store, LibvirtGateway libvirt, HostMetrics metrics) {
    this.metrics = metrics;
    this.libvirt = libvirt;
    this.registry = registry;
    this.store = store;
  }

  /**
   * Validates, stores and adds the host.
   *
   * @throws ErrorResponseException 409 when the name is taken, 400 when the URI is not usable
   */
  public Mono<Host> register(HostConfig config, String principal) {
    return Mono.defer(
        () -> {
          if (registry.find(config.name()).isPresent()) {
            return Mono.error(HostRegistry.taken(config.name()));
          }
          registry.prepare(config); // a bad URI or datastore is refused before it is stored
          return store
              .save(config, principal)
              .onErrorMap(
                  DataIntegrityViolationException.class, e -> HostRegistry.taken(config.name()))
              .then(Mono.fromCallable(() -> registry.add(config)));
        });
  }

  /**
   * Removes the host: from the registry, from the stored registrations, and its connection. A
   * configured host comes back at the next start (remove it from the configuration too).
   */
  public Mono<Host> unregister(String name, boolean disconnect) {
    return Mono.defer(
        () -> {
          Host host = registry.require(name);
          return store
              .delete(name)
              .then(
                  Mono.fromRunnable(
                      () -> {
                        registry.remove(name);
                        metrics.forget(name);
                      }))
              .then(disconnect ? libvirt.disconnect(host.ref()) : Mono.empty())
              .thenReturn(host);
        });
  }

  /** Disables or enables the host, and stores the choice so that it survives a restart. */
  public Mono<Host> setDisabled(String name, boolean disabled, String principal) {
    return Mono.defer(
        () -> {
          registry.require(name);
          Mono<Void> stored = disabled ? store.disable(name, principal) : store.enable(name);
          return stored.then(
              Mono.fromSupplier(
                  () -> {
                    registry.update(name, h -> h.withDisabled(disabled));
                    return registry.require(name);
                  }));
        });
  }

  /**
   * Brings the registry up to date with the stored registrations and disabled hosts, which another
   * replica may have changed (on a shared journal): hosts registered there are added here, those
   * removed there are removed here (and their connections closed), and the disabled flags follow.
   * Configured hosts are left alone. Completes once applied.
   */
  Mono<Void> refresh(Set<String> configured) {
    return Mono.zip(store.all(), store.disabled())
        .doOnNext(
            stored -> {
              Set<String> registered = new HashSet<>();
              for (HostConfig config : stored.getT1()) {
                registered.add(config.name());
                if (registry.find(config.name()).isEmpty()) {
                  try {
                    registry.add(config);
                    log.info("host {} was registered on another replica", config.name());
                  } catch (ErrorResponseException e) {
                    log.warn(
                        "registered host {} skipped: {}", config.name(), e.getBody().getDetail());
                  }
                }
              }
              for (Host host : registry.all()) {
                String name = host.name();
                if (!configured.contains(name) && !registered.contains(name)) {
                  registry.remove(name);
                  metrics.forget(name);
                  libvirt.disconnect(host.ref()).subscribe(null, e -> {});
                  log.info("host {} was removed on another replica", name);
                }
              }
              Set<String> disabled = new HashSet<>(stored.getT2());
              for (Host host : registry.all()) {
                boolean off = disabled.contains(host.name());
                if (host.disabled() != off) {
                  registry.update(host.name(), h -> h.withDisabled(off));
                }
              }
            })
        .then();
  }

  /** Runs once, before the web server accepts requests; blocking here delays only start-up. */
  @Override
  public void afterSingletonsInstantiated() {
    for (HostConfig config : store.all().block(Duration.ofSeconds(30))) {
      if (registry.find(config.name()).isPresent()) {
        log.warn("registered host {} is also configured; the configuration wins", config.name());
        continue;
      }
      try {
        registry.add(config);
      } catch (ErrorResponseException e) {
        log.warn("registered host {} skipped: {}", config.name(), e.getBody().getDetail());
      }
    }
    for (String name : store.disabled().block(Duration.ofSeconds(30))) {
      registry.update(name, h -> h.withDisabled(true));
    }
  }
}
