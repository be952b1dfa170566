package io.virtflux.hotplug;

import io.virtflux.operation.Command;
import io.virtflux.operation.OperationTarget;

/**
 * A hotplug as journaled: the VM, the host it was found on when the request was accepted (whose
 * lane the operation waits in), and whether only the running domain changes.
 */
sealed interface HotplugCommand extends Command
    permits AttachDiskHandler.AttachDisk,
        AttachNicHandler.AttachNic,
        DetachDiskHandler.DetachDisk,
        DetachNicHandler.DetachNic,
        ChangeMediaHandler.ChangeMedia {

  String vm();

  String host();

  /** Change only the running domain, not its persistent definition. */
  boolean liveOnly();

  @Override
  default OperationTarget target() {
    return OperationTarget.vmOn(vm(), host());
  }
}
