package io.virtflux.hostile;

import io.virtflux.libvirt.DeviceScope;
import io.virtflux.libvirt.DomainAction;
import io.virtflux.libvirt.DomainStats;
import io.virtflux.libvirt.DomainStatus;
import io.virtflux.libvirt.HostFacts;
import io.virtflux.libvirt.HostRef;
import io.virtflux.libvirt.LibvirtFailure;
import io.virtflux.libvirt.LibvirtGateway;
import io.virtflux.libvirt.MigrationProgress;
import io.virtflux.libvirt.MigrationSpec;
import io.virtflux.libvirt.VmState;
import io.virtflux.libvirt.xml.CapabilitiesXml;
import io.virtflux.libvirt.xml.DeploymentMarkXml;
import io.virtflux.libvirt.xml.DeviceXml;
import io.virtflux.libvirt.xml.DomainXml;
import io.virtflux.libvirt.xml.NodeDeviceXml;
import io.virtflux.libvirt.xml.XmlCodec;
import io.virtflux.libvirt.xml.XmlElement;
import io.virtflux.libvirt.xml.XmlFragment;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Stream;
import org.springframework.http.HttpStatus;
import reactor.core.publisher.Mono;

/**
 * A libvirt gateway that answers like a small, healthy pair of hosts and records every XML document
 * and host path the service would send to libvirt, for {@link HostileInputTest} to judge. Typed XML
 * is recorded as the text the real adapter would send: written by the same {@link XmlCodec}.
 *
 * <p>The hosts of {@link #HOSTS} are online (any other URI is unreachable); {@code vm1} runs on
 * {@code h1} and was deployed by the service, {@code vm2} is shut off on {@code h2} and was created
 * elsewhere; every other VM is unknown. Calls that change something succeed without changing that
 * picture, so every request meets the same hosts and VMs.
 */
final class RecordingGateway implements LibvirtGateway {

  /** One document or path sent to a host: which call, to which host, and what. */
  record Sent(String call, String host, String text, boolean xml) {}

  /** The online hosts: name to URI. */
  static final Map<String, String> HOSTS =
      Map.of(
          "h1", "qemu+tcp://h1.hostile.test/system",
          "h2", "qemu+tcp://h2.hostile.test/system",
          "h3", "qemu+tcp://h3.hostile.test/system");

  /** The VMs: name to host, state and whether deployed by the service. */
  private record Vm(String host, VmState state, boolean managed) {}

  private static Stream<Map.Entry<String, Vm>> vmsOn(HostRef host) {
    return VMS.entrySet().stream().filter(e -> e.getValue().host.equals(host.name()));
  }

  private static final Map<String, Vm> VMS =
      Map.of(
          "vm1", new Vm("h1", VmState.RUNNING, true),
          "vm2", new Vm("h2", VmState.SHUTOFF, false));

  private final String domain = resource("/hostile/domain.xml");
  private final Queue<Sent> sent = new ConcurrentLinkedQueue<>();
  private final XmlCodec xml = new XmlCodec();
  private final CapabilitiesXml capabilities =
      xml.read(resource("/xml/capabilities-kvm.xml"), CapabilitiesXml.class);
  private final List<NodeDeviceXml> pci =
      List.of(
          xml.read(resource("/xml/nodedev-pci-gpu.xml"), NodeDeviceXml.class),
          xml.read(resource("/xml/nodedev-pci-vga.xml"), NodeDeviceXml.class));

  /** Everything sent so far, in order. */
  List<Sent> sent() {
    return new ArrayList<>(sent);
  }

  private void record(String call, HostRef host, String text, boolean xml) {
    sent.add(new Sent(call, host.name(), text, xml));
  }

  @Override
  public Mono<HostFacts> probe(HostRef host) {
    return online(host)
        .then(
            Mono.fromSupplier(
                () ->
                    new HostFacts(
                        host.name() + ".hostile.test",
                        "QEMU",
                        "8.2.0",
                        "10.0.0",
                        "EPYC-Rome",
                        16,
                        2000,
                        64L << 20,
                        48L << 20,
                        (int) VMS.values().stream().filter(v -> v.host.equals(host.name())).count(),
                        capabilities)));
  }

  @Override
  public Mono<DomainStatus> defineAndStart(HostRef host, DomainXml domain, DeploymentMarkXml mark) {
    record("defineAndStart", host, definitionXml(domain), true);
    record("defineAndStart.mark", host, xml.write(mark), true);
    String name = domain.name();
    return online(host)
        .thenReturn(
            new DomainStatus(
                name,
                "00000000-0000-4000-8000-00000000d00d",
                VmState.RUNNING,
                1,
                131072,
                true,
                false,
                true));
  }

  @Override
  public String definitionXml(DomainXml domain) {
    return xml.write(domain);
  }

  @Override
  public Mono<DomainStatus> status(HostRef host, String vm) {
    return online(host).then(Mono.fromCallable(() -> statusOf(host, vm)));
  }

  private DomainStatus statusOf(HostRef host, String vm) {
    Vm known = VMS.get(vm);
    if (known == null || !known.host.equals(host.name())) {
      throw new LibvirtFailure(
          HttpStatus.NOT_FOUND,
          LibvirtFailure.TYPE_UNKNOWN_VM,
          "Unknown VM",
          host.name(),
          "VIR_ERR_NO_DOMAIN",
          "Domain not found: no domain with matching name '" + vm + "'",
          null);
    }
    return new DomainStatus(vm, uuid(vm), known.state, 1, 131072, true, false, known.managed);
  }

