package io.virtflux.libvirt;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.virtflux.libvirt.xml.CapabilitiesXml;
import io.virtflux.libvirt.xml.DeploymentMarkXml;
import io.virtflux.libvirt.xml.DeviceXml;
import io.virtflux.libvirt.xml.DomainXml;
import io.virtflux.libvirt.xml.NodeDeviceXml;
import io.virtflux.libvirt.xml.XmlCodec;
import io.virtflux.libvirt.xml.XmlElement;
import io.virtflux.libvirt.xml.XmlFragment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.libvirt.Connect;
import org.libvirt.Device;
import org.libvirt.Domain;
import org.libvirt.DomainInfo;
import org.libvirt.LibvirtException;
import org.libvirt.NodeInfo;
import org.libvirt.TypedParameter;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * {@link LibvirtGateway} on libvirt-java: per host a watch connection for events and a pool of call
 * connections ({@link HostConnection}), each host's calls on that host's own bounded scheduler. The
 * typed XML model is written to and parsed from libvirt's text here, with {@link XmlCodec}, inside
 * the call that sends or receives it.
 */
@Component
class LibvirtJavaGateway implements LibvirtGateway, DisposableBean {

  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(LibvirtJavaGateway.class);

  private final LibvirtProperties properties;
  private final Map<String, HostConnection> connections = new ConcurrentHashMap<>();

