package io.virtflux.hotplug;

import io.virtflux.api.Caller;
import io.virtflux.host.Host;
import io.virtflux.hotplug.AttachDiskHandler.AttachDisk;
import io.virtflux.hotplug.AttachNicHandler.AttachNic;
import io.virtflux.hotplug.ChangeMediaHandler.ChangeMedia;
import io.virtflux.hotplug.DetachDiskHandler.DetachDisk;
import io.virtflux.hotplug.DetachNicHandler.DetachNic;
import io.virtflux.operation.Operation;
import io.virtflux.operation.OperationRequest;
import io.virtflux.operation.Operations;
import io.virtflux.vm.VmLocator;
import io.virtflux.vm.template.VmTemplate;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Accepts disk and NIC hotplugs as operations on the VM's host lane: finds the VM, answers a
 * repeated request (same Idempotency-Key) with its first operation, plans the request against the
 * VM's devices (so that bad input is a 4xx and nothing is queued) and submits the planned command.
 * The pipeline refuses it while a migration of the VM is queued or running (409).
 */
@Service
class HotplugService {

  private final VmLocator locator;
  private final Operations operations;
  private final AttachDiskHandler attachDisk;
  private final DetachDiskHandler detachDisk;
  private final ChangeMediaHandler changeMedia;
  private final AttachNicHandler attachNic;
  private final DetachNicHandler detachNic;

  HotplugService(
      VmLocator locator,
      Operations operations,
      AttachDiskHandler attachDisk,
      DetachDiskHandler detachDisk,
      ChangeMediaHandler changeMedia,
      AttachNicHandler attachNic,
      DetachNicHandler detachNic) {
    this.locator = locator;
    this.operations = operations;
    this.attachDisk = attachDisk;
    this.detachDisk = detachDisk;
    this.changeMedia = changeMedia;
    this.attachNic = attachNic;
    this.detachNic = detachNic;
  }

  /** Queues an ATTACH_DISK: virDomainAttachDeviceFlags of the disk, target chosen if absent. */
  Mono<Operation> attachDisk(String vm, VmTemplate.Disk asked, boolean liveOnly, Caller caller) {
    return accept(
        vm, caller, attachDisk, host -> AttachDisk.asked(vm, host.name(), asked, liveOnly));
  }

  /** Queues a DETACH_DISK that succeeds only once the disk is gone from the live XML. */
  Mono<Operation> detachDisk(String vm, String target, boolean liveOnly, Caller caller) {
    DeviceNames.requireTarget(target);
    return accept(
        vm, caller, detachDisk, host -> new DetachDisk(vm, host.name(), target, liveOnly));
  }

  /** Queues a CHANGE_MEDIA: inserts {@code source} into a cdrom or floppy drive, or ejects. */
  Mono<Operation> changeMedia(
      String vm, String target, @Nullable String source, boolean liveOnly, Caller caller) {
    DeviceNames.requireTarget(target);
    return accept(
        vm,
        caller,
        changeMedia,
        host -> new ChangeMedia(vm, host.name(), target, source, liveOnly));
  }

  /** Queues an ATTACH_NIC; the MAC is generated when absent and returned in the result. */
  Mono<Operation> attachNic(String vm, VmTemplate.Nic asked, boolean liveOnly, Caller caller) {
    return accept(vm, caller, attachNic, host -> AttachNic.asked(vm, host.name(), asked, liveOnly));
  }

  /** Queues a DETACH_NIC that succeeds only once the NIC is gone from the live XML. */
  Mono<Operation> detachNic(String vm, String mac, boolean liveOnly, Caller caller) {
    String normal = DeviceNames.requireMac(mac);
    return accept(vm, caller, detachNic, host -> new DetachNic(vm, host.name(), normal, liveOnly));
  }

  /**
   * Finds the VM, answers a repeated request with its first operation (before planning, which the
   * first one's effect may now refuse: its target is taken), else plans the request against the
   * VM's devices and submits the planned command.
   */
  private <C extends HotplugCommand> Mono<Operation> accept(
      String vm, Caller caller, HotplugHandler<C, ?> handler, Function<Host, C> asked) {
    return locator
        .locate(vm)
        .flatMap(
            found -> {
              C command = asked.apply(found.host());
              OperationRequest request =
                  new OperationRequest(
                      command.kind(), command.target(), caller.idempotencyKey(), caller.name());
              return operations
                  .earlier(request)
                  .switchIfEmpty(
                      Mono.defer(
                          () ->
                              handler
                                  .planned(command, found.host(), found.status())
                                  .flatMap(
                                      planned ->
                                          operations.submit(
                                              planned, caller.idempotencyKey(), caller.name()))));
            });
  }
}
