package io.virtflux.operation;

import java.util.Optional;

/**
 * Whether a host accepts new operations. Implemented by the host registry: a host an admin disabled
 * refuses them (running ones finish).
 */
public interface HostAdmission {

  /** Every host accepts everything: what applies when no registry says otherwise. */
  HostAdmission OPEN = (host, kind) -> Optional.empty();

  /** Why {@code host} refuses a new operation of {@code kind}, or empty when it accepts it. */
  Optional<String> refusal(String host, OperationKind kind);
}
