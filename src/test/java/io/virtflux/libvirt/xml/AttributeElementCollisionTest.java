package io.virtflux.libvirt.xml;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Elements where libvirt writes an attribute and a child element of the same name. */
class AttributeElementCollisionTest {

  private final XmlCodec codec = new XmlCodec();

  @Test
  void controllerModelAttributeSurvivesTheModelChildElement() {
    ControllerXml port =
        codec.read(
            """
            <controller type='pci' index='1' model='pcie-root-port'>
              <model name='pcie-root-port'/>
              <target chassis='1' port='0x10'/>
              <alias name='pci.1'/>
              <address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x0'/>
            </controller>""",
            ControllerXml.class);
    assertThat(port.model()).isEqualTo("pcie-root-port");
    assertThat(port.index()).isEqualTo(1);
    assertThat(port.alias().name()).isEqualTo("pci.1");
    assertThat(port.address().pci()).isEqualTo(PciAddress.of(0, 0, 2, 0));
  }

  @Test
  void controllerModelKeepsTheAttributeWhenTheChildNamesAnotherDevice() {
    DomainXml d =
        codec.read(
            """
            <domain type='qemu'><name>q</name><devices>
              <controller type='pci' index='0' model='pcie-root'/>
              <controller type='pci' index='1' model='pcie-to-pci-bridge'>
                <model name='pcie-pci-bridge'/>
              </controller>
              <controller type='pci' index='2' model='pcie-root-port'>
                <model name='pcie-root-port'/>
              </controller>
            </devices></domain>""",
            DomainXml.class);
    assertThat(d.devicesOrEmpty().controllers())
        .extracting(ControllerXml::model)
        .containsExactly("pcie-root", "pcie-to-pci-bridge", "pcie-root-port");
  }

  @Test
  void controllerWithOnlyAModelChildHasNoModel() {
    ControllerXml c =
        codec.read(
            "<controller type='pci' index='3'><model name='pxb'/></controller>",
            ControllerXml.class);
    assertThat(c.model()).isNull();
  }

  @Test
  void graphicsListenChildrenWinOverTheListenAttribute() {
    GraphicsXml g =
        codec.read(
            """
            <graphics type='vnc' port='5900' autoport='yes' listen='127.0.0.1'>
              <listen type='address' address='127.0.0.1'/>
            </graphics>""",
            GraphicsXml.class);
    assertThat(g.listens()).containsExactly(new GraphicsXml.Listen("address", "127.0.0.1"));
    assertThat(codec.write(g)).doesNotContain("listen=");
  }

  @Test
  void graphicsListenAttributeAloneBecomesAnAddressListen() {
    GraphicsXml g = codec.read("<graphics type='spice' listen='::1'/>", GraphicsXml.class);
    assertThat(g.listens()).containsExactly(new GraphicsXml.Listen("address", "::1"));
  }

  @Test
  void interleavedRepeatsKeepOnlyTheLastRunSoLibvirtGroupingMatters() {
    DevicesXml devices =
        codec.read(
            """
            <devices>
              <disk type='file'><target dev='vda'/></disk>
              <controller type='usb' model='none'/>
              <disk type='file'><target dev='vdb'/></disk>
            </devices>""",
            DevicesXml.class);
    // Documented Jackson XML limit: libvirt never interleaves, hand-written XML might.
    assertThat(devices.diskTargets()).containsExactly("vdb");
  }
}
