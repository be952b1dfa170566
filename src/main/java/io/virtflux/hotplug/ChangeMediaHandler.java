package io.virtflux.hotplug;

import io.virtflux.api.Problems;
import io.virtflux.host.Host;
import io.virtflux.host.HostRegistry;
import io.virtflux.libvirt.DeviceScope;
import io.virtflux.libvirt.LibvirtGateway;
import io.virtflux.libvirt.xml.DiskXml;
import io.virtflux.operation.OperationContext;
import io.virtflux.operation.OperationKind;
import io.virtflux.vm.template.DatastorePaths;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * CHANGE_MEDIA: inserts an image into a cdrom or floppy drive, or ejects its medium, with
 * virDomainUpdateDeviceFlags of the drive's element as the VM's XML has it.
 */
@Component
class ChangeMediaHandler
    extends ExistingDeviceHandler<
        ChangeMediaHandler.ChangeMedia,
        ChangeMediaHandler.ChangeMediaResult,
        ChangeMediaHandler.Drive> {

  /**
   * A CHANGE_MEDIA.
   *
   * @param drive the drive's target device ({@code sda})
   * @param source the image to insert, under one of the host's datastores; absent ejects
   */
  record ChangeMedia(
      String vm, String host, String drive, @Nullable String source, boolean liveOnly)
      implements HotplugCommand {

    @Override
    public OperationKind kind() {
      return OperationKind.CHANGE_MEDIA;
    }
  }

  /**
   * The medium changed.
   *
   * @param vm the VM
   * @param host its host
   * @param live whether the running domain's drive changed
   * @param persistent whether the definition's drive changed
   * @param target the drive's target device
   * @param media the image now in the drive, or {@code ejected}
   */
  record ChangeMediaResult(
      String vm, String host, boolean live, boolean persistent, String target, String media) {}

  /** The drive's element, and where the change applies. */
  record Drive(DeviceScope scope, DiskXml element) {}

  private final LibvirtGateway libvirt;

  ChangeMediaHandler(HostRegistry hosts, VmDevicesReader reader, LibvirtGateway libvirt) {
    super("change-media", OperationKind.CHANGE_MEDIA, hosts, reader);
    this.libvirt = libvirt;
  }

  @Override
  void checkRules(ChangeMedia command, Host host) {
    DeviceNames.requireTarget(command.drive());
    checkSource(command.source(), host);
  }

  @Override
  Drive find(ChangeMedia command, VmDevices vm) {
    checkSource(command.source(), vm.host());
    DeviceScope scope = vm.scopeFor(command.liveOnly());
    DiskXml drive = vm.find(scope, d -> d.diskByTarget(command.drive()));
    if (!"cdrom".equals(drive.device()) && !"floppy".equals(drive.device())) {
      throw Problems.of(
          HttpStatus.CONFLICT,
          "Not a removable drive",
          command.drive()
              + " of VM '"
              + vm.vm()
              + "' is a "
              + drive.device()
              + ": only cdrom and floppy drives take media; detach and attach a disk instead");
    }
    return new Drive(scope, drive);
  }

  @Override
  Mono<ChangeMediaResult> change(
      ChangeMedia command, VmDevices vm, Drive found, OperationContext context) {
    String source = command.source();
    DeviceScope scope = found.scope();
    return libvirt
        .updateDevice(vm.host().ref(), vm.vm(), found.element().withMedium(source), scope)
        .then(
            Mono.fromSupplier(
                () ->
                    new ChangeMediaResult(
                        vm.vm(),
                        vm.host().name(),
                        scope.live(),
                        scope.config(),
                        command.drive(),
                        source == null ? "ejected" : source)));
  }

  private static void checkSource(@Nullable String source, Host host) {
    if (source != null) {
      String problem = DatastorePaths.problem(source, host.datastores());
      if (problem != null) {
        throw Problems.invalid(
            "source " + problem, List.of(Map.of("field", "source", "message", problem)));
      }
    }
  }
}
