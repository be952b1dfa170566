package io.virtflux.vm.template;

import static org.assertj.core.api.Assertions.assertThat;

import io.virtflux.libvirt.xml.DiskXml;
import io.virtflux.libvirt.xml.DomainXml;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Bus from the prefix, targets in order per prefix, explicit targets reserved first. */
class DiskTargetInferenceTest {

  private static final String DS = "/var/lib/virtflux/datastores/0/";

  private static List<String> targetsAndBuses(String disksJson) {
    DomainBuilder builder =
        new DomainBuilder(Fixtures.defaults(), Fixtures.validator(), new Random(1));
    DomainXml d =
        builder.build(
            Fixtures.template("{name: 'a', memory: 64, disks: " + disksJson + "}"),
            Fixtures.HOST,
            CallerRole.USER);
    return d.devicesOrEmpty().disks().stream()
        .map(DiskXml::target)
        .map(t -> t.dev() + ":" + t.bus())
        .toList();
  }

  @Test
  void defaultPrefixIsScsiInOrder() {
    assertThat(
            targetsAndBuses(
                "[{source: '" + DS + "a'}, {source: '" + DS + "b'}, {source: '" + DS + "c'}]"))
        .containsExactly("sda:scsi", "sdb:scsi", "sdc:scsi");
  }

  @Test
  void eachPrefixCountsOnItsOwnBus() {
    assertThat(
            targetsAndBuses(
                "[{source: '"
                    + DS
                    + "a', devPrefix: 'vd'}, {source: '"
                    + DS
                    + "b'},"
                    + " {source: '"
                    + DS
                    + "c', devPrefix: 'vd'}, {source: '"
                    + DS
                    + "d', devPrefix: 'hd'},"
                    + " {source: '"
                    + DS
                    + "e', type: 'floppy'}]"))
        .containsExactly("vda:virtio", "sda:scsi", "vdb:virtio", "hda:ide", "fda:fdc");
  }

  @Test
  void explicitTargetsAreReservedBeforeAssigning() {
    assertThat(
            targetsAndBuses(
                "[{source: '"
                    + DS
                    + "a'}, {source: '"
                    + DS
                    + "b', target: 'sda'}, {source: '"
                    + DS
                    + "c'}]"))
        .containsExactly("sdb:scsi", "sda:scsi", "sdc:scsi");
  }

  @Test
  void aTargetAloneDecidesTheBus() {
    assertThat(
            targetsAndBuses(
                "[{source: '" + DS + "a', target: 'vdc'}, {source: '" + DS + "b', target: 'hdb'}]"))
        .containsExactly("vdc:virtio", "hdb:ide");
  }

  @Test
  void cdromsDefaultToScsiAndAnEmptyDriveIsAllowed() {
    assertThat(targetsAndBuses("[{type: 'cdrom'}, {source: '" + DS + "a', devPrefix: 'vd'}]"))
        .containsExactly("sda:scsi", "vda:virtio");
  }

  @Test
  void blockDevicesUnderADatastoreBecomeBlockDisks() {
    HostFacts host =
        new HostFacts(
            DomainType.QEMU, List.of(Fixtures.DATASTORE, java.nio.file.Path.of("/dev/vg0")));
    DomainBuilder builder =
        new DomainBuilder(Fixtures.defaults(), Fixtures.validator(), new Random(1));
    DiskXml disk =
        builder
            .build(
                Fixtures.template("{name: 'a', memory: 64, disks: [{source: '/dev/vg0/data'}]}"),
                host,
                CallerRole.USER)
            .devicesOrEmpty()
            .disks()
            .get(0);
    assertThat(disk.type()).isEqualTo("block");
    assertThat(disk.source().dev()).isEqualTo("/dev/vg0/data");
  }
}
