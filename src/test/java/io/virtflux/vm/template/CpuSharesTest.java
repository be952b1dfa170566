package io.virtflux.vm.template;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CpuSharesTest {

  @ParameterizedTest(name = "cpu {0} -> {1} shares")
  @CsvSource({
    "0.5, 512",
    "1, 1024",
    "1.3, 1332",
    "0.01, 11",
    "0.001, 2",
    "0.25, 256",
    "2, 2048",
    "0.1, 103",
    "256, 262144"
  })
  void sharesAreCpuTimes1024RoundedUp(double cpu, long shares) {
    assertThat(CpuShares.of(cpu)).isEqualTo(shares);
  }
}
