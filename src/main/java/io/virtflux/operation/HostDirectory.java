package io.virtflux.operation;

import java.util.List;

/**
 * The hosts this replica knows (configured and registered): on a shared journal each of them gets
 * an owner among the replicas. Implemented by the host registry.
 */
public interface HostDirectory {

  /** The names of the hosts known now. */
  List<String> hostNames();
}
