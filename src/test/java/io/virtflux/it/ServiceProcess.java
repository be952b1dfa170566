package io.virtflux.it;

import io.virtflux.lab.Lab;
import io.virtflux.lab.TestTokens;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The packaged service ({@code target/virtflux.jar}, built by {@code ./mvnw package}) run as a
 * process of its own, for the tests that stop it for real: SIGKILL ({@link ServiceRestartIT}),
 * SIGTERM ({@link GracefulStopIT}). It listens on 127.0.0.1, knows the admin token {@link
 * Api#ADMIN_TOKEN}, and writes its output to {@code target/<logName>.log}.
 */
final class ServiceProcess {

  private final Process process;
  private final int port;
  private final Path log;

  private ServiceProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /**
   * Starts the service on {@code port} with the journal {@code journal}, the lab's datastores and
   * {@code settings} ({@code --key=value}: its hosts, say), and returns once it is ready.
   */
  static ServiceProcess start(String logName, int port, Path journal, List<String> settings)
      throws IOException, InterruptedException {
    return start(logName, port, journal, List.of(), null, settings);
  }

  /**
   * As {@link #start(String, int, Path, List)}, with more JVM options, and the libvirt libraries of
   * {@code libvirt} (a directory: JNA and the dynamic linker both look there first) when not null.
   * Core dumps are on ({@code ulimit -c unlimited}); with the machine's {@code core_pattern} of
   * {@code core}, they land in the directory the process runs in: the journal's.
   */
  static ServiceProcess start(
      String logName,
      int port,
      Path journal,
      List<String> jvmOptions,
      @Nullable Path libvirt,
      List<String> settings)
      throws IOException, InterruptedException {
    Path log = Path.of("target", logName + ".log").toAbsolutePath();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    command.addAll(jvmOptions);
    if (libvirt != null) {
      command.add("-Djna.library.path=" + libvirt);
    }
    command.add("-jar");
    command.add(Path.of("target", "virtflux.jar").toAbsolutePath().toString());
    command.add("--server.address=127.0.0.1");
    command.add("--server.port=" + port);
    command.add("--virtflux.journal.path=" + journal.toAbsolutePath());
    command.add("--virtflux.datastores=" + Lab.datastore() + "," + Lab.imagesDir());
    command.add("--virtflux.limits.submissions-per-second=1000");
    command.add("--virtflux.security.tokens[0].name=it-admin");
    command.add("--virtflux.security.tokens[0].role=ADMIN");
    command.add("--virtflux.security.tokens[0].sha256=" + TestTokens.sha256(Api.ADMIN_TOKEN));
    command.addAll(settings);
    String shell =
        "ulimit -c unlimited; exec "
            + command.stream().map(ServiceProcess::quoted).collect(Collectors.joining(" "));
    ProcessBuilder builder =
        new ProcessBuilder("bash", "-c", shell)
            .directory(journal.toAbsolutePath().getParent().toFile());
    if (libvirt != null) {
      builder.environment().put("LD_LIBRARY_PATH", libvirt.toString());
    }
    Process p = builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
    ServiceProcess service = new ServiceProcess(p, port, log);
    service.awaitReady();
    return service;
  }

  private static String quoted(String arg) {
    return "'" + arg.replace("'", "'\\''") + "'";
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  Api api() {
    return new Api(client());
  }

  WebTestClient client() {
    return Api.clientFor("http://127.0.0.1:" + port)
        .mutate()
        .responseTimeout(Duration.ofSeconds(30))
        .build();
  }

  Process process() {
    return process;
  }

  /** SIGKILL: the process dies at once, whatever it was doing. */
  void kill() {
    process.destroyForcibly();
  }

  /** SIGTERM: the process stops gracefully. */
  void terminate() {
    process.destroy();
  }

  /** Waits for the process to exit and returns its exit code. */
  int awaitExit(Duration timeout) throws InterruptedException, IOException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("the service did not exit within " + timeout + ": " + tail());
    }
    return process.exitValue();
  }

  /** Whether the process still runs. */
  boolean alive() {
    return process.isAlive();
  }

  /** The last 40 lines of its output. */
  String tail() throws IOException {
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }

  /** All of its output. */
  String output() throws IOException {
    return Files.readString(log);
  }

  private void awaitReady() throws IOException, InterruptedException {
    WebTestClient probe = client();
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (true) {
      if (!process.isAlive()) {
        throw new AssertionError("the service exited: " + tail());
      }
      try {
        int status =
            probe
                .get()
                .uri("/actuator/health/readiness")
                .exchange()
                .returnResult(String.class)
                .getStatus()
                .value();
        if (status == 200) {
          return;
        }
      } catch (RuntimeException notYet) {
        // not listening yet
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the service did not get ready: " + tail());
      }
      Thread.sleep(250);
    }
  }
}
