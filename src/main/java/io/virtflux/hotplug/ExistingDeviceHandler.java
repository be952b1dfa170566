package io.virtflux.hotplug;

import io.virtflux.host.HostRegistry;
import io.virtflux.hotplug.VmDevicesReader.Documents;
import io.virtflux.libvirt.DomainStatus;
import io.virtflux.operation.OperationContext;
import io.virtflux.operation.OperationKind;
import reactor.core.publisher.Mono;

/**
 * A change of a device the VM has (a detach, a cdrom's medium): what libvirt gets is that device's
 * element as the VM's XML has it, so the lane reads the VM's devices again and finds the device
 * there, with the same checks as when the request was accepted (it may be gone meanwhile).
 *
 * @param <C> the command
 * @param <R> its result record
 * @param <F> what {@link #find} finds: the device's element and where the change applies
 */
abstract class ExistingDeviceHandler<C extends HotplugCommand, R, F> extends HotplugHandler<C, R> {

  ExistingDeviceHandler(
      String name, OperationKind kind, HostRegistry hosts, VmDevicesReader reader) {
    super(name, kind, hosts, reader);
  }

  /**
   * The device of {@code command} in {@code devices}, and where the change applies; a 4xx problem
   * when there is no such device or it cannot take the change.
   */
  abstract F find(C command, VmDevices devices);

  /** The change of the device found, and its result. */
  abstract Mono<R> change(C command, VmDevices devices, F found, OperationContext context);

  /** Both: a device may be in the running domain, in the definition, or in both. */
  @Override
  final Documents documents(C asked, DomainStatus status) {
    return Documents.BOTH;
  }

  /** Refuses early what {@link #find} would refuse in the lane; nothing is resolved. */
  @Override
  final C plan(C asked, VmDevices devices) {
    find(asked, devices);
    return asked;
  }

  @Override
  public final Mono<R> run(C command, OperationContext context) {
    return Mono.defer(
            () -> reader.read(hosts.require(command.host()), command.vm(), Documents.BOTH))
        .flatMap(now -> change(command, now, find(command, now), context));
  }
}
