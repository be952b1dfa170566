package io.virtflux.libvirt.xml;

import static io.virtflux.libvirt.xml.XmlAssertions.resource;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NodeDeviceXmlTest {

  private final XmlCodec codec = new XmlCodec();

  @Test
  void readsAGpuBoundToVfio() {
    NodeDeviceXml dev = codec.read(resource("xml/nodedev-pci-gpu.xml"), NodeDeviceXml.class);

    assertThat(dev.name()).isEqualTo("pci_0000_65_00_0");
    assertThat(dev.parent()).isEqualTo("pci_0000_64_00_0");
    assertThat(dev.driverName()).isEqualTo("vfio-pci");

    NodeDeviceXml.Capability pci = dev.pci().orElseThrow();
    // decimal <bus>101</bus> in node device XML is bus 0x65
    assertThat(pci.address()).isEqualTo(PciAddress.parse("0000:65:00.0"));
    assertThat(pci.address().nodeDeviceName()).isEqualTo(dev.name());
    assertThat(pci.pciClass()).isEqualTo("0x030200");
    assertThat(pci.classCode()).isEqualTo(0x030200);
    assertThat(pci.vendor().id()).isEqualTo("0x10de");
    assertThat(pci.vendor().number()).isEqualTo(0x10de);
    assertThat(pci.vendor().value()).isEqualTo("NVIDIA Corporation");
    assertThat(pci.product().number()).isEqualTo(0x1eb8);
    assertThat(pci.product().value()).isEqualTo("TU104GL [Tesla T4]");
    assertThat(pci.iommuGroup().number()).isEqualTo(32);
    assertThat(pci.iommuGroup().members())
        .containsExactly(PciAddress.of(0, 0x65, 0, 0), PciAddress.of(0, 0x65, 0, 1));
    assertThat(pci.numa().node()).isZero();
  }

  @Test
  void ignoresNestedCapabilitiesOfAHostGraphicsDevice() {
    NodeDeviceXml dev = codec.read(resource("xml/nodedev-pci-vga.xml"), NodeDeviceXml.class);

    assertThat(dev.capabilities())
        .singleElement()
        .extracting(NodeDeviceXml.Capability::type)
        .isEqualTo("pci");
    NodeDeviceXml.Capability pci = dev.pci().orElseThrow();
    assertThat(pci.classCode()).isEqualTo(0x030000);
    assertThat(pci.address()).isEqualTo(PciAddress.of(0, 0, 2, 0));
    assertThat(dev.driverName()).isEqualTo("i915");
    assertThat(pci.iommuGroup().members()).containsExactly(PciAddress.of(0, 0, 2, 0));
  }

  @Test
  void toleratesAMinimalDeviceWithoutDriverOrIommuGroup() {
    NodeDeviceXml dev =
        codec.read(
            """
            <device>
              <name>pci_0000_01_00_0</name>
              <parent>pci_0000_00_01_0</parent>
              <capability type='pci'>
                <domain>0</domain><bus>1</bus><slot>0</slot><function>0</function>
                <product id='0x71c4'/>
                <vendor id='0x1002'>ATI Technologies Inc</vendor>
              </capability>
            </device>""",
            NodeDeviceXml.class);
    assertThat(dev.driverName()).isNull();
    NodeDeviceXml.Capability pci = dev.pci().orElseThrow();
    assertThat(pci.iommuGroup()).isNull();
    assertThat(pci.classCode()).isEqualTo(-1);
    assertThat(pci.product().value()).isNull();
    assertThat(pci.address()).isEqualTo(PciAddress.parse("01:00.0"));
  }
}
