package io.virtflux.lab;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.AbstractWaitStrategy;
import org.testcontainers.utility.DockerImageName;

/**
 * The lab's PostgreSQL 15 server for the journal's tests: one container of the image that {@code
 * dev/lab setup} builds from Debian's packages ({@code docker/postgres}), started once per test JVM
 * by Testcontainers on host networking at {@value #HOST}:{@value #PORT}, and stopped at the JVM's
 * exit. Tests never share a database: each takes a new, empty one with {@link
 * #newDatabase(String)}. A test that needs it fails, never skips, when the lab is missing: run it
 * through {@code dev/test} (or {@code eval "$(dev/lab env)"} first).
 */
public final class Postgres {

  /** Outside the blocks of the lab's libvirt hosts (127.0.0.21-.46 and .61-.63). */
  public static final String HOST = "127.0.0.70";

  public static final int PORT = 15432;

  /** The application's role: LOGIN, CREATEDB, no superuser (see docker/postgres). */
  public static final String USER = "virtflux";

  public static final String PASSWORD = "virtflux";

  /** How the container is labelled, so that a later JVM can tell its leftovers apart. */
  private static final String ROLE_LABEL = "virtflux.lab";

  private static final String ROLE = "it-postgres";
  private static final String OWNER_LABEL = "virtflux.lab.owner-pid";

  /** PostgreSQL folds unquoted names to lower case; the fixture's names need no quoting. */
  private static final Pattern PREFIX = Pattern.compile("[a-z][a-z0-9_]{0,39}");

  private static final int SUFFIX_LENGTH = 12;
  private static final String SUFFIX_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789";
  private static final SecureRandom RANDOM = new SecureRandom();

  private static Postgres shared;

  private final GenericContainer<?> container;
  private final Duration startup;

  private Postgres(GenericContainer<?> container, Duration startup) {
    this.container = container;
    this.startup = startup;
  }

  /**
   * The lab's PostgreSQL server, started once per JVM (host networking, 127.0.0.70:15432), stopped
   * at JVM exit.
   */
  public static synchronized Postgres shared() {
    if (shared == null) {
      shared = start();
    }
    return shared;
  }

  /**
   * A server of the caller's own, not the shared one, for a caller that stops it with {@link
   * #stop()} once done (the benchmark: it must not stop a server a test JVM shares). Same image,
   * address and settings as {@link #shared()}; the JVM's exit stops it too. Fails while another
   * server listens on the address.
   */
  public static Postgres startOwn() {
    return start();
  }

  /** Stops and removes this server's container (a no-op when it is already gone). */
  public void stop() {
    container.stop();
  }

