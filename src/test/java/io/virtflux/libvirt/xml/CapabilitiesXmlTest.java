package io.virtflux.libvirt.xml;

import static io.virtflux.libvirt.xml.XmlAssertions.resource;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CapabilitiesXmlTest {

  private final XmlCodec codec = new XmlCodec();

  @Test
  void hostWithoutKvmOffersOnlyQemuDomains() {
    CapabilitiesXml caps = codec.read(resource("xml/capabilities-tcg.xml"), CapabilitiesXml.class);

    assertThat(caps.host().uuid()).isEqualTo("2a9e4f1c-8d37-4b0a-b5e1-7c6d2f9a0b12");
    assertThat(caps.host().cpu().arch()).isEqualTo("x86_64");
    assertThat(caps.host().cpu().model()).isEqualTo("Skylake-Client-noTSX-IBRS");
    assertThat(caps.host().cpu().vendor()).isEqualTo("Intel");
    assertThat(caps.host().iommu().supported()).isFalse();

    assertThat(caps.guests()).extracting(g -> g.arch().name()).containsExactly("i686", "x86_64");
    assertThat(caps.domainTypes("x86_64")).containsExactly("qemu");
    assertThat(caps.supportsKvm("x86_64")).isFalse();
    assertThat(caps.domainTypes("aarch64")).isEmpty();
  }

  @Test
  void listsMachineTypesWithTheirCanonicalNames() {
    CapabilitiesXml caps = codec.read(resource("xml/capabilities-tcg.xml"), CapabilitiesXml.class);
    CapabilitiesXml.Arch x86 = caps.hvmGuest("x86_64").orElseThrow().arch();

    assertThat(x86.emulator()).isEqualTo("/usr/bin/qemu-system-x86_64");
    assertThat(x86.wordsize()).isEqualTo(64);
    assertThat(x86.machineNames()).contains("pc", "q35", "pc-q35-7.2", "microvm");
    assertThat(x86.machines())
        .filteredOn(m -> "q35".equals(m.value()))
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.canonical()).isEqualTo("pc-q35-7.2");
              assertThat(m.maxCpus()).isEqualTo(288);
            });
  }

  @Test
  void kvmHostListsTheKvmDomainWithItsEmulator() {
    CapabilitiesXml caps = codec.read(resource("xml/capabilities-kvm.xml"), CapabilitiesXml.class);

    assertThat(caps.supportsKvm("x86_64")).isTrue();
    assertThat(caps.domainTypes("x86_64")).containsExactlyInAnyOrder("qemu", "kvm");
    assertThat(caps.hvmGuest("x86_64").orElseThrow().arch().domains())
        .filteredOn(d -> "kvm".equals(d.type()))
        .singleElement()
        .extracting(CapabilitiesXml.Domain::emulator)
        .isEqualTo("/usr/bin/kvm");
    assertThat(caps.host().iommu().supported()).isTrue();
  }
}
