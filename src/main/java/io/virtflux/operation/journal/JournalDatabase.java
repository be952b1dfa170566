package io.virtflux.operation.journal;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Properties;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The journal's database as JDBC sees it: the writer's connection, and on a shared journal the
 * event tail's and the host leases' (each its own connection, so that none waits behind another).
 */
@Component
final class JournalDatabase {

  /** PostgreSQL: how long opening a connection may take. */
  private static final int CONNECT_TIMEOUT_SECONDS = 10;

  private final String url;
  private final String user;
  private final String password;

  JournalDatabase(
      @Value("${virtflux.journal.jdbc-url}") String url,
      @Value("${virtflux.journal.username:sa}") String user,
      @Value("${virtflux.journal.password:}") String password) {
    this.url = url;
    this.user = user;
    this.password = password;
  }

  /** Whether several replicas may share it: PostgreSQL, not the embedded H2. */
  boolean shared() {
    return url.startsWith("jdbc:postgresql:");
  }

  /** For the embedded H2 file: what flushes it after a commit; empty on PostgreSQL. */
  Optional<EmbeddedFileSync> embeddedFileSync() {
    return EmbeddedFileSync.of(url);
  }

  /**
   * A new connection named {@code name} (PostgreSQL's application_name, as its server lists it).
   * {@code socketTimeoutSeconds} bounds every wait for the server on PostgreSQL: the query timeout
   * cancels a statement through a second connection, which a stalled server or a dead network path
   * does not answer either, so the socket timeout is what ends the wait. {@code options} are server
   * settings for the session ({@code -c name=value ...}), or empty. A setting in the URL overrides
   * these.
   */
  Connection connect(String name, int socketTimeoutSeconds, String options) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", user);
    properties.setProperty("password", password);
    if (shared()) {
      properties.setProperty("connectTimeout", String.valueOf(CONNECT_TIMEOUT_SECONDS));
      properties.setProperty("socketTimeout", String.valueOf(socketTimeoutSeconds));
      properties.setProperty("tcpKeepAlive", "true");
      properties.setProperty("ApplicationName", name);
      if (!options.isEmpty()) {
        properties.setProperty("options", options);
      }
    }
    return DriverManager.getConnection(url, properties);
  }

  /** Closes {@code connection} if there is one; one that fails to close is dropped all the same. */
  static void closeQuietly(@Nullable Connection connection) {
    if (connection == null) {
      return;
    }
    try {
      connection.close();
    } catch (SQLException e) {
      LoggerFactory.getLogger(JournalDatabase.class).debug("closing a journal connection", e);
    }
  }
}
