package io.virtflux.host;

import io.virtflux.libvirt.ConnectionLossListener;
import io.virtflux.libvirt.HostFacts;
import io.virtflux.libvirt.LibvirtFailure;
import io.virtflux.libvirt.LibvirtGateway;
import io.virtflux.pci.PciInventory;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Reads every host's facts at start-up and then on an interval, staggered across the interval so
 * that a hundred hosts don't all call libvirt in the same second. Probes are reads: they don't wait
 * in the host's lane, so a long migration never delays them. A host that can't be reached becomes
 * OFFLINE with libvirt's reason instead of an exception in a log.
 *
 * <p>With several replicas a host is probed only by its owner, which stores what it read; the other
 * replicas take that over ({@link SharedReadings}).
 */
@Component
public class HostProber implements SmartLifecycle, ConnectionLossListener {

  private static final Logger log = LoggerFactory.getLogger(HostProber.class);
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration RECHECK_NOT_ONLINE = Duration.ofSeconds(5);

  private final HostRegistry registry;
  private final LibvirtGateway libvirt;
  private final Duration interval;
  private volatile Disposable schedule = Flux.never().subscribe();
  private volatile boolean running;

  private final PciInventory pci;
  private final HostMetrics metrics;
  private final MemoryPromises memory;
  private final SharedReadings readings;
  // host → the probe running now, shared by whoever asks meanwhile
  private final Map<String, Mono<Host>> inFlight = new ConcurrentHashMap<>();

  public HostProber(
      SharedReadings readings,
      MemoryPromises memory,
      HostMetrics metrics,
      HostRegistry registry,
      LibvirtGateway libvirt,
      HostsProperties properties,
      PciInventory pci) {
    this.readings = readings;
    this.memory = memory;
    this.pci = pci;
    this.metrics = metrics;
    this.registry = registry;
    this.libvirt = libvirt;
    this.interval = properties.probeInterval();
  }

  /**
   * The host, probed first if it never was: a request right after start-up must not see (or act on)
   * a host whose facts, such as KVM support, are still unknown.
   */
  public Mono<Host> probed(String name) {
    Host host = registry.require(name);
    return needsProbe(host) ? probe(name) : Mono.just(host);
  }

  /**
   * Never probed, or not ONLINE at a probe that is a few seconds old: a host that came back is used
   * at once rather than at the next scheduled probe.
   */
  private static boolean needsProbe(Host host) {
    Instant at = host.probedAt();
    if (at == null) {
      return true;
    }
    return host.status() != HostStatus.ONLINE
        && at.plus(RECHECK_NOT_ONLINE).isBefore(Instant.now());
  }

  /**
   * Probes one host now and records the result: its facts (node info, capabilities, free memory)
   * and, as the monitor, every domain's state and usage (virDomainGetInfo).
   */
  public Mono<Host> probe(String name) {
    registry.require(name);
    metrics.track(name);
    // joined at subscription, not at assembly: a caller that subscribes later gets a probe that
    // runs then, not one that ended meanwhile
    return Mono.defer(() -> inFlight.computeIfAbsent(name, this::oneProbe));
  }

  /**
   * The probe of {@code name} that every caller shares until it ends: a registration, a sync and
   * the periodic round that ask for a host at the same moment get one reading, and a host that
   * never answers gets one connection attempt, not one per asker (each would wait out the connect
   * timeout on a connection of its own).
   */
  private Mono<Host> oneProbe(String name) {
    AtomicReference<Mono<Host>> self = new AtomicReference<>();
    Mono<Host> shared =
        Mono.defer(() -> probeNow(name))
            .doFinally(signal -> inFlight.remove(name, self.get()))
            .cache();
    self.set(shared);
    return shared;
  }

  private Mono<Host> probeNow(String name) {
    Host host = registry.require(name);
    if (!readings.readsItself(name)) {
      // another replica owns the host: what it read is taken over, the host is not called
      return readings.load(name);
    }
    // before anything is read: a deploy whose domain was defined after this instant may be missing
    // from what this probe reads, so its memory promise must outlive it
    Instant readingFrom = Instant.now();
    return libvirt
        .probe(host.ref())
        .timeout(PROBE_TIMEOUT)
        .map(facts -> online(host, facts))
        .onErrorResume(e -> Mono.just(failed(e)))
        .flatMap(
            result -> {
              registry.update(
                  name, h -> h.probed(result.status, result.reason, result.facts, result.kvm));
              if (result.status != HostStatus.ONLINE) {
                return readings
                    .publish(name, readingFrom)
                    .then(Mono.fromSupplier(() -> registry.require(name)));
              }
              Mono<Void> monitor =
                  libvirt
                      .domainStats(host.ref())
                      .timeout(PROBE_TIMEOUT)
                      .doOnNext(
                          stats -> {
                            registry.update(name, h -> h.monitored(stats));
                            memory.read(name, readingFrom);
                          })
                      .onErrorResume(e -> Mono.empty())
                      .then();
              // the PCI table is read once here, then by each sync (it rarely changes)
              Mono<Void> firstPci =
                  registry.require(name).pci() != null
                      ? Mono.empty()
                      : pci.devices(host.ref())
                          .timeout(PROBE_TIMEOUT)
                          .doOnNext(table -> registry.update(name, h -> h.withPci(table)))
                          .onErrorResume(e -> Mono.empty())
                          .then();
              return monitor
                  .then(firstPci)
                  .then(readings.publish(name, readingFrom))
                  .then(Mono.fromSupplier(() -> registry.require(name)));
            });
  }

