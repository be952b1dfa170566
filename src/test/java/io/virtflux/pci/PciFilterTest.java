package io.virtflux.pci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The seed's lspci-style filter, against a small fixed inventory. */
class PciFilterTest {

  private static PciDevice dev(String address, String vendor, String device, String cls) {
    return new PciDevice(
        address,
        address.substring(5),
        vendor,
        device,
        cls,
        vendor + ":" + device + ":" + cls,
        null,
        null,
        null,
        null);
  }

  private static final List<PciDevice> HOST =
      List.of(
          dev("0000:00:02.0", "8086", "0412", "0300"), // Intel VGA
          dev("0000:01:00.0", "10de", "11bf", "0300"), // NVIDIA VGA (GK104GL)
          dev("0000:01:00.1", "10de", "0e0a", "0403"), // its HDMI audio
          dev("0000:02:00.0", "10de", "1eb8", "0302"), // NVIDIA 3D (T4)
          dev("0000:00:1f.2", "8086", "8c02", "0106")); // Intel SATA AHCI

  @ParameterizedTest(name = "''{0}'' selects {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "::0300          | 00:02.0 01:00.0",
        "10de::0300      | 01:00.0",
        "10de:11bf:0300  | 01:00.0",
        "10de:11bf       | 01:00.0",
        "10de:           | 01:00.0 01:00.1 02:00.0",
        ":0e0a           | 01:00.1",
        "8086::0300,::0106 | 00:02.0 00:1f.2",
        "10DE::0302      | 02:00.0",
        "0x10de::0x0403  | 01:00.1",
        "ffff::          | ''",
        "''              | 00:02.0 01:00.0 01:00.1 02:00.0 00:1f.2"
      })
  void selects(String filter, String expected) {
    List<String> selected =
        HOST.stream()
            .filter(PciFilter.parse(filter)::matches)
            .map(PciDevice::shortAddress)
            .toList();
    assertThat(String.join(" ", selected)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "''{0}'' is refused")
  @CsvSource(
      delimiter = '|',
      value = {
        "10de",
        "::",
        "10de::0300:1",
        "10dex::",
        "10d::0300",
        "::03000",
        "10de::0300,",
        "<x>::"
      })
  void refuses(String filter) {
    assertThatThrownBy(() -> PciFilter.parse(filter)).isInstanceOf(IllegalArgumentException.class);
  }
}
