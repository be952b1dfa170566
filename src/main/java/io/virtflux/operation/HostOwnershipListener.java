package io.virtflux.operation;

import reactor.core.publisher.Mono;

/**
 * Told when this replica gains or loses a host. Called on the owners' own thread, one call at a
 * time: an implementation hands long work off.
 */
public interface HostOwnershipListener {

  /**
   * This replica now owns {@code host} under {@code fence}: what another owner left RUNNING is
   * reconciled and what waits QUEUED runs here. Completes once that is done (the replica's start
   * waits for what it claims at once, as a restart waits for its recovery).
   */
  Mono<Void> claimed(HostOwnership.Fence fence);

  /** This replica no longer owns {@code host}: stop acting on it, journal nothing more for it. */
  void lost(String host);

  /**
   * Whether this replica has unfinished operations on {@code host} (it is not handed over then).
   */
  boolean busy(String host);
}
