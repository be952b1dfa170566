package io.virtflux.hotplug;

import io.virtflux.api.Caller;
import io.virtflux.api.Problems;
import io.virtflux.host.HostRegistry;
import io.virtflux.libvirt.DeviceScope;
import io.virtflux.libvirt.LibvirtGateway;
import io.virtflux.libvirt.xml.DeviceXml;
import io.virtflux.libvirt.xml.DevicesXml;
import io.virtflux.libvirt.xml.DiskXml;
import io.virtflux.libvirt.xml.DomainXml;
import io.virtflux.libvirt.xml.InterfaceXml;
import io.virtflux.migration.MigrationService;
import io.virtflux.operation.Operation;
import io.virtflux.operation.OperationContext;
import io.virtflux.operation.OperationReplay;
import io.virtflux.operation.OperationRequest;
import io.virtflux.operation.OperationTarget;
import io.virtflux.operation.OperationWork;
import io.virtflux.operation.Operations;
import io.virtflux.operation.ReplayInputs;
import io.virtflux.vm.VmLocator;
import io.virtflux.vm.template.DatastorePaths;
import io.virtflux.vm.template.DeviceTemplates;
import io.virtflux.vm.template.VmTemplate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Disk and NIC hotplug as operations on the VM's host lane. Every request is checked twice: at
 * submission against the VM as it is then (so bad input is a 4xx and nothing is queued), and again
 * inside the lane against the VM as it is when the operation runs (another attach may have taken
 * the target meanwhile). A VM whose migration is queued or running is refused (409).
 */
@Service
public class HotplugService implements OperationReplay<Hotplug> {

  private static final Pattern TARGET = Pattern.compile("(sd|vd|hd|fd)[a-z]{1,3}");
  private static final Pattern MAC = Pattern.compile("[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}");

  private final VmLocator locator;
  private final VmDevicesReader reader;
  private final Operations operations;
  private final LibvirtGateway libvirt;
  private final DeviceTemplates templates;
  private final DetachConfirmation confirmation;
  private final MigrationService migrations;
  private final HostRegistry hosts;

  HotplugService(
      HostRegistry hosts,
      MigrationService migrations,
      VmLocator locator,
      VmDevicesReader reader,
      Operations operations,
      LibvirtGateway libvirt,
      DeviceTemplates templates,
      DetachConfirmation confirmation) {
    this.locator = locator;
    this.reader = reader;
    this.operations = operations;
    this.libvirt = libvirt;
    this.templates = templates;
    this.confirmation = confirmation;
    this.migrations = migrations;
    this.hosts = hosts;
  }

  /** Queues an ATTACH_DISK: virDomainAttachDeviceFlags of the disk, target chosen if absent. */
  public Mono<Operation> attachDisk(
      String vm, VmTemplate.Disk asked, boolean liveOnly, Caller caller) {
    return accept(Hotplug.attachDisk(vm, asked, liveOnly), caller);
  }

  private Function<VmDevices, OperationWork> attachDiskPlan(
      VmTemplate.Disk asked, boolean liveOnly) {
    return devices -> {
      VmTemplate.Disk disk = templates.disk(asked, devices.host().datastores(), machine(devices));
      DeviceScope scope = devices.scopeFor(liveOnly);
      DiskPlacement.place(disk, devices, scope);
      return ctx -> inLane(devices, now -> attachDisk(now, disk, liveOnly));
    };
  }

  private Mono<Map<String, Object>> attachDisk(
      VmDevices vm, VmTemplate.Disk disk, boolean liveOnly) {
    DeviceScope scope = vm.scopeFor(liveOnly);
    VmTemplate.Disk placed = DiskPlacement.place(disk, vm, scope);
    DiskXml element = templates.diskXml(placed);
    return libvirt
        .attachDevice(vm.host().ref(), vm.vm(), element, scope)
        .then(
            Mono.fromSupplier(
                () -> {
                  Map<String, Object> r = result(vm, scope);
                  r.put("target", placed.target());
                  r.put("bus", element.target() == null ? null : element.target().bus());
                  r.put("device", placed.type());
                  if (placed.source() != null) {
                    r.put("source", placed.source());
                  }
                  r.put("driver", placed.driver());
                  r.put("cache", placed.cache());
                  return r;
                }));
  }

