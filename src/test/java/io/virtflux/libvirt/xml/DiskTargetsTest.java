package io.virtflux.libvirt.xml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DiskTargetsTest {

  @ParameterizedTest(name = "{0}{1} is index {2}")
  @CsvSource({
    "sd, a, 0",
    "vd, z, 25",
    "sd, aa, 26",
    "sd, ab, 27",
    "hd, az, 51",
    "sd, ba, 52",
    "sd, zz, 701",
    "sd, aaa, 702"
  })
  void namesAndIndexesAreInverse(String prefix, String letters, int index) {
    assertThat(DiskTargets.name(prefix, index)).isEqualTo(prefix + letters);
    assertThat(DiskTargets.index(prefix, prefix + letters)).isEqualTo(index);
  }

  @Test
  void rejectsNamesOfOtherBusesOrWithPartitions() {
    assertThat(DiskTargets.index("sd", "vda")).isEqualTo(-1);
    assertThat(DiskTargets.index("sd", "sda1")).isEqualTo(-1);
    assertThat(DiskTargets.index("sd", "sd")).isEqualTo(-1);
    assertThat(DiskTargets.index("sd", "sdaaaa")).isEqualTo(-1);
    assertThatThrownBy(() -> DiskTargets.name("sd", 18278))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void nextFreeFillsTheFirstGap() {
    assertThat(DiskTargets.nextFree("sd", List.of())).isEqualTo("sda");
    assertThat(DiskTargets.nextFree("sd", List.of("sda", "vdb", "sdc"))).isEqualTo("sdb");
    assertThat(DiskTargets.nextFree("vd", List.of("vda", "vdb", "sda"))).isEqualTo("vdc");
  }
}
