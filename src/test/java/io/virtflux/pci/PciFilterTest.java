package io.virtflux.pci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * OpenNebula's lspci-style filter, against a small fixed inventory: every form pciutils'
 * lib/filter.c accepts for {@code lspci -d}, and what it refuses.
 */
class PciFilterTest {

  private static PciDevice dev(String address, String vendor, String device, String classCode) {
    String cls = classCode.substring(0, 4);
    return new PciDevice(
        address,
        address.substring(5),
        vendor,
        device,
        cls,
        classCode.substring(4),
        vendor + ":" + device + ":" + cls,
        null,
        null,
        null,
        null);
  }

  private static final List<PciDevice> HOST =
      List.of(
          dev("0000:00:02.0", "8086", "0412", "030000"), // Intel VGA
          dev("0000:01:00.0", "10de", "11bf", "030000"), // NVIDIA VGA (GK104GL)
          dev("0000:01:00.1", "10de", "0e0a", "040300"), // its HDMI audio
          dev("0000:02:00.0", "10de", "1eb8", "030200"), // NVIDIA 3D (T4)
          dev("0000:00:1f.2", "8086", "8c02", "010601"), // Intel SATA AHCI
          dev("0000:00:14.0", "8086", "8c31", "0c0330"), // Intel USB xHCI
          dev("0000:00:1d.0", "8086", "8c26", "0c0320")); // Intel USB EHCI

  @ParameterizedTest(name = "''{0}'' selects {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        // OpenNebula's KVM driver guide's examples
        "::0300            | 00:02.0 01:00.0",
        "10de::0300        | 01:00.0",
        "10de:11bf:0300    | 01:00.0",
        "8086::0300,::0106 | 00:02.0 00:1f.2",
        // vendor and device, either left out
        "10de:11bf         | 01:00.0",
        "10de:             | 01:00.1 01:00.0 02:00.0",
        ":0e0a             | 01:00.1",
        // * is any, as an empty part
        "10de:*            | 01:00.1 01:00.0 02:00.0",
        "*:0e0a            | 01:00.1",
        "*:*:0300          | 00:02.0 01:00.0",
        "10de:*:*          | 01:00.1 01:00.0 02:00.0",
        // nothing given: every device, as lspci -d : lists every device
        ":                 | EVERY",
        "::                | EVERY",
        "*:*               | EVERY",
        "*:*:*:*           | EVERY",
        // x in the class: any digit
        "::03xx            | 00:02.0 01:00.0 02:00.0",
        "8086::0Xx0        | 00:02.0",
        "::xx03            | 01:00.1 00:14.0 00:1d.0",
        "::xxxx            | EVERY",
        // the programming interface, with or without a class
        "::0c03:30         | 00:14.0",
        "8086::0c03:20     | 00:1d.0",
        ":::30             | 00:14.0",
        "::*:01            | 00:1f.2",
        "::0c03:*          | 00:14.0 00:1d.0",
        "::0300:01         | ''",
        // numbers in either case, 0x before vendor, device and prog-if, leading zeros, short
        // numbers
        "10DE::0302        | 02:00.0",
        "0x10de::0403      | 01:00.1",
        "0X8086:0x8C31:0c03:0x30 | 00:14.0",
        "000010de:00011bf  | 01:00.0",
        "::00000106        | 00:1f.2",
        "::0c03:030        | 00:14.0",
        "::c03             | 00:14.0 00:1d.0",
        "::300             | 00:02.0 01:00.0",
        "::3               | ''",
        // 0x alone is 0, for lspci too
        "0x:               | ''",
        // no match
        "ffff::            | ''",
        "ffff:ffff:ffff,::0106 | 00:1f.2",
        // OpenNebula's comma-separated union, items trimmed
        "10de::0302, ::0c03:30 | 02:00.0 00:14.0",
        "''                | EVERY"
      })
  void selects(String filter, String expected) {
    List<String> selected =
        HOST.stream()
            .filter(PciFilter.parse(filter)::matches)
            .map(PciDevice::shortAddress)
            .toList();
    assertThat(selected)
        .containsExactlyInAnyOrderElementsOf(
            expected.equals("EVERY")
                ? HOST.stream().map(PciDevice::shortAddress).toList()
                : expected.isEmpty() ? List.of() : List.of(expected.split(" ")));
  }

  @ParameterizedTest(name = "''{0}'' is refused: {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "10de               | '10de' is not [vendor]:[device][:class[:prog-if]]",
        "10de::0300:30:1    | more than 4 fields",
        "10dex::            | vendor ID '10dex' is not hexadecimal",
        "10000::            | vendor ID '10000' is more than ffff",
        ":1eb8g             | device ID '1eb8g'",
        ":10000             | device ID '10000' is more than ffff",
        "::10300            | class '10300' is more than ffff",
        "::0x0300           | class '0x0300' is more than ffff (no 0x before a class: its x is any digit)",
        "::03g0             | class '03g0' is not hexadecimal (x: any digit)",
        "::xxxxx            | class 'xxxxx' is more than ffff",
        "::0300:100         | prog-if '100' is more than ff",
        "::0300:3x          | prog-if '3x' is not hexadecimal",
        "10de:x:            | device ID 'x'",
        "**::               | vendor ID '**'",
        "1*::               | vendor ID '1*'",
        "\" 10de ::\"       | vendor ID '10de '",
        "10de::0300,        | '' is not",
        "10de::0300,,::0106 | '' is not",
        "<x>::              | '<x>::'",
        // Arabic-Indic digits: digits to Character.digit, not to lspci
        "\u0661\u0660de:: | vendor ID '\u0661\u0660de' is not hexadecimal"
      })
  void refuses(String filter, String message) {
    assertThatThrownBy(() -> PciFilter.parse(filter))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  @ParameterizedTest(name = "''{0}'' reads back as ''{1}''")
  @CsvSource(
      delimiter = '|',
      value = {
        "10DE::0300         | 10de::0300",
        "0x10de:*:03xx:0x0  | 10de::03xx:00",
        ":::30,8086:        | :::30,8086:",
        "::c03              | ::0c03",
        "::                 | :"
      })
  void printsLspciForm(String filter, String printed) {
    assertThat(PciFilter.parse(filter)).hasToString(printed);
  }
}
