package io.virtflux.operation;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Which hosts this replica owns: the only replica that runs a host's operations, calls its libvirt
 * to change anything, and writes the journal on its behalf. With the journal on H2 there is one
 * replica, which owns every host for good ({@link #SOLE}); with the journal on PostgreSQL, owners
 * hold leases with epochs in the database and hand hosts over when a replica dies.
 */
public interface HostOwnership {

  /** The one replica of an embedded journal: every host, epoch 0, forever. */
  HostOwnership SOLE =
      new HostOwnership() {
        @Override
        public String replica() {
          return "sole";
        }

        @Override
        public boolean shared() {
          return false;
        }

        @Override
        public Optional<Fence> fence(String host) {
          return Optional.of(new Fence(host, replica(), 0));
        }

        @Override
        public Optional<Owner> owner(String host) {
          return Optional.of(new Owner(replica(), 0));
        }

        @Override
        public void known(String host) {}
      };

  /** This replica's name. */
  String replica();

  /** Whether several replicas share the journal (and hosts change owners). */
  boolean shared();

  /**
   * This replica's fence for {@code host}: present while it owns the host and its lease is fresh on
   * the monotonic clock, so that a replica that was paused past its lease acts no more, even before
   * it heard of its successor.
   */
  Optional<Fence> fence(String host);

  /** Whether this replica may act on {@code host} now (see {@link #fence}). */
  default boolean mayAct(String host) {
    return fence(host).isPresent();
  }

  /**
   * Whether {@code fence} is still this replica's fence for its host: the same epoch, and the lease
   * fresh. An operation checks it before each call to its host.
   */
  default boolean holds(Fence fence) {
    return fence(fence.host()).filter(fence::equals).isPresent();
  }

  /** The host's owner as last seen (at most one heartbeat old), if it has one. */
  Optional<Owner> owner(String host);

  /** Tells the owners about a host (a registration): it gets an owner without waiting. */
  void known(String host);

  /**
   * The right to write for a host: the owner replica and the epoch of its claim. The journal
   * refuses a write fenced with an epoch that is no longer the host's.
   */
  record Fence(String host, String replica, long epoch) {}

  /** A host's owner: the replica and the epoch of its claim. */
  record Owner(@Nullable String replica, long epoch) {}
}
