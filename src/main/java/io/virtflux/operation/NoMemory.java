package io.virtflux.operation;

/**
 * A placed deploy was not journaled: the memory promised to deploys on its host (by every replica,
 * counted in the journal in the same write) leaves less than it needs. Nothing was written; the
 * deploy is placed again with the promises as they are now.
 */
public final class NoMemory extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String host;

  public NoMemory(String host, long memoryMiB, long capacityMiB, long promisedMiB) {
    super(
        "host "
            + host
            + " needs "
            + memoryMiB
            + " MiB of memory, "
            + Math.max(0, capacityMiB - promisedMiB)
            + " MiB left ("
            + capacityMiB
            + " MiB for VMs - "
            + promisedMiB
            + " promised to deploys)",
        null,
        false,
        false);
    this.host = host;
  }

  /** The host that lacks the memory. */
  public String host() {
    return host;
  }
}
