package io.virtflux.libvirt.xml;

import static io.virtflux.libvirt.xml.XmlAssertions.assertSimilarXml;
import static io.virtflux.libvirt.xml.XmlAssertions.resource;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DomainXmlRoundTripTest {

  private final XmlCodec codec = new XmlCodec();

  @Test
  void everyModeledElementSurvivesReadAndWrite() {
    String golden = resource("xml/domain-roundtrip.xml");
    assertSimilarXml(codec.write(codec.read(golden, DomainXml.class)), golden);
  }

  @Test
  void readsPassthroughNetworkDisksAndNicDetails() {
    DomainXml d = codec.read(resource("xml/domain-roundtrip.xml"), DomainXml.class);
    DevicesXml devices = d.devicesOrEmpty();

    assertThat(devices.hostPciAddresses()).containsExactly(PciAddress.parse("0000:65:00.0"));
    assertThat(devices.hostdevs().get(0).address().pci()).isEqualTo(PciAddress.of(0, 6, 0, 0));

    DiskXml nbd = devices.diskByTarget("sdb").orElseThrow();
    assertThat(nbd.source().protocol()).isEqualTo("nbd");
    assertThat(nbd.source().hosts())
        .singleElement()
        .extracting(DiskXml.Host::port)
        .isEqualTo("10809");
    assertThat(devices.diskByTarget("sda").orElseThrow().source().path())
        .isEqualTo("/dev/vg0/data");
    assertThat(devices.diskByTarget("sdc").orElseThrow().source()).isNull();

    InterfaceXml bridge = devices.interfaceByMac("52:54:00:0a:0b:0c").orElseThrow();
    assertThat(bridge.filterref().parameters())
        .singleElement()
        .extracting(InterfaceXml.Parameter::value)
        .isEqualTo("10.1.2.3");
    assertThat(devices.interfaceByMac("52:54:00:0a:0b:0e").orElseThrow().target().managed())
        .isEqualTo("no");

    assertThat(devices.channels().get(0).target().name())
        .isEqualTo(CharDeviceXml.GUEST_AGENT_CHANNEL);
    assertThat(devices.graphics().get(0).listens())
        .containsExactly(new GraphicsXml.Listen("address", "127.0.0.1"));
    assertThat(d.currentMemory().toKib()).isEqualTo(768 * 1024);
  }
}
