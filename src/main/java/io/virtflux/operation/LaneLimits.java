package io.virtflux.operation;

/**
 * How many operations a host's lane admits at once. Implemented by the host registry: 1 unless the
 * host is parallel-capable (TCP/TLS transport and parallel actions on), then its maxActions.
 */
public interface LaneLimits {

  /** One action at a time everywhere: what a host gets when no registry says otherwise. */
  LaneLimits ONE_AT_A_TIME =
      new LaneLimits() {
        @Override
        public int maxRunning(String host) {
          return 1;
        }

        @Override
        public int maxDeploys(String host) {
          return 1;
        }
      };

  int maxRunning(String host);

  /** Cap on concurrent DEPLOY operations on the host (OpenNebula's MAX_HOST). */
  int maxDeploys(String host);
}
