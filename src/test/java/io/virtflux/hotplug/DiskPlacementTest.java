package io.virtflux.hotplug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.virtflux.host.Host;
import io.virtflux.host.HostConfig;
import io.virtflux.host.HostStatus;
import io.virtflux.host.Transport;
import io.virtflux.libvirt.DeviceScope;
import io.virtflux.libvirt.DomainStatus;
import io.virtflux.libvirt.VmState;
import io.virtflux.libvirt.xml.DomainXml;
import io.virtflux.libvirt.xml.XmlCodec;
import io.virtflux.vm.template.VmTemplate;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.web.ErrorResponseException;

/** Target inference and the bus rules of a hotplugged disk, against a VM's XML. */
class DiskPlacementTest {

  private static final XmlCodec XML = new XmlCodec();
  private static final Host HOST =
      new Host(
          new HostConfig("h", "test:///default", null, null, null, null, null, null, null),
          Transport.of("test:///default"),
          List.of(Path.of("/ds")),
          new Host.Probe(HostStatus.ONLINE, null, null, false, null, null),
          false,
          List.of(),
          null);

  private static DomainXml domain(String devices) {
    return XML.read(
        "<domain type='qemu'><name>vm</name><memory>1</memory><os><type>hvm</type></os><devices>"
            + devices
            + "</devices></domain>",
        DomainXml.class);
  }

  private static final String VDA_AND_SCSI =
      "<disk type='file' device='disk'><source file='/ds/a'/><target dev='vda' bus='virtio'/></disk>"
          + "<disk type='file' device='disk'><source file='/ds/b'/><target dev='sda' bus='scsi'/></disk>"
          + "<disk type='file' device='disk'><source file='/ds/c'/><target dev='sdb' bus='scsi'/></disk>"
          + "<controller type='scsi' index='0' model='virtio-scsi'/>";

  private static VmDevices running(String live, @Nullable String config) {
    return new VmDevices(
        HOST,
        new DomainStatus("vm", "u", VmState.RUNNING, 1, 1, config != null, false, true),
        domain(live),
        config == null ? null : domain(config));
  }

  private static VmTemplate.Disk disk(
      @Nullable String type, String prefix, @Nullable String target, @Nullable String source) {
    return new VmTemplate.Disk(
        source, type, "raw", "none", null, null, prefix, target, false, null, null);
  }

  private static String place(VmDevices vm, VmTemplate.Disk disk, DeviceScope scope) {
    return DiskPlacement.place(disk, vm, scope).target();
  }

  @Test
  void nextFreeTargetOfThePrefix() {
    VmDevices vm = running(VDA_AND_SCSI, null);
    DeviceScope live = new DeviceScope(true, false);
    assertThat(place(vm, disk("disk", "vd", null, "/ds/x"), live)).isEqualTo("vdb");
    assertThat(place(vm, disk("disk", "sd", null, "/ds/x"), live)).isEqualTo("sdc");
  }

  @Test
  void targetsInTheDefinitionCountWhenTheChangeIsPersistent() {
    // vdb was attached to the definition only; a live+config attach must not reuse it
    VmDevices vm =
        running(
            VDA_AND_SCSI,
            VDA_AND_SCSI
                + "<disk type='file' device='disk'><source file='/ds/d'/>"
                + "<target dev='vdb' bus='virtio'/></disk>");
    assertThat(place(vm, disk("disk", "vd", null, "/ds/x"), new DeviceScope(true, true)))
        .isEqualTo("vdc");
    assertThat(place(vm, disk("disk", "vd", null, "/ds/x"), new DeviceScope(true, false)))
        .isEqualTo("vdb");
  }

  @Test
  void aTargetInUseIsA400OnTheTargetField() {
    assertThatThrownBy(
            () ->
                place(
                    running(VDA_AND_SCSI, null),
                    disk("disk", "sd", "sdb", "/ds/x"),
                    new DeviceScope(true, false)))
        .isInstanceOfSatisfying(
            ErrorResponseException.class,
            e -> {
              assertThat(e.getStatusCode().value()).isEqualTo(400);
              assertThat(e.getBody().getProperties().toString()).contains("field=target");
            });
  }

  @Test
  void ideFloppyAndEmptyCdromsCannotBeHotplugged() {
    VmDevices vm = running(VDA_AND_SCSI, null);
    DeviceScope live = new DeviceScope(true, false);
    assertThatThrownBy(() -> place(vm, disk("disk", "hd", null, "/ds/x"), live))
        .hasMessageContaining("IDE");
    assertThatThrownBy(() -> place(vm, disk("floppy", "fd", null, "/ds/x"), live))
        .hasMessageContaining("floppy");
    assertThatThrownBy(() -> place(vm, disk("cdrom", "sd", null, null), live))
        .hasMessageContaining("empty cdrom");
  }

  @Test
  void aShutOffVmTakesIdeDisksInItsDefinitionUpToFour() {
    String fourIde =
        "<disk type='file' device='disk'><source file='/ds/a'/><target dev='hda' bus='ide'/></disk>"
            + "<disk type='file' device='disk'><source file='/ds/b'/><target dev='hdb' bus='ide'/></disk>"
            + "<disk type='file' device='disk'><source file='/ds/c'/><target dev='hdc' bus='ide'/></disk>";
    VmDevices off =
        new VmDevices(
            HOST,
            new DomainStatus("vm", "u", VmState.SHUTOFF, 1, 1, true, false, true),
            null,
            domain(fourIde));
    DeviceScope config = off.scopeFor(false);
    assertThat(config).isEqualTo(DeviceScope.configOnly());
    assertThat(place(off, disk("disk", "hd", null, "/ds/x"), config)).isEqualTo("hdd");
    VmDevices full =
        new VmDevices(
            HOST,
            off.status(),
            null,
            domain(
                fourIde
                    + "<disk type='file' device='disk'><source file='/ds/d'/>"
                    + "<target dev='hdd' bus='ide'/></disk>"));
    assertThatThrownBy(() -> place(full, disk("disk", "hd", null, "/ds/x"), config))
        .isInstanceOfSatisfying(
            ErrorResponseException.class, e -> assertThat(e.getStatusCode().value()).isEqualTo(409))
        .hasMessageContaining("at most 4");
  }

  @Test
  void scsiNeedsAScsiController() {
    VmDevices vm =
        running(
            "<disk type='file' device='disk'><source file='/ds/a'/>"
                + "<target dev='vda' bus='virtio'/></disk>",
            null);
    assertThatThrownBy(
            () -> place(vm, disk("disk", "sd", null, "/ds/x"), new DeviceScope(true, false)))
        .isInstanceOfSatisfying(
            ErrorResponseException.class, e -> assertThat(e.getStatusCode().value()).isEqualTo(409))
        .hasMessageContaining("No SCSI controller");
  }

  @Test
  void liveOnlyOnAShutOffVmIsAConflict() {
    VmDevices off =
        new VmDevices(
            HOST,
            new DomainStatus("vm", "u", VmState.SHUTOFF, 1, 1, true, false, true),
            null,
            domain(VDA_AND_SCSI));
    assertThatThrownBy(() -> off.scopeFor(true)).hasMessageContaining("VM not running");
  }
}
