package io.virtflux.operation.journal;

import io.virtflux.operation.HostDirectory;
import io.virtflux.operation.HostOwnership;
import io.virtflux.operation.HostOwnershipListener;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Host ownership on a shared journal: leases in the database ({@code replicas}, {@code
 * host_owners}), renewed by a heartbeat on a thread and connection of their own.
 *
 * <p>Each round, every {@link ReplicaProperties#heartbeat()}: the replica renews its lease ({@code
 * expires_at}, on the database's clock); claims, with {@code epoch + 1}, the hosts without a live
 * owner that rendezvous hashing gives it among the live replicas; and hands over, when the replicas
 * have been the same for a few rounds, an idle host that hashing now gives another replica (so that
 * hosts spread out as replicas join). A claim is a compare-and-set on the epoch, so two replicas
 * never both win one.
 *
 * <p>The replica stops acting on its hosts by itself: its fence is fresh only until its last
 * successful heartbeat's send time plus the lease, less a second, on the monotonic clock (which
 * also counts while the process is paused). Others claim only once the lease expired on the
 * database's clock, which started later. When a heartbeat comes after its lease lapsed, the replica
 * tells its listeners it lost every host it had, and claims again those still recorded as its own,
 * each with a new epoch, reconciling them as a new owner would: it cannot know what happened
 * meanwhile.
 */
