package io.virtflux.host;

import io.virtflux.operation.HostOwnership;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * With several replicas, keeps each replica's registry in step with the registrations stored by the
 * others: a host registered, removed, disabled or enabled through one replica shows on every
 * replica within {@link #EVERY}, and so does what the owners read of their hosts ({@link
 * SharedReadings}). One replica alone has nothing to follow.
 */
@Component
class RegistrationSync implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(RegistrationSync.class);
  private static final Duration EVERY = Duration.ofSeconds(2);

  private final RegisteredHosts registered;
  private final SharedReadings readings;
  private final HostOwnership ownership;
  private final Set<String> configured;
  private @Nullable Disposable polling;

  RegistrationSync(
      RegisteredHosts registered,
      SharedReadings readings,
      HostsProperties properties,
      ObjectProvider<HostOwnership> ownership) {
    this.registered = registered;
    this.readings = readings;
    this.ownership = ownership.getIfAvailable(() -> HostOwnership.SOLE);
    this.configured =
        properties.hosts().stream().map(HostConfig::name).collect(Collectors.toUnmodifiableSet());
  }

  @Override
  public void start() {
    if (!ownership.shared()) {
      return;
    }
    polling =
        Flux.interval(EVERY, EVERY)
            .onBackpressureDrop()
            .concatMap(
                tick ->
                    registered
                        .refresh(configured)
                        .then(readings.follow())
                        .onErrorResume(
                            e -> {
                              log.warn("registrations not refreshed: {}", e.toString());
                              return Mono.empty();
                            }),
                1)
            .subscribe();
  }

  @Override
  public void stop() {
    Disposable p = polling;
    if (p != null) {
      p.dispose();
    }
    polling = null;
  }

  @Override
  public boolean isRunning() {
    return polling != null;
  }
}