  private final ConnectionLossListener lost;
  // tells the loss listener, in order, off the threads libvirt calls back on
  private final ExecutorService notifier =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "libvirt-connection-loss");
            t.setDaemon(true);
            return t;
          });
  private final DomainEventListener events;

  private final LibvirtMetrics metrics;
  private final XmlCodec xml;
  private LibvirtCallGuard guard = LibvirtCallGuard.NONE;

  @Autowired
  LibvirtJavaGateway(
      LibvirtProperties properties,
      ObjectProvider<ConnectionLossListener> lost,
      ObjectProvider<DomainEventListener> events,
      ObjectProvider<MeterRegistry> meters,
      ObjectProvider<LibvirtCallGuard> guard,
      XmlCodec xml) {
    this(
        properties,
        (host, reason) -> lost.forEach(l -> l.connectionLost(host, reason)),
        (host, vm, event, detail) -> events.forEach(l -> l.domainEvent(host, vm, event, detail)),
        new LibvirtMetrics(meters.getIfAvailable(SimpleMeterRegistry::new)),
        xml);
    this.guard = guard.getIfAvailable(() -> LibvirtCallGuard.NONE);
  }

  LibvirtJavaGateway(LibvirtProperties properties, ConnectionLossListener lost) {
    this(
        properties,
        lost,
        (host, vm, event, detail) -> {},
        LibvirtMetrics.detached(),
        new XmlCodec());
  }

  LibvirtJavaGateway(
      LibvirtProperties properties,
      ConnectionLossListener lost,
      DomainEventListener events,
      LibvirtMetrics metrics,
      XmlCodec xml) {
    this.metrics = metrics;
    this.properties = properties;
    this.lost = lost;
    this.events = events;
    this.xml = xml;
  }

  @Override
  public Mono<HostFacts> probe(HostRef host) {
    return call(
        "probe",
        host,
        c -> {
          NodeInfo node = c.nodeInfo();
          return new HostFacts(
              c.getHostName(),
              c.getType(),
              version(c.getVersion()),
              version(c.getLibVersion()),
              node.model,
              node.cpus,
              node.mhz,
              node.memory,
              freeMemoryKiB(c, node.memory),
              c.numOfDomains() + c.numOfDefinedDomains(),
              xml.read(c.getCapabilities(), CapabilitiesXml.class));
        });
  }

  @Override
  public Mono<DomainStatus> defineAndStart(HostRef host, DomainXml domain, DeploymentMarkXml mark) {
    return call(
        "defineAndStart",
        host,
        c -> {
          Domain d = c.domainDefineXML(definitionXml(domain));
          try {
            d.setMetadata(
                Domain.MetadataType.ELEMENT,
                xml.write(mark),
                ManagedMark.PREFIX,
                ManagedMark.NAMESPACE,
                Domain.ModificationImpact.CONFIG);
            d.create();
            return status(d);
          } catch (LibvirtException e) {
            // a deploy that did not start leaves nothing behind
            undefineQuietly(d);
            throw e;
          } finally {
            d.free();
          }
        });
  }

  @Override
  public String definitionXml(DomainXml domain) {
    return xml.write(domain);
  }

  @Override
  public Mono<DomainStatus> status(HostRef host, String vm) {
    return call(
        "status", host, c -> withDomain(c.domainLookupByName(vm), LibvirtJavaGateway::status));
  }

  @Override
  public Mono<List<DomainStatus>> list(HostRef host) {
    return call("list", host, c -> eachDomain(c, LibvirtJavaGateway::status));
  }

  /**
   * {@code read} of every domain on the connection, each handle freed; a domain that went away
   * between listing and reading it is left out, not an error of the listing.
   */
  private static <T> List<T> eachDomain(Connect c, DomainCall<T> read) throws LibvirtException {
    Domain[] domains = c.listAllDomains(0);
    List<T> all = new ArrayList<>();
    try {
      for (Domain d : domains) {
        try {
          all.add(read.apply(d));
        } catch (LibvirtException e) {
          // gone meanwhile; anything else (a lost connection) fails the listing
          if (!LibvirtErrors.isUnknownDomain(e)) {
            throw e;
          }
        }
      }
    } finally {
      // every handle, also those after a read that failed the listing
      for (Domain d : domains) {
        NativeHandles.free(d);
      }
    }
    return all;
  }

  @Override
  public Mono<DomainXml> domainXml(HostRef host, String vm, boolean inactive) {
    int flags = inactive ? Domain.XMLFlags.INACTIVE : 0;
    return call(
        "domainXml",
        host,
        c ->
            withDomain(
                c.domainLookupByName(vm), d -> xml.read(d.getXMLDesc(flags), DomainXml.class)));
  }

  @Override
  public Mono<String> domainXmlText(HostRef host, String vm, boolean inactive) {
    int flags = inactive ? Domain.XMLFlags.INACTIVE : 0;
    // the same libvirt call as domainXml, so counted under the same name
    return call(
        "domainXml", host, c -> withDomain(c.domainLookupByName(vm), d -> d.getXMLDesc(flags)));
  }

  @Override
  public Mono<XmlElement> migratableXml(HostRef host, String vm) {
    return call(
        "migratableXml",
        host,
        c ->
            withDomain(
                c.domainLookupByName(vm),
                d -> XmlFragment.document(d.getXMLDesc(Domain.XMLFlags.MIGRATABLE))));
  }

  @Override
  public Mono<Void> act(HostRef host, String vm, DomainAction action) {
    return onDomain("act", host, vm, d -> apply(d, action));
  }

  private static void apply(Domain d, DomainAction action) throws LibvirtException {
    switch (action) {
      case START -> d.create();
      case SHUTDOWN -> d.shutdown();
      case DESTROY -> d.destroy();
      case REBOOT -> d.reboot(0);
      case RESET -> d.reset();
      case SUSPEND -> d.suspend();
      case RESUME -> d.resume();
      case UNDEFINE ->
          d.undefine(Domain.UndefineFlags.MANAGED_SAVE | Domain.UndefineFlags.SNAPSHOTS_METADATA);
    }
  }

  @Override
  public Mono<Void> save(HostRef host, String vm, String path) {
    return onDomain("save", host, vm, d -> d.save(path));
  }

  @Override
  public Mono<Void> restore(HostRef host, String path) {
    return call(
            "restore",
            host,
            c -> {
              c.restore(path);
              return Boolean.TRUE;
            })
        .then();
  }

  @Override
  public Mono<Void> migrate(HostRef source, String vm, MigrationSpec spec) {
    return call(
            "migrate",
            source,
            c ->
                withDomain(
                    c.domainLookupByName(vm),
                    d -> {
                      TypedParameter[] params =
                          Migrations.parameters(
                              vm,
                              spec,
                              spec.destinationXml() == null
                                  ? null
                                  : xml.write(spec.destinationXml()));
                      long flags = Migrations.flags(spec);
                      if (spec.peerToPeer()) {
                        d.migrateToURI(spec.destination().uri(), params, (int) flags);
                      } else {
                        migrateManaged(c, d, spec, params, flags);
                      }
                      return Boolean.TRUE;
                    }))
        .then();
  }

  /**
   * The service drives both daemons (OpenNebula's migrate_local): a call on the destination's
   * connection, so that it stays open meanwhile. libvirt reports a failure of either side from
   * inside it; one whose source connection died is the source host's, so it is thrown out of the
   * destination's call untouched and failed (and the source connection dropped) by the source's.
   */
  private void migrateManaged(
      Connect source, Domain d, MigrationSpec spec, TypedParameter[] params, long flags)
      throws LibvirtException {
    try {
      connection(spec.destination())
          .call(
              destination -> {
                try {
                  Domain moved = d.migrate(destination, params, flags);
                  if (moved != null) {
                    moved.free();
                  }
                  return Boolean.TRUE;
                } catch (LibvirtException e) {
                  if (!HostConnection.alive(source)) {
                    throw new SourceSideFailure(e);
                  }
                  throw e;
                }
              });
    } catch (SourceSideFailure e) {
      throw e.failure;
    }
  }

  /** Carries a source-side error through the destination's call, which maps only its own. */
  private static final class SourceSideFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient LibvirtException failure;

    SourceSideFailure(LibvirtException failure) {
      super(failure.getMessage(), failure, false, false);
      this.failure = failure;
    }
  }

  @Override
  public Mono<MigrationProgress> jobProgress(HostRef host, String vm, boolean completed) {
    return call(
        "jobProgress",
        host,
        c ->
            withDomain(
                c.domainLookupByName(vm),
                d -> Migrations.progress(d.getJobStats(completed ? 1 : 0))));
  }

  @Override
  public Mono<String> compareCpu(HostRef host, CapabilitiesXml.HostCpu cpu) {
    return call(
        "compareCpu",
        host,
        // the capabilities' <host><cpu> read as a CPU description: libvirt takes it as it is
        c -> c.compareCPU(xml.write(cpu, "cpu")).name().replace("VIR_CPU_COMPARE_", ""));
  }

  @Override
  public Mono<Void> abortJob(HostRef host, String vm) {
    return onDomain("abortJob", host, vm, Domain::abortJob);
  }

  @Override
  public Mono<Void> setMaxDowntime(HostRef host, String vm, long milliseconds) {
    return onDomain("setMaxDowntime", host, vm, d -> d.migrateSetMaxDowntime(milliseconds));
  }

  /**
   * virNodeGetFreeMemory in KiB; drivers without it (libvirt's test driver) count as all memory
   * free rather than failing the whole probe.
   */
  private static long freeMemoryKiB(Connect c, long totalKiB) {
    try {
      return c.getFreeMemory() / 1024;
    } catch (LibvirtException e) {
      return totalKiB;
    }
  }

  @Override
  public Mono<List<NodeDeviceXml>> nodeDevices(HostRef host, String capability) {
    return call(
        "nodeDevices",
        host,
        c -> {
          List<NodeDeviceXml> devices = new ArrayList<>();
          for (String name : c.listDevices(capability)) {
            Device d = c.deviceLookupByName(name);
            try {
              devices.add(xml.read(d.getXMLDescription(), NodeDeviceXml.class));
            } finally {
              d.free();
            }
          }
          return devices;
        });
  }

  @Override
  public Mono<Map<String, DomainXml>> domainXmls(HostRef host) {
    return call(
        "domainXmls",
        host,
        c -> {
          Map<String, DomainXml> all = new java.util.TreeMap<>();
          eachDomain(c, d -> all.put(d.getName(), xml.read(d.getXMLDesc(0), DomainXml.class)));
          return all;
        });
  }

  @Override
  public Mono<List<DomainStats>> domainStats(HostRef host) {
    return call(
        "domainStats",
        host,
        c -> {
          List<DomainStats> all =
              new ArrayList<>(
                  eachDomain(
                      c,
                      d -> {
                        DomainInfo info = d.getInfo();
                        return new DomainStats(
                            d.getName(),
                            state(info.state),
                            info.cpuTime,
                            info.memory,
                            info.maxMem,
                            info.nrVirtCpu);
                      }));
          all.sort(java.util.Comparator.comparing(DomainStats::name));
          return all;
        });
  }

  @Override
  public Mono<Void> mark(HostRef host, String vm, DeploymentMarkXml mark) {
    return onDomain(
        "mark",
        host,
        vm,
        d -> {
          // the running domain and, when there is one, its definition
          int impact =
              (d.isActive() == 1 ? Domain.ModificationImpact.LIVE : 0)
                  | (d.isPersistent() == 1 ? Domain.ModificationImpact.CONFIG : 0);
          d.setMetadata(
              Domain.MetadataType.ELEMENT,
              xml.write(mark),
              ManagedMark.PREFIX,
              ManagedMark.NAMESPACE,
              impact);
        });
  }

  @Override
  public Mono<DeploymentMarkXml> markOf(HostRef host, String vm) {
    return call(
            "markOf",
            host,
            c ->
                withDomain(
                    c.domainLookupByName(vm),
                    d -> {
                      String mark;
                      try {
                        mark = d.getMetadata(Domain.MetadataType.ELEMENT, ManagedMark.NAMESPACE, 0);
                      } catch (LibvirtException e) {
                        return java.util.Optional.<DeploymentMarkXml>empty();
                      }
                      return java.util.Optional.of(xml.read(mark, DeploymentMarkXml.class));
                    }))
        .flatMap(Mono::justOrEmpty);
  }

  @Override
  public Mono<Void> disconnect(HostRef host) {
    HostConnection c = connections.get(host.name());
    if (c == null) {
      return Mono.empty();
    }
    return Mono.fromRunnable(c::close).subscribeOn(c.scheduler()).then();
  }

  @Override
  public Mono<Void> attachDevice(HostRef host, String vm, DeviceXml device, DeviceScope scope) {
    return onDomain(
        "attachDevice", host, vm, d -> d.attachDeviceFlags(xml.write(device), flags(scope)));
  }

  @Override
  public Mono<Void> detachDevice(HostRef host, String vm, DeviceXml device, DeviceScope scope) {
    return onDomain(
        "detachDevice", host, vm, d -> d.detachDeviceFlags(xml.write(device), flags(scope)));
  }

  @Override
  public Mono<Void> updateDevice(HostRef host, String vm, DeviceXml device, DeviceScope scope) {
    return onDomain(
        "updateDevice",
        host,
        vm,
        d -> d.updateDeviceFlags(xml.write(device), flags(scope) | Domain.DeviceModifyFlags.FORCE));
  }

  private static int flags(DeviceScope scope) {
    return (scope.live() ? Domain.DeviceModifyFlags.LIVE : 0)
        | (scope.config() ? Domain.DeviceModifyFlags.CONFIG : 0);
  }

  @Override
  public void destroy() {
    connections.values().forEach(HostConnection::dispose);
    notifier.shutdown();
  }

  /**
   * Runs {@code call} on the host's libvirt scheduler, timed as {@code api} on {@code host}.
   *
   * <p>A call whose caller left (its operation timed out or was cancelled) keeps running on its
   * libvirt thread; when it then fails (a hung host's call ends at keepalive), nobody waits for the
   * error. It is logged at DEBUG here, instead of the ERROR with a stack trace that Reactor logs
   * for dropped errors: the failure itself was handled (a lost connection was dropped).
   */
  private <T> Mono<T> call(String api, HostRef host, HostConnection.Call<T> call) {
    return Mono.deferContextual(
        context -> {
          AtomicBoolean abandoned = new AtomicBoolean();
          HostConnection connection = connection(host);
          return Mono.fromCallable(
                  () -> {
                    // here, on the libvirt thread, not at subscription: the call may have waited
                    // behind others on the host's scheduler
                    Optional<String> refusal = guard.refusal(host.name(), context);
                    if (refusal.isPresent()) {
                      throw new IllegalStateException(
                          api + " on " + host.name() + " not called: " + refusal.get());
                    }
                    long start = System.nanoTime();
                    boolean ok = false;
                    try {
                      T result = connection.call(call);
                      ok = true;
                      return result;
                    } finally {
                      metrics.record(api, host.name(), ok, System.nanoTime() - start);
                    }
                  })
              .subscribeOn(connection.scheduler())
              .onErrorResume(
                  e -> abandoned.get(),
                  e -> {
                    log.debug("abandoned {} on {} failed: {}", api, host.name(), e.toString());
                    return Mono.empty();
                  })
              .doOnCancel(() -> abandoned.set(true));
        });
  }

  private HostConnection connection(HostRef host) {
    HostConnection c =
        connections.compute(
            host.name(),
            (name, existing) -> {
              if (existing != null && existing.host().equals(host)) {
                return existing;
              }
              if (existing != null) {
                existing.retire();
              }
              return new HostConnection(host, properties, lost, notifier, events);
            });
    return c;
  }

  @FunctionalInterface
  private interface DomainCall<T> {
    T apply(Domain d) throws LibvirtException;
  }

  @FunctionalInterface
  private interface DomainCommand {
    void run(Domain d) throws LibvirtException;
  }

  /** Looks the domain up by name and runs a call that returns nothing. */
  private Mono<Void> onDomain(String api, HostRef host, String vm, DomainCommand command) {
    return call(
            api,
            host,
            c ->
                withDomain(
                    c.domainLookupByName(vm),
                    d -> {
                      command.run(d);
                      return Boolean.TRUE;
                    }))
        .then();
  }

  /** Frees the domain handle itself rather than leaving it to finalize(). */
  private static <T> T withDomain(Domain d, DomainCall<T> call) throws LibvirtException {
    try {
      return call.apply(d);
    } finally {
      d.free();
    }
  }

  private static DomainStatus status(Domain d) throws LibvirtException {
    DomainInfo info = d.getInfo();
    return new DomainStatus(
        d.getName(),
        d.getUUIDString(),
        state(info.state),
        info.nrVirtCpu,
        info.memory,
        d.isPersistent() == 1,
        d.hasManagedSaveImage() == 1,
        managed(d));
  }

  /** Whether the domain carries the mark a deploy through this service leaves. */
  private static boolean managed(Domain d) {
    try {
      d.getMetadata(Domain.MetadataType.ELEMENT, ManagedMark.NAMESPACE, 0);
      return true;
    } catch (LibvirtException e) {
      // VIR_ERR_NO_DOMAIN_METADATA: created elsewhere (or by hand)
      return false;
    }
  }

  private static VmState state(DomainInfo.DomainState s) {
    return switch (s) {
      case VIR_DOMAIN_RUNNING -> VmState.RUNNING;
      case VIR_DOMAIN_BLOCKED -> VmState.BLOCKED;
      case VIR_DOMAIN_PAUSED -> VmState.PAUSED;
      case VIR_DOMAIN_SHUTDOWN -> VmState.SHUTDOWN;
      case VIR_DOMAIN_SHUTOFF -> VmState.SHUTOFF;
      case VIR_DOMAIN_CRASHED -> VmState.CRASHED;
      case VIR_DOMAIN_PMSUSPENDED -> VmState.PMSUSPENDED;
      default -> VmState.NOSTATE;
    };
  }

  private static void undefineQuietly(Domain d) {
    try {
      d.undefine();
    } catch (LibvirtException ignored) {
      // the start error is what the caller needs; a failing cleanup must not hide it
    }
  }

  /** libvirt encodes versions as major * 1,000,000 + minor * 1,000 + release. */
  static String version(long v) {
    return (v / 1_000_000) + "." + (v / 1_000 % 1_000) + "." + (v % 1_000);
  }
}
