package io.virtflux.libvirt.xml;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Elements with text read the same with and without attributes. */
class TextElementTest {

  private final XmlCodec codec = new XmlCodec();

  @Test
  void readsTextElementsWithoutAttributes() {
    DomainXml d =
        codec.read(
            """
            <domain type='qemu'>
              <name>t</name>
              <memory>1024</memory>
              <vcpu>2</vcpu>
              <os><type>hvm</type></os>
              <cpu mode='custom'><model>qemu64</model></cpu>
            </domain>""",
            DomainXml.class);
    assertThat(d.memory()).isEqualTo(new MemoryXml(null, 1024));
    assertThat(d.memory().toKib()).isEqualTo(1024);
    assertThat(d.vcpu()).isEqualTo(VcpuXml.of(2));
    assertThat(d.os().type()).isEqualTo(new OsXml.Type(null, null, "hvm"));
    assertThat(d.cpu().model()).isEqualTo(new CpuXml.Model(null, "qemu64"));
  }

  @Test
  void readsTextElementsWithAttributes() {
    DomainXml d =
        codec.read(
            """
            <domain type='qemu'>
              <name>t</name>
              <memory unit='GiB'>1</memory>
              <vcpu placement='static' current='1'>2</vcpu>
            </domain>""",
            DomainXml.class);
    assertThat(d.memory().toKib()).isEqualTo(1024 * 1024);
    assertThat(d.vcpu()).isEqualTo(new VcpuXml("static", 1, 2));
  }

  @Test
  void readsMachinesWithoutAttributes() {
    CapabilitiesXml caps =
        codec.read(
            """
            <capabilities><host/><guest><os_type>hvm</os_type>
              <arch name='x86_64'><machine>pc</machine><domain type='qemu'/></arch>
            </guest></capabilities>""",
            CapabilitiesXml.class);
    assertThat(caps.hvmGuest("x86_64").orElseThrow().arch().machineNames()).containsExactly("pc");
  }
}
