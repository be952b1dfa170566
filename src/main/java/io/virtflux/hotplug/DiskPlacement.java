package io.virtflux.hotplug;

import io.virtflux.api.Problems;
import io.virtflux.libvirt.DeviceScope;
import io.virtflux.libvirt.xml.DiskTargets;
import io.virtflux.libvirt.xml.DomainXml;
import io.virtflux.vm.template.DevPrefix;
import io.virtflux.vm.template.VmTemplate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpStatus;

/**
 * Where a hotplugged disk goes: its bus from the target prefix (OpenNebula's DEV_PREFIX: sd is
 * SCSI, vd virtio, hd IDE), its target the one asked for or the next free one of the prefix in the
 * VM's devices (vdb after vda). Refuses, before anything reaches libvirt, what QEMU would refuse
 * obscurely or accept badly: IDE and floppy hotplug (their buses can't hotplug), an empty cdrom on
 * a running VM (QEMU needs a medium to create the drive), and SCSI without a SCSI controller
 * (libvirt would add an lsilogic one, for which most guests have no driver).
 */
final class DiskPlacement {

  private DiskPlacement() {}

  /**
   * The disk with its target set.
   *
   * @param disk defaults applied and checked ({@code devPrefix} set)
   * @throws org.springframework.web.ErrorResponseException 400 or 409 problems
   */
  static VmTemplate.Disk place(VmTemplate.Disk disk, VmDevices vm, DeviceScope scope) {
    DevPrefix prefix = DevPrefix.of(disk.devPrefix()).orElseThrow();
    String field = disk.target() != null ? "target" : "devPrefix";
    if (scope.live()) {
      refuseUnpluggable(disk, prefix, field, vm.vm());
    }
    Set<String> used = vm.diskTargets(scope);
    String target = disk.target();
    if (target != null && used.contains(target)) {
      throw invalid("target", target + " is already in use by VM '" + vm.vm() + "'");
    }
    if (target == null) {
      target = DiskTargets.nextFree(prefix.prefix(), used);
      if (DiskTargets.index(prefix.prefix(), target) >= prefix.maxDevices()) {
        throw Problems.of(
            HttpStatus.CONFLICT,
            "No free target",
            "the "
                + prefix.bus()
                + " bus of VM '"
                + vm.vm()
                + "' holds at most "
                + prefix.maxDevices()
                + " disks and all are in use");
      }
    }
    if (prefix == DevPrefix.SD && !hasScsiController(vm.reference(scope))) {
      throw Problems.of(
          HttpStatus.CONFLICT,
          "No SCSI controller",
          "VM '"
              + vm.vm()
              + "' has no SCSI controller for "
              + target
              + ": libvirt would add an lsilogic one, which most guests have no driver for. Use"
              + " devPrefix vd (virtio), or give the VM a virtio-scsi controller (VMs deployed by"
              + " virtflux have one)");
    }
    return disk.withTarget(prefix.prefix(), target);
  }

  private static void refuseUnpluggable(
      VmTemplate.Disk disk, DevPrefix prefix, String field, String vm) {
    if (prefix == DevPrefix.HD) {
      throw invalid(
          field,
          "IDE disks (hd) can't be hot-plugged: QEMU's IDE bus does not support hotplug. Use vd"
              + " (virtio) or sd (SCSI), or attach it while '"
              + vm
              + "' is shut off");
    }
    if (prefix == DevPrefix.FD) {
      throw invalid(
          field, "floppy drives can't be hot-plugged; attach it while '" + vm + "' is shut off");
    }
    if ("cdrom".equals(disk.type()) && disk.source() == null) {
      throw invalid(
          "source",
          "an empty cdrom drive can't be hot-plugged (QEMU needs a medium to create it): give a"
              + " source, or attach it while '"
              + vm
              + "' is shut off");
    }
  }

  private static boolean hasScsiController(DomainXml domain) {
    return domain.devicesOrEmpty().controllers().stream().anyMatch(c -> "scsi".equals(c.type()));
  }

  private static RuntimeException invalid(String field, String message) {
    return Problems.invalid(
        field + " " + message, List.of(Map.of("field", field, "message", message)));
  }
}