  private record Result(
      HostStatus status, @Nullable String reason, @Nullable HostFacts facts, boolean kvm) {}

  private Result online(Host host, HostFacts facts) {
    // libvirt lists domain type kvm only when QEMU could use /dev/kvm when it probed: a real answer
    // rather than "the device node exists" (on some machines /dev/kvm exists and does not work)
    boolean kvm = facts.capabilities().supportsKvm("x86_64");
    if ("kvm".equals(host.config().domainTypeOrAuto()) && !kvm) {
      // reachable, but every deploy would fail: say so on the host rather than per operation
      return new Result(
          HostStatus.ERROR,
          "domain type kvm is configured but the host's libvirt offers no KVM (only TCG)",
          facts,
          false);
    }
    return new Result(HostStatus.ONLINE, null, facts, kvm);
  }

  private static Result failed(Throwable e) {
    if (e instanceof LibvirtFailure f && f.hostOffline()) {
      return new Result(HostStatus.OFFLINE, f.getBody().getDetail(), null, false);
    }
    if (e instanceof java.util.concurrent.TimeoutException) {
      return new Result(HostStatus.OFFLINE, "no answer within " + PROBE_TIMEOUT, null, false);
    }
    return new Result(HostStatus.ERROR, String.valueOf(e.getMessage()), null, false);
  }

  /** A lost connection makes the host OFFLINE now; the next use or probe checks it again. */
  @Override
  public void connectionLost(String host, String reason) {
    registry.update(host, h -> h.probed(HostStatus.OFFLINE, reason, h.facts(), h.kvm()));
  }

  @Override
  public void start() {
    running = true;
    Flux<Long> ticks =
        interval.isZero() || interval.isNegative()
            ? Flux.just(0L)
            : Flux.interval(Duration.ZERO, interval);
    // hosts that are not ONLINE are tried again every few seconds, so that a host whose libvirtd
    // came back is ONLINE (and its event listeners registered again) without waiting for a use
    Flux<Host> recheck =
        Flux.interval(RECHECK_NOT_ONLINE, RECHECK_NOT_ONLINE)
            .onBackpressureDrop()
            .concatMap(
                tick ->
                    Flux.fromIterable(registry.all())
                        .filter(h -> h.probedAt() != null && h.status() != HostStatus.ONLINE)
                        .flatMap(h -> probe(h.name()).onErrorResume(e -> Mono.empty())),
                0);
    schedule =
        Flux.merge(ticks.onBackpressureDrop().concatMap(tick -> probeAllStaggered(), 0), recheck)
            .subscribe(host -> {}, e -> log.error("host probing stopped", e));
  }

  private Flux<Host> probeAllStaggered() {
    var hosts = registry.all();
    if (hosts.isEmpty()) {
      return Flux.empty();
    }
    Duration step =
        interval.isZero() || interval.isNegative()
            ? Duration.ZERO
            : interval.dividedBy(hosts.size() * 2L);
    return Flux.range(0, hosts.size())
        .flatMap(
            i ->
                Mono.delay(step.multipliedBy(i))
                    .then(Mono.defer(() -> probeOrLetGo(hosts.get(i))))
                    .onErrorResume(e -> Mono.empty()));
  }

  /**
   * Probes a host this replica reads itself; for one that another replica owns, closes the
   * connections that the API's reads opened here since the last round (its libvirtd hears from its
   * owner) and takes the owner's reading over.
   */
  private Mono<Host> probeOrLetGo(Host host) {
    if (readings.readsItself(host.name())) {
      return probe(host.name());
    }
    return libvirt
        .disconnect(host.ref())
        .onErrorResume(e -> Mono.empty())
        .then(Mono.defer(() -> probe(host.name())));
  }

  @Override
  public void stop() {
    running = false;
    schedule.dispose();
  }

  @Override
  public boolean isRunning() {
    return running;
  }
}
