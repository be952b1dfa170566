package io.virtflux.operation.journal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * A shared journal's events, every replica's, told to the listeners of every replica's events (the
 * live event streams) in seq order, which is commit order ({@link JournalWriter}'s one-writer
 * lock): so every replica's streams deliver the same events in the same order.
 *
 * <p>The table is the truth and a notification only a wake-up: a committed batch notifies {@link
 * JournalWriter#EVENTS_CHANNEL}, and the tail then reads what follows the last seq it told. It also
 * reads once a second without one, and after a reconnect, since a notification has no replay (one
 * sent while the tail's connection was down is lost).
 */
@Component
@ConditionalOnExpression(SharedJournal.CONDITION)
final class EventTail implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(EventTail.class);

  private static final int PAGE = 500;
  private static final int WAIT_MILLIS = 1000;
  private static final Duration RECONNECT_AFTER = Duration.ofMillis(500);
  private static final int SOCKET_TIMEOUT_SECONDS = 30;

  private final JournalDatabase database;
  private final OperationJournal journal;
  private volatile boolean running;
  private @Nullable Thread thread;
  // the tail thread's own
  private @Nullable Connection connection;
  private long last = -1;

  EventTail(JournalDatabase database, OperationJournal journal) {
    this.database = database;
    this.journal = journal;
  }

  private void run() {
    while (running) {
      try {
        Connection c = connection();
        if (readAll(c) < PAGE) {
          // no notification in WAIT_MILLIS is no news: the read after it makes sure
          c.unwrap(PGConnection.class).getNotifications(WAIT_MILLIS);
        }
      } catch (SQLException | RuntimeException e) {
        if (!running) {
          return;
        }
        log.warn("journal event tail: {}; reconnecting", e.toString());
        close();
        sleep(RECONNECT_AFTER);
      }
    }
    close();
  }

  /** Tells every event after {@link #last}; returns how many the last page had. */
  private int readAll(Connection c) throws SQLException {
    int read;
    do {
      read = 0;
      PreparedStatement page =
          c.prepareStatement(
              "SELECT seq, operation_id, type, payload FROM operation_events WHERE seq > ?"
                  + " ORDER BY seq LIMIT "
                  + PAGE);
      try (page) {
        page.setLong(1, last);
        try (ResultSet rows = page.executeQuery()) {
          while (rows.next()) {
            JournalEvent event = journal.event(rows);
            last = event.seq();
            read++;
            tell(event);
          }
        }
      }
    } while (read == PAGE && running);
    return read;
  }

  private void tell(JournalEvent event) {
    try {
      journal.tellEveryReplica(event);
    } catch (RuntimeException e) {
      log.error("a listener failed on event {}", event.seq(), e);
    }
  }

  private Connection connection() throws SQLException {
    Connection c = connection;
    if (c != null && !c.isClosed()) {
      return c;
    }
    c = database.connect("virtflux event tail", SOCKET_TIMEOUT_SECONDS, "");
    c.setAutoCommit(true);
    try (Statement listen = c.createStatement()) {
      listen.execute("LISTEN " + JournalWriter.EVENTS_CHANNEL);
      if (last < 0) {
        // streams replay what came before from the journal; the tail tells what comes after
        try (ResultSet max =
            listen.executeQuery("SELECT COALESCE(MAX(seq), 0) FROM operation_events")) {
          max.next();
          last = max.getLong(1);
        }
      }
    }
    connection = c;
    return c;
  }

  private void close() {
    JournalDatabase.closeQuietly(connection);
    connection = null;
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void start() {
    running = true;
    Thread t = new Thread(this::run, "journal-event-tail");
    t.setDaemon(true);
    thread = t;
    t.start();
  }

  @Override
  public void stop() {
    running = false;
    Thread t = thread;
    if (t != null) {
      try {
        t.join(WAIT_MILLIS * 2L);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /**
   * Starts before everything and stops after everything else: the ends that a graceful stop's drain
   * journals still reach this replica's streams.
   */
  @Override
  public int getPhase() {
    return Integer.MIN_VALUE / 2;
  }
}
