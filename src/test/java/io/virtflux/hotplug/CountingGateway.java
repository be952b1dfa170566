package io.virtflux.hotplug;

import io.virtflux.libvirt.DeviceScope;
import io.virtflux.libvirt.DomainStatus;
import io.virtflux.libvirt.HostRef;
import io.virtflux.libvirt.LibvirtFailure;
import io.virtflux.libvirt.UnsupportedGateway;
import io.virtflux.libvirt.VmState;
import io.virtflux.libvirt.xml.DeviceXml;
import io.virtflux.libvirt.xml.DiskXml;
import io.virtflux.libvirt.xml.DomainXml;
import io.virtflux.libvirt.xml.XmlCodec;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.http.HttpStatus;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * A host with one VM, {@value #VM}, that counts every libvirt call the service makes, by gateway
 * API, and refuses an attach as libvirt does: a LIVE change of a shut-off VM, a disk target taken
 * in the running domain or in the definition, and a disk whose file is {@code missing}. The VM's
 * live XML and definition are set by each test; an attach records what it was sent and changes
 * neither.
 */
final class CountingGateway extends UnsupportedGateway {

  static final String VM = "hp-vm";

  private static final XmlCodec XML = new XmlCodec();

  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  final List<Attached> attached = new CopyOnWriteArrayList<>();
  volatile VmState state = VmState.RUNNING;
  volatile String live = "";
  volatile String config = "";

  /** When set, the next attach waits for it: the lane stays busy meanwhile. */
  volatile Sinks.Empty<Void> holdNextAttach;

  /** An attach libvirt accepted. */
  record Attached(DeviceXml device, DeviceScope scope) {}

  /** The VM's devices: the same in its live XML and its definition. */
  void devices(String devices) {
    live = devices;
    config = devices;
  }

  /** How many calls of each API, since the last {@link #reset}. */
  Map<String, Integer> calls() {
    Map<String, Integer> counted = new java.util.TreeMap<>();
    calls.forEach((api, n) -> counted.put(api, n.get()));
    return counted;
  }

  void reset() {
    calls.clear();
    attached.clear();
  }

  private void count(String api) {
    calls.computeIfAbsent(api, a -> new AtomicInteger()).incrementAndGet();
  }

  @Override
  public Mono<DomainStatus> status(HostRef host, String vm) {
    return Mono.fromCallable(
        () -> {
          count("status");
          known(host, vm);
          return new DomainStatus(vm, "u", state, 1, 131072, true, false, true);
        });
  }

  @Override
  public Mono<DomainXml> domainXml(HostRef host, String vm, boolean inactive) {
    return Mono.fromCallable(
        () -> {
          count("domainXml");
          known(host, vm);
          return domain(inactive || !state.active() ? config : live);
        });
  }

  @Override
  public Mono<Void> attachDevice(HostRef host, String vm, DeviceXml device, DeviceScope scope) {
    Sinks.Empty<Void> hold = holdNextAttach;
    holdNextAttach = null;
    Mono<Void> waited = hold == null ? Mono.empty() : hold.asMono();
    return waited.then(
        Mono.fromRunnable(
            () -> {
              count("attachDevice");
              known(host, vm);
              if (scope.live() && !state.active()) {
                throw refused(host, "Requested operation is not valid: domain is not running");
              }
              if (device instanceof DiskXml disk) {
                String file = disk.source() == null ? null : disk.source().file();
                if (file != null && file.contains("missing")) {
                  throw new LibvirtFailure(
                      HttpStatus.BAD_GATEWAY,
                      LibvirtFailure.TYPE_FAILED,
                      "libvirt call failed",
                      host.name(),
                      "VIR_ERR_SYSTEM_ERROR",
                      "Cannot access storage file '" + file + "': No such file or directory",
                      null);
                }
                if ((scope.live()
                        && domain(live).devicesOrEmpty().diskByTarget(disk.targetDev()).isPresent())
                    || (scope.config()
                        && domain(config)
                            .devicesOrEmpty()
                            .diskByTarget(disk.targetDev())
                            .isPresent())) {
                  throw refused(
                      host,
                      "Requested operation is not valid: target "
                          + disk.targetDev()
                          + " already exists");
                }
              }
              attached.add(new Attached(device, scope));
            }));
  }

  private static void known(HostRef host, String vm) {
    if (!VM.equals(vm)) {
      throw new LibvirtFailure(
          HttpStatus.NOT_FOUND,
          LibvirtFailure.TYPE_UNKNOWN_VM,
          "Unknown VM",
          host.name(),
          "VIR_ERR_NO_DOMAIN",
          "Domain not found: no domain with matching name '" + vm + "'",
          null);
    }
  }

  private static LibvirtFailure refused(HostRef host, String message) {
    return new LibvirtFailure(
        HttpStatus.CONFLICT,
        LibvirtFailure.TYPE_WRONG_STATE,
        "VM is in the wrong state",
        host.name(),
        "VIR_ERR_OPERATION_INVALID",
        message,
        null);
  }

  private static DomainXml domain(String devices) {
    return XML.read(
        "<domain type='kvm'><name>"
            + VM
            + "</name><memory>131072</memory><os><type machine='pc-q35-7.2'>hvm</type></os>"
            + "<devices>"
            + devices
            + "</devices></domain>",
        DomainXml.class);
  }
}
