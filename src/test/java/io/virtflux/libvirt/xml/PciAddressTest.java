package io.virtflux.libvirt.xml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PciAddressTest {

  @Test
  void parsesAndPrintsLspciNotation() {
    PciAddress a = PciAddress.parse("0000:06:1F.7");
    assertThat(a).isEqualTo(PciAddress.of(0, 6, 0x1f, 7));
    assertThat(a).hasToString("0000:06:1f.7");
    assertThat(PciAddress.parse("65:00.1")).isEqualTo(PciAddress.of(0, 0x65, 0, 1));
    assertThat(a.nodeDeviceName()).isEqualTo("pci_0000_06_1f_7");
  }

  @Test
  void writesSourceAddressesWithTheHexPrefixLibvirtNeeds() {
    DeviceAddress source = PciAddress.parse("0001:10:02.3").toSourceAddress();
    assertThat(source.type()).isNull();
    assertThat(source.domain()).isEqualTo("0x0001");
    assertThat(source.bus()).isEqualTo("0x10");
    assertThat(source.slot()).isEqualTo("0x02");
    assertThat(source.function()).isEqualTo("0x3");
    assertThat(source.pci()).isEqualTo(PciAddress.of(1, 0x10, 2, 3));
    assertThat(PciAddress.of(0, 0, 3, 0).toGuestAddress().type()).isEqualTo("pci");
  }

  @ParameterizedTest(name = "libvirt reads {0} as {1}")
  @CsvSource({"0x10, 16", "10, 10", "010, 8", "0X1f, 31", "0, 0"})
  void readsAddressPartsLikeStrtoulBaseZero(String text, int value) {
    assertThat(PciAddress.parseNumber(text)).isEqualTo(value);
  }

  @Test
  void refusesOutOfRangeParts() {
    assertThatThrownBy(() -> PciAddress.of(0, 0, 0x20, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("slot");
    assertThatThrownBy(() -> PciAddress.of(0, 0, 0, 8))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PciAddress.parse("0000:00:1f"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
