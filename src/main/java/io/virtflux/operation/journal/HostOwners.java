package io.virtflux.operation.journal;

import io.virtflux.operation.HostOwnership.Fence;
import io.virtflux.operation.LostOwnership;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The journal writer's statements on {@code host_owners} (a shared journal only). */
final class HostOwners {

  private HostOwners() {}

  /** Gives each host a row (without an owner) if it has none, so that a replica claims it. */
  static void ensure(JournalWriter.Statements sql, List<String> hosts) throws SQLException {
    for (String host : new LinkedHashSet<>(hosts)) {
      PreparedStatement insert =
          sql.sql(
              "INSERT INTO host_owners (host, epoch) VALUES (?, 0) ON CONFLICT (host) DO NOTHING");
      insert.setString(1, host);
      insert.executeUpdate();
    }
  }

  /**
   * Claims {@code host} for {@code replica} if no replica owns it (a host no operation used yet, or
   * one given up), provided the replica's own lease is live: the replica that first needs a host
   * owns it at once, without waiting for a heartbeat. Returns the new epoch, or null when the host
   * has an owner (dead or alive: a dead one's operations are settled by a claim of the leases).
   */
  static @Nullable Long claimIfFree(JournalWriter.Statements sql, String host, String replica)
      throws SQLException {
    PreparedStatement claim =
        sql.sql(
            "INSERT INTO host_owners (host, replica_id, epoch, claimed_at)"
                + " SELECT ?, ?, 1, now() WHERE EXISTS (SELECT 1 FROM replicas"
                + " WHERE id = ? AND expires_at > now())"
                + " ON CONFLICT (host) DO UPDATE SET replica_id = EXCLUDED.replica_id,"
                + " epoch = host_owners.epoch + 1, claimed_at = now()"
                + " WHERE host_owners.replica_id IS NULL"
                + " RETURNING epoch");
    claim.setString(1, host);
    claim.setString(2, replica);
    claim.setString(3, replica);
    try (ResultSet row = claim.executeQuery()) {
      return row.next() ? row.getLong(1) : null;
    }
  }

  /**
   * Fails the write with {@link LostOwnership} unless {@code fence} is still the host's owner and
   * epoch. The row is share-locked until the commit, so a claim by another replica waits for this
   * write, and whatever the new owner reads after its claim includes it.
   */
  static void requireEpoch(JournalWriter.Statements sql, Fence fence) throws SQLException {
    PreparedStatement check =
        sql.sql(
            "SELECT 1 FROM host_owners WHERE host = ? AND replica_id = ? AND epoch = ? FOR SHARE");
    check.setString(1, fence.host());
    check.setString(2, fence.replica());
    check.setLong(3, fence.epoch());
    try (ResultSet row = check.executeQuery()) {
      if (!row.next()) {
        throw new LostOwnership(fence, "the journal refuses its write: the host has a newer owner");
      }
    }
  }
}