  /** Queues a DETACH_DISK that succeeds only once the disk is gone from the live XML. */
  public Mono<Operation> detachDisk(String vm, String target, boolean liveOnly, Caller caller) {
    requireTarget(target);
    return accept(Hotplug.detachDisk(vm, target, liveOnly), caller);
  }

  private Function<VmDevices, OperationWork> detachDiskPlan(String target, boolean liveOnly) {
    Detachable disk =
        new Detachable(
            "disk " + target, "target", target, d -> d.diskByTarget(target).map(DiskXml::identity));
    return detachPlan(disk, liveOnly);
  }

  /** Queues a CHANGE_MEDIA: inserts {@code source} into a cdrom or floppy drive, or ejects. */
  public Mono<Operation> changeMedia(
      String vm, String target, @Nullable String source, boolean liveOnly, Caller caller) {
    requireTarget(target);
    return accept(Hotplug.changeMedia(vm, target, source, liveOnly), caller);
  }

  private Function<VmDevices, OperationWork> mediaPlan(
      String target, @Nullable String source, boolean liveOnly) {
    return devices -> {
      checkMedia(devices, target, source, liveOnly);
      return ctx ->
          inLane(
              devices,
              now -> {
                DeviceScope scope = checkMedia(now, target, source, liveOnly);
                DiskXml drive = find(now, scope, d -> d.diskByTarget(target).orElse(null));
                return libvirt
                    .updateDevice(now.host().ref(), now.vm(), drive.withMedium(source), scope)
                    .then(
                        Mono.fromSupplier(
                            () -> {
                              Map<String, Object> r = result(now, scope);
                              r.put("target", target);
                              r.put("media", source == null ? "ejected" : source);
                              return r;
                            }));
              });
    };
  }

  private DeviceScope checkMedia(
      VmDevices vm, String target, @Nullable String source, boolean liveOnly) {
    if (source != null) {
      String problem = DatastorePaths.problem(source, vm.host().datastores());
      if (problem != null) {
        throw Problems.invalid(
            "source " + problem, List.of(Map.of("field", "source", "message", problem)));
      }
    }
    DeviceScope scope = vm.scopeFor(liveOnly);
    DiskXml drive = find(vm, scope, d -> d.diskByTarget(target).orElse(null));
    if (!"cdrom".equals(drive.device()) && !"floppy".equals(drive.device())) {
      throw Problems.of(
          HttpStatus.CONFLICT,
          "Not a removable drive",
          target
              + " of VM '"
              + vm.vm()
              + "' is a "
              + drive.device()
              + ": only cdrom and floppy drives take media; detach and attach a disk instead");
    }
    return scope;
  }

  /** Queues an ATTACH_NIC; the MAC is generated when absent and returned in the result. */
  public Mono<Operation> attachNic(
      String vm, VmTemplate.Nic asked, boolean liveOnly, Caller caller) {
    return accept(Hotplug.attachNic(vm, asked, liveOnly), caller);
  }

  private Function<VmDevices, OperationWork> nicPlan(VmTemplate.Nic asked, boolean liveOnly) {
    return devices -> {
      VmTemplate.Nic nic = templates.nic(asked, devices.macs());
      refuseTakenMac(devices, nic.mac());
      devices.scopeFor(liveOnly);
      return ctx ->
          inLane(
              devices,
              now -> {
                refuseTakenMac(now, nic.mac());
                DeviceScope scope = now.scopeFor(liveOnly);
                InterfaceXml element = templates.nicXml(nic);
                return libvirt
                    .attachDevice(now.host().ref(), now.vm(), element, scope)
                    .then(
                        Mono.fromSupplier(
                            () -> {
                              Map<String, Object> r = result(now, scope);
                              r.put("mac", element.macAddress());
                              r.put("type", element.type());
                              r.put("model", nic.model());
                              if (nic.source() != null) {
                                r.put("source", nic.source());
                              }
                              return r;
                            }));
              });
    };
  }