  /**
   * A new, empty database on it, owned by user {@code virtflux} (password {@code virtflux}); name =
   * prefix + a random suffix of 12 lower-case letters and digits.
   *
   * @param prefix a lower-case SQL name of 1-40 characters ({@code [a-z][a-z0-9_]*}), e.g. {@code
   *     "journal_"}
   */
  public Database newDatabase(String prefix) {
    if (prefix == null || !PREFIX.matcher(prefix).matches()) {
      throw new IllegalArgumentException(
          "database prefix must match " + PREFIX.pattern() + ", not " + prefix);
    }
    StringBuilder name = new StringBuilder(prefix);
    for (int i = 0; i < SUFFIX_LENGTH; i++) {
      name.append(SUFFIX_CHARS.charAt(RANDOM.nextInt(SUFFIX_CHARS.length())));
    }
    String db = name.toString();
    // as virtflux (CREATEDB): the new database is its own, public schema included (PostgreSQL 15
    // gives the public schema to the database's owner), so Flyway may create anything in it
    try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), USER, PASSWORD);
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + db);
    } catch (SQLException e) {
      throw new IllegalStateException("CREATE DATABASE " + db + " on " + HOST + ":" + PORT, e);
    }
    return new Database(db, jdbcUrl(db), r2dbcUrl(db), USER, PASSWORD);
  }

  /**
   * Restarts the server the way an operator does, from inside the container: {@code pg_ctl restart
   * -m fast} (every connection is dropped, the data stays). Returns when the new server accepts
   * connections. The container lives on (its entrypoint keeps watch over the new postmaster).
   */
  public void restartFast() {
    exec("pg_ctl", "restart", "-m", "fast", "-w", "-t", "60", "-l", "/proc/1/fd/2");
    waitUntilAccepting(Duration.ofSeconds(60));
  }

  /** The container, for a test that stops, pauses or inspects the server itself. */
  public GenericContainer<?> container() {
    return container;
  }

  /** How long the shared server took from {@code start()} to its first accepted login. */
  public Duration startupTime() {
    return startup;
  }

  /** Runs a command in the container as user {@code postgres}; fails unless it exits with 0. */
  public ExecResult exec(String... command) {
    try {
      ExecResult r = container.execInContainer(command);
      if (r.getExitCode() != 0) {
        throw new IllegalStateException(
            String.join(" ", command)
                + " exited with "
                + r.getExitCode()
                + ": "
                + r.getStdout()
                + r.getStderr());
      }
      return r;
    } catch (IOException e) {
      throw new UncheckedIOException(String.join(" ", command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(String.join(" ", command), e);
    }
  }

  /** One database of the shared server, with everything a JDBC or R2DBC client needs. */
  public record Database(
      String name, String jdbcUrl, String r2dbcUrl, String user, String password) {}

  private static String jdbcUrl(String db) {
    return "jdbc:postgresql://" + HOST + ":" + PORT + "/" + db;
  }

  private static String r2dbcUrl(String db) {
    return "r2dbc:postgresql://" + HOST + ":" + PORT + "/" + db;
  }

  @SuppressWarnings("resource")
  private static Postgres start() {
    String image = System.getenv("VIRTFLUX_LAB_POSTGRES_IMAGE");
    if (image == null || image.isBlank()) {
      throw new IllegalStateException(
          "VIRTFLUX_LAB_POSTGRES_IMAGE is not set: the journal's PostgreSQL tests need the lab; run"
              + " them through dev/test, or eval \"$(dev/lab env)\" first");
    }
    removeLeftovers();
    if (portOpen()) {
      throw new IllegalStateException(
          HOST
              + ":"
              + PORT
              + " is taken by another process (a PostgreSQL of a test JVM that still runs?)");
    }
    GenericContainer<?> c =
        new GenericContainer<>(DockerImageName.parse(image))
            .withNetworkMode("host")
            .withImagePullPolicy(name -> false)
            .withLabel(ROLE_LABEL, ROLE)
            .withLabel(OWNER_LABEL, String.valueOf(ProcessHandle.current().pid()))
            .withEnv(Map.of("LISTEN_ADDR", HOST, "PGPORT", String.valueOf(PORT)))
            // parallel queries of 300 connections share /dev/shm, 64 MiB by Docker's default
            .withSharedMemorySize(256L * 1024 * 1024)
            .waitingFor(new AcceptsLogin())
            .withStartupTimeout(Duration.ofSeconds(60));
    Runtime.getRuntime().addShutdownHook(new Thread(c::stop, "lab-postgres-stop"));
    long t0 = System.nanoTime();
    c.start();
    return new Postgres(c, Duration.ofNanos(System.nanoTime() - t0));
  }

  /**
   * Without Ryuk (it can't be pulled here), a JVM that was killed leaves its server running on the
   * fixed address: remove the containers whose owner process is gone, and only those.
   */
  private static void removeLeftovers() {
    DockerClient docker = DockerClientFactory.instance().client();
    for (Container c :
        docker
            .listContainersCmd()
            .withShowAll(true)
            .withLabelFilter(Map.of(ROLE_LABEL, ROLE))
            .exec()) {
      String owner = c.getLabels() == null ? null : c.getLabels().get(OWNER_LABEL);
      boolean ownerAlive =
          owner != null
              && owner.matches("[0-9]+")
              && ProcessHandle.of(Long.parseLong(owner)).map(ProcessHandle::isAlive).orElse(false);
      if (!ownerAlive) {
        docker.removeContainerCmd(c.getId()).withForce(true).exec();
      }
    }
  }

  private static boolean portOpen() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(HOST, PORT), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void waitUntilAccepting(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    SQLException last = null;
    while (System.nanoTime() < deadline) {
      try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), USER, PASSWORD);
          Statement s = c.createStatement()) {
        s.execute("SELECT 1");
        return;
      } catch (SQLException e) {
        last = e;
        try {
          Thread.sleep(100);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting for PostgreSQL", ie);
        }
      }
    }
    throw new IllegalStateException(
        "PostgreSQL on " + HOST + ":" + PORT + " did not accept a login within " + timeout, last);
  }

  /**
   * With host networking there are no mapped ports, and an open port is not yet a server that lets
   * one in (it answers "the database system is starting up" for a while): wait for a real login.
   */
  private static final class AcceptsLogin extends AbstractWaitStrategy {
    @Override
    protected void waitUntilReady() {
      waitUntilAccepting(startupTimeout);
    }
  }
}
