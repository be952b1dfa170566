package io.virtflux.operation.journal;

import io.virtflux.operation.MemoryClaim;
import io.virtflux.operation.NoMemory;
import io.virtflux.operation.Phase;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The memory promised to deploys, counted from the journal's rows: a DEPLOY holds its {@code
 * memory_mib} on its host while QUEUED or RUNNING, and once SUCCEEDED until a reading of the host
 * that began after it ended (that reading counts its domain). FAILED and CANCELLED ones hold
 * nothing. Its end is {@code finished_at}, a little after its domain was defined: a reading that
 * began in between counts both the domain and the promise, which errs on the safe side until the
 * next one.
 */
final class DeployLedger {

  /** The rows that hold memory, given the start of the host's last reading (the one parameter). */
  static final String HOLDING =
      "o.memory_mib IS NOT NULL AND (o.phase IN ('QUEUED', 'RUNNING')"
          + " OR (o.phase = 'SUCCEEDED' AND o.finished_at > ?))";

  private DeployLedger() {}

  /**
   * Whether a deploy in {@code phase}, ended at {@code finishedAt}, still holds its memory for a
   * host last read by a reading that began at {@code readingFrom} (null: never read).
   */
  static boolean holds(Phase phase, @Nullable Instant finishedAt, @Nullable Instant readingFrom) {
    return switch (phase) {
      case QUEUED, RUNNING -> true;
      case SUCCEEDED ->
          readingFrom == null || finishedAt == null || finishedAt.isAfter(readingFrom);
      default -> false;
    };
  }

  /**
   * Throws {@link NoMemory} when the memory promised on {@code host} leaves less than the claim's.
   * Runs inside the journal's write, which on a shared journal holds the lock every replica's
   * writes take: no other deploy can be journaled between the count and the insert.
   */
  static void check(JournalWriter.Statements sql, String host, MemoryClaim claim)
      throws SQLException {
    Long capacity = claim.capacityMiB();
    if (capacity == null) {
      return;
    }
    long promised = promisedMiB(sql, host, claim.readingFrom());
    if (capacity - promised < claim.memoryMiB()) {
      throw new NoMemory(host, claim.memoryMiB(), capacity, promised);
    }
  }

  /** The memory promised on {@code host} now, as {@link #holds} counts it. */
  static long promisedMiB(JournalWriter.Statements sql, String host, @Nullable Instant readingFrom)
      throws SQLException {
    PreparedStatement sum =
        sql.sql(
            "SELECT COALESCE(SUM(o.memory_mib), 0) AS promised"
                + " FROM operations o JOIN operation_hosts h ON h.operation_id = o.id"
                + " WHERE h.host = ? AND "
                + HOLDING);
    sum.setString(1, host);
    // never read: every deploy that ended may be missing from what the host reports
    JdbcInstants.bind(sum, 2, readingFrom == null ? Instant.EPOCH : readingFrom);
    try (ResultSet row = sum.executeQuery()) {
      row.next();
      return row.getLong("promised");
    }
  }
}