  /** Queues a DETACH_NIC that succeeds only once the NIC is gone from the live XML. */
  public Mono<Operation> detachNic(String vm, String mac, boolean liveOnly, Caller caller) {
    if (!MAC.matcher(mac).matches()) {
      throw Problems.invalid(
          "mac is not a MAC address",
          List.of(
              Map.of("field", "mac", "message", "must be a MAC address like 52:54:00:12:34:56")));
    }
    return accept(Hotplug.detachNic(vm, mac.toLowerCase(Locale.ROOT), liveOnly), caller);
  }

  private Function<VmDevices, OperationWork> detachNicPlan(String normal, boolean liveOnly) {
    Detachable nic =
        new Detachable(
            "NIC " + normal,
            "mac",
            normal,
            d -> d.interfaceByMac(normal).map(InterfaceXml::identity));
    return detachPlan(nic, liveOnly);
  }

  /**
   * A device to detach.
   *
   * @param what how messages name it ({@code disk vdb})
   * @param key the result's key for its identity ({@code target}, {@code mac})
   * @param identity the element that identifies it to libvirt, if the devices hold it
   */
  private record Detachable(
      String what, String key, String value, Function<DevicesXml, Optional<DeviceXml>> identity) {

    boolean presentIn(DevicesXml devices) {
      return identity.apply(devices).isPresent();
    }
  }

  private Function<VmDevices, OperationWork> detachPlan(Detachable device, boolean liveOnly) {
    return devices -> {
      devices.whereIs(device::presentIn, liveOnly, device.what());
      return ctx ->
          inLane(
              devices,
              now -> {
                DeviceScope scope = now.whereIs(device::presentIn, liveOnly, device.what());
                DeviceXml element = find(now, scope, d -> device.identity().apply(d).orElse(null));
                return detach(ctx, now, scope, element, device::presentIn, device.what())
                    .map(
                        r -> {
                          r.put(device.key(), device.value());
                          return r;
                        });
              });
    };
  }

  private Mono<Map<String, Object>> detach(
      OperationContext ctx,
      VmDevices vm,
      DeviceScope scope,
      DeviceXml element,
      Predicate<DevicesXml> present,
      String what) {
    Mono<Void> request = libvirt.detachDevice(vm.host().ref(), vm.vm(), element, scope);
    long started = System.nanoTime();
    Mono<Void> done =
        scope.live()
            ? confirmation.detachAndConfirm(ctx, vm.host(), vm.vm(), request, present, what)
            : request;
    return done.then(
        Mono.fromSupplier(
            () -> {
              Map<String, Object> r = result(vm, scope);
              r.put("removed", true);
              r.put("waitedMs", (System.nanoTime() - started) / 1_000_000);
              return r;
            }));
  }

  /**
   * Finds the VM; answers a repeated request (same Idempotency-Key) with its first operation;
   * refuses when a migration of the VM is queued or running; then runs the plan's checks against
   * the VM's devices now and submits the work it returns, keeping {@code asked} so that a restart
   * can plan it again.
   */
  private Mono<Operation> accept(Hotplug asked, Caller caller) {
    String vm = asked.vm();
    return locator
        .locate(vm)
        .flatMap(
            found -> {
              OperationRequest request =
                  new OperationRequest(
                      asked.kind(),
                      OperationTarget.vmOn(vm, found.host().name()),
                      caller.idempotencyKey(),
                      caller.name());
              Hotplug kept = asked.on(found.host().name());
              return operations
                  .earlier(request)
                  .switchIfEmpty(
                      Mono.defer(
                          () ->
                              migrations
                                  .notMigrating(vm, "change its devices once it has ended")
                                  .then(reader.read(found.host(), found.status()))
                                  .flatMap(
                                      devices ->
                                          operations.submit(
                                              request,
                                              plan(kept).apply(devices),
                                              new ReplayInputs(recipe(), kept)))));
            });
  }

