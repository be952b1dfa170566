package io.virtflux.operation.events;

import io.virtflux.operation.Operation;
import io.virtflux.operation.OperationKind;
import io.virtflux.operation.OperationTarget;
import io.virtflux.operation.Phase;
import io.virtflux.operation.journal.JournalEvent;
import java.time.Instant;

/** Journaled operation events for tests of the event streams. */
final class TestEvents {

  private TestEvents() {}

  /**
   * The QUEUED event of operation {@code op-<seq>} (a shutdown), with seq and JSON {@code
   * {"id":…}}.
   */
  static JournalEvent queued(long seq) {
    Operation operation =
        new Operation(
            "op-" + seq,
            OperationKind.SHUTDOWN,
            OperationTarget.vmOn("vm", "host"),
            Phase.QUEUED,
            Instant.EPOCH,
            null,
            null,
            null,
            null,
            null,
            "alice");
    return new JournalEvent(seq, operation, null, null, "{\"id\":\"op-" + seq + "\"}");
  }
}
