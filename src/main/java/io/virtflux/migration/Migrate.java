package io.virtflux.migration;

import io.virtflux.operation.Command;
import io.virtflux.operation.OperationKind;
import io.virtflux.operation.OperationTarget;
import java.util.List;

/**
 * A MIGRATE of {@code vm} from {@code source}, where it was found when the request was accepted, to
 * {@code destination}, with the caller's validated options. Its fields are those a migration queued
 * by an earlier version of the service kept under the same journal name, so that such a migration
 * still runs after an upgrade.
 *
 * @param vm the VM
 * @param source the host it runs on
 * @param destination the host it moves to
 * @param request the options (OpenNebula's MIGRATE_OPTIONS and migrate_local, as named fields)
 */
record Migrate(String vm, String source, String destination, MigrationRequest request)
    implements Command {

  @Override
  public OperationKind kind() {
    return OperationKind.MIGRATE;
  }

  /** Both lanes, the destination last: the restart reconciliation looks for the VM there. */
  @Override
  public OperationTarget target() {
    return new OperationTarget(vm, List.of(source, destination));
  }
}
