package io.virtflux.libvirt.xml;

import static io.virtflux.libvirt.xml.XmlAssertions.assertSimilarXml;
import static io.virtflux.libvirt.xml.XmlAssertions.resource;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DomainXmlLiveTest {

  private final XmlCodec codec = new XmlCodec();
  private final DomainXml live = codec.read(resource("xml/domain-live-tcg.xml"), DomainXml.class);

  @Test
  void readsTheDomainOfARunningTcgGuest() {
    assertThat(live.type()).isEqualTo("qemu");
    assertThat(live.id()).isEqualTo(3);
    assertThat(live.name()).isEqualTo("vf-test-1");
    assertThat(live.memory().toKib()).isEqualTo(262144);
    assertThat(live.vcpu().value()).isEqualTo(1);
    assertThat(live.cputune().shares()).isEqualTo(512);
    assertThat(live.os().type().machine()).isEqualTo("pc-i440fx-7.2");
    assertThat(live.os().boot()).extracting(OsXml.Boot::dev).containsExactly("hd");
    assertThat(Flag.isOn(live.features().acpi())).isTrue();
    assertThat(Flag.isOn(live.features().pae())).isFalse();
    assertThat(live.cpu().model().value()).isEqualTo("qemu64");
  }

  @Test
  void listsDisksWithTargetsAliasesAndAddresses() {
    DevicesXml devices = live.devicesOrEmpty();
    assertThat(devices.diskTargets()).containsExactly("vda", "sda");

    DiskXml cdrom = devices.diskByTarget("sda").orElseThrow();
    assertThat(cdrom.device()).isEqualTo("cdrom");
    assertThat(cdrom.isReadonly()).isTrue();
    assertThat(cdrom.alias().name()).isEqualTo("scsi0-0-0-0");
    assertThat(cdrom.address().type()).isEqualTo("drive");
    assertThat(cdrom.address().unit()).isEqualTo("0");

    DiskXml root = devices.diskByTarget("vda").orElseThrow();
    assertThat(root.source().path()).endsWith("vf-test-1-vda.qcow2");
    assertThat(root.source().index()).isEqualTo(2);
    assertThat(root.driver().type()).isEqualTo("qcow2");
    assertThat(root.isReadonly()).isFalse();
    assertThat(root.address().pci()).isEqualTo(PciAddress.of(0, 0, 4, 0));
  }

  @Test
  void findsNicsByMacAndReadsControllersAndConsoles() {
    DevicesXml devices = live.devicesOrEmpty();
    InterfaceXml nic = devices.interfaceByMac("52:54:00:D0:C2:01").orElseThrow();
    assertThat(nic.type()).isEqualTo("user");
    assertThat(nic.alias().name()).isEqualTo("net0");
    assertThat(devices.controllers())
        .extracting(ControllerXml::type, ControllerXml::model)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("scsi", "virtio-scsi"),
            org.assertj.core.groups.Tuple.tuple("usb", "none"),
            org.assertj.core.groups.Tuple.tuple("pci", "pci-root"),
            org.assertj.core.groups.Tuple.tuple("ide", null));
    CharDeviceXml serial = devices.serials().get(0);
    assertThat(serial.source().path()).endsWith("vf-test-1.serial.log");
    assertThat(serial.source().append()).isEqualTo("on");
    assertThat(devices.consoles())
        .singleElement()
        .extracting(c -> c.target().type())
        .isEqualTo("serial");
    assertThat(devices.inputs()).extracting(InputXml::type).containsExactly("mouse", "keyboard");
    assertThat(devices.memballoon().model()).isEqualTo("none");
    assertThat(devices.hostdevs()).isEmpty();
  }

  @Test
  void writesBackWhatItModels() {
    assertSimilarXml(codec.write(live), resource("xml/domain-live-tcg.modeled.xml"));
  }
}