  @Override
  public Mono<List<DomainStatus>> list(HostRef host) {
    return online(host)
        .then(Mono.fromSupplier(() -> vmsOn(host).map(e -> statusOf(host, e.getKey())).toList()));
  }

  @Override
  public Mono<DomainXml> domainXml(HostRef host, String vm, boolean inactive) {
    return domainXmlText(host, vm, inactive).map(x -> xml.read(x, DomainXml.class));
  }

  @Override
  public Mono<String> domainXmlText(HostRef host, String vm, boolean inactive) {
    return status(host, vm).map(s -> xmlOf(vm));
  }

  private String xmlOf(String vm) {
    return domain.replace("NAME", vm).replace("UUID", uuid(vm));
  }

  private static String uuid(String vm) {
    return "00000000-0000-4000-8000-0000000000" + (vm.equals("vm1") ? "01" : "02");
  }

  @Override
  public Mono<Void> act(HostRef host, String vm, DomainAction action) {
    return status(host, vm).then();
  }

  @Override
  public Mono<XmlElement> migratableXml(HostRef host, String vm) {
    return domainXmlText(host, vm, false).map(XmlFragment::document);
  }

  @Override
  public Mono<Void> save(HostRef host, String vm, String path) {
    record("save", host, path, false);
    return status(host, vm).then();
  }

  @Override
  public Mono<Void> restore(HostRef host, String path) {
    record("restore", host, path, false);
    return online(host);
  }

  @Override
  public Mono<Void> migrate(HostRef source, String vm, MigrationSpec spec) {
    if (spec.destinationXml() != null) {
      // the destination defines it: its paths must be the destination's
      record("migrate", spec.destination(), xml.write(spec.destinationXml()), true);
    }
    return status(source, vm).then(online(spec.destination()));
  }

  @Override
  public Mono<MigrationProgress> jobProgress(HostRef host, String vm, boolean completed) {
    return Mono.empty();
  }

  @Override
  public Mono<Void> abortJob(HostRef host, String vm) {
    return Mono.empty();
  }

  @Override
  public Mono<Void> setMaxDowntime(HostRef host, String vm, long milliseconds) {
    return Mono.empty();
  }

  @Override
  public Mono<String> compareCpu(HostRef host, CapabilitiesXml.HostCpu cpu) {
    record("compareCpu", host, xml.write(cpu, "cpu"), true);
    return online(host).thenReturn("IDENTICAL");
  }

  @Override
  public Mono<Void> attachDevice(HostRef host, String vm, DeviceXml device, DeviceScope scope) {
    record("attachDevice", host, xml.write(device), true);
    return status(host, vm).then();
  }

  @Override
  public Mono<Void> detachDevice(HostRef host, String vm, DeviceXml device, DeviceScope scope) {
    record("detachDevice", host, xml.write(device), true);
    return status(host, vm).then();
  }

  @Override
  public Mono<Void> updateDevice(HostRef host, String vm, DeviceXml device, DeviceScope scope) {
    record("updateDevice", host, xml.write(device), true);
    return status(host, vm).then();
  }

  @Override
  public Mono<List<NodeDeviceXml>> nodeDevices(HostRef host, String capability) {
    return online(host).thenReturn(pci);
  }

  @Override
  public Mono<Map<String, DomainXml>> domainXmls(HostRef host) {
    return online(host)
        .then(
            Mono.fromSupplier(
                () -> {
                  Map<String, DomainXml> all = new LinkedHashMap<>();
                  VMS.forEach(
                      (vm, v) -> {
                        if (v.host.equals(host.name())) {
                          all.put(vm, xml.read(xmlOf(vm), DomainXml.class));
                        }
                      });
                  return all;
                }));
  }

  @Override
  public Mono<List<DomainStats>> domainStats(HostRef host) {
    return online(host)
        .then(
            Mono.fromSupplier(
                () ->
                    vmsOn(host)
                        .map(
                            e ->
                                new DomainStats(
                                    e.getKey(), e.getValue().state, 1_000_000, 131072, 131072, 1))
                        .toList()));
  }

  @Override
  public Mono<Void> mark(HostRef host, String vm, DeploymentMarkXml mark) {
    record("mark", host, xml.write(mark), true);
    return status(host, vm).then();
  }

  @Override
  public Mono<DeploymentMarkXml> markOf(HostRef host, String vm) {
    return status(host, vm)
        .flatMap(
            s ->
                s.managed()
                    ? Mono.just(
                        DeploymentMarkXml.deployed(
                            "00000000-0000-4000-8000-000000000000", "hostile"))
                    : Mono.empty());
  }

  @Override
  public Mono<Void> disconnect(HostRef host) {
    return Mono.empty();
  }

  /** Completes for the hosts of {@link #HOSTS} (at their URI), fails as unreachable otherwise. */
  private static Mono<Void> online(HostRef host) {
    if (host.uri().equals(HOSTS.get(host.name()))) {
      return Mono.empty();
    }
    return Mono.error(
        new LibvirtFailure(
            HttpStatus.SERVICE_UNAVAILABLE,
            LibvirtFailure.TYPE_HOST_OFFLINE,
            "Host offline",
            host.name(),
            "VIR_ERR_SYSTEM_ERROR",
            "unable to connect to server at '" + host.name() + "': no such host (test)",
            null));
  }

  private static String resource(String name) {
    try (InputStream in = RecordingGateway.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
