package io.virtflux.vm.template;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * OpenNebula's CPU attribute as cgroup shares: ceil(cpu × 1024), so CPU=0.5 gets half the time of
 * CPU=1 (512 vs 1024 shares).
 */
public final class CpuShares {

  private static final BigDecimal PER_CPU = BigDecimal.valueOf(1024);

  private CpuShares() {}

  /**
   * The shares for {@code cpu}. Computed in decimal from the value as written, so 1.3 gives 1332
   * (1331.2 rounded up) and not whatever binary floating point makes of it.
   */
  public static long of(double cpu) {
    return BigDecimal.valueOf(cpu)
        .multiply(PER_CPU)
        .setScale(0, RoundingMode.CEILING)
        .longValueExact();
  }
}
