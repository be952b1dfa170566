package io.virtflux.hotplug;

import io.virtflux.host.HostRegistry;
import io.virtflux.libvirt.DeviceScope;
import io.virtflux.libvirt.LibvirtGateway;
import io.virtflux.libvirt.xml.DeviceXml;
import io.virtflux.libvirt.xml.DevicesXml;
import io.virtflux.operation.OperationContext;
import io.virtflux.operation.OperationKind;
import java.util.Optional;
import java.util.function.Function;
import reactor.core.publisher.Mono;

/**
 * A detach: virDomainDetachDeviceFlags of the device where it is (running domain, definition or
 * both, limited by {@code liveOnly}), which succeeds only once the device is gone from the live XML
 * ({@link DetachConfirmation}).
 *
 * @param <C> the command
 * @param <R> its result record
 */
abstract class DetachHandler<C extends HotplugCommand, R>
    extends ExistingDeviceHandler<C, R, DetachHandler.Found> {

  /**
   * A device to detach.
   *
   * @param what how messages name it ({@code disk vdb})
   * @param identity the element that identifies it to libvirt, if the devices hold it
   */
  record Detachable(String what, Function<DevicesXml, Optional<DeviceXml>> identity) {

    boolean presentIn(DevicesXml devices) {
      return identity.apply(devices).isPresent();
    }
  }

  /** The device's identity, and where it is. */
  record Found(DeviceScope scope, DeviceXml element) {}

  /** Where it was detached, and how long that took. */
  record Detached(DeviceScope scope, long waitedMs) {}

  private final LibvirtGateway libvirt;
  private final DetachConfirmation confirmation;

  DetachHandler(
      String name,
      OperationKind kind,
      HostRegistry hosts,
      VmDevicesReader reader,
      LibvirtGateway libvirt,
      DetachConfirmation confirmation) {
    super(name, kind, hosts, reader);
    this.libvirt = libvirt;
    this.confirmation = confirmation;
  }

  /** The device {@code command} detaches. */
  abstract Detachable device(C command);

  abstract R result(C command, Detached detached);

  @Override
  final Found find(C command, VmDevices devices) {
    Detachable device = device(command);
    DeviceScope scope = devices.whereIs(device::presentIn, command.liveOnly(), device.what());
    return new Found(scope, devices.find(scope, device.identity()));
  }

  @Override
  final Mono<R> change(C command, VmDevices vm, Found found, OperationContext context) {
    Detachable device = device(command);
    Mono<Void> request =
        libvirt.detachDevice(vm.host().ref(), vm.vm(), found.element(), found.scope());
    long started = System.nanoTime();
    Mono<Void> done =
        found.scope().live()
            ? confirmation.detachAndConfirm(
                context, vm.host(), vm.vm(), request, device::presentIn, device.what())
            : request;
    return done.then(
        Mono.fromSupplier(
            () ->
                result(
                    command,
                    new Detached(found.scope(), (System.nanoTime() - started) / 1_000_000))));
  }
}
