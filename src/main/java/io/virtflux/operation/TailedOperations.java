package io.virtflux.operation;

import io.virtflux.operation.journal.JournalEvent;
import io.virtflux.operation.journal.JournalListener;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * On a journal shared by several replicas, what the owners learn from every replica's events: a new
 * QUEUED operation on a host this replica owns runs here, whichever replica accepted it; an abort
 * asked of another replica reaches the one that runs the operation; an end tells the replica that
 * accepted the operation, and takes a cancelled one out of the lanes of the replica that queued it.
 */
@Component
final class TailedOperations implements JournalListener {

  private final ObjectProvider<OperationService> operations;
  private final ObjectProvider<HostOwnership> ownership;

  TailedOperations(
      ObjectProvider<OperationService> operations, ObjectProvider<HostOwnership> ownership) {
    this.operations = operations;
    this.ownership = ownership;
  }

  @Override
  public boolean everyReplica() {
    return true;
  }

  @Override
  public void committed(JournalEvent event) {
    Operation operation = event.operation();
    if (operation == null || !ownership.getIfAvailable(() -> HostOwnership.SOLE).shared()) {
      return;
    }
    if (operation.phase() == Phase.QUEUED) {
      operations.getObject().queuedOnTail(operation);
    } else if (operation.phase() == Phase.RUNNING) {
      operations.getObject().abortRequestedOnTail(operation);
    } else if (operation.phase().terminal()) {
      operations.getObject().endedOnTail(operation);
    }
  }
}
