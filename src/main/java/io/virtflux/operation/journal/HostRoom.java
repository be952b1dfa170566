package io.virtflux.operation.journal;

import io.virtflux.operation.LaneLimits;
import io.virtflux.operation.Operation;
import io.virtflux.operation.OperationKind;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashSet;

/**
 * Admission counted in a shared journal: the RUNNING operations of every replica on each host of an
 * operation, against the host's limit and its DEPLOY cap. Runs inside the journal's one-writer
 * transaction, so no other replica's start can slip between the count and the write.
 */
final class HostRoom {

  private HostRoom() {}

  /** Throws {@link NoRoom} when one of {@code queued}'s hosts has no room for it now. */
  static void check(JournalWriter.Statements sql, Operation queued, LaneLimits limits)
      throws SQLException {
    boolean deploy = queued.kind() == OperationKind.DEPLOY;
    for (String host : new LinkedHashSet<>(queued.target().hosts())) {
      PreparedStatement count =
          sql.sql(
              "SELECT COUNT(*) AS running,"
                  + " COALESCE(SUM(CASE WHEN o.kind = 'DEPLOY' THEN 1 ELSE 0 END), 0) AS deploys"
                  + " FROM operations o JOIN operation_hosts h ON h.operation_id = o.id"
                  + " WHERE h.host = ? AND o.phase = 'RUNNING'");
      count.setString(1, host);
      try (ResultSet row = count.executeQuery()) {
        row.next();
        if (row.getLong("running") >= LaneLimits.atLeastOne(limits::maxRunning, host)
            || deploy
                && row.getLong("deploys") >= LaneLimits.atLeastOne(limits::maxDeploys, host)) {
          throw new NoRoom(host);
        }
      }
    }
  }
}
