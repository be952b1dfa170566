package io.virtflux.operation;

/**
 * A write or a call for a host that this replica no longer owns: another replica claimed it (a
 * newer epoch), or this replica's lease went stale. Nothing was done; the new owner carries on.
 */
public final class LostOwnership extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public LostOwnership(HostOwnership.Fence fence, String why) {
    super(
        "replica "
            + fence.replica()
            + " no longer owns host "
            + fence.host()
            + " (epoch "
            + fence.epoch()
            + "): "
            + why,
        null,
        false,
        false);
  }
}
