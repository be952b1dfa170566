package io.virtflux.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Map;

/**
 * What every scenario gets: the mode, the service jar, a scratch directory, the lab's environment
 * ({@code dev/lab env}, for the scenario on real hosts) and the PostgreSQL server for the journal,
 * started on first use and stopped by {@link #close()}.
 */
final class BenchContext implements AutoCloseable {

  final BenchMode mode;
  final Path repo;
  final Path jar;
  final Path work;
  final Map<String, String> env;
  private BenchPostgres postgres;
  private boolean postgresLooked;

  BenchContext(BenchMode mode, Path repo, Path work, Map<String, String> env) {
    this.mode = mode;
    this.repo = repo;
    this.jar = repo.resolve("target/virtflux.jar");
    this.work = work;
    this.env = env;
  }

  /** A fresh directory under the run's scratch directory. */
  Path dir(String name) throws IOException {
    Path dir = work.resolve(name);
    Files.createDirectories(dir);
    return dir;
  }

  /** A lab variable such as VIRTFLUX_LAB_DATASTORE, or null when the lab isn't set up. */
  String lab(String name) {
    return env.get(name);
  }

  /**
   * The PostgreSQL server, started on first use when none runs; null when there is none and the lab
   * can't start one (see {@link BenchPostgres#open}).
   */
  synchronized BenchPostgres postgres() throws SQLException {
    if (!postgresLooked) {
      postgresLooked = true;
      postgres = BenchPostgres.open(this);
    }
    return postgres;
  }

  /** Drops the bench's databases and stops the PostgreSQL server if the bench started it. */
  @Override
  public synchronized void close() {
    if (postgres != null) {
      postgres.close();
      postgres = null;
    }
  }
}
