package io.virtflux.host;

import java.util.Optional;

/**
 * What a host can still take for new VMs, in MiB, counted as OpenNebula's scheduler counts it: the
 * host's memory less its reserve (OpenNebula's RESERVED_MEM) less the memory of the domains it has
 * and of the deploys promised to it. Counted by allocation, not by what the host reads as free: a
 * guest touches its memory only as it uses it, so a host filled up to its free memory would be
 * overcommitted once its guests grow. The free reading is a second bound, so that memory taken by
 * what the service does not know about (other processes) is respected too.
 *
 * @param totalMiB the host's memory (virNodeGetInfo)
 * @param freeMiB free memory at the last reading (virNodeGetFreeMemory)
 * @param reservedMiB held back for the host itself ({@code reservedMemoryMiB})
 * @param vmsMiB the maximum memory of every domain at the last reading, running or not (a shut off
 *     domain gets its memory back when it is started)
 * @param promisedMiB memory of deploys queued or running, or ended after the last reading
 */
public record MemoryBudget(
    long totalMiB, long freeMiB, long reservedMiB, long vmsMiB, long promisedMiB) {

  /** Memory that can still be promised to a deploy. */
  public long availableMiB() {
    return Math.max(0, capacityMiB() - promisedMiB);
  }

  /**
   * What the host has for VMs at this reading before any promise: its memory less its reserve and
   * its domains, at most its free memory. The journal checks a placed deploy against it with
   * several replicas ({@code MemoryClaim}).
   */
  public long capacityMiB() {
    return Math.min(totalMiB - reservedMiB - vmsMiB, freeMiB);
  }

  /** Why a VM of {@code memoryMiB} does not fit, or empty when it does. */
  public Optional<String> shortOf(long memoryMiB) {
    if (availableMiB() >= memoryMiB) {
      return Optional.empty();
    }
    return Optional.of(
        "needs "
            + memoryMiB
            + " MiB of memory, "
            + availableMiB()
            + " MiB left ("
            + totalMiB
            + " MiB total - "
            + reservedMiB
            + " reserved - "
            + vmsMiB
            + " of VMs - "
            + promisedMiB
            + " promised to deploys; "
            + freeMiB
            + " MiB free - "
            + promisedMiB
            + " promised)");
  }
}
