package io.virtflux.hotplug;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.virtflux.host.Host;
import io.virtflux.host.HostRegistry;
import io.virtflux.hotplug.VmDevicesReader.Documents;
import io.virtflux.libvirt.DeviceScope;
import io.virtflux.libvirt.DomainStatus;
import io.virtflux.libvirt.LibvirtGateway;
import io.virtflux.libvirt.xml.DiskXml;
import io.virtflux.operation.OperationKind;
import io.virtflux.vm.template.DeviceTemplates;
import io.virtflux.vm.template.VmTemplate;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * ATTACH_DISK: virDomainAttachDeviceFlags of a disk built by the template's disk rules, at the
 * target asked for or the next free one of its prefix ({@link DiskPlacement}).
 */
@Component
class AttachDiskHandler
    extends PlannedAttach<AttachDiskHandler.AttachDisk, AttachDiskHandler.AttachDiskResult> {

  /**
   * An ATTACH_DISK.
   *
   * @param disk the disk asked for, with the template's defaults applied; its target as asked
   *     (absent: the next free one)
   * @param dev the target the plan chose ({@code vdb}); absent until planned
   * @param scope where the plan applies it; absent until planned
   */
  record AttachDisk(
      String vm,
      String host,
      VmTemplate.Disk disk,
      boolean liveOnly,
      @Nullable String dev,
      @Nullable DeviceScope scope)
      implements HotplugCommand {

    static AttachDisk asked(String vm, String host, VmTemplate.Disk disk, boolean liveOnly) {
      return new AttachDisk(vm, host, disk, liveOnly, null, null);
    }

    @Override
    public OperationKind kind() {
      return OperationKind.ATTACH_DISK;
    }
  }

  /**
   * The disk attached.
   *
   * @param vm the VM
   * @param host its host
   * @param live whether the running domain got it
   * @param persistent whether its definition got it (it survives a restart)
   * @param target the target device ({@code vdb})
   * @param bus the bus its target prefix names ({@code virtio}, {@code scsi})
   * @param device disk, cdrom or floppy
   * @param source the image, when it has one
   * @param driver the image format
   * @param cache the cache mode
   */
  record AttachDiskResult(
      String vm,
      String host,
      boolean live,
      boolean persistent,
      String target,
      @Nullable String bus,
      @Nullable String device,
      @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String source,
      @Nullable String driver,
      @Nullable String cache) {}

  private final LibvirtGateway libvirt;
  private final DeviceTemplates templates;

  AttachDiskHandler(
      HostRegistry hosts,
      VmDevicesReader reader,
      LibvirtGateway libvirt,
      DeviceTemplates templates) {
    super("attach-disk", OperationKind.ATTACH_DISK, hosts, reader);
    this.libvirt = libvirt;
    this.templates = templates;
  }

  /**
   * The XML the disk goes into: a target taken only in the definition of a running VM is refused by
   * libvirt, and then planned again with both documents.
   */
  @Override
  Documents documents(AttachDisk asked, DomainStatus status) {
    return Documents.CURRENT;
  }

  @Override
  AttachDisk plan(AttachDisk asked, VmDevices devices) {
    VmTemplate.Disk disk =
        byTemplateRules(
            () -> templates.disk(asked.disk(), devices.host().datastores(), devices.machine()));
    DeviceScope scope = devices.scopeFor(asked.liveOnly());
    VmTemplate.Disk placed = DiskPlacement.place(disk, devices, scope);
    return new AttachDisk(asked.vm(), asked.host(), disk, asked.liveOnly(), placed.target(), scope);
  }

  /** The disk's rules still hold for the host's datastores (a restart may have changed them). */
  @Override
  void checkRules(AttachDisk command, Host host) {
    byTemplateRules(() -> templates.disk(command.disk(), host.datastores(), null));
  }

  @Override
  Mono<AttachDiskResult> attach(AttachDisk planned) {
    VmTemplate.Disk disk = planned.disk();
    VmTemplate.Disk placed = disk.withTarget(disk.devPrefix(), resolved(planned.dev(), planned));
    DeviceScope scope = resolved(planned.scope(), planned);
    DiskXml element = templates.diskXml(placed);
    return Mono.defer(
            () ->
                libvirt.attachDevice(
                    hosts.require(planned.host()).ref(), planned.vm(), element, scope))
        .then(
            Mono.fromSupplier(
                () ->
                    new AttachDiskResult(
                        planned.vm(),
                        planned.host(),
                        scope.live(),
                        scope.config(),
                        placed.target(),
                        element.target() == null ? null : element.target().bus(),
                        placed.type(),
                        placed.source(),
                        placed.driver(),
                        placed.cache())));
  }
}