@Component
@ConditionalOnExpression(SharedJournal.CONDITION)
final class HostLeases implements HostOwnership, SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(HostLeases.class);

  /** Rounds the set of live replicas must stay the same before a host is handed over. */
  private static final int STABLE_ROUNDS = 3;

  private static final Duration SAFETY_MARGIN = Duration.ofSeconds(1);

  /** How long start-up waits for what the first round claimed to be taken over. */
  private static final Duration FIRST_TAKEOVERS = Duration.ofMinutes(1);

  private final JournalDatabase database;
  private final ObjectProvider<HostOwnershipListener> listeners;
  private final ObjectProvider<HostDirectory> directory;
  private final String replica;
  private final Duration heartbeat;
  private final Duration lease;

  /** Hosts this replica owns, with the epoch of its claim. */
  private final Map<String, Long> owned = new ConcurrentHashMap<>();

  /** Every host's owner as the last round saw it. */
  private volatile Map<String, Owner> owners = Map.of();

  /** Hosts to give a row at the next round (registered since the last one). */
  private final Set<String> known = ConcurrentHashMap.newKeySet();

  private final Set<String> ensured = ConcurrentHashMap.newKeySet();
  private final Semaphore wake = new Semaphore(0);
  private final CountDownLatch firstRound = new CountDownLatch(1);

  /** What the first round claimed, taken over: start-up waits for it. */
  private volatile @Nullable Mono<Void> firstTakeovers;

  /** The monotonic time until which this replica may act on its hosts; 0: not yet. */
  private volatile long freshUntil;

  private volatile boolean running;
  private @Nullable Thread thread;

  // the leases thread's own
  private @Nullable Connection connection;
  private List<String> lastLive = List.of();
  // whether a round succeeded since the process started
  private boolean startedUp;

  /** Hosts this replica dropped: still recorded as its own, they are claimed again. */
  private final Set<String> dropped = ConcurrentHashMap.newKeySet();

  private int stableRounds;

  HostLeases(
      JournalDatabase database,
      ObjectProvider<HostOwnershipListener> listeners,
      ObjectProvider<HostDirectory> directory,
      ReplicaProperties properties) {
    this.directory = directory;
    this.database = database;
    this.listeners = listeners;
    this.replica = properties.name();
    this.heartbeat = properties.heartbeat();
    this.lease = properties.lease();
    if (replica.length() > 255) {
      throw new IllegalArgumentException("virtflux.replicas.id is longer than 255 characters");
    }
  }

  @Override
  public String replica() {
    return replica;
  }

  @Override
  public boolean shared() {
    return true;
  }

  @Override
  public Optional<Fence> fence(String host) {
    Long epoch = owned.get(host);
    if (epoch == null || System.nanoTime() - freshUntil > 0) {
      return Optional.empty();
    }
    return Optional.of(new Fence(host, replica, epoch));
  }

  @Override
  public Optional<Owner> owner(String host) {
    return Optional.ofNullable(owners.get(host));
  }

  /**
   * This replica claimed {@code fence}'s host in a journal write (its first operation there): it
   * acts on it from now on. Called on the journal's writer thread after the commit.
   */
  void adopt(Fence fence) {
    // a heartbeat round may have claimed it again meanwhile (it read the row as ours): the newer
    // epoch stays
    owned.merge(fence.host(), fence.epoch(), Math::max);
    ensured.add(fence.host());
  }

  /** Tells the listeners of a host {@link #adopt adopted}: what waits there runs here. */
  void announce(Fence fence) {
    Fence current = fence(fence.host()).orElse(null);
    if (current == null || current.epoch() != fence.epoch()) {
      return;
    }
    log.info(
        "replica {} owns host {} (epoch {}), its first user", replica, fence.host(), fence.epoch());
    takeOver(fence).subscribe();
  }

  @Override
  public void known(String host) {
    if (!ensured.contains(host) && known.add(host)) {
      wake.release();
    }
  }

  private void run() {
    while (running) {
      try {
        round();
      } catch (SQLException | RuntimeException e) {
        log.warn("replica {}: heartbeat failed: {}", replica, e.toString());
        closeConnection();
        if (System.nanoTime() - freshUntil > 0) {
          // the lease lapsed: another replica may own these hosts by now
          dropAll("its lease lapsed without a heartbeat");
        }
      }
      firstRound.countDown();
      try {
        if (wake.tryAcquire(heartbeat.toMillis(), TimeUnit.MILLISECONDS)) {
          wake.drainPermits();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void round() throws SQLException {
    Connection c = connection();
    long sent = System.nanoTime();
    Map<String, Long> before = Map.copyOf(owned);
    boolean lapsed = !before.isEmpty() && sent - freshUntil > 0;
    renew(c);
    ensureRows(c);
    Map<String, Owner> rows = rows(c);
    List<String> live = live(c);
    stableRounds = live.equals(lastLive) ? stableRounds + 1 : 0;
    lastLive = live;

    // what another replica took (after a pause of ours), or what we can no longer be sure of;
    // a host adopted since the round began (a journal write's claim) is not judged on older rows
    for (Map.Entry<String, Long> had : before.entrySet()) {
      String host = had.getKey();
      if (!had.getValue().equals(owned.get(host))) {
        continue;
      }
      Owner row = rows.get(host);
      if (lapsed
          || row == null
          || !replica.equals(row.replica())
          || row.epoch() != had.getValue()) {
        lose(host, lapsed ? "its lease lapsed" : "another replica owns it now");
      }
    }
    List<Fence> claimed = new ArrayList<>();
    List<String> handedOver = new ArrayList<>();
    for (Map.Entry<String, Owner> row : rows.entrySet()) {
      String host = row.getKey();
      Owner owner = row.getValue();
      boolean mine = replica.equals(owner.replica());
      if (mine && !owned.containsKey(host)) {
        // recorded as ours, but not held: by the previous run of a replica with this id, or
        // dropped when this one's lease lapsed. Claimed again with a new epoch. (A host this
        // replica is adopting right now, in a journal write, is neither: it is left to the write.)
        if (!startedUp || dropped.contains(host)) {
          claim(c, host, owner.epoch(), true).ifPresent(claimed::add);
        }
      } else if (!mine
          && (owner.replica() == null || !live.contains(owner.replica()))
          && replica.equals(chosen(host, live))) {
        claim(c, host, owner.epoch(), false).ifPresent(claimed::add);
      } else if (mine
          && stableRounds >= STABLE_ROUNDS
          && !replica.equals(chosen(host, live))
          && !busy(host)) {
        handOver(c, host, owner.epoch());
        handedOver.add(host);
      }
    }
    freshUntil = sent + lease.minus(SAFETY_MARGIN).toNanos();
    startedUp = true;
    Map<String, Owner> seen = new HashMap<>(rows);
    claimed.forEach(f -> seen.put(f.host(), new Owner(replica, f.epoch())));
    handedOver.forEach(host -> seen.put(host, new Owner(null, rows.get(host).epoch())));
    owners = Map.copyOf(seen);
    List<Mono<Void>> takeovers = new ArrayList<>();
    for (Fence fence : claimed) {
      log.info("replica {} owns host {} (epoch {})", replica, fence.host(), fence.epoch());
      takeovers.add(takeOver(fence));
    }
    Mono<Void> all = Mono.when(takeovers).cache();
    all.subscribe();
    if (firstTakeovers == null) {
      firstTakeovers = all;
    }
  }

  private Mono<Void> takeOver(Fence fence) {
    return Mono.when(listeners.orderedStream().map(l -> l.claimed(fence)).toList());
  }

  private void renew(Connection c) throws SQLException {
    try (PreparedStatement upsert =
        c.prepareStatement(
            "INSERT INTO replicas (id, started_at, expires_at)"
                + " VALUES (?, now(), now() + ? * interval '1 millisecond')"
                + " ON CONFLICT (id) DO UPDATE SET expires_at = EXCLUDED.expires_at")) {
      upsert.setString(1, replica);
      upsert.setLong(2, lease.toMillis());
      upsert.executeUpdate();
    }
  }

  private void ensureRows(Connection c) throws SQLException {
    directory.ifAvailable(d -> d.hostNames().forEach(this::known));
    List<String> hosts = List.copyOf(known);
    for (String host : hosts) {
      try (PreparedStatement insert =
          c.prepareStatement(
              "INSERT INTO host_owners (host, epoch) VALUES (?, 0) ON CONFLICT (host) DO NOTHING")) {
        insert.setString(1, host);
        insert.executeUpdate();
      }
      ensured.add(host);
      known.remove(host);
    }
  }

  private static Map<String, Owner> rows(Connection c) throws SQLException {
    Map<String, Owner> rows = new HashMap<>();
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT host, replica_id, epoch FROM host_owners")) {
      while (r.next()) {
        rows.put(r.getString(1), new Owner(r.getString(2), r.getLong(3)));
      }
    }
    return rows;
  }

  private static List<String> live(Connection c) throws SQLException {
    List<String> live = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery("SELECT id FROM replicas WHERE expires_at > now() ORDER BY id")) {
      while (r.next()) {
        live.add(r.getString(1));
      }
    }
    return live;
  }

  /**
   * Claims {@code host} with epoch + 1 if its row still has {@code epoch} and (unless {@code own})
   * no live owner. Waits for a fenced write of the previous owner that is in flight (its row lock),
   * so what the new owner reads next includes it.
   */
  private Optional<Fence> claim(Connection c, String host, long epoch, boolean own)
      throws SQLException {
    String sql =
        "UPDATE host_owners o SET replica_id = ?, epoch = epoch + 1, claimed_at = now()"
            + " WHERE host = ? AND epoch = ?"
            + (own
                ? " AND replica_id = ?"
                : " AND (replica_id IS NULL OR NOT EXISTS (SELECT 1 FROM replicas r"
                    + " WHERE r.id = o.replica_id AND r.expires_at > now()))")
            + " RETURNING epoch";
    try (PreparedStatement update = c.prepareStatement(sql)) {
      update.setString(1, replica);
      update.setString(2, host);
      update.setLong(3, epoch);
      if (own) {
        update.setString(4, replica);
      }
      try (ResultSet r = update.executeQuery()) {
        if (!r.next()) {
          return Optional.empty();
        }
        long claimed = r.getLong(1);
        owned.put(host, claimed);
        dropped.remove(host);
        return Optional.of(new Fence(host, replica, claimed));
      }
    }
  }

  /** Gives an idle host up, so that the replica hashing now chooses claims it. */
  private void handOver(Connection c, String host, long epoch) throws SQLException {
    lose(host, "handed over to spread hosts over the replicas");
    try (PreparedStatement release =
        c.prepareStatement(
            "UPDATE host_owners SET replica_id = NULL WHERE host = ? AND replica_id = ? AND epoch = ?")) {
      release.setString(1, host);
      release.setString(2, replica);
      release.setLong(3, epoch);
      release.executeUpdate();
    }
  }

  private boolean busy(String host) {
    return listeners.orderedStream().anyMatch(l -> l.busy(host));
  }

  private void lose(String host, String why) {
    if (owned.remove(host) != null) {
      dropped.add(host);
      log.warn("replica {} no longer owns host {}: {}", replica, host, why);
      listeners.orderedStream().forEach(l -> l.lost(host));
    }
  }

  private void dropAll(String why) {
    List.copyOf(owned.keySet()).forEach(host -> lose(host, why));
  }

  /** The live replica that rendezvous hashing gives {@code host}: the highest score wins. */
  static @Nullable String chosen(String host, List<String> live) {
    String best = null;
    long bestScore = Long.MIN_VALUE;
    for (String candidate : live) {
      long score = score(host, candidate);
      if (best == null || score > bestScore) {
        best = candidate;
        bestScore = score;
      }
    }
    return best;
  }

  private static long score(String host, String replica) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest((host + "\n" + replica).getBytes(StandardCharsets.UTF_8));
      long score = 0;
      for (int i = 0; i < 8; i++) {
        score = score << 8 | (digest[i] & 0xff);
      }
      return score;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private Connection connection() throws SQLException {
    Connection c = connection;
    if (c != null && !c.isClosed()) {
      return c;
    }
    // a heartbeat that cannot finish within its lease is no heartbeat: bounded by the socket
    // timeout
    int timeout = (int) Math.max(1, heartbeat.toSeconds() * 2);
    c =
        database.connect(
            "virtflux replica " + replica, timeout, "-c lock_timeout=" + timeout * 1000);
    c.setAutoCommit(true);
    connection = c;
    return c;
  }

  private void closeConnection() {
    JournalDatabase.closeQuietly(connection);
    connection = null;
  }

  @Override
  public void start() {
    running = true;
    Thread t = new Thread(this::run, "replica-leases");
    t.setDaemon(true);
    thread = t;
    t.start();
    try {
      // the hosts known at start-up are owned, and what they had left settled or queued again,
      // before the first request is served: as a restart's recovery
      if (firstRound.await(10, TimeUnit.SECONDS)) {
        Mono<Void> first = firstTakeovers;
        if (first != null) {
          first.block(FIRST_TAKEOVERS);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.warn("replica {}: taking its first hosts over: {}", replica, e.toString());
    }
  }

  /**
   * Gives this replica's hosts up at once, so that the others need not wait out the lease: after
   * the graceful drain, which ends before (a higher phase stops first).
   */
  @Override
  public void stop() {
    running = false;
    wake.release();
    Thread t = thread;
    if (t != null) {
      try {
        t.join(heartbeat.toMillis() * 3);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    try {
      Connection c = connection();
      try (PreparedStatement release =
              c.prepareStatement("UPDATE host_owners SET replica_id = NULL WHERE replica_id = ?");
          PreparedStatement gone = c.prepareStatement("DELETE FROM replicas WHERE id = ?")) {
        release.setString(1, replica);
        release.executeUpdate();
        gone.setString(1, replica);
        gone.executeUpdate();
      }
    } catch (SQLException e) {
      log.warn("replica {} could not give its hosts up: {}", replica, e.toString());
    } finally {
      owned.clear();
      closeConnection();
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** With the journal's recovery: after the beans, before the web server. */
  @Override
  public int getPhase() {
    return WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE - 2;
  }
}
