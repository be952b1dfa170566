package io.virtflux.operation;

import java.util.function.ToIntFunction;
import org.slf4j.LoggerFactory;

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

  /**
   * {@code limit} of {@code host} as the lanes and the shared journal's admission apply it: at
   * least 1, and 1 when the limits can't answer (an unknown host, say), so that nothing ever waits
   * for good on a limit no one can tell.
   */
  static int atLeastOne(ToIntFunction<String> limit, String host) {
    try {
      return Math.max(1, limit.applyAsInt(host));
    } catch (RuntimeException e) {
      LoggerFactory.getLogger(LaneLimits.class)
          .warn("no lane limit for host {}; running one at a time", host, e);
      return 1;
    }
  }
}
