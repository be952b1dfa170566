package io.virtflux.libvirt;

import java.util.Optional;
import reactor.util.context.ContextView;

/**
 * Asked right before each libvirt call, on the thread that makes it: whether this process may make
 * it now. With several replicas, a call made for an operation is refused once the replica no longer
 * owns the operation's host (another replica claimed it, or the replica's lease went stale while it
 * was paused), so that two replicas never drive one host. The caller's Reactor context tells what
 * the call is for.
 */
@FunctionalInterface
public interface LibvirtCallGuard {

  /** Every call may be made: a process that shares its hosts with nobody. */
  LibvirtCallGuard NONE = (host, context) -> Optional.empty();

  /** Why the call to {@code host} must not be made now, or empty when it may. */
  Optional<String> refusal(String host, ContextView context);
}
