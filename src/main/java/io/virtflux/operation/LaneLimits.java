package io.virtflux.operation;

/**
 * How many operations a host's lane admits at once. Implemented by the host registry: 1 unless the
 * host is parallel-capable (TCP/TLS transport and parallel actions on), then its maxActions.
 */
public interface LaneLimits {

  int maxRunning(String host);

  /** Cap on concurrent DEPLOY operations on the host (the seed's MAX_HOST). */
  int maxDeploys(String host);
}
