package io.virtflux.hotplug;

import io.virtflux.operation.OperationKind;
import io.virtflux.vm.template.VmTemplate;
import org.jspecify.annotations.Nullable;

/**
 * A hotplug request as accepted (its fields checked at the edge), kept with the QUEUED operation so
 * that a restarted service can plan and run it. Only the fields of its kind are set.
 *
 * @param host the VM's host when the request was accepted (whose lane the operation waits in)
 * @param mac lower case
 */
record Hotplug(
    OperationKind kind,
    String vm,
    @Nullable String host,
    VmTemplate.@Nullable Disk disk,
    VmTemplate.@Nullable Nic nic,
    @Nullable String target,
    @Nullable String mac,
    @Nullable String source,
    boolean liveOnly) {

  static Hotplug attachDisk(String vm, VmTemplate.Disk disk, boolean liveOnly) {
    return new Hotplug(OperationKind.ATTACH_DISK, vm, null, disk, null, null, null, null, liveOnly);
  }

  static Hotplug detachDisk(String vm, String target, boolean liveOnly) {
    return new Hotplug(
        OperationKind.DETACH_DISK, vm, null, null, null, target, null, null, liveOnly);
  }

  static Hotplug changeMedia(String vm, String target, @Nullable String source, boolean liveOnly) {
    return new Hotplug(
        OperationKind.CHANGE_MEDIA, vm, null, null, null, target, null, source, liveOnly);
  }

  static Hotplug attachNic(String vm, VmTemplate.Nic nic, boolean liveOnly) {
    return new Hotplug(OperationKind.ATTACH_NIC, vm, null, null, nic, null, null, null, liveOnly);
  }

  static Hotplug detachNic(String vm, String mac, boolean liveOnly) {
    return new Hotplug(OperationKind.DETACH_NIC, vm, null, null, null, null, mac, null, liveOnly);
  }

  /** The same request, on the host the VM was found on. */
  Hotplug on(String host) {
    return new Hotplug(kind, vm, host, disk, nic, target, mac, source, liveOnly);
  }
}
