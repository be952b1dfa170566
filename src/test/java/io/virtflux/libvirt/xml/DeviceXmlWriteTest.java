package io.virtflux.libvirt.xml;

import static io.virtflux.libvirt.xml.XmlAssertions.assertSimilarXml;
import static io.virtflux.libvirt.xml.XmlAssertions.resource;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Single devices written on their own, as hotplug hands them to libvirt. */
class DeviceXmlWriteTest {

  private final XmlCodec codec = new XmlCodec();

  @Test
  void writesAPciHostdevForPassthrough() {
    String xml = codec.write(HostdevXml.pci(PciAddress.parse("0000:65:00.0")));
    assertSimilarXml(xml, resource("xml/hostdev-pci.xml"));
    assertThat(codec.read(xml, HostdevXml.class).hostPciAddress())
        .isEqualTo(PciAddress.of(0, 0x65, 0, 0));
  }

  @Test
  void writesADiskForAttach() {
    DiskXml disk =
        new DiskXml(
            "file",
            "disk",
            new DiskXml.Driver("qemu", "qcow2", "none", null, null),
            DiskXml.Source.file("/var/lib/virtflux/datastores/0/vf-test-1-sdb.qcow2"),
            new DiskXml.Target("sdb", "scsi"),
            null,
            null,
            null,
            null,
            null);
    assertSimilarXml(codec.write(disk), resource("xml/disk-attach.xml"));
  }

  @Test
  void writesAnInterfaceUnderItsOwnRootName() {
    InterfaceXml nic =
        new InterfaceXml(
            "user",
            new InterfaceXml.Mac("52:54:00:00:00:01"),
            null,
            null,
            new InterfaceXml.Model("virtio"),
            null,
            null,
            null,
            null,
            null,
            null);
    assertSimilarXml(
        codec.write(nic),
        "<interface type='user'><mac address='52:54:00:00:00:01'/><model type='virtio'/></interface>");
  }

  @Test
  void writesACharDeviceUnderTheRootNameTheCallerPicks() {
    assertSimilarXml(
        codec.write(CharDeviceXml.guestAgentChannel(), "channel"),
        """
        <channel type='unix'>
          <source mode='bind'/>
          <target type='virtio' name='org.qemu.guest_agent.0'/>
        </channel>""");
  }

  @Test
  void leavesOutAbsentElementsAndEmptyLists() {
    DomainXml d =
        new DomainXml(
            "qemu",
            null,
            "bare",
            null,
            MemoryXml.mib(64),
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            DevicesXml.empty(),
            List.of());
    assertSimilarXml(
        codec.write(d),
        "<domain type='qemu'><name>bare</name><memory unit='MiB'>64</memory><devices/></domain>");
  }
}