  /** The checks and work of a request, as a function of the VM's devices. */
  private Function<VmDevices, OperationWork> plan(Hotplug asked) {
    return switch (asked.kind()) {
      case ATTACH_DISK -> attachDiskPlan(required(asked.disk(), asked), asked.liveOnly());
      case DETACH_DISK -> detachDiskPlan(required(asked.target(), asked), asked.liveOnly());
      case CHANGE_MEDIA ->
          mediaPlan(required(asked.target(), asked), asked.source(), asked.liveOnly());
      case ATTACH_NIC -> nicPlan(required(asked.nic(), asked), asked.liveOnly());
      case DETACH_NIC -> detachNicPlan(required(asked.mac(), asked), asked.liveOnly());
      default -> throw new IllegalArgumentException("not a hotplug: " + asked.kind());
    };
  }

  private static <T> T required(@Nullable T value, Hotplug asked) {
    if (value == null) {
      throw new IllegalArgumentException("incomplete " + asked.kind() + " request: " + asked);
    }
    return value;
  }

  @Override
  public String recipe() {
    return "hotplug";
  }

  @Override
  public Class<Hotplug> inputType() {
    return Hotplug.class;
  }

  /**
   * A hotplug queued when the service stopped: planned again against the VM's devices as they are
   * when it runs, so its checks (target free, MAC unused, device present) hold then.
   */
  @Override
  public OperationWork rebuild(Operation queued, Hotplug kept) {
    String host = required(kept.host(), kept);
    return ctx ->
        reader
            .read(hosts.require(host), kept.vm())
            .flatMap(devices -> plan(kept).apply(devices).run(ctx));
  }

  /** Runs {@code body} on the VM's devices as they are now, inside the lane. */
  private Mono<Map<String, Object>> inLane(
      VmDevices submitted, Function<VmDevices, Mono<Map<String, Object>>> body) {
    return reader.read(submitted.host(), submitted.vm()).flatMap(body);
  }

  private static <T> T find(VmDevices vm, DeviceScope scope, Function<DevicesXml, @Nullable T> by) {
    for (DomainXml d :
        scope.live() ? new DomainXml[] {vm.live(), vm.config()} : new DomainXml[] {vm.config()}) {
      if (d != null) {
        T found = by.apply(d.devicesOrEmpty());
        if (found != null) {
          return found;
        }
      }
    }
    throw Problems.of(
        HttpStatus.NOT_FOUND, "No such device", "VM '" + vm.vm() + "' has no such device");
  }

  private static void refuseTakenMac(VmDevices vm, @Nullable String mac) {
    if (mac != null && vm.macs().stream().anyMatch(mac::equalsIgnoreCase)) {
      throw Problems.invalid(
          "mac is in use",
          List.of(
              Map.of(
                  "field", "mac", "message", mac + " is already in use by VM '" + vm.vm() + "'")));
    }
  }

  private static void requireTarget(String target) {
    if (!TARGET.matcher(target).matches()) {
      throw Problems.invalid(
          "target is not a disk target",
          List.of(
              Map.of(
                  "field",
                  "target",
                  "message",
                  "must be sd, vd, hd or fd and 1 to 3 letters a-z")));
    }
  }

  private static @Nullable String machine(VmDevices vm) {
    DomainXml d = vm.live() != null ? vm.live() : vm.config();
    return d == null || d.os() == null || d.os().type() == null ? null : d.os().type().machine();
  }

  private static Map<String, Object> result(VmDevices vm, DeviceScope scope) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("vm", vm.vm());
    r.put("host", vm.host().name());
    r.put("live", scope.live());
    r.put("persistent", scope.config());
    return r;
  }
}
