package io.virtflux.operation;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The memory a DEPLOY takes on its host, journaled with the operation: with several replicas the
 * journal is the ledger of the memory promised to deploys ({@link PromisedMemory}).
 *
 * @param memoryMiB the VM's memory
 * @param capacityMiB when placement chose the host: what the host had for VMs at the reading
 *     placement counted (its memory less its reserve and its domains, at most its free memory),
 *     before any promise; the journal refuses the deploy with {@link NoMemory} when the memory
 *     promised there leaves less than {@code memoryMiB}. Null when the caller named the host: such
 *     a deploy is never refused for memory, but its memory counts.
 * @param readingFrom when the reading behind {@code capacityMiB} began: deploys that ended after it
 *     are not counted by it, so they still hold their memory; null when the host was never read
 */
public record MemoryClaim(
    long memoryMiB, @Nullable Long capacityMiB, @Nullable Instant readingFrom) {

  /** A deploy to a host the caller named: counted, never refused. */
  public static MemoryClaim named(long memoryMiB) {
    return new MemoryClaim(memoryMiB, null, null);
  }

  /** A deploy to the host placement chose, which had {@code capacityMiB} at {@code readingFrom}. */
  public static MemoryClaim placed(
      long memoryMiB, long capacityMiB, @Nullable Instant readingFrom) {
    return new MemoryClaim(memoryMiB, capacityMiB, readingFrom);
  }

  /** Whether the journal checks the host's memory before it takes the deploy. */
  public boolean enforced() {
    return capacityMiB != null;
  }
}
