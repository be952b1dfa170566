package io.virtflux.operation;

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
        Operation.queued(
            "op-" + seq,
            new OperationRequest(
                OperationKind.SHUTDOWN, OperationTarget.vmOn("vm", "host"), null, "alice"),
            Instant.EPOCH);
    return new JournalEvent(seq, operation, null, null, "{\"id\":\"op-" + seq + "\"}");
  }
}
