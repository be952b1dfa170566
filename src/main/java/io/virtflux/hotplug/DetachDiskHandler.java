package io.virtflux.hotplug;

import io.virtflux.host.Host;
import io.virtflux.host.HostRegistry;
import io.virtflux.libvirt.LibvirtGateway;
import io.virtflux.libvirt.xml.DiskXml;
import io.virtflux.operation.OperationKind;
import org.springframework.stereotype.Component;

/** DETACH_DISK: the disk at a target, gone once the guest has released it. */
@Component
class DetachDiskHandler
    extends DetachHandler<DetachDiskHandler.DetachDisk, DetachDiskHandler.DetachDiskResult> {

  /**
   * A DETACH_DISK.
   *
   * @param disk the disk's target device ({@code vdb})
   */
  record DetachDisk(String vm, String host, String disk, boolean liveOnly)
      implements HotplugCommand {

    @Override
    public OperationKind kind() {
      return OperationKind.DETACH_DISK;
    }
  }

  /**
   * The disk detached.
   *
   * @param vm the VM
   * @param host its host
   * @param live whether it was removed from the running domain
   * @param persistent whether it was removed from the definition
   * @param removed always true: the operation fails unless the device is gone
   * @param waitedMs how long the detach and the guest's release took
   * @param target the disk's target device
   */
  record DetachDiskResult(
      String vm,
      String host,
      boolean live,
      boolean persistent,
      boolean removed,
      long waitedMs,
      String target) {}

  DetachDiskHandler(
      HostRegistry hosts,
      VmDevicesReader reader,
      LibvirtGateway libvirt,
      DetachConfirmation confirmation) {
    super("detach-disk", OperationKind.DETACH_DISK, hosts, reader, libvirt, confirmation);
  }

  @Override
  void checkRules(DetachDisk command, Host host) {
    DeviceNames.requireTarget(command.disk());
  }

  @Override
  Detachable device(DetachDisk command) {
    String target = command.disk();
    return new Detachable("disk " + target, d -> d.diskByTarget(target).map(DiskXml::identity));
  }

  @Override
  DetachDiskResult result(DetachDisk command, Detached detached) {
    return new DetachDiskResult(
        command.vm(),
        command.host(),
        detached.scope().live(),
        detached.scope().config(),
        true,
        detached.waitedMs(),
        command.disk());
  }
}
