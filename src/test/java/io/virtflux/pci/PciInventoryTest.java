package io.virtflux.pci;

import static io.virtflux.libvirt.xml.XmlAssertions.resource;
import static org.assertj.core.api.Assertions.assertThat;

import io.virtflux.libvirt.xml.NodeDeviceXml;
import io.virtflux.libvirt.xml.PciAddress;
import io.virtflux.libvirt.xml.XmlCodec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Node device XML (libvirt 9.0) to inventory rows. */
class PciInventoryTest {

  private final XmlCodec xml = new XmlCodec();

  private NodeDeviceXml node(String path) {
    return xml.read(resource(path), NodeDeviceXml.class);
  }

  @Test
  void aRowCarriesIdsClassNamesDriverGroupAndHolder() {
    List<PciDevice> rows =
        PciInventory.table(
            List.of(node("xml/nodedev-pci-gpu.xml"), node("xml/nodedev-pci-vga.xml")),
            Map.of(PciAddress.parse("0000:65:00.0"), "gpu-vm"));
    PciDevice gpu =
        rows.stream().filter(d -> d.address().equals("0000:65:00.0")).findFirst().orElseThrow();
    assertThat(gpu.shortAddress()).isEqualTo("65:00.0");
    assertThat(gpu.vendor()).isEqualTo("10de");
    assertThat(gpu.device()).isEqualTo("1eb8");
    assertThat(gpu.pciClass()).isEqualTo("0302");
    assertThat(gpu.progIf()).isEqualTo("00");
    assertThat(gpu.type()).isEqualTo("10de:1eb8:0302");
    assertThat(gpu.name()).isEqualTo("NVIDIA Corporation TU104GL [Tesla T4]");
    assertThat(gpu.driver()).isEqualTo("vfio-pci");
    assertThat(gpu.iommuGroup()).isEqualTo(32);
    assertThat(gpu.vm()).isEqualTo("gpu-vm");
    assertThat(rows).hasSize(2).filteredOn(PciDevice::free).hasSize(1);
    assertThat(rows).extracting(PciDevice::address).isSorted();
  }

  @Test
  void theClassCodesLastByteIsTheProgrammingInterface() {
    // a USB xHCI controller: class 0c, subclass 03, programming interface 30 (lspci -d ::0c03:30)
    NodeDeviceXml xhci =
        xml.read(
            """
            <device>
              <name>pci_0000_00_14_0</name>
              <capability type='pci'>
                <class>0x0c0330</class>
                <domain>0</domain>
                <bus>0</bus>
                <slot>20</slot>
                <function>0</function>
                <product id='0xa36d'>Cannon Lake PCH USB 3.1 xHCI Host Controller</product>
                <vendor id='0x8086'>Intel Corporation</vendor>
              </capability>
            </device>
            """,
            NodeDeviceXml.class);
    PciDevice row = PciInventory.table(List.of(xhci), Map.of()).get(0);
    assertThat(row.pciClass()).isEqualTo("0c03");
    assertThat(row.progIf()).isEqualTo("30");
    assertThat(row.type()).isEqualTo("8086:a36d:0c03");
    assertThat(PciFilter.parse("::0c03:30").matches(row)).isTrue();
    assertThat(PciFilter.parse("::0c03:20").matches(row)).isFalse();
  }
}
