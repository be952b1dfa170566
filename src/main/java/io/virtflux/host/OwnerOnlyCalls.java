package io.virtflux.host;

import io.virtflux.libvirt.LibvirtCallGuard;
import io.virtflux.operation.HostOwnership;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import reactor.util.context.ContextView;

/**
 * The libvirt calls an operation makes are made only while this replica still owns the operation's
 * host under the epoch it started with, and its lease is fresh on the monotonic clock: a replica
 * that was paused past its lease, or whose host another replica claimed, calls nothing more for the
 * operation, even before it heard of its successor. Calls made outside an operation (the probes,
 * the event watch, the API's reads) only read, and are not asked about.
 */
@Component
class OwnerOnlyCalls implements LibvirtCallGuard {

  private final HostOwnership ownership;

  OwnerOnlyCalls(ObjectProvider<HostOwnership> ownership) {
    this.ownership = ownership.getIfAvailable(() -> HostOwnership.SOLE);
  }

  @Override
  public Optional<String> refusal(String host, ContextView context) {
    return context
        .<HostOwnership.Fence>getOrEmpty(HostOwnership.Fence.class)
        .filter(fence -> !ownership.holds(fence))
        .map(
            fence ->
                "replica "
                    + fence.replica()
                    + " no longer owns host "
                    + fence.host()
                    + " under epoch "
                    + fence.epoch());
  }
}
